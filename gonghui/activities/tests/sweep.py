"""Activities for the access sweep (``core/tests/test_access_sweep.py``).

In every union's subtree: an open activity of that union for its members, the
subtree's portal worker signed up for it, and a photo. In a township's own subtree:
an activity for the township's own members (the unions' workers below it are not
among them, so it is foreign to every portal worker, as to the unions below)."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.activities import services
from gonghui.activities.models import ActivityPhoto

ROUTES = {
    "activities:update": {"pk": "activity"},
    "activities:status": {"pk": "activity"},
    "activities:check-in": {"pk": "activity"},
    "activities:code": {"pk": "activity"},
    "activities:photo-add": {"pk": "activity"},
    "activities:photo": {"pk": "activity_photo"},
    "portal-activities:detail": {"pk": "activity"},
    "portal-activities:join": {"pk": "activity"},
    "portal-activities:check-in": {"pk": "activity"},
    "portal-activities:cancel": {"pk": "activity_signup"},
}


def _jpeg() -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def build(subtree):
    now = timezone.now()
    activity = services.activity_create(
        by=subtree.admin,
        organiser=subtree.union,
        kind="sports",
        title=f"{subtree.union.name}拔河比赛",
        description="",
        starts_at=now + timedelta(minutes=30),
        ends_at=now + timedelta(hours=3),
        place="厂区操场",
        capacity=5,
        audience="members",
        signup_opens_at=now - timedelta(days=2),
        signup_closes_at=now + timedelta(minutes=20),
    )
    activity = services.activity_set_status(by=subtree.admin, activity=activity, status="open")
    records = {"activity": activity}
    person = subtree.records.get("person")
    if subtree.member_union is not None and person is not None:
        records["activity_signup"] = services.signup_join(activity=activity, person=person)
    # A photo of it, recorded as if taken (the service takes photos after the start).
    photo = ActivityPhoto(activity=activity, caption="合影", added_by=subtree.admin)
    photo.image.save("photo.jpg", _jpeg(), save=False)
    photo.save()
    records["activity_photo"] = photo
    return records


POST_DATA = {
    "activities:status": {"status": "cancelled"},
    "activities:check-in": {"token": "not-a-card"},
    "portal-activities:check-in": {"code": "000000"},
}

ANSWERS = {
    # The worker's own sign-up holds a place: joining again lands on it.
    ("portal-activities:join", None, "worker1", "post"): 302,
    ("portal-activities:cancel", None, "worker1", "post"): 302,
    ("portal-activities:detail", None, "worker1"): 200,
    # A leader reads activities; organising them is for the organisers.
    ("activities:check-in", None, "leader"): 403,
    ("activities:code", None, "leader"): 403,
}
