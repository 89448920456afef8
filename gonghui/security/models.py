"""The security event log and the seals that chain it and the change history.

Both logs are append-only: on PostgreSQL triggers refuse UPDATE and DELETE
(migration ``0002_append_only_triggers``), and on every database each row is
sealed into a hash chain (``security.chain``) that ``gonghui audit verify`` walks.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.rows import RowInserter
from gonghui.core.scope import ScopedQuerySet


class EventKind(models.TextChoices):
    """What happened. Reveals, exports and downloads are accesses to personal data
    and are kept longer (``retention``)."""

    SIGN_IN = "sign_in", _("Sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-factor code")
    LOCKOUT = "lockout", _("Lockout")
    SIGN_OUT = "sign_out", _("Sign-out")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    OUT_OF_SCOPE = "out_of_scope", _("Record not found or outside scope")
    REVEAL = "reveal", _("Reveal of sensitive data")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    APPROVAL = "approval", _("Approval")
    PAYMENT = "payment", _("Payment")
    ROLE_CHANGE = "role_change", _("Role change")


class EventResult(models.TextChoices):
    OK = "ok", _("succeeded")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")


class Chain(models.TextChoices):
    """The hash chains. Each is pruned from its oldest end only, so rows of one
    retention share a chain: a sign-in kept six months never sits between two
    reveals kept three years."""

    SECURITY = "security", _("security events")
    ACCESS = "access", _("access to personal data")
    CHANGES = "changes", _("change history")


#: Kinds that record an access to personal data (the ``access`` chain).
ACCESS_KINDS = frozenset({EventKind.REVEAL, EventKind.EXPORT, EventKind.DOWNLOAD})


def chain_of(kind: str) -> str:
    return Chain.ACCESS if kind in ACCESS_KINDS else Chain.SECURITY


class SecurityEventQuerySet(ScopedQuerySet):
    # An event is seen where its account's organisation is seen; events of no
    # organisation (an unknown user name, a superuser) only by superusers.
    scope_fields = ("organisation",)


class SecurityEvent(models.Model):
    """One security-relevant event: who, in which role and organisation, from
    where, in which request, did what to which object, and with what result.

    Never holds a sensitive value (an ID number, a phone, a code or a password):
    ``object_repr`` and ``detail`` name things, they do not copy them.

    The account and the organisation are kept as keys without a database
    constraint and as text: the log outlives them, and a cascade on their
    deletion would be an UPDATE or DELETE of an append-only row.
    ``seq``, ``prev_hash`` and ``hash`` are empty until the row is sealed, right
    after the transaction that wrote it commits (``security.chain``).
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    result = models.CharField(
        _("result"), max_length=16, choices=EventResult.choices, default=EventResult.OK
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    roles = models.CharField(_("roles"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    chain = models.CharField(max_length=16, choices=Chain.choices, editable=False)
    seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "seq"], name="security_event_one_row_per_link"
            ),
        ]
        indexes = [
            # The console lists the newest first; pruning finds the oldest.
            models.Index(fields=["-at"], name="security_event_recent"),
            # Sealing finds the rows still waiting for their link.
            models.Index(
                fields=["id"],
                name="security_event_unsealed",
                condition=models.Q(seq__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username or '—'}"

    def save(self, *args, **kwargs):
        self.chain = chain_of(self.kind)
        super().save(*args, **kwargs)

    @classmethod
    def append(cls, **values) -> SecurityEvent:
        """A new row of the log, as ``create()`` would write it, by an INSERT written
        once (``core.rows``): every card check and every reveal appends one, and the
        ORM took longer to build the statement than the database to run it."""
        event = cls(**values)
        event.chain = chain_of(event.kind)
        return _APPEND.insert(event)


_APPEND = RowInserter(SecurityEvent)


class AuditSeal(models.Model):
    """The link of one change-history entry (django-auditlog's LogEntry) in the
    ``changes`` chain: auditlog's table is not this project's to add columns to.

    ``actor_id`` keeps the entry's actor as it was when sealed: deleting an account
    sets the entry's actor to NULL (the one change the trigger allows), and the
    chain still proves who it was.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    entry_id = models.PositiveBigIntegerField(unique=True)
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: The entry's time, for the retention check of the pruning trigger.
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.seq}: {self.entry_id}"


class ChainHead(models.Model):
    """The end of one chain, and where it now starts after pruning.

    Sealing locks this row (``SELECT … FOR UPDATE``), so two writers never fork
    the chain. ``pruned_seq``/``pruned_hash`` are the checkpoint: the last link
    pruned, whose hash the first remaining link carries as its ``prev_hash``.
    """

    chain = models.CharField(max_length=16, choices=Chain.choices, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    pruned_seq = models.PositiveBigIntegerField(default=0)
    pruned_hash = models.CharField(max_length=64, blank=True)
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.chain}: {self.last_seq}"


class ChangeRecordQuerySet(ScopedQuerySet):
    # A change is seen where the account that made it is seen.
    scope_fields = ("actor__organisation",)


class ChangeRecord(LogEntry):
    """django-auditlog's change history, scoped for the auditor's console."""

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        proxy = True
        default_permissions = ()
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("change record")
        verbose_name_plural = _("change history")

    @property
    def changes_shown(self) -> str:
        """Each change as "field: before → after"; a many-to-many change (an account's
        roles) as the names added or removed. auditlog's own ``changes_str`` reads
        every change as a pair, which a many-to-many entry is not."""
        parts = []
        for name, change in (self.changes_dict or {}).items():
            if isinstance(change, dict) and change.get("type") == "m2m":
                sign = "-" if change.get("operation") in ("delete", "clear") else "+"
                objects = ", ".join(str(item) for item in change.get("objects", []))
                parts.append(f"{name}: {sign}{objects}")
            elif isinstance(change, (list, tuple)) and len(change) == 2:
                parts.append(f"{name}: {change[0]} → {change[1]}")
        return "; ".join(parts)
