"""Every change to studios, their members and achievements, and mentoring pairs.

Each function takes the acting user first (``by``), checks their right and their
scope (a record outside it is refused without being named), runs in one
transaction and leaves nothing half-written: a refused achievement keeps no photo,
a refused pair no row. The audit trail is django-auditlog's (``apps.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope
from gonghui.core.storage import store_upload
from gonghui.orgs.models import Employer
from gonghui.people.models import Person

from .models import (
    FIRST_YEAR,
    PATENT_NUMBER,
    Achievement,
    AchievementKind,
    AchievementPhoto,
    MentoringPair,
    MentoringStatus,
    Studio,
    StudioLevel,
    StudioMember,
    normalise_patent_number,
)

CHANGE_STUDIO = "studios.change_studio"
ADD_STUDIO = "studios.add_studio"
ADD_PAIR = "studios.add_mentoringpair"
CHANGE_PAIR = "studios.change_mentoringpair"
#: The most photos one achievement keeps, and the largest one kept (bytes).
MAX_PHOTOS = 9
MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _require(by, permission: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def _person_in_scope(by, person: Person | None, field: str) -> Person:
    """``person`` when the acting user sees their file; refused without naming them."""
    if person is None:
        raise ValidationError({field: _("Choose a person.")})
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise ValidationError({field: _("Choose a person whose file is in your scope.")})
    return person


def _employer_in_scope(by, employer: Employer | None) -> Employer:
    if employer is None:
        raise ValidationError({"employer": _("Choose the employer.")})
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise ValidationError({"employer": _("Choose an employer in your scope.")})
    return employer


def _studio_in_scope(by, studio: Studio) -> Studio:
    if not Studio.objects.for_user(by).filter(pk=studio.pk).exists():
        raise ValidationError({"studio": _("Choose a studio in your scope.")})
    return studio


def _not_future(value: datetime.date, field: str, today: datetime.date) -> None:
    if value > today:
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- Studios -------------------------------------------------------------------------------


def _studio_fields(*, name: str, level: str, founded_on, description: str, today) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the studio's name.")})
    if level not in StudioLevel.values:
        raise ValidationError({"level": _("Choose the studio's level.")})
    if founded_on is None:
        raise ValidationError({"founded_on": _("Give the day the studio was founded.")})
    _not_future(founded_on, "founded_on", today)
    return {
        "name": name,
        "level": level,
        "founded_on": founded_on,
        "description": (description or "").strip(),
    }


def _check_name_free(studio: Studio) -> None:
    taken = Studio.objects.filter(employer=studio.employer, name=studio.name).exclude(pk=studio.pk)
    if taken.exists():
        raise ValidationError({"name": _("This employer already has a studio of that name.")})


def studio_create(
    *,
    by,
    name: str,
    leader: Person,
    employer: Employer,
    level: str,
    founded_on: datetime.date,
    description: str = "",
    today: datetime.date | None = None,
) -> Studio:
    """Record a studio; its leader becomes its first member from the founding day."""
    _require(by, ADD_STUDIO)
    today = today or timezone.localdate()
    employer = _employer_in_scope(by, employer)
    leader = _person_in_scope(by, leader, "leader")
    fields = _studio_fields(
        name=name, level=level, founded_on=founded_on, description=description, today=today
    )
    studio = Studio(leader=leader, employer=employer, created_by=by, **fields)
    _check_name_free(studio)
    with transaction.atomic():
        studio.save()
        StudioMember.objects.create(studio=studio, person=leader, joined_on=founded_on)
    return studio


def studio_update(
    *,
    by,
    studio: Studio,
    name: str,
    leader: Person,
    level: str,
    founded_on: datetime.date,
    description: str = "",
    today: datetime.date | None = None,
) -> Studio:
    """Change a studio's particulars; a new leader joins its members if not one already.
    The employer does not change: a studio of another employer is another studio."""
    _require(by, CHANGE_STUDIO)
    today = today or timezone.localdate()
    _studio_in_scope(by, studio)
    leader = _person_in_scope(by, leader, "leader")
    fields = _studio_fields(
        name=name, level=level, founded_on=founded_on, description=description, today=today
    )
    with transaction.atomic():
        studio = Studio.objects.select_for_update().get(pk=studio.pk)
        for key, value in fields.items():
            setattr(studio, key, value)
        studio.leader = leader
        _check_name_free(studio)
        studio.save()
        if not studio.memberships.filter(person=leader, left_on__isnull=True).exists():
            StudioMember.objects.create(studio=studio, person=leader, joined_on=today)
    return studio


def studio_member_add(
    *,
    by,
    studio: Studio,
    person: Person,
    joined_on: datetime.date,
    today: datetime.date | None = None,
) -> StudioMember:
    _require(by, CHANGE_STUDIO)
    today = today or timezone.localdate()
    _studio_in_scope(by, studio)
    person = _person_in_scope(by, person, "person")
    if joined_on is None:
        raise ValidationError({"joined_on": _("Give the day the member joined.")})
    _not_future(joined_on, "joined_on", today)
    if joined_on < studio.founded_on:
        raise ValidationError({"joined_on": _("A member joins on or after the studio's founding.")})
    with transaction.atomic():
        if studio.memberships.filter(person=person, left_on__isnull=True).exists():
            raise ValidationError({"person": _("This person is already a member of the studio.")})
        return StudioMember.objects.create(studio=studio, person=person, joined_on=joined_on)


def studio_member_leave(
    *,
    by,
    member: StudioMember,
    left_on: datetime.date,
    today: datetime.date | None = None,
) -> StudioMember:
    """Record that a member left; the leader leaves only once another leads."""
    _require(by, CHANGE_STUDIO)
    today = today or timezone.localdate()
    _studio_in_scope(by, member.studio)
    if left_on is None:
        raise ValidationError({"left_on": _("Give the day the member left.")})
    _not_future(left_on, "left_on", today)
    with transaction.atomic():
        member = StudioMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError(_("This member has already left the studio."))
        if left_on < member.joined_on:
            raise ValidationError(
                {"left_on": _("A member leaves on or after the day they joined.")}
            )
        if member.person_id == member.studio.leader_id:
            raise ValidationError(
                _("The leader cannot leave the studio; choose another leader first.")
            )
        member.left_on = left_on
        member.save(update_fields=["left_on"])
    return member


# --- Achievements --------------------------------------------------------------------------


def _achievement_fields(
    *, kind: str, title: str, description: str, year: int, benefit, patent_number: str, today
) -> dict:
    if kind not in AchievementKind.values:
        raise ValidationError({"kind": _("Choose the kind of achievement.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the achievement's title.")})
    if year is None or not FIRST_YEAR <= int(year) <= today.year:
        message = _("The year must lie between %(first)s and this year.")
        raise ValidationError({"year": message % {"first": FIRST_YEAR}})
    benefit = Decimal(benefit if benefit is not None else 0)
    if benefit < 0:
        raise ValidationError({"benefit": _("The economic benefit cannot be below zero.")})
    number = normalise_patent_number(patent_number)
    if kind == AchievementKind.PATENT:
        if not number:
            raise ValidationError({"patent_number": _("A patent needs its patent number.")})
        if not PATENT_NUMBER.match(number):
            raise ValidationError(
                {
                    "patent_number": _(
                        "A patent number reads ZL, the application number (12 digits, or 8 "
                        "before 2003), a dot and the check character, e.g. ZL202310123456.7."
                    )
                }
            )
    elif number and not PATENT_NUMBER.match(number):
        raise ValidationError(
            {"patent_number": _("This is not a patent number; leave it empty if there is none.")}
        )
    return {
        "kind": kind,
        "title": title,
        "description": (description or "").strip(),
        "year": int(year),
        "benefit": benefit,
        "patent_number": number,
    }


def _credited_people(studio: Studio, credited: Iterable[Person]) -> list[Person]:
    """The people credited must be members of the studio (current or past)."""
    credited = list(credited or [])
    ids = {p.pk for p in credited}
    members = set(studio.memberships.filter(person__in=ids).values_list("person_id", flat=True))
    if ids - members:
        raise ValidationError({"credited": _("Credit only members of the studio.")})
    return credited


def _checked_photos(photos) -> list:
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)s photos per achievement.") % {"n": MAX_PHOTOS}}
        )
    kept = []
    for upload in photos:
        try:
            kept.append(photo_for_keeping(upload, max_bytes=MAX_PHOTO_BYTES))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    return kept


def achievement_create(
    *,
    by,
    studio: Studio,
    kind: str,
    title: str,
    year: int,
    benefit: Decimal | int = 0,
    description: str = "",
    patent_number: str = "",
    credited: Iterable[Person] = (),
    published: bool = False,
    photos=(),
    today: datetime.date | None = None,
) -> Achievement:
    _require(by, CHANGE_STUDIO)
    today = today or timezone.localdate()
    _studio_in_scope(by, studio)
    fields = _achievement_fields(
        kind=kind,
        title=title,
        description=description,
        year=year,
        benefit=benefit,
        patent_number=patent_number,
        today=today,
    )
    credited = _credited_people(studio, credited)
    kept = _checked_photos(photos)
    achievement = Achievement(studio=studio, published=bool(published), created_by=by, **fields)
    return _save_achievement(achievement, credited, kept)


def achievement_update(
    *,
    by,
    achievement: Achievement,
    kind: str,
    title: str,
    year: int,
    benefit: Decimal | int = 0,
    description: str = "",
    patent_number: str = "",
    credited: Iterable[Person] = (),
    published: bool = False,
    photos=(),
    today: datetime.date | None = None,
) -> Achievement:
    """Change an achievement; new photos are added to those it has."""
    _require(by, CHANGE_STUDIO)
    today = today or timezone.localdate()
    if not Achievement.objects.for_user(by).filter(pk=achievement.pk).exists():
        raise ValidationError(_("Choose an achievement in your scope."))
    fields = _achievement_fields(
        kind=kind,
        title=title,
        description=description,
        year=year,
        benefit=benefit,
        patent_number=patent_number,
        today=today,
    )
    credited = _credited_people(achievement.studio, credited)
    if achievement.photos.count() + len(list(photos or [])) > MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("At most %(n)s photos per achievement.") % {"n": MAX_PHOTOS}}
        )
    kept = _checked_photos(photos)
    for key, value in fields.items():
        setattr(achievement, key, value)
    achievement.published = bool(published)
    return _save_achievement(achievement, credited, kept)


def _save_achievement(achievement: Achievement, credited: list[Person], kept: list) -> Achievement:
    written = []
    try:
        with transaction.atomic():
            achievement.save()
            achievement.credited.set(credited)
            for content in kept:
                photo = AchievementPhoto(achievement=achievement)
                store_upload(photo.image, content.name, content, field="photos")
                written.append(photo.image.name)
                photo.save()
    except Exception:
        # Nothing of a refused achievement stays: its rows roll back, its files go here.
        for name in written:
            AchievementPhoto._meta.get_field("image").storage.delete(name)
        raise
    return achievement


def achievement_photo_delete(*, by, photo: AchievementPhoto) -> None:
    """Remove a photo of an achievement in ``by``'s scope. The row goes in the
    transaction (auditlog records the deletion and who made it); the file is removed
    from storage only once the transaction commits, so a rolled-back removal keeps
    its photo, and a file already missing from the disk does not stop the removal."""
    _require(by, CHANGE_STUDIO)
    with transaction.atomic():
        current = (
            AchievementPhoto.objects.for_user(by)
            .select_for_update(of=("self",))
            .filter(pk=photo.pk)
            .first()
        )
        if current is None:
            raise ValidationError(_("Choose a photo in your scope."))
        name, storage = current.image.name, current.image.storage
        current.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


# --- Mentoring -----------------------------------------------------------------------------


def _pair_union(by, apprentice: Person, studio: Studio | None):
    """Where the pair is placed and counted: the studio's employer's union (or its
    township), otherwise the apprentice's union, their employer's union or township, or
    the organisation keeping their file; the first of these in the user's scope."""
    if studio is not None:
        candidates = [studio.employer.union, studio.employer.township]
    else:
        employer = apprentice.employer
        candidates = [
            apprentice.current_union,
            employer.union if employer else None,
            employer.township if employer else None,
            apprentice.file_org,
        ]
    for organisation in candidates:
        if organisation is not None and is_in_scope(by, organisation):
            return organisation
    raise ValidationError(_("The pair would lie outside your scope."))


