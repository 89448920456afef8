"""Writes about outreach: deliveries, visits and micro-wishes.

Every function takes the acting user as ``by=``, checks the scope rule
(the organisation, the person and the employer it names must lie in the
user's subtree), runs in one transaction and returns what it saved.
django-auditlog records the changes of the registered models from the same
transaction. A refused call raises ValidationError or PermissionDenied and
writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.selectors import active_staff
from gonghui.core.scope import is_in_scope
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from .models import ZERO, Delivery, DeliveryLine, Visit, Wish, WishStep
from .vocabularies import TRANSITIONS, Occasion, WishAction, WishStatus

PHOTO_FOLDER = "outreach-photos"
#: The largest photo accepted (settings.OUTREACH_MAX_PHOTO_BYTES overrides it).
MAX_PHOTO_BYTES = 5 * 1024 * 1024
#: Accepted photo types, recognised by their first bytes, never by the name the browser sends.
PHOTO_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
CENT = Decimal("0.01")
#: What a worker may write as a wish on the portal: a line a phone shows whole.
WORKER_WISH_TEXT_MAX = 200
#: A micro-wish is a small thing (a fan, reading glasses); a bigger need is for aid,
#: which a worker asks for with evidence. Staff posting for a worker are not bound by it.
WORKER_WISH_VALUE_MAX = Decimal("1000.00")
#: Open wishes (posted or claimed) a worker may have at once, so that the union's
#: donors meet every worker's wish before anyone's second.
WORKER_OPEN_WISHES = 1


def _today() -> date:
    return timezone.localdate()


def _check_organisation(by, organisation: Organisation | None) -> None:
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the organisation.")})
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("The organisation is outside your scope."))


def _check_employer(by, employer: Employer | None) -> None:
    if employer is not None and not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("The employer is outside your scope."))


def _check_person(by, person: Person | None) -> None:
    if person is not None and not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))


def _check_past(value: date | None, field: str, message: str) -> None:
    """Deliveries, visits and fulfilments are records of what happened: never in the future."""
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > _today():
        raise ValidationError({field: message})


def _money(value, field: str) -> Decimal:
    """A non-negative amount in yuan, to the fen."""
    amount = Decimal(value if value is not None else 0)
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("An amount has at most two decimal places (fen).")})
    return amount


def _locked(queryset, pk: int):
    """One row of a scoped queryset under a row lock; out of scope is PermissionDenied."""
    try:
        return queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise PermissionDenied(_("This record is outside your scope.")) from None


# --- Deliveries (夏送清凉) -------------------------------------------------------------


def _clean_lines(lines: Iterable[Mapping]) -> list[DeliveryLine]:
    built = []
    for number, line in enumerate(lines, start=1):
        item = (line.get("item") or "").strip()
        if not item:
            raise ValidationError(_("Line %(n)d: name the item.") % {"n": number})
        quantity = Decimal(line.get("quantity") or 0)
        if quantity <= 0:
            raise ValidationError(
                _("Line %(n)d: the quantity must be more than zero.") % {"n": number}
            )
        try:
            unit_value = _money(line.get("unit_value"), "lines")
        except ValidationError:
            raise ValidationError(
                _("Line %(n)d: the unit value must be zero or more, to the fen.") % {"n": number}
            ) from None
        built.append(
            DeliveryLine(
                item=item,
                quantity=quantity,
                unit=(line.get("unit") or "").strip(),
                unit_value=unit_value,
            )
        )
    if not built:
        raise ValidationError(_("List at least one line of goods."))
    return built


def _delivery_fields(
    by,
    *,
    organisation: Organisation,
    campaign_name: str,
    campaign_year: int,
    delivered_on: date,
    workers_reached: int,
    employer: Employer | None,
    site_name: str,
    note: str,
) -> dict:
    _check_organisation(by, organisation)
    _check_employer(by, employer)
    _check_past(delivered_on, "delivered_on", _("The delivery date cannot be in the future."))
    campaign_name = (campaign_name or "").strip()
    if not campaign_name:
        raise ValidationError({"campaign_name": _("Name the campaign.")})
    if workers_reached is None or workers_reached < 0:
        raise ValidationError({"workers_reached": _("The number of workers cannot be negative.")})
    site_name = (site_name or "").strip()
    if employer is None and not site_name:
        raise ValidationError({"site_name": _("Choose the employer or name the outdoor site.")})
    return {
        "organisation": organisation,
        "campaign_name": campaign_name,
        "campaign_year": campaign_year,
        "delivered_on": delivered_on,
        "workers_reached": workers_reached,
        "employer": employer,
        "site_name": "" if employer is not None else site_name,
        "note": (note or "").strip(),
    }


def _save_lines(delivery: Delivery, lines: list[DeliveryLine]) -> None:
    for line in lines:
        line.delivery = delivery
    DeliveryLine.objects.bulk_create(lines)
    delivery.total_value = sum((line.value for line in lines), ZERO)
    delivery.save(update_fields=["total_value", "updated_at"])


@transaction.atomic
def delivery_create(
    *,
    by,
    organisation: Organisation,
    campaign_name: str,
    campaign_year: int,
    delivered_on: date,
    workers_reached: int,
    lines: Iterable[Mapping],
    employer: Employer | None = None,
    site_name: str = "",
    note: str = "",
) -> Delivery:
    """Record a cooling delivery with its goods lines; the total is the lines' sum."""
    fields = _delivery_fields(
        by,
        organisation=organisation,
        campaign_name=campaign_name,
        campaign_year=campaign_year,
        delivered_on=delivered_on,
        workers_reached=workers_reached,
        employer=employer,
        site_name=site_name,
        note=note,
    )
    built = _clean_lines(lines)
    delivery = Delivery(created_by=by, **fields)
    delivery.full_clean(exclude=["created_by"])
    delivery.save()
    _save_lines(delivery, built)
    return delivery


