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
    # Two bookings in every subtree now (staff's and the portal's): named, not guessed.
    "counselling:booking-detail": {"pk": "booking"},
    "counselling:booking-outcome": {"pk": "booking"},
    "counselling:my-booking": {"pk": "booking"},
    "counselling:slot-withdraw": {"pk": "free_slot"},
    "portal-counselling:book": {"pk": "portal_slot"},
    "portal-counselling:booking": {"pk": "portal_booking"},
    "portal-counselling:cancel": {"pk": "portal_booking"},
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
    records = {"booking": booking, "free_slot": publish(14)}
    # The portal's worker (the subtree's ``person``) booked a time of their own.
    records["portal_booking"] = services.booking_create(
        slot=publish(11), person=subtree.records["person"], by=None, channel="portal"
    )
    # A free slot a worker books from the portal: offered to the workers below the
    # slot's organisation. A township's own slot is rightly offered to the workers of
    # the unions under it (G1's worker sees T1's), so it is no foreign record for them:
    # only the unions' subtrees hold one.
    if subtree.member_union is not None:
        records["portal_slot"] = publish(16)
    return records


POST_DATA = {
    "counselling:booking-cancel": {"reason": "Ill"},
    "counselling:booking-outcome": {"attended": "1"},
    "counselling:slot-withdraw": {"reason": "Ill"},
    "portal-counselling:cancel": {"reason": "Ill"},
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
    # The worker portal: a worker's own booking and the slots offered to them; the
    # console's staff are no workers there (the portal's sign-in).
    **{
        (name, key, worker, *method): answer
        for worker in ("worker1", "worker2")
        for name, key, method, answer in (
            ("portal-counselling:slots", None, (), 200),
            ("portal-counselling:mine", None, (), 200),
            ("portal-counselling:booking", "portal_booking", (), 200),
            ("portal-counselling:cancel", "portal_booking", ("post",), 302),
            ("portal-counselling:book", "portal_slot", ("post",), 302),
        )
    },
    ("portal-counselling:slots", None, "chair1"): "login",
    ("portal-counselling:booking", "portal_booking", "t1staff"): "login",
}
