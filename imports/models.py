"""Import runs, what each run brought in, and the old links that lead to it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from blog.models import Course, Post
from coursepages.models import Page

# A running import writes its heartbeat at least every HEARTBEAT_EVERY; one silent for
# DEAD_AFTER lost its worker (killed, or the machine went down) and is given up.
HEARTBEAT_EVERY = timedelta(seconds=30)
DEAD_AFTER = timedelta(minutes=10)
STOPPED = "The import stopped"  # how the error of a run that didn't finish begins


def upload_path(instance, filename):
    suffix = ".zip" if filename.lower().endswith(".zip") else ".xml"
    return f"imports/{secrets.token_hex(16)}{suffix}"


class ImportRunQuerySet(models.QuerySet):
    def dead(self):
        """Running runs whose worker has been silent for DEAD_AFTER."""
        silent_since = timezone.now() - DEAD_AFTER
        return self.filter(status=ImportRun.Status.RUNNING).filter(
            models.Q(heartbeat__lt=silent_since)
            | models.Q(heartbeat__isnull=True, created__lt=silent_since)
        )

    def active(self):
        """Queued or running, and not dead."""
        return self.filter(status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).exclude(
            pk__in=self.dead().values("pk")
        )


class ImportRun(models.Model):
    """One import of a WordPress export (WXR) into a course."""

    # A worker (`manage.py db_worker`) polls the queue every second: a run still queued
    # after this long has no worker to run it.
    WORKER_GRACE = timedelta(seconds=20)

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Refused"
        UNDONE = "undone", "Undone"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="import_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    source_name = models.CharField(max_length=255, blank=True)
    export_file = models.FileField(upload_to=upload_path, blank=True)
    media_file = models.FileField(upload_to=upload_path, blank=True)
    award_category = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it."
    )

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Import {self.pk} into {self.course}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.UNDONE)

    @property
    def was_refused(self):
        """Failed because of its file (not because it stopped on the way)."""
        return self.status == self.Status.FAILED and not self.error.startswith(STOPPED)

    @property
    def status_label(self):
        """The status in words: a run that failed on the way (its worker died, say) was
        stopped, not refused."""
        if self.status == self.Status.FAILED and not self.was_refused:
            return "Stopped"
        return self.get_status_display()

    @property
    def is_dead(self):
        """Running, but its worker has been silent for DEAD_AFTER."""
        last = self.heartbeat or self.created
        return self.status == self.Status.RUNNING and last < timezone.now() - DEAD_AFTER

    @property
    def waits_for_worker(self):
        """Queued, and no worker has picked it up (the task marks it running first)."""
        return self.status == self.Status.QUEUED and (
            timezone.now() - self.created > self.WORKER_GRACE
        )

    @property
    def can_be_undone(self):
        return self.status == self.Status.DONE

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


class ImportedItem(models.Model):
    """A WordPress item (post, comment, author, attachment...) and the object it became.

    Re-importing looks items up here (by WordPress id or guid), so nothing is duplicated;
    ``created`` rows are what undoing their run deletes.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        COMMENT = "comment", "Comment"
        USER = "user", "User"
        TOPIC = "topic", "Topic"
        AWARD = "award", "Award"
        GRANT = "grant", "Award grant"
        MEMBERSHIP = "membership", "Membership"
        IMAGE = "image", "Body image"
        PAGE = "page", "Course page"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="imported_items")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    wp_id = models.BigIntegerField(null=True, blank=True)
    guid = models.CharField(max_length=500, blank=True)
    object_id = models.BigIntegerField()
    created = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "kind", "wp_id"], name="imported_item_unique_wp_id"
            )
        ]
        indexes = [models.Index(fields=["course", "kind", "guid"])]

    def __str__(self):
        return f"{self.kind} {self.wp_id} → {self.object_id}"


class OldLink(models.Model):
    """A permalink of the old WordPress site, answered with 301 to its new home.

    ``post`` and ``page`` empty means the course's feed (the old feed URLs)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="old_links")
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="old_links")
    host = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=500)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="old_links"
    )
    # A WordPress page's old link leads to the course page it became (coursepages).
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="old_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "host", "path"], name="old_link_unique")
        ]
        indexes = [models.Index(fields=["path"])]

    def __str__(self):
        return f"{self.host}{self.path}"


class Placeholder(models.Model):
    """An inactive account standing in for a WordPress author or commenter nobody has
    claimed yet. Whoever signs in with this verified email takes over its posts and
    comments (see imports.claims). The address lives here, not on the user, so the
    person can still sign up with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_placeholder"
    )
    email = models.EmailField(db_index=True, blank=True, help_text="Empty: nobody can claim it.")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Placeholder for {self.email}"