@transaction.atomic
def delivery_update(
    *,
    by,
    delivery: Delivery,
    organisation: Organisation,
    campaign_name: str,
    campaign_year: int,
    delivered_on: date,
    workers_reached: int,
    lines: Iterable[Mapping],
    employer: Employer | None = None,
    site_name: str = "",
    note: str = "",
) -> Delivery:
    """Change a delivery; its goods lines are replaced by ``lines``."""
    delivery = _locked(Delivery.objects.for_user(by), delivery.pk)
    fields = _delivery_fields(
        by,
        organisation=organisation,
        campaign_name=campaign_name,
        campaign_year=campaign_year,
        delivered_on=delivered_on,
        workers_reached=workers_reached,
        employer=employer,
        site_name=site_name,
        note=note,
    )
    built = _clean_lines(lines)
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.full_clean(exclude=["created_by"])
    delivery.save()
    delivery.lines.all().delete()
    _save_lines(delivery, built)
    return delivery


# --- Visits (冬送温暖, 节日慰问) ---------------------------------------------------------


def _visit_fields(
    by,
    *,
    organisation: Organisation,
    visited_on: date,
    occasion: str,
    person: Person | None,
    visited_name: str,
    visitors: Iterable,
    visitor_names: str,
    goods: str,
    goods_value,
    cash,
    note: str,
) -> tuple[dict, list]:
    _check_organisation(by, organisation)
    _check_person(by, person)
    _check_past(visited_on, "visited_on", _("The visit date cannot be in the future."))
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": _("Choose the occasion of the visit.")})
    visited_name = (visited_name or "").strip()
    if person is None and not visited_name:
        raise ValidationError(
            {"visited_name": _("Choose the person visited or write the household or name.")}
        )
    visitors = list(visitors or [])
    named = {visitor.pk for visitor in visitors}
    if named and active_staff(by).filter(pk__in=named).count() != len(named):
        raise PermissionDenied(
            _("Only active staff of your organisation can be named as visitors.")
        )
    visitor_names = (visitor_names or "").strip()
    if not visitors and not visitor_names:
        raise ValidationError({"visitor_names": _("Say who made the visit.")})
    fields = {
        "organisation": organisation,
        "visited_on": visited_on,
        "occasion": occasion,
        "person": person,
        "visited_name": "" if person is not None else visited_name,
        "visitor_names": visitor_names,
        "goods": (goods or "").strip(),
        "goods_value": _money(goods_value, "goods_value"),
        "cash": _money(cash, "cash"),
        "note": (note or "").strip(),
    }
    return fields, visitors


