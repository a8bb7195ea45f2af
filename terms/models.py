"""Archives of a course: each build, its progress and its zip (terms/archive.py)."""

import secrets

from django.conf import settings
from django.db import models

from blog.models import Course


def archive_path(instance, filename):
    """Private: never served as media, only by the archive's download views."""
    suffix = ".wacz" if filename.endswith(".wacz") else ".zip"
    return f"archives/{secrets.token_hex(16)}{suffix}"


class ArchiveRun(models.Model):
    """One build of a course's static archive, public or for members."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="archive_runs")
    members = models.BooleanField(default=False, help_text="What a member sees, not the public.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="archive_runs",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=archive_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    wacz = models.FileField(upload_to=archive_path, blank=True, help_text="The same, as WACZ.")
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        kind = "members'" if self.members else "public"
        return f"{kind} archive {self.pk} of {self.course}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def kind(self):
        return "members" if self.members else "public"

    @property
    def download_name(self):
        return f"{self.course.slug}-{self.kind}-archive.zip"

    @property
    def wacz_name(self):
        return f"{self.course.slug}-{self.kind}-archive.wacz"
