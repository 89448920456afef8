"""The organisation tree and the employers it covers."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import SEGMENT_WIDTH, ScopedQuerySet

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$",
    _("A code uses letters, digits, “-” and “_” (at most 32 characters)."),
)


class OrgKind(models.TextChoices):
    COUNTY = "county", _("County federation")
    TOWNSHIP = "township", _("Township / street federation")
    INDUSTRY = "industry", _("Industry union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    JOINT = "joint", _("Joint union")


#: Which kinds of organisation may stand directly under which.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.COUNTY: {None},
    OrgKind.TOWNSHIP: {OrgKind.COUNTY},
    OrgKind.INDUSTRY: {OrgKind.COUNTY, OrgKind.TOWNSHIP},
    OrgKind.GRASSROOTS: {OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.INDUSTRY},
    OrgKind.JOINT: {OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.INDUSTRY},
}
#: Kinds that cover employers directly (their members work there).
UNION_KINDS = (OrgKind.GRASSROOTS, OrgKind.JOINT)


class OrganisationQuerySet(ScopedQuerySet):
    scope_fields = ("",)

    def unions(self):
        return self.filter(kind__in=UNION_KINDS)

    def townships(self):
        return self.filter(kind=OrgKind.TOWNSHIP)


class Organisation(models.Model):
    """A union organisation: the county federation, a township federation, an
    industry union, a grassroots or joint union.

    ``path`` is the materialised path of the tree: the ids of the ancestors and
    of the organisation itself, each zero-padded to a fixed width, so the whole
    subtree is one range scan (``core.scope``). Services keep it up to date;
    nothing else writes it.
    """

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    credit_code = models.CharField(
        _("union legal person credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        help_text=_("工会法人统一社会信用代码, begins with 81."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="org_not_own_parent",
                violation_error_message=_("An organisation cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=Q(kind=OrgKind.COUNTY) | Q(parent__isnull=False),
                name="org_only_county_at_root",
                violation_error_message=_("Only a county federation can stand at the top."),
            ),
        ]
        permissions = [("move_organisation", _("Can move an organisation in the tree"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:organisation-detail", args=[self.pk])

    @property
    def is_union(self) -> bool:
        return self.kind in UNION_KINDS

    def ancestor_ids(self) -> list[int]:
        """Ids of the ancestors, root first, read from the path (no query)."""
        width = SEGMENT_WIDTH
        return [int(self.path[i : i + width]) for i in range(0, len(self.path) - width, width)]

    def ancestors(self):
        return Organisation.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")

    def clean(self):
        if self.credit_code:
            from gonghui.core.creditcodes import validate_union_credit_code

            try:
                self.credit_code = validate_union_credit_code(self.credit_code)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from exc
        parent_kind = self.parent.kind if self.parent_id else None
        if self.kind and parent_kind not in ALLOWED_PARENTS[self.kind]:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot stand under %(parent)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parent": self.parent.get_kind_display()
                        if self.parent_id
                        else _("nothing (the top of the tree)"),
                    }
                }
            )


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Residential services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    NON_PUBLIC = "non_public", _("Non-public")


class EmployerQuerySet(ScopedQuerySet):
    # An employer is seen by its township's staff and by the union that covers it.
    scope_fields = ("township", "union")

    def without_union(self):
        return self.filter(union__isnull=True)


class Employer(models.Model):
    """An employer (用人单位), identified by its unified social credit code."""

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        error_messages={"unique": _("An employer with this credit code is already registered.")},
    )
    name = models.CharField(_("name"), max_length=200)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices)
    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    township = models.ForeignKey(
        Organisation,
        verbose_name=_("township / street"),
        on_delete=models.PROTECT,
        related_name="employers_located",
        limit_choices_to={"kind": OrgKind.TOWNSHIP},
    )
    union = models.ForeignKey(
        Organisation,
        verbose_name=_("covering union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employers_covered",
        limit_choices_to={"kind__in": UNION_KINDS},
        help_text=_("Empty means the employer has no union yet (未建会)."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                name="employer_credit_code_shape",
                violation_error_message=_("The credit code must have 18 valid characters."),
            ),
        ]
        indexes = [
            # The coverage pages count employers without a union per township.
            models.Index(fields=["township", "union"], name="employer_township_union"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:employer-detail", args=[self.pk])

    @property
    def has_union(self) -> bool:
        return self.union_id is not None
