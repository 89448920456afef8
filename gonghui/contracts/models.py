"""Collective contracts (集体合同): per employer, or regional and industry contracts
covering many employers, with their filing at the human-resources bureau.

The rules followed (集体合同规定, 劳动和社会保障部令第22号, and 劳动法 第三十四条):

- a term of one to three years (规定 第三十八条);
- the employer side files the text with the labour administration within 10 days
  of signing (规定 第四十二条);
- the contract takes effect when the bureau raises no objection within 15 days of
  receiving it (规定 第四十七条, 劳动法 第三十四条).

The status is never stored: it follows from the dates (``ContractQuerySet`` asks it
of the database, ``CollectiveContract.status_on`` of one row). ``in_force_on`` is
stored (filed on + 15 days, none once objected) because every coverage figure and
the early-warning list ask "which contracts are valid today" of it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet, is_whole_tree, subtree_q
from gonghui.orgs.models import Employer, Organisation

#: 集体合同规定 第四十二条: filed within 10 days of signing.
FILING_DUE_DAYS = 10
#: 集体合同规定 第四十七条: in force when the bureau has not objected within 15 days.
OBJECTION_DAYS = 15
#: 集体合同规定 第三十八条: a term of one to three years.
MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 3
#: Staff are reminded this many days before a contract ends.
EXPIRY_WARNING_DAYS = 90


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive")
    WAGE = "wage", _("Wage (special)")
    WOMEN = "women", _("Women workers' rights (special)")
    SAFETY = "safety", _("Labour safety and health (special)")


class ContractReach(models.TextChoices):
    EMPLOYER = "employer", _("One employer")
    REGIONAL = "regional", _("Regional")
    INDUSTRY = "industry", _("Industry")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed, not filed")
    FILED = "filed", _("Filed, awaiting the bureau")
    IN_FORCE = "in_force", _("In force")
    OBJECTED = "objected", _("Objected by the bureau")
    EXPIRED = "expired", _("Expired")


class ContractQuerySet(ScopedQuerySet):
    """Seen in the subtree of the owning organisation, and wherever one of the
    covered employers is seen (its township, its union): a chair sees the
    township's regional contract that covers their employer."""

    scope_fields = ("owner",)

    def in_subtree(self, organisation: Organisation) -> ContractQuerySet:
        if organisation.parent_id is None and is_whole_tree(organisation):
            return self.all()
        covering = ContractEmployer.objects.filter(
            employer__in=Employer.objects.in_subtree(organisation).values("pk")
        ).values("contract_id")
        return self.filter(subtree_q(organisation.path, "owner") | Q(pk__in=covering))

    # --- the status, asked of the database (``today`` passed for a controlled clock) ---

    def drafts(self):
        return self.filter(signed_on__isnull=True)

    def not_filed(self):
        return self.filter(signed_on__isnull=False, filed_on__isnull=True)

    def filing_overdue(self, today: datetime.date):
        """Signed more than 10 days ago and not filed."""
        return self.not_filed().filter(
            signed_on__lt=today - datetime.timedelta(days=FILING_DUE_DAYS)
        )

    def awaiting_bureau(self, today: datetime.date):
        return self.filter(in_force_on__gt=today, ends_on__gte=today)

    def objected(self):
        return self.filter(objected_on__isnull=False)

    def valid(self, today: datetime.date):
        """In force today: past the bureau's 15 days, not objected, not ended."""
        return self.filter(in_force_on__lte=today, ends_on__gte=today)

    def expired(self, today: datetime.date):
        """Ended before today after being in force."""
        return self.filter(in_force_on__isnull=False, ends_on__lt=today)

    def expiring(self, today: datetime.date, days: int = EXPIRY_WARNING_DAYS):
        """Valid today and ending within ``days`` days."""
        return self.valid(today).filter(ends_on__lte=today + datetime.timedelta(days=days))

    def with_status(self, status: str, today: datetime.date):
        return {
            ContractStatus.DRAFT: lambda: self.drafts(),
            ContractStatus.SIGNED: lambda: self.not_filed(),
            ContractStatus.FILED: lambda: self.awaiting_bureau(today),
            ContractStatus.IN_FORCE: lambda: self.valid(today),
            ContractStatus.OBJECTED: lambda: self.objected(),
            ContractStatus.EXPIRED: lambda: self.expired(today),
        }[status]()


