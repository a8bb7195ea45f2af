import unicodedata
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import DEFERRED, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.names import shown_name
from blog.embeds import show_media
from blog.models import Membership, Post
from blog.rendering import render_comment_markdown
from config.db import count_of, ids_of

MAX_BODY_LENGTH = 10_000
MAX_GUEST_NAME_LENGTH = 100
NAME_FALLBACK = "Someone"  # an author whose account was deleted, or a nameless import


def has_control_characters(text):
    """Control characters and the bidirectional overrides that can disguise a name."""
    return any(
        unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
        for ch in text
    )


# What a thread shows of each comment and its author (``only`` keeps the rows small).
THREAD_FIELDS = [
    "post", "page", "parent", "author", "guest_name", "guest_website", "body_html",
    "status", "created", "edited",
]  # fmt: skip
THREAD_AUTHOR_FIELDS = [
    "username", "display_name", "first_name", "last_name", "avatar", "name_in_public", "pseudonym",
]  # fmt: skip


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_post(self, post):
        return self.filter(post=post)

    def for_target(self, target):
        """The comments of a post or of a course page (``target_field``)."""
        return self.filter(**{target_field(target): target})

    def on_posts(self):
        return self.filter(page__isnull=True)

    def on_pages(self):
        return self.filter(post__isnull=True)

    def for_course(self, course):
        return self.filter(Q(post__course=course) | Q(page__course=course))

    def awaiting_moderation(self):
        return self.filter(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])

    def by_guest(self, email):
        return self.filter(author__isnull=True, guest_email__iexact=email)

    def with_thread(self, *, viewer, course_id=None):
        """What a thread shows, in this one query: the author and their role in the
        course (`course_id`: the thread's course, else each comment's post's), like
        counts and whether the viewer likes each comment."""
        course = course_id if course_id is not None else OuterRef("post__course_id")
        role = Membership.objects.filter(course_id=course, user_id=OuterRef("author_id")).values(
            "role"
        )[:1]
        liked = (
            Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user_id=viewer.pk))
            if viewer.is_authenticated
            else models.Value(False)
        )
        return (
            self.select_related("author")
            .only(*THREAD_FIELDS, *(f"author__{f}" for f in THREAD_AUTHOR_FIELDS))
            .annotate(
                like_count=like_counts(),
                author_role=Subquery(role),
                liked_by_viewer=liked,
            )
            .order_by("created", "pk")
        )

    def deepest_allowed_parent_id(self, parent_id, *, depth):
        """Id of the comment a reply to `parent_id` hangs under (``reply_parent_id``).
        One query, however deep the thread."""
        if parent_id is None or depth <= 1:
            return None
        parents = dict(self.order_by().values_list("pk", "parent_id"))
        return reply_parent_id(parent_id, parents, depth=depth)

    def thread_root_id(self, comment_id):
        """Id of the top-level comment whose thread holds `comment_id`. One query."""
        parents = dict(self.order_by().values_list("pk", "parent_id"))
        while parents.get(comment_id) is not None:
            comment_id = parents[comment_id]
        return comment_id


def reply_parent_id(parent_id, parents, *, depth, memo=None):
    """The one depth rule: the id of the comment a reply to `parent_id` hangs under when
    threads nest `depth` levels (1 = no replies). It is the parent itself if the parent
    is at most at level depth - 1 (top level = 1), else where a reply to the parent's
    parent would hang. None: the top level.

    `parents` maps comment ids to their parent ids. `memo` ({id: (level, id)}), shared
    across calls on one thread, makes each call constant time on average.
    """
    if parent_id is None or depth <= 1:
        return None
    memo = {} if memo is None else memo
    path, pk = [], parent_id
    while pk is not None and pk not in memo:  # up to the top, or to an answer known
        path.append(pk)
        pk = parents.get(pk)
    level, target = memo[pk] if pk is not None else (0, None)
    for pk in reversed(path):  # back down, top first
        level += 1
        target = pk if level <= depth - 1 else target
        memo[pk] = (level, target)
    return memo[parent_id][1]


def target_field(target):
    """ "post" or "page": the Comment field that points at `target` (a blog Post, or a
    coursepages Page, named here without importing its app)."""
    return "post" if isinstance(target, Post) else "page"


