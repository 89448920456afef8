"""The worker's side: accounts signed into by a mobile number and a one-time code,
their sessions, and the binding of an account to the worker's person file.

A worker account is not a staff account (``accounts.User``): it holds no role,
belongs to no organisation and is never signed into the console. Its session is a
cookie of its own, sent to ``/m/`` only, so the console never sees it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import CiphertextField, decrypt
from gonghui.core.phones import mask_phone
from gonghui.core.scope import ScopedQuerySet
from gonghui.people.models import about_person

PHONE_CONTEXT = "portal.workeraccount.phone"


class WorkerAccount(models.Model):
    """One mobile number's account. ``person`` is the file it is bound to, once the
    binding is done (directly, or confirmed by the worker's union)."""

    phone_encrypted = CiphertextField(_("mobile phone (encrypted)"), context=PHONE_CONTEXT)
    #: ``people.models.phone_hash`` of the number: the same hash a person file keeps,
    #: so the binding can tell whether the file holds this very number.
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        # A file erased takes the binding with it; the phone's account stays, unbound.
        on_delete=models.SET_NULL,
        related_name="portal_account",
    )
    bound_at = models.DateTimeField(_("bound at"), null=True, blank=True)
    binding_failures = models.PositiveSmallIntegerField(default=0)
    binding_locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker account")
        verbose_name_plural = _("worker accounts")

    def __str__(self) -> str:
        return self.masked_phone

    @property
    def phone(self) -> str:
        return decrypt(self.phone_encrypted, context=PHONE_CONTEXT)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class SignInCode(models.Model):
    """A six-digit code sent to a number. Only its keyed hash is kept; it lasts five
    minutes, is used once, and dies after five wrong tries. The rows also count the
    codes sent, per number and per address, for the sending limits."""

    phone_hash = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="signincode_phone"),
            models.Index(fields=["address", "created_at"], name="signincode_address"),
        ]

    def __str__(self) -> str:
        return f"sign-in code {self.pk}"


class PortalSession(models.Model):
    """A signed-in phone. The cookie holds a random token; the row its hash, so a copy
    of the table signs nobody in. Signing out ends the row, not just the cookie."""

    account = models.ForeignKey(WorkerAccount, on_delete=models.CASCADE, related_name="sessions")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"portal session {self.pk}"


class BindingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the union")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")


class BindingReason(models.TextChoices):
    """Why knowing a name and an ID number was not enough."""

    OTHER_PHONE = "other_phone", _("The file holds another mobile number")
    BOUND_ELSEWHERE = "bound_elsewhere", _("The file is bound to another account")


class BindingRequestQuerySet(ScopedQuerySet):
    #: Whoever sees the worker's file may confirm the binding.
    scope_fields = about_person()


class BindingRequest(models.Model):
    """A binding that waits for the worker's union to confirm that this number's
    owner is the person of the file (the union knows its members; a stranger who
    learnt a name and an ID number does not get the file)."""

    account = models.ForeignKey(
        WorkerAccount, on_delete=models.CASCADE, related_name="binding_requests"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="binding_requests"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=BindingReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=BindingStatus.choices, default=BindingStatus.PENDING
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    objects = BindingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("binding request")
        verbose_name_plural = _("binding requests")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open request per account: a second waits for the first's answer.
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="pending"),
                name="bindingrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return str(_("Binding request %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("bindings:detail", args=[self.pk])


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class CorrectionRequestQuerySet(ScopedQuerySet):
    #: Whoever sees the worker's file answers the request.
    scope_fields = about_person()


class CorrectionRequest(models.Model):
    """A worker asks for something held about them to be corrected (PIPL art. 46). The
    worker's union answers within ``CORRECTION_WORKING_DAYS`` working days."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    text = models.TextField(_("what is wrong, and what is right"), max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.OPEN,
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    due_on = models.DateField(_("answer due by"))
    answer = models.TextField(_("answer"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="correctionrequest_answered_has_answer",
            )
        ]

    def __str__(self) -> str:
        return str(_("Correction request %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("corrections:detail", args=[self.pk])


class Draft(models.Model):
    """What a worker typed into a portal form and has not sent yet, kept on the server
    as they type (``static/portal/portal.js``), so that a dropped connection or a
    closed page loses nothing. Encrypted: a form may hold a reason or a wish."""

    account = models.ForeignKey(WorkerAccount, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=40)
    data_encrypted = CiphertextField(context="portal.draft.data")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="draft_one_per_form")
        ]

    def __str__(self) -> str:
        return f"draft {self.key}"