def mentoring_pair_create(
    *,
    by,
    mentor: Person,
    apprentice: Person,
    trade: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    goals: str,
    studio: Studio | None = None,
) -> MentoringPair:
    _require(by, ADD_PAIR)
    mentor = _person_in_scope(by, mentor, "mentor")
    apprentice = _person_in_scope(by, apprentice, "apprentice")
    if mentor.pk == apprentice.pk:
        raise ValidationError({"apprentice": _("A mentor cannot be their own apprentice.")})
    trade = (trade or "").strip()
    if not trade:
        raise ValidationError({"trade": _("Give the trade.")})
    goals = (goals or "").strip()
    if not goals:
        raise ValidationError({"goals": _("Give the goals of the agreement.")})
    if starts_on is None or ends_on is None:
        raise ValidationError(_("Give the agreement's start and end."))
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The agreement must end after it starts.")})
    if studio is not None:
        _studio_in_scope(by, studio)
    union = _pair_union(by, apprentice, studio)
    with transaction.atomic():
        if MentoringPair.objects.filter(
            mentor=mentor, apprentice=apprentice, trade=trade, status=MentoringStatus.ACTIVE
        ).exists():
            raise ValidationError(
                _("This mentor already has an active agreement with this apprentice in this trade.")
            )
        return MentoringPair.objects.create(
            mentor=mentor,
            apprentice=apprentice,
            trade=trade,
            studio=studio,
            union=union,
            starts_on=starts_on,
            ends_on=ends_on,
            goals=goals,
            created_by=by,
        )


