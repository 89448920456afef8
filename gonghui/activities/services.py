"""Every change to activities: organising one, signing up and cancelling (the waiting
list moving up), checking in at the door, and photos afterwards.

Signing up, cancelling and checking in lock the activity's row first, so two workers
taking the last place at once are served one after the other: one gets the place, the
other the waiting list. The database refuses more places taken than the capacity
(``activity_within_capacity``) and a second active sign-up of one worker
(``signup_one_active``) whatever the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope, subtree_bounds
from gonghui.core.storage import save_with_file, store_upload
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
from gonghui.people.models import Person
from gonghui.portal import membership

from .models import (
    Activity,
    ActivityPhoto,
    ActivityStatus,
    Audience,
    SignUp,
    SignUpStatus,
)

ORGANISE = "activities.change_activity"
ADD = "activities.add_activity"

#: The organiser's check-in code changes this often; the previous one is still taken,
#: so a code read just before it changed works.
CODE_SECONDS = 300
#: Check-in at the door opens this long before the start and closes at the end.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
#: Wrong codes a worker may type in ``CODE_SECONDS`` before being asked to wait: six
#: digits are guessed in a million tries, not in ten.
CODE_TRIES = 10
#: The largest photo kept (after it is made smaller).
PHOTO_MAX_BYTES = 3 * 1024 * 1024


def _local(at: datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M}"


# --- Organising ---------------------------------------------------------------------------


def may_organise(user, activity: Activity) -> bool:
    """Whether ``user`` may change ``activity``: the right, and the organiser in scope."""
    return (
        user.has_perm(ORGANISE) and Activity.objects.for_user(user).filter(pk=activity.pk).exists()
    )


def _guard_organise(user, activity: Activity) -> None:
    if not may_organise(user, activity):
        raise PermissionDenied(_("You do not have the right to do this."))


FIELDS = (
    "organiser",
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "audience",
    "signup_opens_at",
    "signup_closes_at",
)


def _check_times(values: dict) -> None:
    errors = {}
    if values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = _("The activity must end after it starts.")
    if values["signup_closes_at"] <= values["signup_opens_at"]:
        errors["signup_closes_at"] = _("Sign-up must close after it opens.")
    elif values["signup_closes_at"] > values["starts_at"]:
        errors["signup_closes_at"] = _("Sign-up must close no later than the activity starts.")
    if values["capacity"] is None or values["capacity"] < 1:
        errors["capacity"] = _("An activity has at least one place.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, by, **values) -> Activity:
    """A new activity, as a draft, organised by a union in the user's scope."""
    if not by.has_perm(ADD):
        raise PermissionDenied(_("You do not have the right to do this."))
    if not is_in_scope(by, values.get("organiser")):
        raise ValidationError({"organiser": _("Choose a union in your scope.")})
    values = {field: values.get(field) for field in FIELDS}
    values["description"] = values["description"] or ""
    _check_times(values)
    return Activity.objects.create(created_by=by, **values)


@transaction.atomic
def activity_update(*, by, activity: Activity, **values) -> Activity:
    """Change an activity. Fewer places than are taken is refused; more places move
    the first on the waiting list up, each told."""
    _guard_organise(by, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status in (ActivityStatus.CANCELLED, ActivityStatus.HELD):
        raise ValidationError(_("A cancelled or held activity cannot be changed."))
    if not is_in_scope(by, values.get("organiser")):
        raise ValidationError({"organiser": _("Choose a union in your scope.")})
    values = {field: values.get(field) for field in FIELDS}
    values["description"] = values["description"] or ""
    _check_times(values)
    if values["capacity"] < activity.signed_up_count:
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)s places are taken already: cancel sign-ups before making "
                    "fewer places."
                )
                % {"taken": activity.signed_up_count}
            }
        )
    for field, value in values.items():
        setattr(activity, field, value)
    activity.save()
    while activity.signed_up_count < activity.capacity and _move_up_first_waiting(activity):
        activity.refresh_from_db(fields=["signed_up_count"])
    return activity


