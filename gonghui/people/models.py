"""People (职工), their union membership, join applications and the reveal log.

One person, one file (一人一档): a person exists once, identified by the
resident ID number. The number and the phone are stored encrypted
(``core.crypto``); a keyed hash of each serves exact lookup and the database's
uniqueness check, and a keyed hash of the last four characters serves search
by suffix. Birth date, gender and region code are derived from the number and
stored as columns of their own.

Derived columns are computed by the plain functions ``identity_columns`` and
``phone_columns``, never in ``save()``, so a bulk import can build rows and
write them with ``bulk_create``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Func, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.crypto import CiphertextField, Keyring, decrypt, encrypt, keyed_hash, keyring
from gonghui.core.idnumbers import Gender, ResidentId, mask_id_number
from gonghui.core.phones import mask_phone
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import UNION_KINDS, Employer, Organisation

from .vocabularies import (
    Education,
    Ethnicity,
    JoinChannel,
    JoinRoute,
    JoinStatus,
    MembershipStatus,
    NewFormGroup,
    SensitiveField,
)

#: Associated data of each encrypted column (core.crypto): fixed strings, so
#: that renaming a field does not make its values unreadable.
ID_NUMBER_CONTEXT = "people.person.id_number"
PHONE_CONTEXT = "people.person.phone"
#: Keyed-hash purposes: one per column, so equal hashes never link two columns.
ID_HASH = "id"
ID_SUFFIX_HASH = "id-suffix"
PHONE_HASH = "phone"
PHONE_SUFFIX_HASH = "phone-suffix"
#: Search by the end of a number narrows by the hash of its last 4 characters.
SUFFIX_LENGTH = 4
#: The search indexes on the suffix hashes hold only this many leading characters of
#: each hash (``suffix_key``). About 11,000 suffixes share them without a clash, and
#: a query compares the whole hash as well, so a clash costs a row read, never a
#: wrong match. An index a quarter as wide is a quarter of the pages an import of
#: many people rewrites: each new person lands at a random place in these indexes.
SUFFIX_KEY_LENGTH = 8


def id_hash(number: str, ring: Keyring | None = None) -> str:
    return keyed_hash(number, purpose=ID_HASH, ring=ring)


def id_suffix_hash(suffix: str, ring: Keyring | None = None) -> str:
    return keyed_hash(suffix[-SUFFIX_LENGTH:], purpose=ID_SUFFIX_HASH, ring=ring)


def phone_hash(phone: str, ring: Keyring | None = None) -> str:
    return keyed_hash(phone, purpose=PHONE_HASH, ring=ring)


def phone_suffix_hash(suffix: str, ring: Keyring | None = None) -> str:
    return keyed_hash(suffix[-SUFFIX_LENGTH:], purpose=PHONE_SUFFIX_HASH, ring=ring)


class SuffixKey(Func):
    """The first ``SUFFIX_KEY_LENGTH`` characters of a suffix-hash column: what its index holds.

    The bounds are written into the SQL, not passed as parameters (as ``Substr``
    passes them): SQLite uses an index on an expression only for the very same
    expression, and ``SUBSTR(col, ?, ?)`` is not ``SUBSTR(col, 1, 8)``.
    """

    function = "SUBSTR"
    template = f"%(function)s(%(expressions)s, 1, {SUFFIX_KEY_LENGTH})"
    output_field = models.CharField()


class NameFrom(Func):
    """The name from its ``start``-th character on (1-based): what the name-part indexes hold.

    A name search finds a part of a name that begins at the 1st, 2nd or 3rd
    character (``people.selectors.person_search``): a Chinese given name of two
    characters begins at the 2nd (易晓峰) or, after a two-character surname, at the
    3rd (欧阳晓峰), and trigram indexes cannot find two characters. As for
    ``SuffixKey``, the start is written into the SQL, not passed as a parameter,
    so that SQLite recognises the indexed expression in a query.
    """

    function = "SUBSTR"
    output_field = models.CharField()

    def __init__(self, expression, start: int, **extra):
        self.start = int(start)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["template"] = f"%(function)s(%(expressions)s, {self.start})"
        return super().as_sql(compiler, connection, **extra_context)


class NameLongEnough(Func):
    """True for a name of at least ``length`` characters: the condition of a name-part index.

    A part of two or more characters found from the ``start``-th character needs
    a name of ``start + 1`` characters or more, so the index from the 2nd character
    leaves out two-character names and the one from the 3rd holds only the few names
    of four characters or more: fewer index entries for an import to write. The
    length is written into the SQL, as SQLite uses a partial index only for a query
    that repeats its condition.
    """

    function = "LENGTH"
    output_field = models.BooleanField()
    conditional = True

    def __init__(self, expression, length: int, **extra):
        self.length = int(length)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["template"] = f"%(function)s(%(expressions)s) >= {self.length}"
        return super().as_sql(compiler, connection, **extra_context)


def name_part_q(start: int) -> Q:
    """The condition of the index on ``NameFrom("name", start)``, which queries repeat."""
    return Q(NameLongEnough("name", start + 1))


#: Where a name search looks for the searched characters: the start of the name, and the
#: 2nd and 3rd characters (``NameFrom``), each through an index.
NAME_PART_STARTS = (1, 2, 3)


def suffix_key(field: str) -> SuffixKey:
    """The indexed expression of a suffix-hash column."""
    return SuffixKey(field)


def suffix_hash_q(field: str, value: str) -> Q:
    """Rows whose suffix hash ``field`` equals ``value``, found through its index."""
    return Q(Exact(suffix_key(field), value[:SUFFIX_KEY_LENGTH])) & Q(**{field: value})


def _cached_suffix_hash(function, value: str, ring: Keyring, cache: dict | None) -> str:
    if cache is None:
        return function(value, ring)
    key = (function, value[-SUFFIX_LENGTH:])
    found = cache.get(key)
    if found is None:
        found = cache[key] = function(value, ring)
    return found


def identity_columns(
    resident_id: ResidentId, ring: Keyring | None = None, *, suffix_hashes: dict | None = None
) -> dict:
    """Person column values from a parsed ID number (``core.idnumbers.parse_id_number``).

    ``suffix_hashes`` is a dict a bulk write keeps for all its rows (with one
    ``ring``): there are only about 11,000 different suffixes, so most rows
    find their suffix hash there instead of computing it again.
    """
    ring = ring or keyring()
    number = resident_id.number
    return {
        "id_number_encrypted": encrypt(number, context=ID_NUMBER_CONTEXT, ring=ring),
        "id_hash": id_hash(number, ring),
        "id_suffix_hash": _cached_suffix_hash(id_suffix_hash, number, ring, suffix_hashes),
        "birth_date": resident_id.birth_date,
        "gender": resident_id.gender,
        "region_code": resident_id.region_code,
    }


def phone_columns(
    phone: str, ring: Keyring | None = None, *, suffix_hashes: dict | None = None
) -> dict:
    """Person column values from a normalised phone number ("" for none).

    ``suffix_hashes``: as for ``identity_columns`` (one dict may serve both).
    """
    if not phone:
        return {"phone_encrypted": "", "phone_hash": "", "phone_suffix_hash": ""}
    ring = ring or keyring()
    return {
        "phone_encrypted": encrypt(phone, context=PHONE_CONTEXT, ring=ring),
        "phone_hash": phone_hash(phone, ring),
        "phone_suffix_hash": _cached_suffix_hash(phone_suffix_hash, phone, ring, suffix_hashes),
    }


#: Where a person's file sits in the organisation tree: where the file is kept,
#: the employer's township and union, and the union the person is a member of.
PERSON_SCOPE_FIELDS = ("file_org", "employer__township", "employer__union", "current_union")


def about_person(via: str = "person") -> tuple[str, ...]:
    """The scope fields of a record about one worker, reached through its ``via`` key.

    The rule (docs/architecture.md, "Whom a user sees"): whoever sees a worker
    sees every record about that worker, so a person's page, a list and a
    report never disagree about whom a township may open.
    """
    return tuple(f"{via}__{field}" for field in PERSON_SCOPE_FIELDS)


class PersonQuerySet(ScopedQuerySet):
    scope_fields = PERSON_SCOPE_FIELDS

    def members(self):
        return self.filter(current_union__isnull=False)


class Person(models.Model):
    """A worker (职工), member or not: one row per human being, whatever they do here.

    ``file_org`` is the organisation that keeps the file (建档单位): the
    employer's township, or the registering user's organisation when there is
    no employer, so a person who has left both their employer and the union
    stays in someone's scope. ``current_union`` mirrors the active membership
    (kept by the membership services) so that the scope rule needs no join
    through the history.
    """

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number_encrypted = CiphertextField(_("ID number (encrypted)"), context=ID_NUMBER_CONTEXT)
    id_hash = models.CharField(max_length=64, editable=False)
    id_suffix_hash = models.CharField(max_length=64, editable=False)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    region_code = models.CharField(_("region code"), max_length=6)
    phone_encrypted = CiphertextField(_("mobile phone (encrypted)"), context=PHONE_CONTEXT)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_suffix_hash = models.CharField(max_length=64, blank=True, editable=False)
    ethnicity = models.CharField(
        _("ethnicity"), max_length=2, choices=Ethnicity.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        # The index person_employer_union begins with the employer: a second one
        # on the employer alone would only cost every insert.
        db_index=False,
    )
    job_title = models.CharField(_("job"), max_length=100, blank=True)
    new_form_group = models.CharField(
        _("new forms of employment group"),
        max_length=20,
        choices=NewFormGroup.choices,
        blank=True,
        help_text=_("Only for the eight groups of new-employment-form workers."),
    )
    card_number = models.CharField(
        _("membership card number"), max_length=40, blank=True, editable=False
    )
    current_union = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="current_members",
    )
    file_org = models.ForeignKey(
        Organisation,
        verbose_name=_("file kept by"),
        on_delete=models.PROTECT,
        related_name="person_files",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                name="person_one_per_id_number",
                violation_error_message=_("A person with this ID number is already registered."),
            ),
            # A card belongs to one person for life; many people have none yet.
            models.UniqueConstraint(
                fields=["card_number"],
                condition=~Q(card_number=""),
                name="person_card_number_unique",
                violation_error_message=_("This membership card number is already in use."),
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values),
                name="person_gender_valid",
                violation_error_message=_("The gender must be male or female."),
            ),
        ]
        indexes = [
            # The person list searches and sorts by name (prefix match); the keys
            # of the scope rule ride along, so that counting the matches of a
            # common surname reads the index, not a row per match.
            models.Index(
                fields=["name", "file_org", "employer", "current_union"], name="person_name"
            ),
            # Search by the last 4 digits of an ID number or a phone, and by a whole
            # phone (its suffix narrows to a few hundred people, its hash picks one):
            # the leading characters of the suffix hashes only (suffix_hash_q).
            # Search by a part of a name of two or more characters (a given name): the
            # name without its first one or two characters, each searched as a prefix,
            # of the names long enough to hold such a part there (name_part_q).
            models.Index(NameFrom("name", 2), name="person_name_from_2", condition=name_part_q(2)),
            models.Index(NameFrom("name", 3), name="person_name_from_3", condition=name_part_q(3)),
            models.Index(suffix_key("id_suffix_hash"), name="person_id_suffix_key"),
            models.Index(suffix_key("phone_suffix_hash"), name="person_phone_suffix_key"),
            # Coverage: members per employer, read from the index alone.
            models.Index(fields=["employer", "current_union"], name="person_employer_union"),
            # Coverage by the eight groups of new-employment-form workers, from the index alone.
            models.Index(
                fields=["new_form_group", "employer", "current_union"], name="person_new_form_group"
            ),
        ]
        permissions = [
            ("reveal_sensitive", _("Can reveal ID numbers and phone numbers (logged)")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])

    # Plain values leave the model only through these two methods; pages show
    # the masked forms and a reveal goes through people.services.person_reveal.
    def plain_id_number(self) -> str:
        return decrypt(self.id_number_encrypted, context=ID_NUMBER_CONTEXT)

    def plain_phone(self) -> str:
        if not self.phone_encrypted:
            return ""
        return decrypt(self.phone_encrypted, context=PHONE_CONTEXT)

    def masked_id_number(self) -> str:
        return mask_id_number(self.plain_id_number())

    def masked_phone(self) -> str:
        return mask_phone(self.plain_phone())

    @property
    def is_member(self) -> bool:
        return self.current_union_id is not None


class MembershipQuerySet(ScopedQuerySet):
    scope_fields = ("union",)

    def active(self):
        return self.filter(status=MembershipStatus.ACTIVE)


class Membership(models.Model):
    """One stretch of membership of one person in one union.

    Rows are never deleted: a transfer ends the row (status "transferred")
    and starts one at the new union; leaving ends it with a reason. The
    database allows at most one active row per person. The membership card
    number lives on the person (it is kept across transfers).
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    union = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"kind__in": UNION_KINDS},
    )
    joined_on = models.DateField(_("member since"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    leave_reason = models.TextField(_("reason for leaving"), blank=True)
    transferred_from = models.OneToOneField(
        "self",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-joined_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=MembershipStatus.ACTIVE),
                name="membership_one_active_per_person",
                violation_error_message=_("This person is already an active member of a union."),
            ),
            models.CheckConstraint(
                condition=(Q(status=MembershipStatus.ACTIVE) & Q(ended_on__isnull=True))
                | (~Q(status=MembershipStatus.ACTIVE) & Q(ended_on__isnull=False)),
                name="membership_ended_iff_end_date",
                violation_error_message=_(
                    "An ended membership has an end date; an active one not."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("joined_on")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it began."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MembershipStatus.LEFT) | ~Q(leave_reason=""),
                name="membership_leaving_has_reason",
                violation_error_message=_("Leaving the union needs a reason."),
            ),
        ]
        indexes = [
            # Rosters and member counts of a union.
            models.Index(fields=["union", "status"], name="membership_union_status"),
            # Coverage: new members of each union this year (not transfers), from the index alone.
            models.Index(
                fields=["union", "joined_on", "transferred_from"], name="membership_union_joined"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.union}"

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.person_id])