@transaction.atomic
def visit_create(
    *,
    by,
    organisation: Organisation,
    visited_on: date,
    occasion: str,
    person: Person | None = None,
    visited_name: str = "",
    visitors: Iterable = (),
    visitor_names: str = "",
    goods: str = "",
    goods_value=ZERO,
    cash=ZERO,
    note: str = "",
) -> Visit:
    """Record a visit; ``visitors`` are staff users, ``visitor_names`` anyone else."""
    fields, staff = _visit_fields(
        by,
        organisation=organisation,
        visited_on=visited_on,
        occasion=occasion,
        person=person,
        visited_name=visited_name,
        visitors=visitors,
        visitor_names=visitor_names,
        goods=goods,
        goods_value=goods_value,
        cash=cash,
        note=note,
    )
    visit = Visit(created_by=by, **fields)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    visit.visitors.set(staff)
    return visit


@transaction.atomic
def visit_update(
    *,
    by,
    visit: Visit,
    organisation: Organisation,
    visited_on: date,
    occasion: str,
    person: Person | None = None,
    visited_name: str = "",
    visitors: Iterable = (),
    visitor_names: str = "",
    goods: str = "",
    goods_value=ZERO,
    cash=ZERO,
    note: str = "",
) -> Visit:
    visit = _locked(Visit.objects.for_user(by), visit.pk)
    fields, staff = _visit_fields(
        by,
        organisation=organisation,
        visited_on=visited_on,
        occasion=occasion,
        person=person,
        visited_name=visited_name,
        visitors=visitors,
        visitor_names=visitor_names,
        goods=goods,
        goods_value=goods_value,
        cash=cash,
        note=note,
    )
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.full_clean(exclude=["created_by"])
    visit.save()
    visit.visitors.set(staff)
    return visit


# --- Micro-wishes (微心愿) ---------------------------------------------------------------


def _wish_fields(by, *, organisation: Organisation, person: Person, text: str, estimated_value):
    _check_organisation(by, organisation)
    if person is None:
        raise ValidationError({"person": _("Choose the worker whose wish this is.")})
    _check_person(by, person)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the wish.")})
    return {
        "organisation": organisation,
        "person": person,
        "text": text,
        "estimated_value": _money(estimated_value, "estimated_value"),
    }


@transaction.atomic
def wish_post(
    *, by, organisation: Organisation, person: Person, text: str, estimated_value
) -> Wish:
    """A union posts a worker's wish; it waits to be claimed."""
    wish = Wish(
        **_wish_fields(
            by,
            organisation=organisation,
            person=person,
            text=text,
            estimated_value=estimated_value,
        )
    )
    wish.full_clean()
    wish.save()
    WishStep.objects.create(wish=wish, action=WishAction.POST, by=by)
    return wish


def _open_wishes(person: Person):
    return Wish.objects.filter(person=person, status__in=[WishStatus.POSTED, WishStatus.CLAIMED])