@transaction.atomic
def activity_set_status(*, by, activity: Activity, status: str) -> Activity:
    """Open a draft for sign-up, cancel an activity (those signed up are told), or mark
    it held once it has started."""
    _guard_organise(by, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    allowed = {
        ActivityStatus.OPEN: (ActivityStatus.DRAFT,),
        ActivityStatus.CANCELLED: (ActivityStatus.DRAFT, ActivityStatus.OPEN),
        ActivityStatus.HELD: (ActivityStatus.OPEN,),
    }
    if activity.status not in allowed.get(status, ()):
        raise ValidationError(
            _("An activity that is %(now)s cannot become %(then)s.")
            % {
                "now": activity.get_status_display(),
                "then": ActivityStatus(status).label if status in ActivityStatus.values else status,
            }
        )
    if status == ActivityStatus.HELD and activity.starts_at > timezone.now():
        raise ValidationError(_("An activity is marked held once it has started."))
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    if status == ActivityStatus.CANCELLED:
        _tell_cancelled(activity)
    return activity


def _tell_cancelled(activity: Activity) -> None:
    signups = SignUp.objects.filter(
        activity=activity, status__in=(SignUpStatus.SIGNED_UP, SignUpStatus.WAITING)
    ).select_related("person")
    with workers_language():
        for signup in signups:
            notify(
                signup.person,
                MessageKind.GENERAL,
                title=_("%(title)s is cancelled") % {"title": activity.title},
                body=_("The activity planned for %(time)s will not take place.")
                % {"time": _local(activity.starts_at)},
                url=reverse("portal-activities:detail", args=[activity.pk]),
                key=f"activity:{activity.pk}:cancelled",
            )


# --- Who may join ------------------------------------------------------------------------


def _placed(person: Person) -> list:
    """The organisations a worker belongs under: their union, their employer's township
    and union."""
    placed = [person.current_union]
    if person.employer_id is not None:
        placed += [person.employer.township, person.employer.union]
    return [org for org in placed if org is not None]


def eligibility_problem(activity: Activity, person: Person) -> str | None:
    """Why ``person`` may not join ``activity`` (a sentence), or None."""
    organiser = activity.organiser
    if activity.audience == Audience.MEMBERS:
        if person.current_union_id != organiser.pk:
            return _("This activity is for the members of %(union)s.") % {"union": organiser.name}
        return None
    low, high = subtree_bounds(organiser.path)
    if not any(low <= org.path < high for org in _placed(person)):
        return _("This activity is for the workers under %(union)s.") % {"union": organiser.name}
    return None


def signup_problem(activity: Activity, person: Person, *, at: datetime | None = None) -> str | None:
    """Why ``person`` cannot sign up for ``activity`` now, or None."""
    at = at or timezone.now()
    if activity.status != ActivityStatus.OPEN:
        return _("This activity is not open for sign-up.")
    if at < activity.signup_opens_at:
        return _("Sign-up opens at %(time)s.") % {"time": _local(activity.signup_opens_at)}
    if at >= activity.signup_closes_at:
        return _("Sign-up closed at %(time)s.") % {"time": _local(activity.signup_closes_at)}
    return eligibility_problem(activity, person)


# --- Signing up and cancelling -------------------------------------------------------------


@transaction.atomic
def signup_join(*, activity: Activity, person: Person, at: datetime | None = None) -> SignUp:
    """Sign ``person`` up: a place while there is one, else the end of the waiting list."""
    activity = Activity.objects.select_for_update().select_related("organiser").get(pk=activity.pk)
    if SignUp.objects.active().filter(activity=activity, person=person).exists():
        raise ValidationError(_("You have already signed up for this activity."))
    problem = signup_problem(activity, person, at=at)
    if problem is not None:
        raise ValidationError(problem)
    signup = SignUp(activity=activity, person=person, signed_up_at=at or timezone.now())
    if activity.signed_up_count < activity.capacity:
        signup.status = SignUpStatus.SIGNED_UP
        Activity.objects.filter(pk=activity.pk).update(signed_up_count=F("signed_up_count") + 1)
    else:
        last = SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).aggregate(
            turn=Max("waiting_position")
        )["turn"]
        signup.status = SignUpStatus.WAITING
        signup.waiting_position = (last or 0) + 1
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:
        raise ValidationError(_("You have already signed up for this activity.")) from None
    return signup


