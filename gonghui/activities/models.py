"""Cultural and sports activities (文体活动): an activity a union organises, the workers
signed up for it (and those waiting for a place), their check-in at the door, and the
photos taken afterwards.

The places taken are a counter on the activity (``signed_up_count``), changed only by
the services under a lock on the activity's row; the database refuses a counter above
the capacity (``activity_within_capacity``), so no path can overfill an activity. A
worker holds at most one active sign-up per activity (``signup_one_active``), so a
double tap makes one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person


class ActivityKind(models.TextChoices):
    SPORTS = "sports", _("Sports")
    CULTURE = "culture", _("Culture")
    OUTING = "outing", _("Outing")
    TRAINING = "training", _("Training")
    VOLUNTEERING = "volunteering", _("Volunteering")
    MODEL_WORKERS_TO_SCHOOLS = "model_workers_to_schools", _("Model workers visit schools")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    """Who may join: the organising union's own members, or every worker under it."""

    MEMBERS = "members", _("Members of the organising union")
    SUBTREE = "subtree", _("Every worker under the organising union")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


#: The statuses that hold a worker's one sign-up of an activity.
ACTIVE = (SignUpStatus.SIGNED_UP, SignUpStatus.WAITING, SignUpStatus.ATTENDED)
#: The statuses that take one of the activity's places.
HOLDS_PLACE = (SignUpStatus.SIGNED_UP, SignUpStatus.ATTENDED)


class ActivityQuerySet(ScopedQuerySet):
    """Seen and organised in the organiser's subtree (the worker's side is
    ``selectors.activities_for_worker``)."""

    scope_fields = ("organiser",)


class Activity(models.Model):
    """An activity: who organises it, what and when, how many places, who may join, and
    when signing up is open."""

    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    audience = models.CharField(
        _("who may join"), max_length=10, choices=Audience.choices, default=Audience.SUBTREE
    )
    signup_opens_at = models.DateTimeField(_("sign-up opens at"))
    signup_closes_at = models.DateTimeField(_("sign-up closes at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.DRAFT,
        editable=False,
    )
    # The places taken (signed up or attended), kept by the services under the row's
    # lock; the check constraint below is the database's own guard.
    signed_up_count = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(signup_closes_at__gt=F("signup_opens_at"))
                & Q(signup_closes_at__lte=F("starts_at")),
                name="activity_signup_window",
                violation_error_message=_(
                    "Sign-up closes after it opens, and no later than the activity starts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="activity_capacity_positive",
                violation_error_message=_("An activity has at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(signed_up_count__lte=F("capacity")),
                name="activity_within_capacity",
                violation_error_message=_("The places taken cannot exceed the places."),
            ),
        ]
        indexes = [
            # The portal's list: the activities of a few organisers (the worker's union
            # and those above it), open, in order of their start.
            models.Index(fields=["organiser", "status", "starts_at"], name="activity_portal_list"),
            # The reminders: open activities starting tomorrow.
            models.Index(fields=["status", "starts_at"], name="activity_status_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.signed_up_count, 0)

    def signup_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == ActivityStatus.OPEN
            and self.signup_opens_at <= at < self.signup_closes_at
        )


class SignUpQuerySet(ScopedQuerySet):
    scope_fields = ("activity__organiser",)

    def active(self):
        return self.filter(status__in=ACTIVE)


class SignUp(models.Model):
    """A worker's sign-up for an activity: with a place, waiting for one (by their turn
    in ``waiting_position``), cancelled, or attended (checked in at the door)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="signups"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="activity_signups"
    )
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus.choices)
    # The turn on the waiting list: numbers only grow, so the first waiting is the
    # lowest; the position shown to a worker is counted from them.
    waiting_position = models.PositiveIntegerField(_("turn on the waiting list"), null=True)
    signed_up_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["signed_up", "waiting", "attended"]),
                name="signup_one_active",
                violation_error_message=_("This worker has already signed up for this activity."),
            ),
            models.UniqueConstraint(
                fields=["activity", "waiting_position"],
                condition=Q(status="waiting"),
                name="signup_one_turn",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting_position__isnull=False)
                | (~Q(status="waiting") & Q(waiting_position__isnull=True)),
                name="signup_waiting_has_turn",
            ),
            models.CheckConstraint(
                condition=Q(status="attended", checked_in_at__isnull=False)
                | (~Q(status="attended") & Q(checked_in_at__isnull=True)),
                name="signup_attended_checked_in",
            ),
        ]
        indexes = [
            # "My activities": a worker's sign-ups, newest first.
            models.Index(fields=["person", "-signed_up_at"], name="signup_person_recent"),
            # Attendance: an activity's sign-ups by status, counted from the index alone
            # (100,000 sign-ups of a year's activities: 22 ms against 315 ms).
            models.Index(fields=["activity", "status"], name="signup_activity_status"),
        ]

    def __str__(self):
        return f"{self.person} · {self.activity}"


def activity_photo_path(instance, filename: str) -> str:
    return f"activity-photos/{timezone.now():%Y}/{uuid.uuid4().hex}.jpg"


class ActivityPhotoQuerySet(ScopedQuerySet):
    scope_fields = ("activity__organiser",)


class ActivityPhoto(models.Model):
    """A photo of an activity, taken afterwards (kept upright, small, without metadata)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=activity_photo_path, max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.caption or str(self.activity)