@transaction.atomic
def wish_post_by_worker(
    *, person: Person, text: str, estimated_value, issued_at: datetime | None = None
) -> Wish:
    """The worker of ``person`` posts their own wish from the portal, to their own union.

    The step is recorded without a user (``by`` is empty: the worker has no staff
    account). The person's row is locked first, so that of two posts of one form (a
    double tap) the second waits, then finds the wish the first posted since the form
    was issued (``issued_at``) and returns it: one wish, one result page.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if issued_at is not None:
        sent = (
            Wish.objects.filter(
                person=person,
                steps__action=WishAction.POST,
                steps__by__isnull=True,
                steps__at__gte=issued_at,
            )
            .order_by("-pk")
            .first()
        )
        if sent is not None:
            return sent
    if person.current_union_id is None:
        raise ValidationError(_("Micro-wishes are for union members. Join the union first."))
    if _open_wishes(person).count() >= WORKER_OPEN_WISHES:
        raise ValidationError(
            _("You have a wish open already. Post another once it is fulfilled or withdrawn.")
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the wish.")})
    if len(text) > WORKER_WISH_TEXT_MAX:
        raise ValidationError(
            {"text": _("Keep the wish to %(max)d characters.") % {"max": WORKER_WISH_TEXT_MAX}}
        )
    if estimated_value is None or str(estimated_value).strip() == "":
        raise ValidationError({"estimated_value": _("Enter what the wish is worth, in yuan.")})
    value = _money(estimated_value, "estimated_value")
    if value > WORKER_WISH_VALUE_MAX:
        raise ValidationError(
            {
                "estimated_value": _(
                    "A micro-wish is worth at most %(max)s yuan; for a bigger need, ask "
                    "your union about aid."
                )
                % {"max": WORKER_WISH_VALUE_MAX}
            }
        )
    wish = Wish(organisation=person.current_union, person=person, text=text, estimated_value=value)
    wish.full_clean()
    wish.save()
    WishStep.objects.create(wish=wish, action=WishAction.POST, by=None)
    return wish


@transaction.atomic
def wish_update(
    *, by, wish: Wish, organisation: Organisation, person: Person, text: str, estimated_value
) -> Wish:
    """Correct a wish; only while it is posted and nobody has taken it on."""
    wish = _locked(Wish.objects.for_user(by), wish.pk)
    if wish.status != WishStatus.POSTED:
        raise ValidationError(_("Only a wish nobody has claimed yet can be changed."))
    fields = _wish_fields(
        by, organisation=organisation, person=person, text=text, estimated_value=estimated_value
    )
    for name, value in fields.items():
        setattr(wish, name, value)
    wish.full_clean()
    wish.save()
    return wish


#: Why a transition is refused, by action and the status the wish is in (translated when raised).
_REFUSALS = {
    WishAction.CLAIM: {
        WishStatus.CLAIMED: gettext_lazy("This wish has already been claimed."),
        WishStatus.FULFILLED: gettext_lazy("This wish has already been fulfilled."),
        WishStatus.WITHDRAWN: gettext_lazy("This wish has been withdrawn."),
    },
    WishAction.FULFIL: {
        WishStatus.POSTED: gettext_lazy("A wish is claimed by a donor before it can be fulfilled."),
        WishStatus.FULFILLED: gettext_lazy("This wish has already been fulfilled."),
        WishStatus.WITHDRAWN: gettext_lazy("This wish has been withdrawn."),
    },
    WishAction.WITHDRAW: {
        WishStatus.FULFILLED: gettext_lazy("A fulfilled wish cannot be withdrawn."),
        WishStatus.WITHDRAWN: gettext_lazy("This wish has already been withdrawn."),
    },
}


def _transition(by, wish: Wish, action: str, comment: str, *, rows=None, **changes) -> Wish:
    """Move a locked wish along ``action`` and write its step; the only way a status changes.

    ``rows`` are the wishes the actor may move: by default those in ``by``'s scope
    (a worker's own wishes when the worker acts, ``by`` empty).
    The row lock serialises two staff acting at once; the partial unique
    constraints on ``WishStep`` refuse a second claim or fulfilment even
    where the lock is not taken (SQLite has none, but one writer at a time).
    """
    wish = _locked(Wish.objects.for_user(by) if rows is None else rows, wish.pk)
    allowed_from, target = TRANSITIONS[action]
    if wish.status not in allowed_from:
        raise ValidationError(str(_REFUSALS[action][wish.status]))
    wish.status = target
    for name, value in changes.items():
        setattr(wish, name, value)
    wish.full_clean()
    try:
        with transaction.atomic():
            WishStep.objects.create(wish=wish, action=action, by=by, comment=comment)
            wish.save()
    except IntegrityError:
        raise ValidationError(str(_REFUSALS[action][target])) from None
    return wish


@transaction.atomic
def wish_claim(
    *,
    by,
    wish: Wish,
    donor_name: str = "",
    donor_employer: Employer | None = None,
    comment: str = "",
) -> Wish:
    """A donor (a person, or a unit on the employer register) takes the wish on."""
    donor_name = (donor_name or "").strip()
    if donor_employer is None and not donor_name:
        raise ValidationError({"donor_name": _("Name the donor or choose the donor unit.")})
    _check_employer(by, donor_employer)
    wish = _transition(
        by,
        wish,
        WishAction.CLAIM,
        (comment or "").strip(),
        donor_name=donor_name,
        donor_employer=donor_employer,
    )
    with workers_language():
        notify(
            wish.person,
            MessageKind.GENERAL,
            title=_("Your micro-wish has a donor"),
            body=_(
                "%(donor)s took on your wish “%(text)s”. Your union will tell you when it comes."
            )
            % {"donor": wish.donor_label, "text": wish.text},
            url=reverse("portal-wishes:detail", args=[wish.pk]),
        )
    return wish


def max_photo_bytes() -> int:
    return int(getattr(settings, "OUTREACH_MAX_PHOTO_BYTES", MAX_PHOTO_BYTES))


def photo_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / PHOTO_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def photo_type(upload: UploadedFile) -> str:
    """The photo's type from its first bytes; a file of another kind is refused."""
    if upload.size > max_photo_bytes():
        raise ValidationError(
            {"photo": _("The photo is larger than %(mb)d MB.") % {"mb": max_photo_bytes() >> 20}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in PHOTO_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    raise ValidationError({"photo": _("The photo must be a JPEG or PNG image.")})


def _store_photo(upload: UploadedFile) -> str:
    # A random name: the user's file name never becomes a path.
    name = f"{PHOTO_FOLDER}/{uuid.uuid4().hex}"
    path = Path(settings.MEDIA_ROOT) / name
    photo_folder()
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    path.chmod(0o600)
    return name


def photo_path(wish: Wish) -> Path | None:
    if not wish.photo:
        return None
    return Path(settings.MEDIA_ROOT) / wish.photo


@transaction.atomic
def wish_fulfil(
    *,
    by,
    wish: Wish,
    fulfilled_on: date,
    delivered: str,
    photo: UploadedFile | None = None,
    comment: str = "",
) -> Wish:
    """Record that a claimed wish came true: when, what was delivered, a photo if any."""
    _check_past(fulfilled_on, "fulfilled_on", _("The fulfilment date cannot be in the future."))
    delivered = (delivered or "").strip()
    if not delivered:
        raise ValidationError({"delivered": _("Say what was delivered.")})
    content_type = photo_type(photo) if photo is not None else ""
    stored = _store_photo(photo) if photo is not None else ""
    try:
        wish = _transition(
            by,
            wish,
            WishAction.FULFIL,
            (comment or "").strip(),
            fulfilled_on=fulfilled_on,
            delivered=delivered,
            photo=stored,
            photo_type=content_type,
        )
    except Exception:
        # Nothing was recorded, so the stored photo would belong to nobody.
        if stored:
            (Path(settings.MEDIA_ROOT) / stored).unlink(missing_ok=True)
        raise
    with workers_language():
        notify(
            wish.person,
            MessageKind.GENERAL,
            title=_("Your micro-wish came true"),
            body=_("On %(date)s: %(delivered)s.")
            % {"date": fulfilled_on.isoformat(), "delivered": delivered},
            url=reverse("portal-wishes:detail", args=[wish.pk]),
        )
    return wish


@transaction.atomic
def wish_withdraw(*, by, wish: Wish, reason: str) -> Wish:
    """Take a wish back (the worker no longer needs it, or no donor came); a reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the wish is withdrawn.")})
    wish = _transition(by, wish, WishAction.WITHDRAW, reason)
    with workers_language():
        notify(
            wish.person,
            MessageKind.GENERAL,
            title=_("Your micro-wish was withdrawn"),
            body=_("Your union withdrew your wish “%(text)s”: %(reason)s")
            % {"text": wish.text, "reason": reason},
            url=reverse("portal-wishes:detail", args=[wish.pk]),
        )
    return wish


@transaction.atomic
def wish_withdraw_by_worker(*, person: Person, wish: Wish, reason: str) -> Wish:
    """The worker takes back their own wish while nobody has taken it on yet; once a
    donor has, the donor may be buying it already, so the union withdraws it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you withdraw the wish.")})
    locked = _locked(Wish.objects.filter(person=person), wish.pk)
    if locked.status == WishStatus.CLAIMED:
        raise ValidationError(
            _("A donor has taken this wish on already; ask your union to withdraw it.")
        )
    return _transition(
        None, locked, WishAction.WITHDRAW, reason, rows=Wish.objects.filter(person=person)
    )