def like_counts():
    """Subquery: the number of likes of the comment in the outer query (one rule)."""
    return count_of(CommentLike.objects.all(), "comment")


def with_reader_comment_likes(posts, reader, *, field="post"):
    """Post page loader: annotate ``reader_comment_likes``, the ids of the post's
    comments the signed-in reader likes (``config.db.id_set`` reads it), for the
    member page cache's Like holes (comments.threads.fill_like). A course page's
    lookup calls it with ``field="page"``."""
    if not reader.is_authenticated:
        return posts
    mine = CommentLike.objects.filter(user_id=reader.pk)
    return posts.annotate(reader_comment_likes=ids_of(mine, f"comment__{field}", "comment_id"))


def with_comment_counts(posts):
    """Card loader: annotate ``comment_count``, the post's approved comments."""
    return posts.annotate(comment_count=count_of(Comment.objects.approved(), "post"))


class Comment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Pending"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    # On a post or on a course page: exactly one is set (``target``). The page is named
    # by its label so comments imports nothing of coursepages (docs/decisions.md).
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    page = models.ForeignKey(
        "coursepages.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField("name", max_length=MAX_GUEST_NAME_LENGTH, blank=True)
    guest_email = models.EmailField("email", blank=True, help_text="Never shown.")
    guest_website = models.URLField("website", max_length=300, blank=True)
    body = models.TextField(max_length=MAX_BODY_LENGTH)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["post", "created"]),
            models.Index(fields=["page", "created"]),
            models.Index(fields=["status", "created"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, page__isnull=True)
                | Q(post__isnull=True, page__isnull=False),
                name="comment_on_a_post_or_a_page",
            )
        ]

    def __str__(self):
        return f"{self.name} on {self.target}: {self.body[:40]}"

    def save(self, *args, **kwargs):
        # Embeds from their records (blog/embeds.py), resolved before the save.
        html = render_comment_markdown(self.body)
        self.body_html = show_media(html, course_id=self.target.course_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#comment-{self.pk}"

    # --- What it is on: a post or a course page (the same questions of both) ---

    @property
    def target(self):
        """The post or the course page it is on. Both answer what a comment asks:
        ``course``, ``title``, ``author_id``, ``get_absolute_url``, ``can_read``,
        ``can_comment``, ``can_like`` (its comments') and ``step_to_like``."""
        return self.post if self.page_id is None else self.page

    @target.setter
    def target(self, target):
        setattr(self, target_field(target), target)

    @property
    def course(self):
        return self.target.course

    @property
    def is_on_page(self):
        return self.page_id is not None

    def get_reply_url(self):
        return reverse("comments:comment_reply", kwargs={"pk": self.pk})

    @property
    def name(self):
        """The name shown everywhere (thread, admin, emails): the author's, or the
        guest's as typed."""
        if self.author_id:
            return self.author.name
        return self.guest_name or NAME_FALLBACK

    def name_shown_to(self, viewer):
        """The name `viewer` sees: a guest's as typed, a member's as accounts.names
        decides (a student's public name outside the course)."""
        if self.author_id:
            return shown_name(self.author, self.course, viewer).text
        return self.name

    @property
    def is_guest(self):
        return self.author_id is None

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_removed(self):
        return self.status == self.Status.REMOVED

    def is_by(self, user):
        return user.is_authenticated and self.author_id == user.pk

    # --- Changes to one comment ---

    def edit(self, body):
        self.body = body
        self.edited = timezone.now()
        self.save()

    def withdraw(self):
        """The author deletes it: the words go; the place stays while replies need it."""
        self.status = self.Status.REMOVED
        self.body = ""
        self.save()

    # --- Predicates (docs/design.md's access table) ---

    def can_view(self, user, *, guest_comment_ids=()):
        if self.is_approved:
            return self.target.can_read(user)
        if self.course.can_moderate(user):
            return self.status != self.Status.REMOVED
        return (
            self.status == self.Status.PENDING
            and self.target.can_read(user)  # the post may have narrowed since
            and (self.is_by(user) or (self.is_guest and self.pk in guest_comment_ids))
        )

    def can_edit(self, user):
        """Own comments, while a member of the course."""
        return (
            self.is_by(user)
            and self.status in (self.Status.APPROVED, self.Status.PENDING)
            and self.course.can_participate(user)
        )

    def can_delete(self, user):
        return self.can_edit(user)

    def can_like(self, user):
        return self.is_approved and self.target.can_like(user)

    def can_reply(self, user):
        return self.is_approved and self.target.can_comment(user)

    @classmethod
    def rules_for(cls, target, user, *, guest_comment_ids=()):
        """The predicates above for one reader of `target`'s comments (a thread), asked
        once for each kind of comment (``ThreadRules``) instead of once a comment."""
        return ThreadRules(target, user, guest_comment_ids=guest_comment_ids)


class ThreadRules:
    """What the Comment predicates answer one reader about each comment of one post or
    course page, worked out by asking them once for each kind of comment: every
    combination of what they ask of a comment besides its target (its status; whose it
    is: the reader's own, another member's or a guest's; whether the reader's session
    holds its id among its guest's held comments). Each kind's answers come from a
    stand-in comment of that kind, on the same target, given to the predicates
    themselves: the predicates stay the one rule, and a 500-comment thread asks them a
    hundred times, not 2,000 (issue 34: a tenth of drawing P500 for a signed-out
    reader).

    A stand-in holds only a comment's status, author, id and target; any other field a
    predicate reads is deferred, so its first read is a query that finds nothing
    (``DoesNotExist``): a predicate that comes to ask more of a comment (its age, say)
    fails every thread loudly until that becomes part of a kind here.
    tests/comments/test_rules.py checks the table against the predicates for every
    status, reader and kind of comment."""

    WHOSE = ("own", "member", "guest")
    SOMEONE_ELSE = -1  # the author id of another member's stand-in: nobody's

    def __init__(self, target, user, *, guest_comment_ids=()):
        self.user_id = user.pk if user.is_authenticated else None
        self.guest_comment_ids = set(guest_comment_ids)
        self.answers = {}  # (status, whose, held): Answers
        for whose in self.WHOSE:
            if whose == "own" and self.user_id is None:
                continue  # a signed-out reader has no comments of their own (kind_of)
            for held in (False, True):
                for status in Comment.Status.values:
                    kind = (status, whose, held)
                    self.answers[kind] = self._ask(target, user, kind, -1 - len(self.answers))

    def _ask(self, target, user, kind, pk):
        status, whose, held = kind
        author_id = {"own": self.user_id, "member": self.SOMEONE_ELSE}.get(whose)
        field = target_field(target)
        known = {
            "id": pk,
            "status": status,
            "author_id": author_id,
            "post_id": target.pk if field == "post" else None,
            "page_id": target.pk if field == "page" else None,
        }
        stand_in = Comment(*[known.get(f.attname, DEFERRED) for f in Comment._meta.concrete_fields])
        stand_in._state.adding = False
        stand_in._state.fields_cache[field] = target
        return Answers(
            view=stand_in.can_view(user, guest_comment_ids={pk} if held else ()),
            edit=stand_in.can_edit(user),
            like=stand_in.can_like(user),
            reply=stand_in.can_reply(user),
        )

    def kind_of(self, comment):
        """(status, whose, held): what the predicates ask of `comment` but its target."""
        if comment.author_id is None:
            whose = "guest"
        elif comment.author_id == self.user_id:
            whose = "own"
        else:
            whose = "member"
        # Most readers hold no comments of a guest's: no pk asked (a Model property).
        held = comment.pk in self.guest_comment_ids if self.guest_comment_ids else False
        return comment.status, whose, held

    def of(self, comment):
        """The predicates' answers (``Answers``) for this reader about `comment`."""
        return self.answers[self.kind_of(comment)]


class Answers(NamedTuple):
    """What the Comment predicates say one reader may do with one comment (delete
    follows edit: ``Comment.can_delete``). A tuple, so two compare by their answers."""

    view: bool
    edit: bool
    like: bool
    reply: bool


class CommentLike(models.Model):
    """One row per (comment, user): counts are aggregated from these rows."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_likes"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comment_like_unique_per_user")
        ]

    def __str__(self):
        return f"{self.user} likes comment {self.comment_id}"