def waiting_place(signup: SignUp) -> int | None:
    """A waiting sign-up's place in the queue (1: next to move up), or None."""
    if signup.status != SignUpStatus.WAITING:
        return None
    return SignUp.objects.filter(
        activity_id=signup.activity_id,
        status=SignUpStatus.WAITING,
        waiting_position__lte=signup.waiting_position,
    ).count()


def _move_up_first_waiting(activity: Activity) -> SignUp | None:
    """Give the free place to the first on the waiting list, and tell them (the
    activity's row is locked by the caller)."""
    first = (
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING)
        .select_related("person")
        .order_by("waiting_position")
        .first()
    )
    if first is None:
        return None
    first.status = SignUpStatus.SIGNED_UP
    first.waiting_position = None
    first.save(update_fields=["status", "waiting_position"])
    Activity.objects.filter(pk=activity.pk).update(signed_up_count=F("signed_up_count") + 1)
    with workers_language():
        notify(
            first.person,
            MessageKind.GENERAL,
            title=_("A place for you: %(title)s") % {"title": activity.title},
            body=_(
                "A place became free and it is yours. The activity starts at %(time)s, %(place)s."
            )
            % {"time": _local(activity.starts_at), "place": activity.place},
            url=reverse("portal-activities:detail", args=[activity.pk]),
            sms=True,
            key=f"activity-signup:{first.pk}:moved-up",
        )
    return first


@transaction.atomic
def signup_cancel(*, signup: SignUp, at: datetime | None = None) -> SignUp:
    """Cancel a sign-up (by its worker). A place given back goes at once to the first on
    the waiting list, who is told."""
    at = at or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status not in (SignUpStatus.SIGNED_UP, SignUpStatus.WAITING):
        raise ValidationError(_("This sign-up cannot be cancelled any more."))
    if at >= activity.starts_at:
        raise ValidationError(_("The activity has started: a sign-up cannot be cancelled now."))
    held_place = signup.status == SignUpStatus.SIGNED_UP
    signup.status = SignUpStatus.CANCELLED
    signup.waiting_position = None
    signup.cancelled_at = at
    signup.save(update_fields=["status", "waiting_position", "cancelled_at"])
    if held_place:
        Activity.objects.filter(pk=activity.pk).update(signed_up_count=F("signed_up_count") - 1)
        if activity.status == ActivityStatus.OPEN:
            _move_up_first_waiting(activity)
    return signup


# --- Checking in --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    """What a check-in answered: ``ok``, the sign-up when found, and what to say."""

    ok: bool
    message: str
    signup: SignUp | None = None


def _check_in_problem(activity: Activity, at: datetime) -> str | None:
    if activity.status not in (ActivityStatus.OPEN, ActivityStatus.HELD):
        return _("This activity is not taking place.")
    if at < activity.starts_at - CHECK_IN_OPENS_BEFORE:
        return _("Check-in opens an hour before the activity starts.")
    if at > activity.ends_at:
        return _("The activity is over: check-in is closed.")
    return None


def _check_in(activity: Activity, person: Person, *, by, at: datetime) -> CheckIn:
    """Mark ``person``'s sign-up attended (the activity's row locked by the caller)."""
    signup = (
        SignUp.objects.active()
        .select_for_update()
        .filter(activity=activity, person=person)
        .select_related("person")
        .first()
    )
    if signup is None:
        return CheckIn(
            False, _("%(name)s has not signed up for this activity.") % {"name": person.name}
        )
    if signup.status == SignUpStatus.WAITING:
        return CheckIn(
            False,
            _("%(name)s is on the waiting list and has no place.") % {"name": person.name},
            signup,
        )
    if signup.status == SignUpStatus.ATTENDED:
        return CheckIn(
            True,
            _("%(name)s checked in already at %(time)s.")
            % {"name": person.name, "time": _local(signup.checked_in_at)},
            signup,
        )
    signup.status = SignUpStatus.ATTENDED
    signup.checked_in_at = at
    signup.checked_in_by = by
    signup.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    return CheckIn(True, _("%(name)s is checked in.") % {"name": person.name}, signup)


