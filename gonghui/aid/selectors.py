"""Scoped reads of aid: lists, the precision flags of an application, and the reports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _

from gonghui.needy.selectors import (
    needy_status,
    people_sharing_household,
    registered_needy_people,
)
from gonghui.people.models import Person

from . import duties
from .models import AidApplication, Campaign, Fund
from .vocabularies import ACTIVE_STATES, GRANTED_STATES


def applications_for(user) -> QuerySet[AidApplication]:
    return AidApplication.objects.for_user(user).select_related(
        "person", "campaign", "programme", "organisation", "current_level"
    )


def campaigns_for(user) -> QuerySet[Campaign]:
    return Campaign.objects.for_user(user).select_related("programme", "organisation")


def funds_for(user) -> QuerySet[Fund]:
    return Fund.objects.for_user(user).select_related("campaign__programme", "organisation")


def payable_for(user) -> QuerySet[AidApplication]:
    """Approved applications in the user's scope that the user may pay (``aid.duties``):
    the payment list and the bank's payment file."""
    return duties.awaiting_payment(user, applications_for(user)).order_by("organisation", "pk")


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def precision_flags(application: AidApplication) -> list[Flag]:
    """What a decider should know before approving (精准): not refusals, warnings.

    Read across every organisation on purpose: a worker may be on two unions'
    rolls, and a household's aid counts wherever it was given. Only the fact
    is shown, never the other organisation's details.
    """
    flags = []
    others = AidApplication.objects.filter(year=application.year, status__in=ACTIVE_STATES).exclude(
        pk=application.pk
    )
    household = people_sharing_household(application.person)
    if others.filter(person__in=household).exists():
        flags.append(
            Flag("household", _("Someone in this household has already been helped this year."))
        )
    if application.bank_account_hash:
        # Equal accounts have equal keyed hashes (the aid_bank_account_hash index).
        shared = (
            others.filter(bank_account_hash=application.bank_account_hash)
            .exclude(person_id=application.person_id)
            .values("person")
            .distinct()
            .count()
        )
        if shared:
            flags.append(
                Flag(
                    "shared_account",
                    _("The bank account is also given by %(count)s other beneficiaries.")
                    % {"count": shared},
                )
            )
    if application.programme.needy_only:
        status = needy_status(application.person)
        if status.has_exited:
            flags.append(
                Flag(
                    "needy_exited",
                    _(
                        "The person's needy-worker file has exited (%(date)s); "
                        "this programme is for needy workers only."
                    )
                    % {"date": status.exited_on},
                )
            )
        elif not status.is_filed:
            flags.append(
                Flag(
                    "not_needy",
                    _("The person has no needy-worker file; this programme is for needy workers."),
                )
            )
    return flags


def household_of(person: Person) -> QuerySet[Person]:
    return people_sharing_household(person)


def missed_report(user, year: int) -> QuerySet[Person]:
    """Registered needy workers in scope who received nothing this year (漏帮)."""
    granted = AidApplication.objects.filter(
        person=OuterRef("pk"), year=year, status__in=GRANTED_STATES
    )
    return (
        registered_needy_people(year, user)
        .filter(~Exists(granted))
        .select_related("employer", "current_union", "file_org")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class DuplicateRow:
    person: Person
    programmes: int
    grants: int
    total: Decimal


def duplicates_report(user, year: int) -> list[DuplicateRow]:
    """People in scope helped by several programmes in the year, with their totals.

    Counted over every organisation's grants: the total is what the person
    received, not only what the user's subtree gave. The year's grants are
    grouped first (the ``aid_year_status`` index) and the scope rule then
    applied to the few people helped more than once: filtering the grants by
    a subquery of every person in a county's scope would read a million rows.
    """
    rows = list(
        AidApplication.objects.filter(year=year, status__in=GRANTED_STATES)
        .values("person")
        .annotate(
            programmes=Count("programme", distinct=True),
            grants=Count("pk"),
            total=Sum("amount"),
        )
        .filter(programmes__gt=1)
        .order_by("-total", "person")
    )
    people = Person.objects.for_user(user).in_bulk([row["person"] for row in rows])
    return [
        DuplicateRow(people[row["person"]], row["programmes"], row["grants"], row["total"])
        for row in rows
        if row["person"] in people
    ]


def notice_rows(user, campaign: Campaign) -> QuerySet[AidApplication]:
    """The recipients of a campaign for the public notice (公示): granted applications in scope.

    The page shows only name, masked ID number, organisation and amount.
    """
    return (
        AidApplication.objects.for_user(user)
        .filter(campaign=campaign, status__in=GRANTED_STATES)
        .select_related("person", "organisation")
        .only("amount", "person__name", "person__id_number_encrypted", "organisation__name")
        .order_by("organisation__name", "person__name", "pk")
    )


def person_aid_context(person: Person, user) -> dict:
    """The aid section of a person's page (一人一档)."""
    return {
        "aid_applications": list(
            AidApplication.objects.for_user(user)
            .filter(person=person)
            .select_related("campaign", "programme", "organisation")
            .order_by("-year", "-created_at")
        ),
        "aid_consents": list(
            person.aid_consents.select_related("notice", "recorded_by").order_by("-recorded_at")
        ),
    }
