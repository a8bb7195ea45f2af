"""What privacy keeps: the exports people asked for ("Download my data") and the log of
erasures. docs/privacy.md explains both."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

EXPORT_LIFETIME = timedelta(days=7)
EXPORT_FOLDER = "exports"


def export_path(instance, filename):
    """Private storage (never under a public prefix), a name nobody can guess."""
    return f"{EXPORT_FOLDER}/{instance.user_id}/{secrets.token_hex(16)}.zip"


class DataExportQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unfinished(self):
        return self.filter(status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING])


class DataExport(models.Model):
    """One "Download my data": asked by the person, or by staff for them (a subject
    access request). The row is the log of who asked and when; the file goes when it
    expires or the person is erased."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person themself, or the staff member who ran a subject access request.",
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=export_path, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Data export {self.pk} of user {self.user_id}"

    @property
    def by_staff(self):
        return self.requested_by_id is not None and self.requested_by_id != self.user_id

    def is_downloadable(self, *, now=None):
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.expires is not None
            and self.expires > (now or timezone.now())
        )

    def can_download(self, user):
        """Only the person it is about, and only while it lasts."""
        return user.is_authenticated and user.pk == self.user_id and self.is_downloadable()


class Erasure(models.Model):
    """The log of an erasure: which account (by number: the name is gone), who erased
    it and when, and what became of their posts. Holds nothing that names the person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The anonymised account (former-student-<id>).",
    )
    user_number = models.PositiveBigIntegerField("account number")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Staff who erased the account; empty when the person did it themself.",
    )
    by_self = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Erasure of account {self.user_number}"
