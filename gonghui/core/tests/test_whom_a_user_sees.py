"""The rule of docs/architecture.md, "Whom a user sees", checked over every model.

A scoped model with a key to a person is either a record about that worker
(seen by whoever sees the worker: its scope fields include
``people.models.about_person``) or a record of an organisation's own work,
named here on purpose. A new app's model must choose; it cannot forget.
"""

from __future__ import annotations

from django.apps import apps

from gonghui.core.scope import ScopedQuerySet
from gonghui.people.models import Person, about_person

#: Records of an organisation's work that name a worker: counted for the
#: organisation that did the work (architecture.md), not for the worker's township.
ORGANISATION_WORK = {
    "outreach.Visit",
    "outreach.Wish",
    "people.Membership",
    "people.JoinApplication",
    # The records of an organisation's own body or event that name the workers in it:
    # a congress's delegates, a studio and its members, a union's mentoring pairs and
    # nominations, a reading room's loans, a union's reading counts, an activity's
    # sign-ups. They are that organisation's work, kept where it is done.
    "congress.Delegate",
    "studios.Studio",
    "studios.StudioMember",
    "studios.MentoringPair",
    "honours.Nomination",
    "library.Loan",
    "study.Reading",
    "activities.SignUp",
    # An offer's claims are the publishing union's work, kept where it is done.
    "offers.Claim",
}


def person_keys(model) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one and field.related_model is Person and field.concrete
    ]


def scoped_models_naming_a_person():
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if isinstance(queryset, ScopedQuerySet) and model is not Person and person_keys(model):
            yield model, type(queryset).scope_fields


def test_every_record_about_a_worker_is_seen_by_whoever_sees_the_worker():
    checked = []
    for model, scope_fields in scoped_models_naming_a_person():
        label = model._meta.label
        if label in ORGANISATION_WORK:
            continue
        keys = person_keys(model)
        assert any(set(about_person(key)) <= set(scope_fields) for key in keys), (
            f"{label} names a worker but is not seen by whoever sees the worker; "
            "add about_person() to its scope_fields or list it as organisation work"
        )
        checked.append(label)
    assert {"aid.AidApplication", "needy.NeedyFile", "counselling.Booking"} <= set(checked)
    assert "employment.JobApplication" in checked


def test_the_exceptions_still_exist_and_still_name_a_person():
    found = {model._meta.label for model, _ in scoped_models_naming_a_person()}
    assert ORGANISATION_WORK <= found
