"""Writes to the organisation tree and the employer registry.

Every function takes the acting user as ``by=``, checks the scope rule and the
tree's invariants, runs in one transaction and returns the saved object; the
audit trail is written by django-auditlog from the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from gonghui.core.creditcodes import validate_credit_code, validate_union_credit_code
from gonghui.core.scope import is_in_scope, path_segment, sees_everything, subtree_q

from .models import Employer, Organisation, OrgKind

ORG_FIELDS = ("name", "credit_code", "address", "contact_name", "contact_phone", "founded_on")
EMPLOYER_FIELDS = (
    "name",
    "industry",
    "ownership",
    "employee_count",
    "township",
    "union",
    "address",
    "legal_representative",
)


def _require_scope(by, organisation: Organisation | None, message: str) -> None:
    if not is_in_scope(by, organisation):
        raise PermissionDenied(message)


def _set_path(organisation: Organisation) -> None:
    parent_path = organisation.parent.path if organisation.parent_id else ""
    organisation.path = parent_path + path_segment(organisation.pk)
    organisation.depth = organisation.parent.depth + 1 if organisation.parent_id else 0


def _full_clean(obj, exclude=None) -> None:
    obj.full_clean(exclude=exclude)


@transaction.atomic
def organisation_create(
    *, by, code: str, name: str, kind: str, parent: Organisation | None, **fields
) -> Organisation:
    """Add an organisation under ``parent`` (None only for a county federation)."""
    if parent is None:
        if not sees_everything(by):
            raise PermissionDenied(_("Only a superuser can create a new top-level federation."))
    else:
        _require_scope(by, parent, _("The parent organisation is outside your scope."))
    if fields.get("credit_code"):
        fields["credit_code"] = validate_union_credit_code(fields["credit_code"])
    organisation = Organisation(code=code, name=name, kind=kind, parent=parent, **fields)
    organisation.path = "pending"
    _full_clean(organisation, exclude=["path"])
    organisation.save()
    _set_path(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(
        path=organisation.path, depth=organisation.depth
    )
    return organisation


@transaction.atomic
def organisation_update(*, by, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's own details (not its place in the tree)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_scope(by, organisation, _("This organisation is outside your scope."))
    unknown = set(fields) - set(ORG_FIELDS) - {"code"}
    if unknown:
        raise ValueError(f"organisation_update cannot change {sorted(unknown)}")
    if fields.get("credit_code"):
        fields["credit_code"] = validate_union_credit_code(fields["credit_code"])
    for name, value in fields.items():
        setattr(organisation, name, value or None if name == "credit_code" else value)
    _full_clean(organisation)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_move(*, by, organisation: Organisation, new_parent: Organisation) -> Organisation:
    """Move an organisation (and its whole subtree) under ``new_parent``.

    Refuses a loop: the new parent may not be the organisation or one of its
    descendants. The paths of the subtree are rewritten in one UPDATE.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    new_parent = Organisation.objects.get(pk=new_parent.pk)
    _require_scope(by, organisation, _("This organisation is outside your scope."))
    _require_scope(by, new_parent, _("The new parent organisation is outside your scope."))
    if new_parent.path.startswith(organisation.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be moved under itself or one of its own units.")}
        )
    if organisation.parent_id == new_parent.pk:
        return organisation
    organisation.parent = new_parent
    organisation.clean()  # the kind rule: who may stand under whom
    old_path, old_depth = organisation.path, organisation.depth
    _set_path(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(parent=new_parent)
    Organisation.objects.filter(subtree_q(old_path)).update(
        path=Concat(Value(organisation.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") - old_depth + organisation.depth,
    )
    organisation.save(update_fields=["parent", "updated_at"])  # audit: the new parent
    organisation.refresh_from_db()
    return organisation


@transaction.atomic
def organisation_delete(*, by, organisation: Organisation) -> None:
    """Delete an organisation that has nothing left under or in it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_scope(by, organisation, _("This organisation is outside your scope."))
    if by.organisation_id == organisation.pk:
        raise PermissionDenied(_("You cannot delete your own organisation."))
    if organisation.children.exists():
        raise ValidationError(
            _("“%(name)s” still has organisations under it; move or delete them first.")
            % {"name": organisation.name}
        )
    try:
        with transaction.atomic():
            organisation.delete()
    except ProtectedError as exc:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ValidationError(
            _("“%(name)s” still has %(things)s; it cannot be deleted.")
            % {"name": organisation.name, "things": "、".join(kinds)}
        ) from exc


def _check_employer_places(by, township: Organisation, union: Organisation | None) -> None:
    if township is None or township.kind != OrgKind.TOWNSHIP:
        raise ValidationError({"township": _("Choose a township or street.")})
    if union is not None and not union.is_union:
        raise ValidationError(
            {"union": _("Only a grassroots or joint union can cover an employer.")}
        )
    if union is not None and not is_in_scope(by, union):
        raise PermissionDenied(_("The covering union is outside your scope."))
    township_visible = is_in_scope(by, township) or (
        by.organisation_id and township.pk in by.organisation.ancestor_ids()
    )
    if not township_visible:
        raise PermissionDenied(_("The township is outside your scope."))
    # The employer must stay visible to the user who saved it.
    if not (is_in_scope(by, township) or (union is not None and is_in_scope(by, union))):
        raise PermissionDenied(_("The employer would leave your scope."))


def _save_employer(employer: Employer) -> Employer:
    _full_clean(employer, exclude=["credit_code"])
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError as exc:
        if Employer.objects.filter(credit_code=employer.credit_code).exclude(pk=employer.pk):
            raise ValidationError(
                {"credit_code": _("An employer with this credit code is already registered.")}
            ) from exc
        raise
    return employer


@transaction.atomic
def employer_create(*, by, credit_code: str, **fields) -> Employer:
    """Register an employer by its credit code (GB 32100-2015)."""
    credit_code = validate_credit_code(credit_code)
    _check_employer_places(by, fields.get("township"), fields.get("union"))
    if Employer.objects.filter(credit_code=credit_code).exists():
        raise ValidationError(
            {"credit_code": _("An employer with this credit code is already registered.")}
        )
    return _save_employer(Employer(credit_code=credit_code, **fields))


@transaction.atomic
def employer_update(*, by, employer: Employer, **fields) -> Employer:
    employer = Employer.objects.for_user(by).select_for_update(of=("self",)).get(pk=employer.pk)
    if "credit_code" in fields:
        code = validate_credit_code(fields.pop("credit_code"))
        if Employer.objects.filter(credit_code=code).exclude(pk=employer.pk).exists():
            raise ValidationError(
                {"credit_code": _("An employer with this credit code is already registered.")}
            )
        employer.credit_code = code
    for name, value in fields.items():
        if name not in EMPLOYER_FIELDS:
            raise ValueError(f"employer_update cannot change {name}")
        setattr(employer, name, value)
    _check_employer_places(by, employer.township, employer.union)
    return _save_employer(employer)


@transaction.atomic
def employer_delete(*, by, employer: Employer) -> None:
    employer = Employer.objects.for_user(by).select_for_update(of=("self",)).get(pk=employer.pk)
    try:
        with transaction.atomic():
            employer.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("“%(name)s” still has records attached (such as workers); it cannot be deleted.")
            % {"name": employer.name}
        ) from exc
