"""Aid: programmes, yearly campaigns, funds with a ledger, applications through
approval to payment, and the worker's consent to health and income facts.

Money is ``Decimal`` yuan with two places (fen), never a float. A fund's
balance columns (``reserved``, ``spent``) are written only by the ledger
services under a row lock, always together with a :class:`FundEntry`, so the
entries sum to the balances; the database refuses a balance that would let
more be reserved or spent than the budget.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import CiphertextField, Keyring, decrypt, encrypt, keyed_hash
from gonghui.core.scope import ScopedQuerySet, subtree_q
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, about_person

from .vocabularies import (
    ACTIVE_STATES,
    AidStatus,
    CampaignStatus,
    ConsentKind,
    DiagnosisCategory,
    EntryKind,
    EvidenceKind,
    Fact,
    ProgrammeKind,
    StepAction,
)

ZERO = Decimal("0.00")

#: Associated data of the encrypted bank account (core.crypto): a fixed string, so
#: that renaming the field does not make its values unreadable. The data migration
#: 0003_encrypt_bank_accounts repeats it.
BANK_ACCOUNT_CONTEXT = "aid.aidapplication.bank_account"
#: Keyed-hash purpose of the bank account: one account given by several beneficiaries
#: is found by its hash (selectors.precision_flags), never by its plain number.
BANK_ACCOUNT_HASH = "bank-account"


def bank_account_hash(account: str, ring: Keyring | None = None) -> str:
    return keyed_hash(account, purpose=BANK_ACCOUNT_HASH, ring=ring)


def bank_account_columns(account: str, ring: Keyring | None = None) -> dict[str, str]:
    """The columns that store ``account`` (digits only; "" for none): ciphertext and
    lookup hash. ``ring`` (``core.crypto.keyring()``) serves a bulk write."""
    if not account:
        return {"bank_account_encrypted": "", "bank_account_hash": ""}
    return {
        "bank_account_encrypted": encrypt(account, context=BANK_ACCOUNT_CONTEXT, ring=ring),
        "bank_account_hash": bank_account_hash(account, ring),
    }


def mask_bank_account(account: str) -> str:
    """The first and last four digits, the rest starred (all starred when short)."""
    if len(account) <= 8:
        return "*" * len(account)
    return account[:4] + "*" * (len(account) - 8) + account[-4:]


def money_field(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


class Programme(models.Model):
    """A kind of help the union gives (帮扶救助, 金秋助学, 大病救助 …) and its rules, as data.

    ``grants_per_year`` is how many active applications one person may hold
    under the programme in one year, across all organisations; the database
    enforces it through the ``slot`` of :class:`AidApplication`.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    max_amount = money_field(
        _("maximum per grant"), null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )
    income_threshold = money_field(
        _("income threshold"),
        null=True,
        blank=True,
        help_text=_("Highest household monthly income per person that qualifies (yuan)."),
    )
    medical_share = models.DecimalField(
        _("share of out-of-pocket cost paid"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("For critical-illness relief: 0.5 pays half the out-of-pocket cost."),
    )
    grants_per_year = models.PositiveSmallIntegerField(_("grants per person per year"), default=1)
    needy_only = models.BooleanField(_("for registered needy workers only"), default=False)
    required_facts = models.JSONField(_("required facts"), default=list, blank=True)
    dual_approval_above = money_field(
        _("two county approvers above"),
        null=True,
        blank=True,
        help_text=_("Amounts above this need two different approvers at county level."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grants_per_year__gte=1),
                name="programme_at_least_one_grant",
                violation_error_message=_("A programme allows at least one grant a year."),
            ),
            models.CheckConstraint(
                condition=Q(medical_share__isnull=True)
                | Q(medical_share__gt=0, medical_share__lte=1),
                name="programme_medical_share_fraction",
                violation_error_message=_("The share of the cost must lie between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aid:programme-list")

    def requires(self, fact: str) -> bool:
        return fact in (self.required_facts or [])


class CampaignQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)

    def for_user(self, user):
        """Campaigns run in the user's subtree, and those of the organisations above it
        (a grassroots union applies under the county's campaign)."""
        from gonghui.core.scope import sees_everything, user_scope_root

        if sees_everything(user):
            return self.all()
        root = user_scope_root(user)
        if root is None:
            return self.none()
        return self.filter(
            subtree_q(root.path, "organisation") | Q(organisation_id__in=root.ancestor_ids())
        )


class Campaign(models.Model):
    """One year of a programme, run by an organisation."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "programme__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "organisation"],
                name="campaign_one_per_programme_year_org",
                violation_error_message=_(
                    "This organisation already runs this programme in that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("A campaign cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("aid:campaign-detail", args=[self.pk])


class FundQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)


class Fund(models.Model):
    """The money an organisation has for a campaign.

    ``available`` = budget − reserved − spent. Only ``aid.ledger`` writes
    ``reserved`` and ``spent``, under ``select_for_update``, with a ledger row.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="funds"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    budget = money_field(_("budget"), validators=[MinValueValidator(ZERO)])
    reserved = money_field(_("reserved"), default=ZERO, editable=False)
    spent = money_field(_("spent"), default=ZERO, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["campaign", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"],
                name="fund_one_per_campaign_org",
                violation_error_message=_("This organisation already has a fund for the campaign."),
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(spent__gte=0),
                name="fund_balances_not_negative",
                violation_error_message=_("A fund's reserved and spent sums cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=F("reserved") + F("spent")),
                name="fund_available_not_negative",
                violation_error_message=_("The fund does not have enough money left."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("aid:fund-detail", args=[self.pk])

    @property
    def available(self) -> Decimal:
        return self.budget - self.reserved - self.spent


class PrivacyNoticeQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Notices in force ``on`` a day (today): what a worker may be read before consenting."""
        return self.filter(in_force_from__lte=on or timezone.localdate()).order_by(
            "kind", "-in_force_from", "-pk"
        )


class PrivacyNotice(models.Model):
    """The notice read to a worker before they consent to health or income facts being
    collected (PIPL 第十七条, 第三十条): its purpose, the facts, who sees them and for how
    long, in one version. A version is never edited: a new text is a new version, so
    that every consent names the exact words the worker agreed to."""

    kind = models.CharField(_("consent to"), max_length=10, choices=ConsentKind.choices)
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"))
    in_force_from = models.DateField(_("in force from"))
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects = PrivacyNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["kind", "-in_force_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"],
                name="aid_notice_kind_version_unique",
                violation_error_message=_("A notice of this kind already has this version."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s · version %(version)s") % {
            "kind": self.get_kind_display(),
            "version": self.version,
        }


class Consent(models.Model):
    """A worker's separate consent to the processing of health or income facts
    (PIPL 第二十九条), under the version of the notice read to them."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="aid_consents"
    )
    kind = models.CharField(_("consent to"), max_length=10, choices=ConsentKind.choices)
    notice = models.ForeignKey(
        PrivacyNotice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    # Empty when the worker consented in the portal, with no staff member between.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            # "Has this person consented to X?" on every application with such facts.
            models.Index(fields=["person", "kind"], name="aid_consent_person_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.notice}"


class StaffPerson(models.Model):
    """Links a staff account to the person (一人一档) it belongs to, so that nobody
    approves aid for themselves."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aid_person"
    )
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="staff_account")

    class Meta:
        verbose_name = _("staff member's person file")
        verbose_name_plural = _("staff members' person files")

    def __str__(self) -> str:
        return f"{self.user} = {self.person}"


class AidApplicationQuerySet(ScopedQuerySet):
    # Seen where the application sits (the applicant's union or file) and above,
    # and by whoever sees the applicant (docs/architecture.md, "Whom a user sees").
    scope_fields = ("organisation", *about_person())

    def active(self):
        return self.filter(status__in=ACTIVE_STATES)


class AidApplication(models.Model):
    """An application for aid for one person under one campaign.

    ``programme`` and ``year`` repeat the campaign's so that the database can
    hold the rule "at most ``grants_per_year`` grants of a programme per person
    per year, whatever organisation": an active application takes a ``slot``
    between 1 and ``grants_per_year`` (chosen by the submit service under a lock
    on the person), and (person, programme, year, slot) is unique among active
    applications. With the default of one grant a year every active
    application has slot 1, so a second one is refused by the database.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="applications"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(
        Person, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="aid"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The applicant's union (or the organisation keeping the file)."),
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AidStatus.choices, default=AidStatus.DRAFT
    )
    slot = models.PositiveSmallIntegerField(default=1, editable=False)
    current_level = models.ForeignKey(
        Organisation,
        verbose_name=_("awaiting approval at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_county_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_requested = money_field(_("amount asked"))
    amount = money_field(_("amount"))
    reason = models.TextField(_("reason"), blank=True)
    # 金秋助学
    child_name = models.CharField(_("child's name"), max_length=50, blank=True)
    school = models.CharField(_("school"), max_length=100, blank=True)
    admission_year = models.PositiveSmallIntegerField(_("admission year"), null=True, blank=True)
    # 大病救助 (health facts: need consent)
    diagnosis_category = models.CharField(
        _("diagnosis category"), max_length=20, choices=DiagnosisCategory.choices, blank=True
    )
    total_cost = money_field(_("total medical cost"), null=True, blank=True)
    insurance_reimbursement = money_field(_("insurance reimbursement"), null=True, blank=True)
    # Income (needs consent)
    per_capita_income = money_field(_("household monthly income per person"), null=True, blank=True)
    # Payout
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    # Encrypted at rest like ID numbers (PIPL 第五十一条); read through
    # plain_bank_account(), shown masked, written through bank_account_columns().
    bank_account_encrypted = CiphertextField(
        _("bank account (encrypted)"), context=BANK_ACCOUNT_CONTEXT
    )
    bank_account_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Empty when the worker applied in the portal themselves.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = AidApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid application")
        verbose_name_plural = _("aid applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "year", "slot"],
                condition=Q(status__in=ACTIVE_STATES),
                name="aid_one_grant_per_person_programme_year",
                violation_error_message=_(
                    "This person already has the grants this programme allows this year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=F("amount_requested")),
                name="aid_amount_positive_not_above_asked",
                violation_error_message=_(
                    "The amount must be above zero and not above the amount asked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(slot__gte=1),
                name="aid_slot_positive",
                violation_error_message=_("The grant slot starts at 1."),
            ),
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True)
                | Q(insurance_reimbursement__isnull=True)
                | Q(insurance_reimbursement__lte=F("total_cost")),
                name="aid_reimbursement_not_above_cost",
                violation_error_message=_("The reimbursement cannot exceed the total cost."),
            ),
        ]
        indexes = [
            # The precision check on submit and the yearly reports: a person's grants in a year.
            models.Index(fields=["person", "year", "status"], name="aid_person_year"),
            # Reports over a year: duplicates, notices, payment lists.
            models.Index(fields=["year", "status", "programme"], name="aid_year_status"),
            # Shared bank account check.
            models.Index(fields=["bank_account_hash", "year"], name="aid_bank_account_hash"),
        ]
        permissions = [
            ("approve_aidapplication", _("Can approve aid applications")),
            ("pay_aidapplication", _("Can pay aid and export payment lists")),
            ("view_aid_reports", _("Can view aid reports and notices")),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("aid:application-detail", args=[self.pk])

    @property
    def out_of_pocket(self) -> Decimal | None:
        if self.total_cost is None:
            return None
        return self.total_cost - (self.insurance_reimbursement or ZERO)

    # The plain account leaves the model only through plain_bank_account(): pages
    # show the masked form, the bank's payment file logs each account it carries.
    def plain_bank_account(self) -> str:
        if not self.bank_account_encrypted:
            return ""
        return decrypt(self.bank_account_encrypted, context=BANK_ACCOUNT_CONTEXT)

    def masked_bank_account(self) -> str:
        return mask_bank_account(self.plain_bank_account())

    @property
    def has_bank_account(self) -> bool:
        return bool(self.bank_account_encrypted)

    def fact_value(self, fact: str):
        if fact == Fact.BANK_ACCOUNT:
            return self.bank_account_hash  # whether one is given; the number stays sealed
        return getattr(self, fact)

    @property
    def is_draft_or_returned(self) -> bool:
        return self.status in (AidStatus.DRAFT, AidStatus.RETURNED)


class AidStep(models.Model):
    """One transition of an application: who did what, at which level, when, with which amount."""

    application = models.ForeignKey(AidApplication, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=StepAction.choices)
    level = models.ForeignKey(
        Organisation,
        verbose_name=_("level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty for the worker's own submission in the portal (and the pass-ups it causes).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    amount = money_field(_("amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.application_id} · {self.get_action_display()}"


class FundEntry(models.Model):
    """One movement of a fund's money; the entries of a fund sum to its balances:
    reserved = Σ reserve − Σ release − Σ spend, spent = Σ spend."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("movement"), max_length=10, choices=EntryKind.choices)
    amount = money_field(_("amount"))
    application = models.ForeignKey(
        AidApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")
        ordering = ["at", "pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fund_entry_amount_positive",
                violation_error_message=_("A ledger amount is above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Payment(models.Model):
    """The payout (发放) of an approved application: at most one per application."""

    application = models.OneToOneField(
        AidApplication,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="payment",
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payments")
    amount = money_field(_("amount"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid at"), default=timezone.now)
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("A payment is above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.amount}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name under MEDIA_ROOT (outside the web root): the uploaded name is
    kept only as data, never used as a path."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"aid-evidence/{timezone.now():%Y}/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    """A document supporting an application, served only to users who see the application."""

    application = models.ForeignKey(
        AidApplication, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Empty for a photo the worker took in the portal.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("aid:evidence-download", args=[self.application_id, self.pk])
