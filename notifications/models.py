from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardGrant
from blog.models import Post
from comments.models import Comment
from coursepages.models import Page

USER_UNSUBSCRIBE_SALT = "notifications.unsubscribe.user"
GUEST_UNSUBSCRIBE_SALT = "notifications.unsubscribe.guest"


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """All of the user's notifications (what "mark all as read" marks)."""
        return self.filter(recipient=user)

    def shown_to(self, user):
        """The user's notifications about posts (and course pages) they may read now
        (Post.visible_to, Page.visible_to, in the same query): one about a post whose
        visibility narrowed, or in a course they left, is kept but not shown
        (docs/privacy.md)."""
        return self.for_recipient(user).filter(
            Q(post__in=Post.objects.visible_to(user)) | Q(page__in=Page.objects.visible_to(user))
        )

    def unread(self):
        return self.filter(read_at__isnull=True)

    def about(self, comment):
        return self.filter(comment=comment)

    def with_targets(self):
        """What a list shows and links to, in the same query."""
        return self.select_related("post__course", "page__course", "comment", "grant__award")

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT_ON_POST = "comment_on_post", "A new comment on your post"
        REPLY_TO_COMMENT = "reply_to_comment", "A reply to your comment"
        AWARD_RECEIVED = "award_received", "Your post received an award"
        COMMENT_PENDING = "comment_pending", "A comment in your course awaits moderation"
        FEEDBACK = "feedback", "New private feedback on a post"
        DUE_SOON = "due_soon", "An assignment is due within a day"  # email only
        GRADE = "grade", "A grade for your response"
        GRADE_CHANGED = "grade_changed", "A changed grade for your response"
        POST_LIVE = "post_live", "Your scheduled post went live"
        ANNOUNCEMENT = "announcement", "An announcement pinned in your course"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What it is about: a post, or a course page (a comment on it); exactly one.
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    grant = models.ForeignKey(
        AwardGrant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    feedback = models.ForeignKey(
        "assignments.Feedback", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, page__isnull=True)
                | Q(post__isnull=True, page__isnull=False),
                name="notification_about_a_post_or_a_page",
            )
        ]

    def __str__(self):
        return f"To {self.recipient_id}: {self.text}"

    def get_absolute_url(self):
        """The exact thing it is about: the comment's anchor, or the post's awards."""
        if self.comment_id:
            return f"{self.target.get_absolute_url()}#comment-{self.comment_id}"
        if self.grant_id:
            return f"{self.post.get_absolute_url()}#awards"
        if self.kind == self.Kind.FEEDBACK:
            return f"{self.post.get_absolute_url()}#feedback"
        if self.kind in PRIVATE_TO_AUTHOR:
            return f"{self.post.get_absolute_url()}#response"
        return self.post.get_absolute_url()

    @property
    def target(self):
        """The post, or the course page, it is about (Comment.target's two)."""
        return self.post if self.page_id is None else self.page

    @property
    def is_read(self):
        return self.read_at is not None

    @property
    def text(self):
        actor, title = self.actor_name or "Someone", self.target.title
        if self.kind == self.Kind.COMMENT_ON_POST:
            what = "page" if self.page_id else "post"
            return f"{actor} commented on your {what} “{title}”"
        if self.kind == self.Kind.REPLY_TO_COMMENT:
            return f"{actor} replied to your comment on “{title}”"
        if self.kind == self.Kind.AWARD_RECEIVED:
            return f"Your post “{title}” received the {self.grant.award.name} award"
        if self.kind == self.Kind.GRADE:
            return f"{actor} graded your response “{title}”"
        if self.kind == self.Kind.GRADE_CHANGED:
            return f"{actor} changed the grade of your response “{title}”"
        if self.kind == self.Kind.POST_LIVE:
            return f"Your scheduled post “{title}” is now live"
        if self.kind == self.Kind.ANNOUNCEMENT:
            return f"{actor} pinned an announcement in {self.post.course.title}: “{title}”"
        if self.kind == self.Kind.FEEDBACK:
            if self.recipient_id == self.post.author_id:
                return f"{actor} wrote private feedback on your post “{title}”"
            return f"{actor} replied in the private feedback on “{title}”"
        return f"A comment by {actor} on “{title}” awaits moderation"

    def mark_read(self):
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


# What only the post's author and the course's instructors may read (post.can_see_feedback).
PRIVATE_TO_AUTHOR = frozenset({Notification.Kind.GRADE, Notification.Kind.GRADE_CHANGED})
PRIVATE_KINDS = PRIVATE_TO_AUTHOR | {Notification.Kind.FEEDBACK}