class CardCounter(models.Model):
    """The last card sequence number issued under a prefix (county code + year).

    Taken under a row lock, so two approvals never issue one number, and only
    ever increased, so a number is never issued twice, even after a person
    leaves.
    """

    prefix = models.CharField(max_length=40, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("membership card counter")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_number}"


class JoinApplicationQuerySet(ScopedQuerySet):
    # Seen by the union that decides it (and everything above that union).
    scope_fields = ("union",)

    def pending(self):
        return self.filter(status=JoinStatus.PENDING)


class JoinApplication(models.Model):
    """An application to join the union (入会申请), decided by the union it is routed to.

    The database allows one pending application per person; the decision
    (who, when, why) is kept on the row.
    """

    person = models.ForeignKey(
        Person,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    new_form_group = models.CharField(
        _("new forms of employment group"), max_length=20, choices=NewFormGroup.choices, blank=True
    )
    union = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="join_applications",
    )
    route = models.CharField(_("routed to"), max_length=20, choices=JoinRoute.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=JoinChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JoinStatus.choices, default=JoinStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )

    objects = JoinApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=JoinStatus.PENDING),
                name="join_application_one_pending_per_person",
                violation_error_message=_("This person already has a pending application."),
            ),
            models.CheckConstraint(
                condition=~Q(status=JoinStatus.REJECTED) | ~Q(decision_reason=""),
                name="join_application_rejection_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(status=JoinStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=JoinStatus.PENDING) & Q(decided_at__isnull=False)),
                name="join_application_decided_iff_date",
                violation_error_message=_("A decided application has a decision date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=JoinStatus.APPROVED) | Q(membership__isnull=False),
                name="join_application_approved_has_membership",
                violation_error_message=_("An approved application names its membership."),
            ),
        ]
        indexes = [
            # A union's queue of pending applications, oldest first.
            models.Index(fields=["union", "status", "submitted_at"], name="join_union_queue"),
        ]
        permissions = [
            ("decide_joinapplication", _("Can approve or reject join applications")),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.union}"

    def get_absolute_url(self) -> str:
        return reverse("people:application-detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == JoinStatus.PENDING


class FileTransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the answer of the organisation keeping the file")
    CONFIRMED = "confirmed", _("Confirmed: the file was transferred")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FileTransferQuerySet(ScopedQuerySet):
    # Seen by whoever sees the worker, by the organisation that kept the file when it
    # was asked for, and by the requesting organisation, which sees the request (its
    # status) but not the worker until the file is theirs: the page decides what it shows.
    scope_fields = (*about_person(), "from_org", "requesting_org")

    def kept_by(self, user):
        """Requests about files kept in the user's subtree: those the user may answer."""
        return self.filter(person__file_org__in=Organisation.objects.for_user(user))

    def addressed_to(self, user):
        """Requests to the user's subtree: it kept the file when asked, or keeps it now."""
        organisations = Organisation.objects.for_user(user)
        return self.filter(
            Q(from_org__in=organisations)
            | Q(status=FileTransferStatus.REQUESTED, person__file_org__in=organisations)
        )

    def requested_by(self, user):
        """Requests made by organisations in the user's subtree."""
        return self.filter(requesting_org__in=Organisation.objects.for_user(user))

    def open(self):
        return self.filter(status=FileTransferStatus.REQUESTED)


class FileTransfer(models.Model):
    """A request to hand a worker's file (建档) over to another organisation (档案转移).

    A worker whose file is kept outside an organisation's subtree and who now
    works there joins the union there only after the organisation keeping the
    file confirms the transfer: an ID number alone never moves a file. The
    request names the new employer (in the requester's scope); confirming
    moves the file there and opens the pending join application. Each step
    (requested; confirmed, declined or withdrawn) keeps who, when and why;
    the database allows one open request per person.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="file_transfers"
    )
    from_org = models.ForeignKey(
        Organisation,
        verbose_name=_("file kept by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the file was kept when the transfer was requested."),
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("new employer"), on_delete=models.PROTECT, related_name="+"
    )
    new_form_group = models.CharField(
        _("new forms of employment group"), max_length=20, choices=NewFormGroup.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FileTransferStatus.choices,
        default=FileTransferStatus.REQUESTED,
    )
    requesting_org = models.ForeignKey(
        Organisation,
        verbose_name=_("requested by organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    request_comment = models.TextField(_("note to the organisation keeping the file"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_comment = models.TextField(_("reason"), blank=True)
    join_application = models.OneToOneField(
        JoinApplication,
        verbose_name=_("join application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="file_transfer",
    )

    objects = FileTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("file transfer request")
        verbose_name_plural = _("file transfer requests")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("add", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=FileTransferStatus.REQUESTED),
                name="file_transfer_one_open_per_person",
                violation_error_message=_(
                    "A transfer of this person's file is already awaiting an answer."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=FileTransferStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=FileTransferStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="file_transfer_answered_iff_date",
                violation_error_message=_(
                    "An answered transfer request has the date of its answer."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=FileTransferStatus.DECLINED) | ~Q(decision_comment=""),
                name="file_transfer_declining_has_reason",
                violation_error_message=_("Declining a transfer needs a reason."),
            ),
        ]
        indexes = [
            # The requesting organisation's list of its requests, open ones first.
            models.Index(fields=["requesting_org", "status"], name="file_transfer_requester"),
            # The queue of open requests, oldest first.
            models.Index(fields=["status", "requested_at"], name="file_transfer_queue"),
        ]
        permissions = [
            ("decide_filetransfer", _("Can confirm or decline file transfer requests")),
        ]

    def __str__(self) -> str:
        # No name: the requesting organisation reads this before the file is theirs.
        return _("File transfer request %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("people:file-transfer-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == FileTransferStatus.REQUESTED


class RevealLogQuerySet(ScopedQuerySet):
    # A reveal is seen where the person revealed is seen.
    scope_fields = about_person()


class RevealLog(models.Model):
    """One reveal of a masked value: who saw which field of whom, when and from where.

    PIPL 第五十一条 asks for access control and records of processing of
    sensitive personal information; rows are only ever added.
    """

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revealed by"),
        on_delete=models.PROTECT,
        related_name="reveals",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="reveals"
    )
    field = models.CharField(_("field"), max_length=20, choices=SensitiveField.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    objects = RevealLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("reveal log entry")
        verbose_name_plural = _("reveal log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [
            # The log page lists the newest first.
            models.Index(fields=["-at"], name="reveal_log_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.by} · {self.person} · {self.get_field_display()}"

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.person_id])


class MembershipRequestKind(models.TextChoices):
    TRANSFER = "transfer", _("Transfer to the union of a new employer")
    LEAVE = "leave", _("Leave the union")


class MembershipRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the union's answer")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MembershipRequestQuerySet(ScopedQuerySet):
    # Answered by the union the worker is a member of when asking (and those above it);
    # seen, as every record about a worker, by whoever sees the worker.
    scope_fields = (*about_person(), "membership__union")

    def answered_by(self, user):
        """Requests the user may answer: those of memberships of unions in their subtree."""
        return self.filter(membership__union__in=Organisation.objects.for_user(user))

    def open(self):
        return self.filter(status=MembershipRequestStatus.REQUESTED)


class MembershipRequest(models.Model):
    """A member's own request, from the portal, to transfer (转会) or to leave (退会).

    Nothing happens when it is made: the union holding the membership confirms it
    (``membership_transfer`` or ``membership_leave`` then run) or declines it with
    a reason the worker reads; the worker may withdraw it while it is open. Each
    step keeps who, when and why; the database allows one open request per person.
    """

    kind = models.CharField(_("request"), max_length=10, choices=MembershipRequestKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="membership_requests",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        related_name="requests",
        help_text=_("The membership to end."),
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("new employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_form_group = models.CharField(
        _("new forms of employment group"), max_length=20, choices=NewFormGroup.choices, blank=True
    )
    reason = models.TextField(_("reason given by the worker"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipRequestStatus.choices,
        default=MembershipRequestStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_comment = models.TextField(_("answer"), blank=True)
    result = models.OneToOneField(
        Membership,
        verbose_name=_("new membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer or leaving request")
        verbose_name_plural = _("transfer and leaving requests")
        ordering = ["-requested_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=MembershipRequestStatus.REQUESTED),
                name="membership_request_one_open_per_person",
                violation_error_message=_("This person already has an open request."),
            ),
            models.CheckConstraint(
                condition=Q(status=MembershipRequestStatus.REQUESTED, decided_at__isnull=True)
                | (~Q(status=MembershipRequestStatus.REQUESTED) & Q(decided_at__isnull=False)),
                name="membership_request_answered_iff_date",
                violation_error_message=_("An answered request has the date of its answer."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MembershipRequestStatus.DECLINED) | ~Q(decision_comment=""),
                name="membership_request_declining_has_reason",
                violation_error_message=_("Declining a request needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=MembershipRequestKind.TRANSFER) | Q(employer__isnull=False),
                name="membership_request_transfer_names_employer",
                violation_error_message=_("A transfer request names the new employer."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=MembershipRequestKind.LEAVE) | ~Q(reason=""),
                name="membership_request_leaving_has_reason",
                violation_error_message=_("Leaving the union needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind=MembershipRequestKind.TRANSFER, status=MembershipRequestStatus.CONFIRMED
                )
                | Q(result__isnull=False),
                name="membership_request_transfer_has_result",
                violation_error_message=_("A confirmed transfer names the new membership."),
            ),
        ]
        indexes = [
            # The queue of open requests, oldest first.
            models.Index(fields=["status", "requested_at"], name="membership_request_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("membership-requests:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == MembershipRequestStatus.REQUESTED
