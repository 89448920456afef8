"""A case's files: checked by their bytes, served only to those who see the case."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.conftest import signed_in
from gonghui.rights.models import CaseAttachment
from gonghui.security.models import EventKind, SecurityEvent


def pdf(name="工资条.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 pay slip", content_type="application/pdf")


def test_staff_add_a_file_and_those_who_see_the_case_download_it(county, lodge, client):
    case = lodge()
    signed_in(client, county.t1staff)
    response = client.post(f"/rights/{case.pk}/files/", {"upload": pdf()})
    assert response.status_code == 302
    item = CaseAttachment.objects.get(case=case)
    assert item.original_name == "工资条.pdf" and item.content_type == "application/pdf"
    download = client.get(item.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD, object_id=str(case.pk)).exists()
    signed_in(client, county.t2staff)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(f"/rights/{case.pk}/files/", {"upload": pdf()}).status_code == 404


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_image_is_refused(county, lodge, client, upload):
    case = lodge()
    signed_in(client, county.t1staff)
    response = client.post(f"/rights/{case.pk}/files/", {"upload": upload}, follow=True)
    assert "Only PDF, JPEG or PNG files are accepted." in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_no_file_is_added_to_a_declined_case(county, lodge):
    from django.core.exceptions import ValidationError

    from gonghui.rights import services

    case = services.case_decline(by=county.t1staff, case=lodge(), reason="重复")
    with pytest.raises(ValidationError):
        services.case_attachment_add(by=county.t1staff, case=case, upload=pdf())
    assert not CaseAttachment.objects.exists()
