"""Counsellors publish slots; one counsellor's slots never overlap."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.counselling import services
from gonghui.counselling.models import CounsellingSlot

from .conftest import tomorrow_at

URL = reverse("counselling:slot-create")


def form(start, end, mode="online", place=""):
    return {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "mode": mode,
        "place": place,
    }


def test_a_counsellor_publishes_a_slot_from_their_calendar(care, client_for):
    client = client_for(care.counsellor)

    response = client.post(URL, form(tomorrow_at(16), tomorrow_at(17)))

    assert response.status_code == 302
    slot = CounsellingSlot.objects.get(starts_at=tomorrow_at(16))
    assert (slot.counsellor, slot.ends_at, slot.mode) == (
        care.counsellor,
        tomorrow_at(17),
        "online",
    )
    assert slot.organisation == care.counsellor.organisation
    calendar = client.get(reverse("counselling:my-calendar")).content.decode()
    assert calendar.count("Room 2") == 3
    assert "Online" in calendar


@pytest.mark.parametrize(
    ("start", "end"),
    [((9, 30), (10, 30)), ((8, 0), (9, 1)), ((13, 0), (16, 0)), ((14, 15), (14, 45))],
)
def test_an_overlapping_slot_is_refused_with_a_message_and_nothing_saved(
    care, client_for, start, end
):
    count = CounsellingSlot.objects.count()

    response = client_for(care.counsellor).post(URL, form(tomorrow_at(*start), tomorrow_at(*end)))

    assert response.status_code == 200
    assert "This slot overlaps your slot from" in response.content.decode()
    assert CounsellingSlot.objects.count() == count


def test_slots_that_only_touch_do_not_overlap_and_other_counsellors_are_independent(care):
    services.slot_publish(
        by=care.counsellor, starts_at=tomorrow_at(11), ends_at=tomorrow_at(12), mode="online"
    )
    services.slot_publish(
        by=care.counsellor2, starts_at=tomorrow_at(9), ends_at=tomorrow_at(10), mode="online"
    )
    assert CounsellingSlot.objects.filter(counsellor=care.counsellor).count() == 4
    assert CounsellingSlot.objects.filter(counsellor=care.counsellor2).count() == 1


def test_a_slot_in_person_needs_a_place_and_must_end_after_it_starts(care):
    with pytest.raises(ValidationError) as caught:
        services.slot_publish(
            by=care.counsellor, starts_at=tomorrow_at(18), ends_at=tomorrow_at(19), mode="in_person"
        )
    assert "place" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.slot_publish(
            by=care.counsellor, starts_at=tomorrow_at(19), ends_at=tomorrow_at(18), mode="online"
        )
    assert "ends_at" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CounsellingSlot.objects.create(
            counsellor=care.counsellor,
            organisation=care.counsellor.organisation,
            starts_at=tomorrow_at(19),
            ends_at=tomorrow_at(18),
            mode="online",
        )


def test_only_counsellors_publish_slots(county, care, client_for):
    with pytest.raises(PermissionDenied):
        services.slot_publish(
            by=county.admin, starts_at=tomorrow_at(18), ends_at=tomorrow_at(19), mode="online"
        )
    assert client_for(county.t1staff).get(URL).status_code == 403
    assert client_for(county.t1staff).get(reverse("counselling:my-calendar")).status_code == 403
