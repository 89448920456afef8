"""Counselling records for the access sweep (``core/tests/test_access_sweep.py``): a
counsellor of the subtree's union, a slot of theirs booked for a worker there,
and a free slot."""

from datetime import datetime, timedelta

from django.utils import timezone

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.counselling import services

ROUTES = {
    "counselling:booking-cancel": {"pk": "booking"},
    "counselling:booking-outcome": {"pk": "booking"},
    "counselling:my-booking": {"pk": "booking"},
    "counselling:slot-withdraw": {"pk": "free_slot"},
}


def tomorrow_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def build(subtree):
    # In G1's subtree the counsellor persona (at T1) holds the slots: its own pages are
    # then reached by someone, and refused to everyone else.
    counsellor = subtree.counsellor or make_user(
        f"sweep_counsellor_{subtree.key}", subtree.union, Role.COUNSELLOR
    )

    def publish(hour):
        return services.slot_publish(
            by=counsellor,
            starts_at=tomorrow_at(hour),
            ends_at=tomorrow_at(hour + 1),
            mode="in_person",
            place="Room 2",
        )

    booked = publish(9)
    booking = services.booking_create(
        slot=booked, person=subtree.person("咨询己"), by=subtree.admin, channel="staff"
    )
    return {"booking": booking, "free_slot": publish(14)}


POST_DATA = {
    "counselling:booking-cancel": {"reason": "Ill"},
    "counselling:booking-outcome": {"attended": "1"},
    "counselling:slot-withdraw": {"reason": "Ill"},
}

#: Cells of the former matrix that the sweep's generic rules do not decide: the
#: counsellor's own pages answer to the slot's counsellor only, a superuser included.
ANSWERS = {
    ("counselling:my-booking", "booking", "counsellor"): 200,
    **{
        ("counselling:my-booking", "booking", persona): 404
        for persona in ("superuser", "admin", "t1staff", "chair1")
    },
    ("counselling:my-calendar", None, "counsellor"): 200,
    **{("counselling:my-calendar", None, p): 403 for p in ("admin", "t1staff", "leader")},
    ("counselling:slot-create", None, "counsellor"): 200,
    ("counselling:slot-create", None, "admin"): 403,
    ("counselling:booking-detail", "booking", "t1staff"): 200,
    ("counselling:booking-detail", "booking", "leader"): 403,
    ("counselling:booking-cancel", "booking", "counsellor"): 302,
    ("counselling:booking-cancel", "booking", "t1staff"): 302,
    ("counselling:booking-cancel", "booking", "leader"): 403,
    ("counselling:slot-withdraw", "free_slot", "counsellor"): 302,
    ("counselling:slot-withdraw", "free_slot", "admin"): 302,
}
