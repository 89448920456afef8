"""Rights cases in the worker portal (issue 15, items 2 and 7): a worker lodges a case
under their name or anonymously, with photos; the form keeps what was typed after an
error and writes nothing; a double tap makes one case; the worker follows their own
case (another's is a 404); an image bomb is refused; steps reach the worker as
messages of the rights kind, the important ones by text message too."""

from __future__ import annotations

import re
import struct
import zlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gonghui.inbox.models import Message, MessageKind
from gonghui.portal.mine import mine
from gonghui.portal.models import WorkerAccount
from gonghui.portal.tests.test_card import bound_client, worker
from gonghui.rights import services
from gonghui.rights.models import Case, CaseAttachment, CaseStatus, CaseWorker, Channel
from gonghui.sms.models import OutgoingSms

MINE = reverse("portal-rights:mine")
NEW = reverse("portal-rights:new")
SENT = reverse("portal-rights:lodged")


def detail(case) -> str:
    return reverse("portal-rights:detail", args=[case.pk])


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def shown_code(page: str) -> str:
    return "".join(re.search(r"data-code[^>]*>([^<]+)<", page).group(1).split())


def jpeg(name="工资条.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 900), (200, 180, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png_bomb() -> SimpleUploadedFile:
    """A tiny PNG whose header claims 100,000 × 100,000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


def lodge_data(client, **fields) -> dict:
    return {
        "key": key_of(client.get(NEW).content.decode()),
        "kind": "mediation",
        "category": "wages",
        "employer": "东镇机械有限公司",
        "summary": "三个月工资未发，要求补发",
        "amount_in_dispute": "12000",
        "workers_involved": "1",
        **fields,
    }


@pytest.fixture
def member(county):
    """A member of G1 at E1, with a portal account bound to the file."""
    return worker(county, 51, union=county.g1, name="维权乙")


@pytest.fixture
def client(member, portal_sign_in):
    return bound_client(portal_sign_in, member)


def test_a_worker_lodges_a_named_case_with_a_photo_and_follows_it(client, member, county):
    response = client.post(NEW, lodge_data(client, photos=[jpeg()]))

    assert response.status_code == 302 and response["Location"] == SENT
    case = Case.objects.get()
    assert (case.channel, case.kind, case.employer, case.organisation) == (
        Channel.PORTAL,
        "mediation",
        county.e1,
        county.g1,
    )
    assert not case.anonymous and case.amount_in_dispute == Decimal("12000")
    assert list(case.workers.all()) == [member]
    attachment = CaseAttachment.objects.get(case=case)
    with attachment.file.open("rb") as kept:
        photo = Image.open(kept)
        assert photo.format == "JPEG" and max(photo.size) <= 2000
        assert not photo.getexif()  # where it was taken is gone
    sent = client.get(SENT).content.decode()
    assert shown_code(sent) == case.tracking_code
    assert "Write it down or take a screenshot now." in sent
    assert case.due_on.isoformat() in sent
    assert f'href="{detail(case)}"' in sent
    page = client.get(detail(case)).content.decode()
    assert "三个月工资未发" in page and county.g1.name in page
    assert f"{detail(case)}" in client.get(MINE).content.decode()
    message = Message.objects.get(person=member)
    assert (message.kind, message.url) == (MessageKind.RIGHTS_CASE, detail(case))


def test_an_anonymous_case_names_no_one_and_is_not_in_the_workers_list(client, member, county):
    response = client.post(NEW, lodge_data(client, kind="complaint", anonymous="on"))

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.anonymous and not CaseWorker.objects.exists() and case.lodged_by is None
    sent = client.get(SENT).content.decode()
    assert shown_code(sent) == case.tracking_code
    assert "the only way to follow it" in sent
    assert f'href="{detail(case)}"' not in sent
    assert client.get(detail(case)).status_code == 404
    assert detail(case) not in client.get(MINE).content.decode()
    account = WorkerAccount.objects.get(person=member)
    assert not mine(account, Case.objects.all()).exists()
    assert not Message.objects.filter(person=member).exists()


def test_an_unbound_account_lodges_only_anonymously(county, portal_sign_in):
    client = portal_sign_in("13900009999")
    page = client.get(NEW).content.decode()
    assert "Your phone is not linked to your file" in page

    # The box is fixed: a post asking for a named case still makes an anonymous one.
    response = client.post(NEW, lodge_data(client, anonymous=""))

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.anonymous and case.organisation == county.g1


def test_bad_input_is_kept_and_nothing_is_written(client):
    response = client.post(
        NEW,
        lodge_data(client, kind="legal_aid", employer="", summary="被辞退", workers_involved="0"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "被辞退" in page  # what was typed comes back
    assert "Ensure this value is greater than or equal to 1." in page
    assert not Case.objects.exists()
    # The employer rule of the service speaks once the form is otherwise valid.
    response = client.post(NEW, lodge_data(client, kind="legal_aid", employer="", summary="被辞退"))
    page = response.content.decode()
    assert "a labour dispute is with an employer" in page and "被辞退" in page
    assert not Case.objects.exists()
    response = client.post(NEW, lodge_data(client, employer="没有这家公司"))
    assert "No single employer has this name or code" in response.content.decode()
    assert not Case.objects.exists()


def test_a_group_case_is_said_on_the_page_and_flagged(client):
    assert "10 or more workers with one claim make a group case" in client.get(NEW).content.decode()

    client.post(NEW, lodge_data(client, workers_involved="12"))

    case = Case.objects.get()
    assert case.is_group and case.workers_involved == 12
    assert "It is a group case" in client.get(SENT).content.decode()


def test_a_double_tap_makes_one_case(client):
    data = lodge_data(client, anonymous="on")

    first = client.post(NEW, data)
    second = client.post(NEW, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == SENT
    assert Case.objects.count() == 1


def test_the_service_lands_a_second_sending_on_the_first_case(county, member):
    fields = dict(
        person=member,
        form_key="the-same-key",
        kind="complaint",
        category="other",
        summary="食堂卫生差",
        employer=None,
        amount_in_dispute=None,
        workers_involved=1,
        anonymous=True,
    )
    first, made = services.case_lodge_by_worker(**fields)
    again, made_again = services.case_lodge_by_worker(**fields)

    assert made and not made_again and again.pk == first.pk
    # A complaint naming no employer goes to the worker's own union.
    assert first.organisation == county.g1


def test_an_image_bomb_is_refused_and_nothing_is_written(client):
    response = client.post(NEW, lodge_data(client, photos=[png_bomb()]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "This photo is too large" in page and "三个月工资未发" in page
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_more_than_five_photos_are_refused(client):
    response = client.post(NEW, lodge_data(client, photos=[jpeg(f"{n}.jpg") for n in range(6)]))

    assert "Send at most 5 photos." in response.content.decode()
    assert not Case.objects.exists()


def test_another_workers_case_is_a_404(client, county, portal_sign_in):
    other = worker(county, 52, union=county.g2, employer=county.e2, name="维权丙")
    theirs = services.case_lodge(
        by=county.admin,
        kind="mediation",
        channel="hotline",
        category="wages",
        summary="他人的案件",
        workers=[other],
    )

    assert client.get(detail(theirs)).status_code == 404
    assert "他人的案件" not in client.get(MINE).content.decode()
    assert bound_client(portal_sign_in, other).get(detail(theirs)).status_code == 200


def test_a_signed_out_visitor_is_sent_to_sign_in(county):
    from django.test import Client

    response = Client().get(NEW)

    assert response.status_code == 302 and response["Location"].startswith(
        reverse("portal:sign-in")
    )


def test_the_worker_sees_the_steps_but_never_notes_or_staff_names(
    client, member, county, neighbours
):
    client.post(NEW, lodge_data(client))
    case = Case.objects.get()
    handler = neighbours.mediator
    services.case_accept(by=county.admin, case=case)
    services.case_assign(by=county.admin, case=case, handler=handler)
    services.case_start_mediation(by=handler, case=case)
    services.case_note_add(by=handler, case=case, text="机密备注内容")
    services.case_resolve(
        by=handler,
        case=case,
        resolution="agreement",
        terms="分两期支付",
        recovered_amount=Decimal("9000"),
    )

    page = client.get(detail(case)).content.decode()

    assert "Mediation started" in page and "Resolved" in page and "分两期支付" in page
    assert "¥9000" in page
    assert "机密备注内容" not in page
    assert handler.display_name not in page and handler.username not in page
    kinds = set(Message.objects.filter(person=member).values_list("kind", flat=True))
    assert kinds == {MessageKind.RIGHTS_CASE}
    # Accepted and resolved go by text message too; received, assigned and started do not.
    texts = list(OutgoingSms.objects.order_by("pk").values_list("text", flat=True))
    assert len(texts) == 2 and "Accepted" in texts[0] and "Resolved" in texts[1]


def test_a_declined_case_shows_the_reason_and_is_texted(client, member, county):
    client.post(NEW, lodge_data(client))
    case = Case.objects.get()

    services.case_decline(by=county.admin, case=case, reason="不属于劳动争议")

    case.refresh_from_db()
    assert case.status == CaseStatus.DECLINED
    assert "不属于劳动争议" in client.get(detail(case)).content.decode()
    texts = list(OutgoingSms.objects.order_by("pk").values_list("text", flat=True))
    assert len(texts) == 1 and "Declined" in texts[-1] and "不属于劳动争议" not in texts[-1]
