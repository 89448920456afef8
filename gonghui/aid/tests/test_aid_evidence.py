"""Evidence uploads: PDF, JPEG or PNG by their bytes, size-limited, served only to
those who see the application."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.aid.models import Evidence

from .conftest import relief_application

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def upload(client, application, name, content, kind="income"):
    return client.post(
        f"/aid/{application.pk}/evidence/",
        {"kind": kind, "upload": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_pdf_is_stored_and_served_to_those_in_scope_only(county, aid, client_for, settings):
    application = relief_application(county, aid)
    response = upload(client_for(county.chair1), application, "收入证明.pdf", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.size, evidence.original_name) == (
        "application/pdf",
        len(PDF),
        "收入证明.pdf",
    )
    # Stored under a random name, not the uploaded one.
    assert "收入证明" not in evidence.file.name
    download = client_for(county.t1staff).get(evidence.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_for(county.chair2).get(evidence.get_absolute_url()).status_code == 404
    assert client_for(county.outsider).get(evidence.get_absolute_url()).status_code == 403


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(county, aid, client_for):
    application = relief_application(county, aid)
    response = upload(client_for(county.chair1), application, "证明.pdf", b"MZ\x90\x00 not a pdf")
    assert "Only PDF, JPEG or PNG files are accepted." in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_file_above_the_limit_is_refused(county, aid, client_for, settings):
    settings.AID_EVIDENCE_MAX_BYTES = len(PDF) - 1
    application = relief_application(county, aid)
    response = upload(client_for(county.chair1), application, "big.pdf", PDF)
    assert "The file is too large" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_cannot_be_added_to_another_unions_application(county, aid, client_for):
    application = relief_application(county, aid)
    assert upload(client_for(county.chair2), application, "a.pdf", PDF).status_code == 404
    assert not Evidence.objects.exists()