def contract_text_path(instance: CollectiveContract, filename: str) -> str:
    """A random name under MEDIA_ROOT (outside the web root): the uploaded name is
    kept only as data, never used as a path."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"contracts/{timezone.now():%Y}/{uuid.uuid4().hex}.{suffix}"


class CollectiveContract(models.Model):
    """A collective contract: signed by ``owner`` (the employer's union, or the
    township, industry or joint union of a regional or industry contract) for the
    employers listed in ``ContractEmployer`` (one for an employer's own contract,
    which ``employer`` also names)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ContractKind.choices)
    reach = models.CharField(_("reach"), max_length=10, choices=ContractReach.choices)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("union side"),
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collective_contracts",
    )
    employers = models.ManyToManyField(
        Employer,
        verbose_name=_("employers covered"),
        through="ContractEmployer",
        related_name="covering_contracts",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    wage_increase = models.DecimalField(
        _("agreed wage increase (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    minimum_wage = models.DecimalField(
        _("minimum wage in the contract (yuan/month)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    text = models.FileField(
        _("contract text"), upload_to=contract_text_path, max_length=200, blank=True
    )
    text_name = models.CharField(_("file name"), max_length=200, blank=True)
    text_type = models.CharField(_("file type"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed with the bureau on"), null=True, blank=True)
    objected_on = models.DateField(_("bureau objected on"), null=True, blank=True)
    objection = models.TextField(_("the bureau's objection"), blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective contract")
        verbose_name_plural = _("collective contracts")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            # The upper bound of the term (three years) is kept by the service and
            # ``clean``: date arithmetic in a CHECK is not portable between databases.
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message=_("The term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(reach=ContractReach.EMPLOYER, employer__isnull=False)
                | (~Q(reach=ContractReach.EMPLOYER) & Q(employer__isnull=True)),
                name="contract_employer_matches_reach",
                violation_error_message=_(
                    "An employer's own contract names its employer; a regional or "
                    "industry contract lists the employers it covers."
                ),
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | (Q(signed_on__isnull=False) & Q(filed_on__gte=F("signed_on"))),
                name="contract_filed_after_signing",
                violation_error_message=_("A contract is filed on or after the day it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(objected_on__isnull=True)
                | (
                    Q(filed_on__isnull=False)
                    & Q(objected_on__gte=F("filed_on"))
                    & ~Q(objection="")
                    & Q(in_force_on__isnull=True)
                ),
                name="contract_objection_after_filing",
                violation_error_message=_(
                    "An objection is recorded after filing, with its reasons, and the "
                    "contract does not come into force."
                ),
            ),
            models.CheckConstraint(
                condition=Q(in_force_on__isnull=True)
                | (Q(filed_on__isnull=False) & Q(in_force_on__gt=F("filed_on"))),
                name="contract_in_force_after_filing",
                violation_error_message=_("A contract comes into force only after filing."),
            ),
            models.CheckConstraint(
                condition=Q(wage_increase__isnull=True)
                | Q(wage_increase__gte=-100, wage_increase__lte=100),
                name="contract_wage_increase_range",
                violation_error_message=_("The wage increase is a percentage from -100 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_wage__isnull=True) | Q(minimum_wage__gt=0),
                name="contract_minimum_wage_positive",
                violation_error_message=_("The minimum wage is above zero."),
            ),
        ]
        indexes = [
            # "Valid today" (coverage, early warning, the list's in-force and expiring filters).
            models.Index(fields=["in_force_on", "ends_on"], name="contract_valid"),
            # The list's "not filed" and "filing overdue" filters.
            models.Index(fields=["filed_on", "signed_on"], name="contract_filing"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def status_on(self, today: datetime.date | None = None) -> str:
        """The status on ``today``, as ``ContractQuerySet.with_status`` counts it."""
        today = today or timezone.localdate()
        if self.signed_on is None:
            return ContractStatus.DRAFT
        if self.objected_on is not None:
            return ContractStatus.OBJECTED
        if self.filed_on is None:
            return ContractStatus.SIGNED
        if self.in_force_on and self.ends_on < today:
            return ContractStatus.EXPIRED
        if self.in_force_on and self.in_force_on > today:
            return ContractStatus.FILED
        return ContractStatus.IN_FORCE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(ContractStatus(self.status).label)

    @property
    def filing_due_on(self) -> datetime.date | None:
        if self.signed_on is None:
            return None
        return self.signed_on + datetime.timedelta(days=FILING_DUE_DAYS)

    def filing_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.filed_on is None and self.signed_on is not None and today > self.filing_due_on

    def expiring(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status_on(today) == ContractStatus.IN_FORCE and self.ends_on <= (
            today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
        )

    @property
    def covered_label(self) -> str:
        """The employer, or how many employers a regional or industry contract covers."""
        if self.employer_id:
            return self.employer.name
        count = getattr(self, "covered_count", None)
        if count is None:
            count = self.employers.count()
        return str(_("%(n)s employers") % {"n": count})


class ContractEmployer(models.Model):
    """One employer a contract covers (the one of an employer's own contract too)."""

    contract = models.ForeignKey(
        CollectiveContract, on_delete=models.CASCADE, related_name="coverage_rows"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contract_coverage_rows"
    )

    class Meta:
        verbose_name = _("employer covered")
        verbose_name_plural = _("employers covered")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "employer"],
                name="contract_employer_once",
                violation_error_message=_("This employer is already covered by the contract."),
            ),
        ]
        indexes = [
            # The scope rule and the employer's page read the contracts covering an employer.
            models.Index(fields=["employer", "contract"], name="contract_employer_by_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.employer_id}"