def mentoring_pair_evaluate(
    *,
    by,
    pair: MentoringPair,
    status: str,
    result: str,
    level_reached: str = "",
    evaluated_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> MentoringPair:
    """Close a pair with its evaluation.

    A pair is *completed* on or after the day its agreement ends (an evaluation of
    an agreement still running would judge what is not finished); before that it can
    only be *ended early*, which is also evaluated (what was reached so far). The
    evaluation is dated between the start and today, and made once.
    """
    _require(by, CHANGE_PAIR)
    today = today or timezone.localdate()
    evaluated_on = evaluated_on or today
    if not MentoringPair.objects.for_user(by).filter(pk=pair.pk).exists():
        raise ValidationError(_("Choose a mentoring pair in your scope."))
    if status not in (MentoringStatus.COMPLETED, MentoringStatus.ENDED_EARLY):
        raise ValidationError({"status": _("Choose how the agreement ended.")})
    result = (result or "").strip()
    if not result:
        raise ValidationError({"result": _("Give the evaluation.")})
    _not_future(evaluated_on, "evaluated_on", today)
    level_reached = (level_reached or "").strip()
    from .levels import level_choices

    choices = level_choices()
    if level_reached and choices is not None and level_reached not in dict(choices):
        raise ValidationError({"level_reached": _("Choose one of the skill levels.")})
    with transaction.atomic():
        pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
        if pair.status != MentoringStatus.ACTIVE:
            raise ValidationError(_("This pair has already been evaluated."))
        if evaluated_on < pair.starts_on:
            raise ValidationError(
                {"evaluated_on": _("The evaluation cannot precede the agreement's start.")}
            )
        if status == MentoringStatus.COMPLETED and evaluated_on < pair.ends_on:
            raise ValidationError(
                {
                    "status": _(
                        "The agreement runs until %(day)s: it is completed on or after that "
                        "day. To close it sooner, record it as ended early."
                    )
                    % {"day": formats.date_format(pair.ends_on, "SHORT_DATE_FORMAT")}
                }
            )
        pair.status = status
        pair.result = result
        pair.level_reached = level_reached
        pair.evaluated_by = by
        pair.evaluated_on = evaluated_on
        pair.save()
    return pair
