"""A user-visible record of a background job and its progress.

The job itself runs as a django-tasks task (database backend, ``db_worker``);
this row is what the person who started it watches: status, progress, the
message and the file it produced.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(_("message"), blank=True)
    result_file = models.CharField(max_length=255, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    # What the job found, for its page (a kind's ``outcome_template`` shows it).
    outcome = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The starter's interface language: messages and files the job writes use it.
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_user_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
