"""LTI 1.3 connections (docs/lti.md): the platforms (LMSs) a site admin registered,
their deployments, the tool's own signing keys, who is who on each platform, and which
Commonplace course each LMS course (context) is linked to."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from blog.models import Role


class Platform(models.Model):
    """An LMS registration: one issuer and the client id it gave Commonplace."""

    name = models.CharField(max_length=200, blank=True)
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=300)
    auth_url = models.URLField("OIDC authorization URL", max_length=500)
    token_url = models.URLField("access token URL", max_length=500)
    jwks_url = models.URLField("public keyset (JWKS) URL", max_length=500)
    token_audience = models.CharField(
        "access token audience",
        max_length=500,
        blank=True,
        help_text="The aud of the signed assertion in a token request, when the LMS names "
        "one other than its token URL (Brightspace's OAuth2 Audience, "
        "https://api.brightspace.com/auth/token; Dynamic Registration's "
        "authorization_server). Empty: the token URL.",
    )
    trusts_email = models.BooleanField(
        "trusted for email",
        default=False,
        help_text="Link a launch to an existing account when the platform's email matches "
        "that account's verified address. Only for an LMS whose addresses you trust.",
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "issuer"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique")
        ]

    def __str__(self):
        return self.name or self.issuer


class Deployment(models.Model):
    """A deployment id the platform sends in launches; launches with any other fail."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "deployment_id"], name="lti_deployment_unique"
            )
        ]

    def __str__(self):
        return self.deployment_id


class ToolKeyQuerySet(models.QuerySet):
    def published(self, now=None):
        """The keys in the JWKS: the current one and those retired within the grace period."""
        since = (now or timezone.now()) - timedelta(days=settings.LTI_KEY_GRACE_DAYS)
        return self.filter(models.Q(retired_at__isnull=True) | models.Q(retired_at__gt=since))

    def current(self):
        return self.filter(retired_at__isnull=True).order_by("-created").first()


class ToolKey(models.Model):
    """The tool's RSA key for signing (deep linking responses, token requests). Rotating
    retires the current key; its public half stays in the JWKS for the grace period
    (settings.LTI_KEY_GRACE_DAYS) so messages signed just before still verify."""

    kid = models.CharField(max_length=64, unique=True, editable=False)
    private_pem = models.TextField(editable=False)
    public_jwk = models.JSONField(editable=False)
    created = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ToolKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.kid


def new_state():
    return secrets.token_urlsafe(32)


class LoginAttempt(models.Model):
    """An OIDC login the platform started: the state and nonce we sent it, kept until
    the launch comes back. A launch consumes its attempt (deletes the row), so a nonce
    is used once across every app server: the database decides, not a process."""

    LIFETIME = timedelta(minutes=10)

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=64, unique=True, default=new_state)
    nonce = models.CharField(max_length=64, default=new_state)
    # Kept in the platform's postMessage storage instead of a cookie where the platform
    # offers it (lti_storage_target): only the browser that started the login has it.
    browser_secret = models.CharField(max_length=64, default=new_state)
    # What the platform sent to start the login, to start it again in a new tab when
    # the browser kept no cookie in the LMS's frame (docs/lti.md, "Cookies").
    params = models.JSONField(default=dict)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.state

    @property
    def is_expired(self):
        return self.created < timezone.now() - self.LIFETIME


class Identity(models.Model):
    """A person as a platform knows them: (platform, sub). Never found by email alone."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="identities")
    sub = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_identities"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(fields=["platform", "sub"], name="lti_identity_unique")
        ]

    def __str__(self):
        return f"{self.sub} at {self.platform}"


class Context(models.Model):
    """An LMS course, and the one Commonplace course it is linked to (none until an
    instructor sets it up). A launch from this context reaches only that course."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="contexts")
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=300, blank=True)
    label = models.CharField(max_length=200, blank=True)
    course = models.ForeignKey(
        "blog.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="lti_contexts"
    )
    # The services the platform offered in its latest launch (roster, grades).
    memberships_url = models.URLField(max_length=500, blank=True)
    lineitems_url = models.URLField(max_length=500, blank=True)
    roster_synced_at = models.DateTimeField(null=True, blank=True)
    roster_error = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "context_id"], name="lti_context_unique")
        ]

    def __str__(self):
        return self.title or self.context_id


class Handoff(models.Model):
    """A launch that was checked inside the LMS's frame, waiting to be opened in a tab
    of its own: a single-use link, valid for a couple of minutes, that signs the person
    in first-party (the frame may keep no cookie) and goes to the course."""

    LIFETIME = timedelta(minutes=2)

    token = models.CharField(max_length=64, unique=True, default=new_state)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    next_url = models.CharField(max_length=500)
    # An instructor's launch from an unlinked context: the tab may set it up.
    setup_context = models.ForeignKey(
        Context, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.next_url

    @property
    def is_expired(self):
        return self.created < timezone.now() - self.LIFETIME


class RosterEntry(models.Model):
    """A person on the LMS course's roster as the last sync saw them. Someone who left
    the LMS course stays here as inactive while their membership goes (an inactive
    member has no role: docs/decisions.md says why the membership is removed rather
    than flagged); their posts and comments stay. Members added in Commonplace by
    hand have no entry and a sync leaves them alone."""

    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=Role.choices, blank=True)  # what it gives
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "roster entries"
        constraints = [
            models.UniqueConstraint(fields=["context", "user"], name="lti_roster_entry_unique")
        ]

    def __str__(self):
        return f"{self.user_id} in {self.context_id}"


class LineItem(models.Model):
    """An assignment's column in the LMS's grade book (Assignment and Grade Services),
    made by Commonplace or by placing the assignment through deep linking."""

    assignment = models.OneToOneField(
        "assignments.Assignment", on_delete=models.CASCADE, related_name="lti_line_item"
    )
    context = models.ForeignKey(Context, on_delete=models.CASCADE, related_name="line_items")
    url = models.URLField(max_length=500)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.url


class ScoreSend(models.Model):
    """Whether the LMS has a student's latest grade for a line item: waiting (queued or
    retrying), sent, or failed with the reason. One row per student and line item; the
    task always sends the grade as it is when it runs."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    line_item = models.ForeignKey(LineItem, on_delete=models.CASCADE, related_name="sends")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line_item", "user"], name="lti_score_send_unique")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.status}"
