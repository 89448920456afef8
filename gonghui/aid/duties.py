"""Who may act on an aid application: separation of duties, kept in one place.

Entering, deciding and paying are three duties, and no one holds two of them
for the same application: whoever entered an application neither decides on
it nor records its payment, and nobody decides or pays aid for themselves or
their own household. The services refuse what these rules forbid, the queues
list only what the reader may act on, and the application's page says whom
it waits for — all three read the rules here.

**A level with no one allowed to decide passes the application up.** The
chain of approval is the applicant's union and each union above it, up to
the county. A grassroots union often has a single account — its chair, who
also enters the union's applications — and many have none. Waiting there
would stop the application for good, and letting the enterer decide would
undo the separation of duties. So when an application arrives at a level
where no account other than those the rules exclude may decide, it moves on
to the next level at once, and a step records which level was passed and
why. The review that happens is then a stricter one (a level further from
the applicant), never a weaker one; and the county, the top of the chain,
is never passed: there the application waits, and its page says that an
administrator must give the right to decide to another account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gonghui.needy.selectors import people_sharing_household

from .models import AidApplication, StaffPerson
from .vocabularies import AidStatus

DECIDE_PERMISSION = "aid.approve_aidapplication"
PAY_PERMISSION = "aid.pay_aidapplication"


@dataclass(frozen=True)
class Decider:
    """The acting user with what separation of duties needs of them, read once.

    ``household`` is the people who share a household with the user's own
    person (``needy.selectors.people_sharing_household``). That relation is
    symmetric (an applicant shares the decider's household exactly when the
    decider shares the applicant's), so one read of the decider's household
    answers the question for every application of a batch.
    """

    user: object
    person_id: int | None
    household: frozenset[int]


def decider_for(by) -> Decider:
    """The user's own person and household (two queries at most)."""
    link = StaffPerson.objects.filter(user=by).select_related("person").first()
    if link is None:
        return Decider(user=by, person_id=None, household=frozenset())
    household = people_sharing_household(link.person).values_list("pk", flat=True)
    return Decider(user=by, person_id=link.person_id, household=frozenset(household))


# --- the rules ---------------------------------------------------------------------------

ENTERED, OWN, HOUSEHOLD = "entered", "own", "household"


def conflict(decider: Decider, application: AidApplication) -> str | None:
    """Why ``decider`` may neither decide on nor pay ``application``, or None (no query)."""
    if application.entered_by_id == decider.user.pk:
        return ENTERED
    if decider.person_id is not None:
        if decider.person_id == application.person_id:
            return OWN
        if application.person_id in decider.household:
            return HOUSEHOLD
    return None


def decision_refusal(code: str) -> str:
    return {
        ENTERED: _("Whoever entered an application cannot approve it."),
        OWN: _("Nobody may decide on aid for themselves."),
        HOUSEHOLD: _("Nobody may decide on aid for their own household."),
    }[code]


def payment_refusal(code: str) -> str:
    return {
        ENTERED: _("Whoever entered an application cannot record its payment."),
        OWN: _("Nobody may pay aid to themselves."),
        HOUSEHOLD: _("Nobody may pay aid to their own household."),
    }[code]


def may_decide(decider: Decider, application: AidApplication) -> bool:
    """Whether the page offers ``decider`` the decision on ``application`` now."""
    user = decider.user
    return (
        application.status == AidStatus.SUBMITTED
        and user.has_perm(DECIDE_PERMISSION)
        and user.organisation_id == application.current_level_id
        and application.first_county_approver_id != user.pk
        and conflict(decider, application) is None
    )


def may_pay(decider: Decider, application: AidApplication) -> bool:
    """Whether the page offers ``decider`` to record the payment of ``application`` now."""
    return (
        application.status == AidStatus.APPROVED
        and decider.user.has_perm(PAY_PERMISSION)
        and conflict(decider, application) is None
    )


# --- the queues ----------------------------------------------------------------------------


def _excluding_conflicts(user, queryset: QuerySet[AidApplication]) -> QuerySet[AidApplication]:
    decider = decider_for(user)
    queryset = queryset.exclude(entered_by=user)
    if decider.person_id is not None:
        queryset = queryset.exclude(person_id__in=[decider.person_id, *decider.household])
    return queryset


def awaiting_decision(user, queryset: QuerySet[AidApplication]) -> QuerySet[AidApplication]:
    """Of ``queryset``, the applications ``user`` may decide on now: in approval at the
    user's organisation, not entered by them, not theirs or their household's, and not
    already approved by them once (the first of two county approvals)."""
    queryset = queryset.filter(
        status=AidStatus.SUBMITTED, current_level_id=user.organisation_id
    ).exclude(first_county_approver=user)
    return _excluding_conflicts(user, queryset)


def awaiting_payment(user, queryset: QuerySet[AidApplication]) -> QuerySet[AidApplication]:
    """Of ``queryset``, the approved applications ``user`` may record the payment of."""
    return _excluding_conflicts(user, queryset.filter(status=AidStatus.APPROVED))


# --- who else may decide ---------------------------------------------------------------------


def _holders(permission: str, organisation_id: int):
    """Active accounts of the organisation holding ``permission`` (by role or directly)."""
    return (
        get_user_model()
        # The model backend holds the permissions; axes, the other backend, only locks out.
        .objects.with_perm(permission, backend="django.contrib.auth.backends.ModelBackend")
        .filter(organisation_id=organisation_id)
    )


def pass_up_reason(application: AidApplication, level) -> str | None:
    """Why no account at ``level`` may decide on ``application`` now, or None when one may.

    One query in the common case (an account with no person file linked
    decides on anything it did not enter); the applicant's household is read
    only when every candidate is linked to a person.
    """
    holders = _holders(DECIDE_PERMISSION, level.pk)
    excluded = Q(pk=application.entered_by_id)
    if application.first_county_approver_id is not None:
        excluded |= Q(pk=application.first_county_approver_id)
    candidates = list(
        holders.exclude(excluded).values_list("aid_person__person_id", flat=True).distinct()
    )
    if any(person_id is None for person_id in candidates):
        return None
    if candidates:
        barred = {application.person_id}
        barred.update(people_sharing_household(application.person).values_list("pk", flat=True))
        if any(person_id not in barred for person_id in candidates):
            return None
    if not holders.exists():
        return no_decider_reason(level.name)
    return _(
        "Every account at %(org)s with the right to decide entered this application, "
        "gave its first approval, or belongs to the applicant's household."
    ) % {"org": level.name}


def no_decider_reason(organisation_name: str) -> str:
    return _("No account at %(org)s has the right to decide on aid.") % {"org": organisation_name}


# --- what the page says ------------------------------------------------------------------------


def waiting_reason(application: AidApplication, decider: Decider) -> str | None:
    """Whom the application waits for now, in words for its page (None once it is over).

    Written for the viewer (``decider``, read once by the page): when the viewer is
    the one it waits for, it says so; when the viewer sits at the level but may not
    act, it says why.
    """
    viewer = decider.user
    status = application.status
    if status == AidStatus.DRAFT:
        return _("A draft: %(org)s has not submitted it yet.") % {
            "org": application.organisation.name
        }
    if status == AidStatus.RETURNED:
        return _("Returned for more information: %(org)s completes it and submits it again.") % {
            "org": application.organisation.name
        }
    if status == AidStatus.APPROVED:
        return _waiting_for_payment(application, decider)
    if status != AidStatus.SUBMITTED:
        return None
    level = application.current_level
    if may_decide(decider, application):
        if application.first_county_approver_id is not None:
            return _("A first approval is recorded; it awaits your second approval.")
        return _("It awaits your decision.")
    if application.first_county_approver_id is not None:
        reason = _(
            "Above the programme's limit two different approvers at %(org)s decide; "
            "the first has approved and it awaits the second."
        ) % {"org": level.name}
    else:
        reason = _("It awaits a decision at %(org)s.") % {"org": level.name}
    if viewer.organisation_id == level.pk and viewer.has_perm(DECIDE_PERMISSION):
        code = conflict(decider, application)
        if code is not None:
            reason += " " + decision_refusal(code)
        elif application.first_county_approver_id == viewer.pk:
            reason += " " + _("You gave the first approval; another approver gives the second.")
    stuck = pass_up_reason(application, level)
    if stuck is not None:
        # Only at the top of the chain: a level below it would have passed it up.
        reason += (
            " "
            + stuck
            + " "
            + _("An administrator must give the right to decide on aid to another account there.")
        )
    return reason


def _waiting_for_payment(application: AidApplication, decider: Decider) -> str:
    reason = _("Approved: it awaits payment.")
    if decider.user.has_perm(PAY_PERMISSION):
        code = conflict(decider, application)
        if code is not None:
            reason += " " + payment_refusal(code)
    return reason
