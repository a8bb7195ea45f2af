"""A course's pages (Syllabus, Schedule, About...): written by its instructors, shown in
the course menu, in search, the sitemap and the static archive, never in feeds or the
post stream (docs/design.md, "Course pages"; docs/architecture.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from blog.extensions import apply_body_filters
from blog.models import (
    META_DESCRIPTION_LENGTH,
    TEACHING_ROLES,
    Course,
    Membership,
    PostVisibility,
    Schedulable,
    is_site_staff,
    unique_slug,
)
from blog.rendering import excerpt_from_html, render_post_markdown
from blog.versions import VersionedModel

# Words of the page URLs where a page slug would go (/c/<course>/pages/new/).
RESERVED_PAGE_SLUGS = frozenset({"new", "preview"})


class PageQuerySet(models.QuerySet):
    def published(self):
        """The pages that are visible now: the one place that says so (a scheduled
        page joins when the publisher flips it, coursepages/scheduling.py)."""
        return self.filter(status=Page.Status.PUBLISHED)

    def scheduled(self):
        return self.filter(status=Page.Status.SCHEDULED)

    def due(self, now):
        """Scheduled pages whose time has come, of courses still open (a closed course
        shows nothing new; coursepages/scheduling.py publishes them)."""
        return self.scheduled().filter(published_at__lte=now, course__closed_at__isnull=True)

    def for_course(self, course):
        return self.filter(course=course)

    def visible_to(self, user):
        """Published pages the user may read, and the drafts they may see: the query of
        Page.can_read."""
        if is_site_staff(user):
            return self
        public = Q(course__visibility=Course.Visibility.PUBLIC, visibility=PostVisibility.PUBLIC)
        published = Q(status=Page.Status.PUBLISHED)
        if not user.is_authenticated:
            return self.filter(public & published)
        member_of = Membership.objects.filter(user=user).values("course_id")
        teaches = Membership.objects.filter(user=user, role__in=TEACHING_ROLES).values("course_id")
        readable = public | Q(course_id__in=member_of)
        return self.filter((published & readable) | Q(course_id__in=teaches))

    def in_menu_order(self):
        return self.order_by("order", "title", "pk")

    def with_viewer_role(self, user):
        """Annotate ``viewer_role`` (the user's membership role in each page's course),
        for Course.remember_role: the page's lookup asks no second query."""
        if not user.is_authenticated:
            return self.annotate(viewer_role=models.Value(None, output_field=models.CharField()))
        role = (
            Membership.objects.filter(course_id=models.OuterRef("course_id"), user_id=user.pk)
            .order_by()
            .values("role")[:1]
        )
        return self.annotate(viewer_role=models.Subquery(role))


class Page(Schedulable, VersionedModel, models.Model):
    class Status(models.TextChoices):  # Post's names and meanings
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        # Goes live by itself at published_at (coursepages/scheduling.py).
        SCHEDULED = "scheduled", "Scheduled"

    # Post's values, so Course.can_read_posts_visible_to is the rule for both:
    # "public" reads like the course (members only in a members-only course).
    VISIBILITY_CHOICES = [
        (PostVisibility.PUBLIC.value, "Like the course"),
        (PostVisibility.MEMBERS.value, "Course members only"),
    ]

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="pages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_pages",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, blank=True, help_text="Its address under the course. Empty: from the title."
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The top-level page it appears under in the menu (one level only).",
    )
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    visibility = models.CharField(
        "who may read it", max_length=10, choices=VISIBILITY_CHOICES, default=PostVisibility.PUBLIC
    )
    # Off by default; the editor's switch (docs/decisions.md, "Comments on course pages").
    # Off again: the comments it has stay, read-only (can_comment, can_like).
    allows_comments = models.BooleanField(
        "allow comments",
        default=False,
        help_text="Readers may discuss the page below it, as under a post.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # The page's own versions, as a post's (blog/versions.py): its comments, and their
    # likes (the holes of a signed-in reader's copy, coursepages/pages.py).
    page_version = models.PositiveIntegerField(default=0, editable=False)
    likes_version = models.PositiveIntegerField(default=0, editable=False)

    objects = PageQuerySet.as_manager()
    version_fields = ("page_version", "likes_version")

    class Meta:
        verbose_name = "course page"
        ordering = ["order", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="page_slug_unique_per_course")
        ]
        indexes = [
            # The publisher's query, every minute: only the few scheduled pages are in it.
            models.Index(
                fields=["published_at"],
                condition=Q(status="scheduled"),
                name="page_scheduled_due",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            taken = Page.objects.filter(course_id=self.course_id).exclude(pk=self.pk)
            self.slug = unique_slug(
                self.title, taken, fallback="page", reserved=RESERVED_PAGE_SLUGS
            )
        self.body_html = self.render_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "coursepages:page_detail",
            kwargs={"course_slug": self.course.slug, "page_slug": self.slug},
        )

    def clean(self):
        """One level: a parent is a top-level page of the same course, never the page
        itself, and a page with pages under it has no parent."""
        parent = self.parent
        if parent is None:
            return
        if parent.pk == self.pk and self.pk is not None:
            raise ValidationError({"parent": "A page can't be its own parent."}, code="self")
        if parent.course_id != self.course_id:
            raise ValidationError({"parent": "Choose a page of this course."}, code="course")
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Pages nest one level: choose a top-level page."}, code="depth"
            )
        if self.pk is not None and self.children.exists():
            raise ValidationError(
                {"parent": "This page has pages under it, so it stays at the top level."},
                code="has_children",
            )

    def render_body(self, text):
        """`text` (Markdown) as stored: rendered and sanitised by the posts' renderer,
        then the body filters (embeds and images from the web). The preview calls it
        too, so it shows what saving stores."""
        return apply_body_filters(self, render_post_markdown(text))

    def publish(self):
        """Live now; a scheduled page published now takes the current time."""
        if self.is_scheduled:
            self.published_at = None
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()

    @property
    def summary(self):
        return Truncator(excerpt_from_html(self.body_html)).chars(META_DESCRIPTION_LENGTH)

    @property
    def is_members_only(self):
        """Fewer people read it than read the course (its badge)."""
        return self.visibility == PostVisibility.MEMBERS and self.course.is_public

    # --- Predicates (docs/design.md's access table), on Course's role_of ---

    def can_read(self, user):
        """Published: like a post of its visibility; a draft or a scheduled page: those
        who teach."""
        if self.is_published:
            return self.course.can_read_posts_visible_to(self.visibility, user)
        return self.course.teaches(user)

    def can_edit(self, user):
        return self.course.can_write_pages(user)

    def can_delete(self, user):
        return self.course.can_write_pages(user)

    # Its comments (comments.Comment.target asks these, as it asks a post's).

    def can_comment(self, user):
        """A published page with comments on, that user reads, in a course where they
        may comment (members; guests where the course takes guests' comments)."""
        return (
            self.allows_comments
            and self.is_published
            and self.can_read(user)
            and self.course.can_comment(user)
        )

    def can_like(self, user):
        """Like its comments (a page itself has no Like): members, while comments are
        on. Switched off, the discussion is read-only."""
        return self.allows_comments and self.is_published and self.course.can_participate(user)

    def step_to_like(self, user):
        """SIGN_IN or JOIN when a reader may not like its comments yet; "" otherwise."""
        if not (self.allows_comments and self.is_published):
            return ""
        return self.course.step_to_participate(user)

    def shows_discussion(self, comment_count):
        """Comments on, or comments kept from when they were (shown read-only)."""
        return self.allows_comments or comment_count > 0