# Kinds that share another kind's email switch.
EMAIL_SETTING_OF = {Notification.Kind.GRADE_CHANGED: Notification.Kind.GRADE}


class NotificationPreferenceQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's saved switches, or the defaults (all on) as an unsaved row."""
        return self.filter(user=user).first() or self.model(user=user)


class NotificationPreference(models.Model):
    """Which notifications a user also wants by email: one switch per kind."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_comment_on_post = models.BooleanField("New comments on my posts", default=True)
    email_reply_to_comment = models.BooleanField("Replies to my comments", default=True)
    email_award_received = models.BooleanField("Awards for my posts", default=True)
    email_comment_pending = models.BooleanField(
        "Comments awaiting my moderation (instructors)", default=True
    )
    email_feedback = models.BooleanField(
        "Private feedback on my posts (and students' replies, for instructors)", default=True
    )
    email_due_soon = models.BooleanField(
        "Reminders of assignments due within a day that I haven't submitted", default=True
    )
    email_grade = models.BooleanField("Grades of my responses, and changes to them", default=True)
    email_post_live = models.BooleanField("My scheduled posts going live", default=True)
    email_announcement = models.BooleanField("Announcements pinned in my courses", default=True)

    objects = NotificationPreferenceQuerySet.as_manager()

    def __str__(self):
        return f"Email preferences of {self.user}"

    @staticmethod
    def field_for(kind):
        return f"email_{EMAIL_SETTING_OF.get(kind, kind)}"

    def wants_email(self, kind):
        return getattr(self, self.field_for(kind))

    def turn_off(self, kind):
        setattr(self, self.field_for(kind), False)
        self.save()

    @staticmethod
    def unsubscribe_token(user, kind):
        return signing.dumps({"user": user.pk, "kind": kind}, salt=USER_UNSUBSCRIBE_SALT)

    @staticmethod
    def read_unsubscribe_token(token):
        """(user id, kind) from a token; raises signing.BadSignature if tampered with."""
        data = signing.loads(token, salt=USER_UNSUBSCRIBE_SALT)
        if not isinstance(data, dict) or data.get("kind") not in Notification.Kind.values:
            raise signing.BadSignature("Not an unsubscribe token.")
        return data["user"], data["kind"]

    @classmethod
    def unsubscribe_url(cls, user, kind):
        return reverse("notifications:unsubscribe", args=[cls.unsubscribe_token(user, kind)])


class GuestSubscriptionQuerySet(models.QuerySet):
    def for_thread(self, post, root_id):
        """Subscriptions to the whole post or to the thread under root_id."""
        return self.filter(post=post).filter(Q(root__isnull=True) | Q(root_id=root_id))

    def confirmed(self):
        """Only once a moderator approved the guest's comment do we email them: a
        stranger can't sign someone else's address up for mail."""
        return self.filter(comment__status=Comment.Status.APPROVED)

    def excluding_email(self, email):
        return self.exclude(email__iexact=email) if email else self


class GuestSubscription(models.Model):
    """Someone who ticked "Notify me of follow-up comments by email": a guest, or a
    signed-in commenter (by their address). New ones follow the whole post; older guest
    subscriptions may follow one thread (``root``)."""

    email = models.EmailField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    root = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The thread followed; empty for the whole post.",
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The guest's comment that asked for it.",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = GuestSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "root"],
                condition=Q(root__isnull=False),
                name="guest_subscription_unique_per_thread",
            ),
            models.UniqueConstraint(
                fields=["email", "post"],
                condition=Q(root__isnull=True),
                name="guest_subscription_unique_per_post",
            ),
        ]

    def __str__(self):
        return f"{self.email} follows {self.post}"

    @property
    def subscriber(self):
        """The user who asked to follow (their comment's author), or None for a guest."""
        return self.comment.author if self.comment.author_id else None

    @property
    def unsubscribe_token(self):
        return signing.dumps({"subscription": self.pk}, salt=GUEST_UNSUBSCRIBE_SALT)

    @staticmethod
    def read_unsubscribe_token(token):
        """The subscription id; raises signing.BadSignature if tampered with."""
        data = signing.loads(token, salt=GUEST_UNSUBSCRIBE_SALT)
        if not isinstance(data, dict) or not isinstance(data.get("subscription"), int):
            raise signing.BadSignature("Not a guest unsubscribe token.")
        return data["subscription"]

    def get_unsubscribe_url(self):
        return reverse("notifications:guest_unsubscribe", args=[self.unsubscribe_token])