@transaction.atomic
def checkin_by_card(*, by, activity: Activity, token: str, at: datetime | None = None) -> CheckIn:
    """The organiser scans the member's card QR at the door (``membership.card_check``)."""
    _guard_organise(by, activity)
    at = at or timezone.now()
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    problem = _check_in_problem(activity, at)
    if problem is not None:
        return CheckIn(False, problem)
    checked = membership.card_check(by=by, token=token)
    if checked.result != membership.CardCheck.VALID:
        return CheckIn(False, str(membership.CardCheck(checked.result).label))
    return _check_in(activity, checked.person, by=by, at=at)


def _code_for(activity_pk: int, window: int) -> str:
    digest = salted_hmac("gonghui.activities.check-in-code", f"{activity_pk}:{window}").hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


def checkin_code(activity: Activity, *, at: datetime | None = None) -> str:
    """The six-digit code the organiser shows at the door now (it changes every
    ``CODE_SECONDS``; signed with the site's secret, so it cannot be worked out)."""
    at = at or timezone.now()
    return _code_for(activity.pk, int(at.timestamp()) // CODE_SECONDS)


def _code_is_good(activity: Activity, code: str, at: datetime) -> bool:
    window = int(at.timestamp()) // CODE_SECONDS
    code = "".join((code or "").split())
    return any(constant_time_compare(code, _code_for(activity.pk, w)) for w in (window, window - 1))


@transaction.atomic
def checkin_by_code(
    *, activity: Activity, person: Person, code: str, at: datetime | None = None
) -> CheckIn:
    """The worker types (or scans) the code the organiser shows."""
    at = at or timezone.now()
    tries_key = f"activities:code-tries:{person.pk}"
    if cache.get(tries_key, 0) >= CODE_TRIES:
        return CheckIn(False, _("Too many wrong codes. Wait a few minutes and try again."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    problem = _check_in_problem(activity, at)
    if problem is not None:
        return CheckIn(False, problem)
    if not _code_is_good(activity, code, at):
        cache.set(tries_key, cache.get(tries_key, 0) + 1, CODE_SECONDS)
        return CheckIn(False, _("This code is wrong or out of date. Type the code shown now."))
    return _check_in(activity, person, by=None, at=at)


# --- Photos -------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, by, activity: Activity, photo, caption: str = "") -> ActivityPhoto:
    """A photo taken at the activity, kept upright, small and without its metadata."""
    _guard_organise(by, activity)
    if activity.starts_at > timezone.now() or activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"photo": _("Photos are added once the activity has taken place.")})
    kept = photo_for_keeping(photo, max_bytes=PHOTO_MAX_BYTES)
    record = ActivityPhoto(activity=activity, caption=(caption or "").strip(), added_by=by)
    store_upload(record.image, kept.name, kept, field="photo")
    save_with_file(record, record.image)
    return record


# --- Reminders ----------------------------------------------------------------------------


def reminder_key(signup: SignUp) -> str:
    return f"activity-signup:{signup.pk}:tomorrow"


def tomorrows_signups(*, today=None):
    """The places held in open activities that start tomorrow (local time)."""
    day = (today or timezone.localdate()) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return (
        SignUp.objects.filter(
            status=SignUpStatus.SIGNED_UP,
            activity__status=ActivityStatus.OPEN,
            activity__starts_at__gte=start,
            activity__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("activity", "person")
        .order_by("activity__starts_at", "pk")
    )


def signup_remind(signup: SignUp) -> bool:
    """Remind the worker of tomorrow's activity; False if they were reminded already."""
    activity = signup.activity
    with workers_language():
        try:
            with transaction.atomic():
                message = notify(
                    signup.person,
                    MessageKind.GENERAL,
                    title=_("Reminder: %(title)s tomorrow at %(time)s")
                    % {
                        "title": activity.title,
                        "time": f"{timezone.localtime(activity.starts_at):%H:%M}",
                    },
                    body=_(
                        "%(start)s to %(end)s, %(place)s. If you cannot come, cancel so that "
                        "someone waiting gets your place."
                    )
                    % {
                        "start": _local(activity.starts_at),
                        "end": f"{timezone.localtime(activity.ends_at):%H:%M}",
                        "place": activity.place,
                    },
                    url=reverse("portal-activities:detail", args=[activity.pk]),
                    key=reminder_key(signup),
                )
        except IntegrityError:
            return False  # a run at the same moment wrote it first
    return message is not None
