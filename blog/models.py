import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator, slugify

from blog.extensions import apply_body_filters
from blog.palette import ACCENT_CHOICES, accent_of
from blog.rendering import excerpt_from_html, plain_text, render_post_markdown, without_embeds
from blog.search import (
    highlight,
    ranked_rows,
    safe_headline,
    search_posts,
    search_terms,
)
from blog.versions import VersionedModel
from config.db import count_of

META_DESCRIPTION_LENGTH = 160  # what search engines show of a page's description
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


# Words that course-level URLs use where a post slug would go (/c/<course>/search/...).
RESERVED_POST_SLUGS = frozenset(
    {
        "archive", "bibliography", "feed", "images", "join-code", "manage", "pages", "people",
        "preview", "search", "topics", "write",
    }
)  # fmt: skip


def unique_slug(text, taken, *, max_length=80, fallback="post", reserved=frozenset()):
    """A slug for text that is not in `taken` (a set or a queryset of slugs) nor `reserved`."""
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, n = base, 2
    while slug in reserved or (
        slug in taken if isinstance(taken, set) else taken.filter(slug=slug).exists()
    ):
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def is_site_staff(user):
    """Staff and superusers can do everything everywhere (docs/design.md)."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


class SearchDocument(models.Func):
    """``blog_search_document(title, body, post_id)`` (PostgreSQL, blog migration 0019):
    title (weight A), body (B) and the names of the post's topics (C), in the
    ``SEARCH_CONFIG`` configuration. One SQL function, so that what Post.save() writes
    and what the triggers write when topics change are the same document."""

    function = "blog_search_document"
    output_field = SearchVectorField()


def search_document(title="title", body="body", post="id"):
    """The weighted full-text document of a post, as stored in Post.search_vector: from
    the row's columns, or (a post being saved) from Value(title), Value(body) and its
    pk (Value(None) for a new post, which has no topics yet)."""
    return SearchDocument(title, body, post)


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    ASSISTANT = "assistant", "Teaching assistant"
    INSTRUCTOR = "instructor", "Instructor"


# How rosters list them.
ROLE_ORDER = (Role.INSTRUCTOR, Role.ASSISTANT, Role.STUDENT)

# Roles that teach a course: they read every post in it, moderate, give feedback and
# grade. Only instructors (and staff) run it: settings, roster, awards, assignments.
TEACHING_ROLES = (Role.INSTRUCTOR, Role.ASSISTANT)


class PostVisibility(models.TextChoices):
    """Who reads a published post (docs/privacy.md, "Who sees a post"), widest first."""

    PUBLIC = "public", "Public: anyone who may read the course"
    MEMBERS = "members", "Course members"
    INSTRUCTORS = "instructors", "Instructors only"

    @property
    def reach(self):
        """How wide: 2 public, 1 members, 0 instructors only."""
        return {"public": 2, "members": 1, "instructors": 0}[self.value]


class CitationStyle(models.TextChoices):
    APA = "apa", "APA 7"
    MLA = "mla", "MLA 9"
    CHICAGO = "chicago-author-date", "Chicago author-date"


def default_time_zone():
    return settings.TIME_ZONE


def course_zone_of(course):
    """The course's time zone (the site's if its name is unknown)."""
    try:
        return zoneinfo.ZoneInfo(course.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            "Choose a time zone such as Europe/London or America/New_York.", code="time_zone"
        ) from error


class PublicNames(models.TextChoices):
    """How the course's students appear outside it, unless they chose (accounts.names)."""

    NAMES = "names", "Their names"
    PSEUDONYMS = "pseudonyms", "Pseudonyms (or initials, if they chose none)"


# What role_of() answers beyond the membership roles.
STAFF = "staff"
# What step_to_participate() answers: the step between a reader and liking.
SIGN_IN, JOIN = "sign_in", "join"


class CourseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Courses whose posts this user may read."""
        if is_site_staff(user):
            return self
        public = Q(visibility=Course.Visibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public)
        return self.filter(public | Q(memberships__user=user)).distinct()

    def with_viewer_role(self, user):
        """Annotate ``viewer_role``, the user's role in each course (None if not a
        member), for ``Course.remember_role``: the role costs no query of its own. And
        ``has_announcements``: whether a pinned post is live there now, so that the
        pages that list announcements ask for them only then (blog/announcements.py)."""
        if not user.is_authenticated:
            return self.annotate(
                viewer_role=models.Value(None, output_field=models.CharField()),
                viewer_restricted_posts=models.Value(False),
                has_announcements=models.Value(False),
            )
        # The database's clock, not a time fixed in Python: a lookup compiled once per
        # process (config.db.PreparedQuery) must still see a pin expire.
        pinned = Post.objects.filter(course_id=models.OuterRef("pk")).pinned_now(Now())
        role = Membership.objects.filter(course_id=models.OuterRef("pk"), user_id=user.pk)
        restricted = Post.objects.filter(
            course_id=models.OuterRef("pk"),
            author_id=user.pk,
            status=Post.Status.PUBLISHED,
            visibility=PostVisibility.INSTRUCTORS,
        )
        return self.annotate(
            viewer_role=models.Subquery(role.order_by().values("role")[:1]),
            viewer_restricted_posts=models.Exists(restricted),
            has_announcements=models.Exists(pinned),
        )

    def for_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


# Where role_of keeps its answers on a user object: {course pk: role}, for the request.
ROLE_CACHE = "_course_roles"


def roles_cached_on(user):
    """The user's role cache, created on first use. Through getattr and setattr, so that
    it lives on the user itself when `user` is request.user's lazy wrapper: whoever
    loaded the user first (PageCacheMiddleware, say) shares it with the views."""
    cache = getattr(user, ROLE_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, ROLE_CACHE, cache)
    return cache


class Course(VersionedModel, models.Model):
    PublicNames = PublicNames

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: anyone can read"
        MEMBERS = "members", "Members only"

    class GuestComments(models.TextChoices):
        OFF = "off", "Off: only members comment"
        MODERATED = "moderated", "Moderated: guests may comment, held for approval"

    class ErasurePolicy(models.TextChoices):
        KEEP = "keep", "Keep their posts, under “Former student”"
        REMOVE = "remove", "Remove their posts"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    term = models.CharField(max_length=60, blank=True, help_text="For example “Spring 2027”.")
    description = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    guest_comments = models.CharField(
        max_length=10, choices=GuestComments.choices, default=GuestComments.MODERATED
    )
    thread_depth = models.PositiveSmallIntegerField(
        default=5, help_text="How deep replies may nest (1 = no replies)."
    )
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="Due dates and times are shown in this zone, for example Europe/London.",
    )
    citation_style = models.CharField(
        max_length=30, choices=CitationStyle.choices, default=CitationStyle.APA
    )
    term_start = models.DateField(
        null=True,
        blank=True,
        help_text="The first day of the term: copying the course to a new term moves "
        "its assignments' dates by the days between the two starts.",
    )
    # When an instructor closed the course (blog.services.close_course); None while open.
    # A closed course is read-only: see the predicates below and docs/terms.md.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    default_post_visibility = models.CharField(
        "new posts are visible to",
        max_length=12,
        choices=PostVisibility.choices,
        default=PostVisibility.PUBLIC,
        help_text="What the editor offers first; each author may choose another.",
    )
    max_post_visibility = models.CharField(
        "widest visibility authors may choose",
        max_length=12,
        choices=PostVisibility.choices,
        default=PostVisibility.PUBLIC,
        help_text="“Public” only counts in a public course.",
    )
    public_names = models.CharField(
        "students' names outside the course",
        max_length=12,
        choices=PublicNames.choices,
        default=PublicNames.NAMES,
        help_text="Students may always choose a pseudonym, initials or no name in their "
        "account settings.",
    )
    is_indexed = models.BooleanField(
        "let search engines index the course",
        default=True,
        help_text="Off: its pages ask search engines not to index them, and it is left out "
        "of the sitemap.",
    )
    erasure_policy = models.CharField(
        max_length=10,
        choices=ErasurePolicy.choices,
        default=ErasurePolicy.KEEP,
        help_text="When a member erases their account (docs/privacy.md). Shown to them "
        "before they confirm.",
    )
    # The course's face (docs/design.md): a header image's renditions (blog.services.
    # set_course_header), the point of it that stays in view when a narrow screen crops
    # it (percent from the left and from the top), and an accent from blog.palette.
    header_renditions = models.JSONField(default=list, blank=True, editable=False)
    header_focus_x = models.PositiveSmallIntegerField(
        "focal point across (%)", default=50, validators=[MaxValueValidator(100)]
    )
    header_focus_y = models.PositiveSmallIntegerField(
        "focal point down (%)", default=50, validators=[MaxValueValidator(100)]
    )
    accent = models.CharField(
        "accent colour", max_length=20, blank=True, choices=ACCENT_CHOICES, default=""
    )
    created = models.DateTimeField(auto_now_add=True)
    # Page versions (blog/versions.py): bumped by versions.changed(), never saved.
    pages_version = models.PositiveBigIntegerField(default=1, editable=False)
    common_version = models.PositiveBigIntegerField(default=1, editable=False)
    version_fields = ("pages_version", "common_version")

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(thread_depth__gte=1) & Q(thread_depth__lte=10),
                name="course_thread_depth_1_to_10",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.title, Course.objects.all(), fallback="course")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:course_detail", kwargs={"course_slug": self.slug})

    @property
    def meta_description(self):
        """The course page's meta description: its description as one short line."""
        text = " ".join(self.description.split())
        if not text:
            term = f" ({self.term})" if self.term else ""
            return f"Posts and discussion from {self.title}{term}."
        return Truncator(text).chars(META_DESCRIPTION_LENGTH)

    # --- Roles: the one place a user's standing in a course is worked out. ---

    def role_of(self, user):
        """ "staff", "instructor", "student" or None. One query per course per request:
        the answer is cached on the user object, which lives as long as the request."""
        if user is None or not user.is_authenticated:
            return None
        cache = roles_cached_on(user)
        if self.pk not in cache:  # asked again and again on a page: answered from here
            cache[self.pk] = (
                STAFF
                if is_site_staff(user)
                else Membership.objects.filter(course_id=self.pk, user_id=user.pk)
                .values_list("role", flat=True)
                .first()
            )
        return cache[self.pk]

    def remember_role(self, user, membership_role):
        """Seed the role cache with a membership role loaded in the same query as the
        page's rows (role_of's answer: staff stay staff, whatever their membership)."""
        if user.is_authenticated:
            role = STAFF if is_site_staff(user) else membership_role
            roles_cached_on(user)[self.pk] = role

    def forget_roles(self, user):
        """Drop the roles cached on `user`; the services that change memberships call it."""
        setattr(user, ROLE_CACHE, None)

    def is_member(self, user):
        return self.role_of(user) in Role.values

    @property
    def is_closed(self):
        """Ended (docs/terms.md): read-only for everyone, instructors and staff included,
        but for grading, feedback, moderation and exports."""
        return self.closed_at is not None

    # --- Predicates: docs/design.md's access table, one rule each. ---

    def can_read(self, user):
        return self.visibility == self.Visibility.PUBLIC or self.role_of(user) is not None

    def can_write_post(self, user):
        """Write a new post (and submit to an assignment): members of an open course."""
        return not self.is_closed and self.role_of(user) is not None

    def teaches(self, user):
        """The course's teaching roles (instructors and teaching assistants) and staff:
        they read every post here."""
        return self.role_of(user) in (*TEACHING_ROLES, STAFF)

    def can_read_posts_visible_to(self, visibility, user):
        """May user read this course's published posts of that visibility (their own
        aside: Post.can_read)? The one rule; PostQuerySet.visible_to is its query."""
        if visibility == PostVisibility.INSTRUCTORS:
            return self.teaches(user)
        if visibility == PostVisibility.MEMBERS:
            return self.role_of(user) is not None
        return self.can_read(user)

    @property
    def widest_post_visibility(self):
        """The ceiling authors choose under: the instructor's, and never public in a
        members-only course."""
        widest = PostVisibility(self.max_post_visibility)
        if not self.is_public and widest == PostVisibility.PUBLIC:
            return PostVisibility.MEMBERS
        return widest

    def allows_post_visibility(self, visibility):
        return PostVisibility(visibility).reach <= self.widest_post_visibility.reach

    @property
    def new_post_visibility(self):
        """What the editor offers a new post: the default, within the ceiling."""
        default = PostVisibility(self.default_post_visibility)
        return default if self.allows_post_visibility(default) else self.widest_post_visibility

    def shows_member_names_to(self, user):
        """Members (and staff) see each other's names; everyone else a student's public
        name (accounts.names.shown_name)."""
        return self.role_of(user) is not None

    def can_participate(self, user):
        """Like posts and comments, comment as themself: members of an open course."""
        return not self.is_closed and self.role_of(user) is not None

    def can_close(self, user):
        """Close the course (read-only) and reopen it."""
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_copy(self, user):
        """Copy it to a new term (settings, topics, award types, assignments, the
        instructors' posts: never a student's row)."""
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def instructors(self):
        """The course's instructors, as users (staff hold no membership)."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(
            memberships__course_id=self.pk, memberships__role=Role.INSTRUCTOR
        )

    def teachers(self):
        """Its instructors and teaching assistants, as users: who moderates and grades."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(
            memberships__course_id=self.pk, memberships__role__in=TEACHING_ROLES
        )

    def can_manage_posts(self, user):
        """Read, edit and unpublish anyone's post here; read its private feedback."""
        return self.teaches(user)

    def can_delete_posts(self, user):
        """Delete anyone's post here (instructors unpublish; only staff delete)."""
        return self.role_of(user) == STAFF

    def can_moderate(self, user):
        return self.teaches(user)

    def can_manage(self, user):
        """Settings, roster, join code."""
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_grant_awards(self, user):
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_write_pages(self, user):
        """Write, edit, reorder and delete the course's pages (the coursepages app):
        instructors and staff, while the course is open."""
        return not self.is_closed and self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_pin(self, user):
        """Pin a post as an announcement, and unpin it: nothing new is announced in a
        closed course."""
        return not self.is_closed and self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def sees_announcements(self, user):
        """The pinned announcements at the top of the course page and home: members
        (and staff); the posts themselves stay in the stream for everyone who reads it."""
        return self.role_of(user) is not None

    def can_import(self, user):
        """Bring a WordPress blog into the course (and undo such an import)."""
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_join(self, user):
        return not self.is_closed and user.is_authenticated and self.role_of(user) is None

    # Assignments (the assignments app): set them, grant extensions, grade.

    def can_set_assignments(self, user):
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_grant_extensions(self, user):
        return self.role_of(user) in (Role.INSTRUCTOR, STAFF)

    def can_grade(self, user):
        return self.teaches(user)

    def can_see_gradebook(self, user):
        return self.teaches(user)

    def can_export_grades(self, user):
        return self.teaches(user)

    def can_see_likers(self, user):
        """Who liked a post or comment is for the course's members (and staff)."""
        return self.role_of(user) is not None

    def can_comment(self, user):
        """Members comment as themselves; others only where guests may comment. Nobody
        comments on a closed course."""
        return self.can_participate(user) or (not self.is_closed and self.allows_guest_comments)

    def holds_comments_of(self, user):
        """Comments from anyone but members wait for a moderator."""
        return self.role_of(user) is None

    def step_to_participate(self, user):
        """What user must do before liking and commenting as themself here: SIGN_IN
        (a reader who isn't signed in), JOIN (signed in, not a member), or "" (nothing
        to do, or nothing that would help: a closed course takes part in nothing)."""
        if self.is_closed or self.can_participate(user):
            return ""
        return JOIN if self.can_join(user) else SIGN_IN

    @property
    def closed_on(self):
        """The day it was closed, in the course's time zone (None while open)."""
        if self.closed_at is None:
            return None
        return timezone.localtime(self.closed_at, course_zone_of(self)).date()

    def closed_message(self):
        """Why a write to a closed course is refused, in words."""
        ended = self.closed_on
        return f"{self.title} ended on {ended.day} {ended:%B %Y}: it is read-only now."

    def comment_hold_reason(self, user):
        """Why user's comments wait for a moderator, in words ("" when they don't)."""
        if not self.holds_comments_of(user):
            return ""
        who = "guests" if not user.is_authenticated else "people outside the course"
        return f"Comments from {who} are held until an instructor approves them."

    # --- Its face ---

    @property
    def header_image(self):
        """The header's largest rendition, or None."""
        return self.header_renditions[-1] if self.header_renditions else None

    @property
    def accent_colours(self):
        """The palette's Accent (blog.palette), or None for the site's own green."""
        return accent_of(self.accent)

    @property
    def is_public(self):
        """Anyone may read it: it has feeds and appears in the sitemap."""
        return self.visibility == self.Visibility.PUBLIC

    @property
    def allows_guest_comments(self):
        return (
            self.visibility == self.Visibility.PUBLIC
            and self.guest_comments == self.GuestComments.MODERATED
        )

    @staticmethod
    def can_create(user):
        """Staff, or anyone given the add_course permission (the "Instructors" group)."""
        return user.is_authenticated and (user.is_staff or user.has_perm("blog.add_course"))


class MembershipQuerySet(models.QuerySet):
    def for_course(self, course):
        return self.filter(course=course)

    def students(self):
        return self.filter(role=Role.STUDENT)

    def instructors(self):
        return self.filter(role=Role.INSTRUCTOR)

    def with_user(self):
        return self.select_related("user")

    def by_name(self):
        """Instructors first, then teaching assistants, then students; each by name as
        people see it (``User.name``)."""
        from django.db.models.functions import Concat, Lower, NullIf, Trim

        blank = models.Value("")
        full_name = Trim(Concat("user__first_name", models.Value(" "), "user__last_name"))
        name = Coalesce(
            NullIf("user__display_name", blank), NullIf(full_name, blank), "user__username"
        )
        rank = models.Case(
            *(models.When(role=role, then=i) for i, role in enumerate(ROLE_ORDER)),
            default=len(ROLE_ORDER),
        )
        return self.order_by(rank, Lower(name), "user__username")


class Membership(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    joined = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["course", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="membership_unique_per_course")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} in {self.course}"

    @property
    def is_instructor(self):
        return self.role == Role.INSTRUCTOR

    def is_last_instructor(self):
        """True if the course would have no instructor without this membership."""
        others = Membership.objects.for_course(self.course_id).instructors().exclude(pk=self.pk)
        return self.is_instructor and not others.exists()


def invitation_token_hash(token):
    """What an invitation stores of its link's token: a leaked table opens no course."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not yet used and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())

    def for_course(self, course):
        return self.filter(course=course)


class Invitation(models.Model):
    """An emailed sign-up link into a course with a role: single use, expiring. The link
    carries a random token; the row keeps only its hash. Inviting the same address to
    the same course again replaces the unused invitation (a new link, a new expiry)."""

    DAYS = 14  # how long a link works

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()  # lowercased
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.course} ({self.get_role_display()})"

    @property
    def is_used(self):
        return self.accepted_at is not None

    def is_expired(self, now=None):
        return not self.is_used and (now or timezone.now()) >= self.expires_at

    def new_token(self):
        """A fresh link token (set on the row as its hash); the caller sends it."""
        token = secrets.token_urlsafe(32)
        self.token_hash = invitation_token_hash(token)
        return token


class Topic(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="topic_slug_unique_per_course")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self.name, Topic.objects.filter(course_id=self.course_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "blog:topic_detail", kwargs={"course_slug": self.course.slug, "topic_slug": self.slug}
        )


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Post.Status.DRAFT)

    def scheduled(self):
        return self.filter(status=Post.Status.SCHEDULED)

    def due(self, now):
        """Scheduled posts whose time has come (blog/scheduling.py publishes them)."""
        return self.scheduled().filter(published_at__lte=now)

    def for_course(self, course):
        return self.filter(course=course)

    def by(self, user):
        return self.filter(author=user)

    def visible_to(self, user):
        """Published posts the user may read, plus the drafts and scheduled posts they may
        see: the query of Post.can_read (Course.can_read_posts_visible_to), docs/privacy.md."""
        if is_site_staff(user):
            return self
        public = Q(course__visibility=Course.Visibility.PUBLIC, visibility=PostVisibility.PUBLIC)
        if not user.is_authenticated:
            return self.filter(public, status=Post.Status.PUBLISHED)
        member_of = Membership.objects.filter(user=user).values("course_id")
        teaches = Membership.objects.filter(user=user, role__in=TEACHING_ROLES).values("course_id")
        members = Q(course_id__in=member_of) & ~Q(visibility=PostVisibility.INSTRUCTORS)
        readable = public | members | Q(course_id__in=teaches) | Q(author=user)
        published = Q(status=Post.Status.PUBLISHED) & readable
        # Drafts and scheduled posts: not published yet, whatever the status says next.
        drafts = ~Q(status=Post.Status.PUBLISHED) & (Q(author=user) | Q(course_id__in=teaches))
        return self.filter(published | drafts)

    def with_like_counts(self):
        """Annotate ``like_count`` (a subquery, so it stays right beside other counts)."""
        return self.annotate(like_count=count_of(PostLike.objects.all(), "post"))

    def with_viewer_like(self, user):
        """Annotate ``viewer_liked``: whether the user likes each post."""
        if not user.is_authenticated:
            return self.annotate(viewer_liked=models.Value(False))
        mine = PostLike.objects.filter(post=models.OuterRef("pk"), user_id=user.pk)
        return self.annotate(viewer_liked=models.Exists(mine))

    def with_viewer_role(self, user):
        """Annotate ``viewer_role``: the user's membership role in each post's course
        (None for anonymous users and non-members). ``Course.remember_role`` takes it."""
        if not user.is_authenticated:
            return self.annotate(viewer_role=models.Value(None, output_field=models.CharField()))
        role = (
            Membership.objects.filter(  # one row at most: no ordering (nor its joins)
                course_id=models.OuterRef("course_id"), user_id=user.pk
            )
            .order_by()
            .values("role")[:1]
        )
        return self.annotate(viewer_role=models.Subquery(role))

    def pinned_now(self, now=None):
        """Published posts pinned as announcements whose pin hasn't expired at `now` (a
        datetime or the database's ``Now()``; the current time by default): expiry needs
        no write, every page that shows them asks at the time it is shown."""
        now = now or timezone.now()
        return self.filter(status=Post.Status.PUBLISHED, pinned_at__isnull=False).filter(
            Q(pinned_until__isnull=True) | Q(pinned_until__gt=now)
        )

    def with_viewer_seen(self, user):
        """Annotate ``viewer_seen``: whether the user has opened each post since it was
        pinned (AnnouncementSeen)."""
        seen = AnnouncementSeen.objects.filter(post=models.OuterRef("pk"), user_id=user.pk)
        return self.annotate(viewer_seen=models.Exists(seen))

    def for_month(self, year, month):
        return self.filter(published_at__year=year, published_at__month=month)

    def count_by_month(self, *, dated_only=True):
        """[{"month": first day (aware datetime), "count": n}], newest first: one query.
        With ``dated_only=False`` posts without a date count under month None (so the
        counts add up to the whole queryset's)."""
        from django.db.models.functions import TruncMonth

        queryset = self.exclude(published_at=None) if dated_only else self
        return (
            queryset.annotate(month=TruncMonth("published_at"))
            .order_by()
            .values("month")
            .annotate(count=models.Count("pk"))
            .order_by("-month")
        )

    def refresh_search_vectors(self):
        """Recompute the stored full-text documents (PostgreSQL; a no-op elsewhere)."""
        if connections[self.db].vendor == "postgresql":
            self.update(search_vector=search_document())

    def search(self, text):
        """Posts matching the words of `text`, best first (blog.search.search_posts)."""
        return search_posts(self, text)

    def ranked_rows(self, ids, text):
        """These posts by their ids, in that order, with headlines for `text`
        (PostgreSQL: blog.search.ranked_rows)."""
        return ranked_rows(self, ids, text)

    def newest_first(self):
        return self.order_by(models.F("published_at").desc(nulls_first=True), "-created")

    def ranked_newest_first(self):
        """Newest first, after the posts that other apps rank higher (the home page's
        recent posts: awarded ones first; hooks.POST_RANKINGS in config/hooks.py)."""
        from blog.extensions import post_rankings

        ranks = post_rankings()
        return self.annotate(**ranks).order_by(
            *(models.F(name).desc() for name in ranks),
            models.F("published_at").desc(nulls_first=True),
            "-created",
        )

    def with_results(self):
        """What a search result shows: title, course, author, date, snippet and topics
        (no like counts or badges, unlike a card). The full-text search's snippet is a
        database headline, so the post's texts and search document stay in the
        database (the fallback's snippet is made from body_html)."""
        results = self.select_related("author", "course").prefetch_related("topics")
        if connections[self.db].vendor == "postgresql":
            results = results.defer("body", "body_html", "excerpt", "search_vector")
        return results

    def with_cards(self):
        """Everything a post card shows: author, course, topics, and what other apps
        add through hooks.CARD_LOADERS (counts, badges)."""
        from blog.extensions import apply_card_loaders

        return apply_card_loaders(
            self.select_related("author", "course").prefetch_related("topics").with_like_counts()
        )


def post_image_path(instance, filename):
    """The kept original: private on every storage (only renditions are shown)."""
    return f"courses/{instance.course_id}/originals/{secrets.token_hex(16)}.webp"


class Schedulable:
    """What posts and course pages (coursepages.Page) share about going live: a
    ``status`` of ``Status`` (draft, scheduled, published), ``published_at`` (for a
    scheduled row, the moment it goes live) and a ``course`` whose zone reads it."""

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_scheduled(self):
        """Waiting to go live at published_at: until then read like a draft."""
        return self.status == self.Status.SCHEDULED

    @property
    def scheduled_text(self):
        """ "Monday 14 December 2026, 09:00 (America/New_York)": when a scheduled row goes
        live, in its course's time zone, with the zone's name."""
        zone = course_zone_of(self.course)
        local = timezone.localtime(self.published_at, zone)
        return f"{date_format(local, 'l j F Y, H:i')} ({zone.key})"

    def schedule(self, when):
        """Go live by itself at `when` (an aware datetime in the future): a publisher of
        hooks.SCHEDULED_PUBLISHERS (blog/scheduling.py) flips the status then. Until
        then it is read like a draft."""
        self.status = self.Status.SCHEDULED
        self.published_at = when

    def unpublish(self):
        """Back to a draft; a scheduled row forgets its time."""
        if self.is_scheduled:
            self.published_at = None  # the time it was waiting for means nothing now
        self.status = self.Status.DRAFT


class Post(Schedulable, VersionedModel, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # Goes live by itself at published_at (blog/scheduling.py, docs/architecture.md).
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    Visibility = PostVisibility

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    excerpt = models.TextField(
        max_length=500, blank=True, help_text="Shown on cards. Leave empty to use the opening."
    )
    image = models.ImageField(upload_to=post_image_path, blank=True, editable=False)
    image_renditions = models.JSONField(default=list, blank=True, editable=False)
    image_alt = models.CharField(
        "image description (alt text)",
        max_length=250,
        blank=True,
        help_text="Describe the image for people who can't see it.",
    )
    image_caption = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(
        "who may read it",
        max_length=12,
        choices=PostVisibility.choices,
        default=PostVisibility.PUBLIC,
    )
    image_credit = models.CharField(max_length=200, blank=True)
    image_credit_url = models.URLField(max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, related_name="posts", blank=True)
    # A pinned announcement (blog.services.pin_post): since when, and until when (None:
    # until an instructor unpins it). Shown at the top of the course page and on its
    # members' home while published and unexpired (PostQuerySet.pinned_now).
    pinned_at = models.DateTimeField(null=True, blank=True, editable=False)
    pinned_until = models.DateTimeField(null=True, blank=True, editable=False)
    # PostgreSQL only: the weighted full-text document (title A, body B, topic names
    # C), kept up to date by save() and, when topics change, by triggers (migration
    # 0019); GIN-indexed by migration 0005, its adjacent words by 0018. Unused (NULL)
    # on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # The version of this post's page (blog/versions.py), never saved.
    page_version = models.PositiveBigIntegerField(default=1, editable=False)
    # The version of its comments' like counts (versions.likes_changed), never saved:
    # a signed-in reader's copy fills them in at hit time, so a like keeps the page.
    likes_version = models.PositiveBigIntegerField(default=1, editable=False)
    version_fields = ("page_version", "likes_version")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="post_slug_unique_per_course")
        ]
        indexes = [
            models.Index(fields=["course", "status", "-published_at"]),
            # The publisher's query, every minute: only the few scheduled posts are in it.
            models.Index(
                fields=["published_at"],
                condition=Q(status="scheduled"),
                name="post_scheduled_due",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        first_publication = self.__dict__.pop("_first_publication", False)
        if not self.slug or first_publication or (not self.is_published and not self.published_at):
            # Drafts follow their title, up to and including the save that first
            # publishes them (a title changed with "Publish"); then it never changes.
            taken = Post.objects.filter(course_id=self.course_id).exclude(pk=self.pk)
            current = slugify(self.title)[:80].strip("-")
            if not self.slug or self.slug != current:
                self.slug = unique_slug(self.title, taken, reserved=RESERVED_POST_SLUGS)
        self.body_html = self.render_body(self.body)
        fields = kwargs.get("update_fields")
        using = kwargs.get("using") or router.db_for_write(Post, instance=self)
        indexed = connections[using].vendor == "postgresql" and (
            fields is None or {"title", "body"} & set(fields)
        )
        if indexed:  # the search document goes in the same INSERT or UPDATE
            pk = models.Value(None if self._state.adding else self.pk, models.BigIntegerField())
            self.search_vector = search_document(
                models.Value(self.title), models.Value(self.body), pk
            )
            if fields is not None:
                kwargs["update_fields"] = [*fields, "search_vector"]
        super().save(*args, **kwargs)
        if indexed:
            del self.search_vector  # an expression until read again from the database

    def get_absolute_url(self):
        return reverse(
            "blog:post_detail", kwargs={"course_slug": self.course.slug, "post_slug": self.slug}
        )

    def render_body(self, text):
        """`text` (Markdown) as this post stores it: rendered, sanitised, then other apps'
        filters. The editor's preview calls this too, so it shows what saving stores."""
        return apply_body_filters(self, render_post_markdown(text))

    @property
    def summary(self):
        return self.excerpt or excerpt_from_html(self.body_html)

    def publish(self):
        now = timezone.now()
        if self.is_scheduled or (self.published_at is not None and self.published_at > now):
            self.published_at = None  # "Publish now" instead of at the time it was set for
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = now
            self._first_publication = True  # save() lets the slug follow the title once more

    def schedule(self, when):
        super().schedule(when)
        self._first_publication = True  # the slug follows the title, as on publishing

    def unpublish(self):
        """Back to a draft; a pinned announcement is unpinned (published again, it is an
        ordinary post until pinned again)."""
        super().unpublish()
        self.pinned_at = self.pinned_until = None

    # --- Images ---

    @property
    def card_image(self):
        """The rendition for cards (about 400 px wide), or None."""
        return self.image_renditions[0] if self.image_renditions else None

    def search_snippet(self, text):
        """Safe HTML: the words around what `text` matched, each match in <mark>."""
        headline = getattr(self, "search_headline", None)
        if headline is not None:
            return safe_headline(headline)
        return highlight(plain_text(without_embeds(self.body_html)), search_terms(text))

    @property
    def large_image(self):
        return self.image_renditions[-1] if self.image_renditions else None

    # --- Predicates ---

    def can_read(self, user):
        if self.is_published:
            return self.is_by(user) or self.course.can_read_posts_visible_to(self.visibility, user)
        return self.is_by(user) or self.course.can_manage_posts(user)

    @property
    def visibility_badge(self):
        """The badge's words when fewer people read the post than read its course
        ("Course members", "Instructors only"); "" for a plain public post."""
        visibility = PostVisibility(self.visibility)
        if visibility == PostVisibility.INSTRUCTORS or (
            visibility == PostVisibility.MEMBERS and self.course.is_public
        ):
            return visibility.label
        return ""

    def is_by(self, user):
        return user.is_authenticated and self.author_id == user.pk

    def is_by_writer(self, user):
        """Written by user, in a course open for writing (a closed one is read-only
        for its students; its instructors still edit and unpublish)."""
        return self.is_by(user) and not self.course.is_closed

    def can_edit(self, user):
        return self.is_by_writer(user) or self.course.can_manage_posts(user)

    def can_publish(self, user):
        """Publish (or publish again): nothing new appears in a closed course."""
        return not self.course.is_closed and self.can_edit(user)

    def can_delete(self, user):
        return self.is_by_writer(user) or self.course.can_delete_posts(user)

    def can_unpublish(self, user):
        return self.is_published and self.can_edit(user)

    def can_pin(self, user):
        """Pin it as an announcement (or change or end the pin): a published post."""
        return self.is_published and self.course.can_pin(user)

    def is_pinned_at(self, now):
        """Pinned, published and not expired at `now` (PostQuerySet.pinned_now's rule)."""
        return (
            self.is_published
            and self.pinned_at is not None
            and (self.pinned_until is None or self.pinned_until > now)
        )

    @property
    def is_pinned(self):
        return self.is_pinned_at(timezone.now())

    def can_like(self, user):
        return self.is_published and self.course.can_participate(user)

    def step_to_like(self, user):
        """SIGN_IN or JOIN when a reader of this published post may not like it yet and
        should be told how to; "" when they may, or for a draft."""
        return self.course.step_to_participate(user) if self.is_published else ""

    def can_comment(self, user):
        return self.is_published and self.can_read(user) and self.course.can_comment(user)

    def can_see_feedback(self, user):
        """The private feedback thread (and grade): the author, instructors, staff."""
        return self.is_by(user) or self.course.can_manage_posts(user)

    def can_write_feedback(self, user):
        """The author while the course is open; instructors and staff always (grading)."""
        return self.is_by_writer(user) or self.course.can_manage_posts(user)


class PostLike(models.Model):
    """One row per (post, user): counts are aggregated from these rows."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_likes"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="post_like_unique_per_user")
        ]

    def __str__(self):
        return f"{self.user} likes {self.post}"


class AnnouncementSeen(models.Model):
    """A member opened a pinned announcement (its page): its "new" mark is gone for them.
    Written when the post page is looked up (blog.pages.PostPage), at most once."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="seen_by")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcements_seen"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "opened announcement"
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="announcement_seen_once")
        ]

    def __str__(self):
        return f"{self.user} saw {self.post}"


class BodyImage(models.Model):
    """An image inserted into a post body with the editor's "Insert image"."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="body_images")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_images"
    )
    renditions = models.JSONField(default=list)
    # An image from the web (blog/embeds.py): the address it was fetched from, once, at
    # save time; shown under it as its source. Empty for an uploaded image.
    source_url = models.URLField(max_length=2000, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Image {self.pk} in {self.course}"

    @property
    def body_rendition(self):
        """The rendition used inside a post body (up to 800 px wide)."""
        fitting = [r for r in self.renditions if r["width"] <= 800]
        return fitting[-1] if fitting else self.renditions[0]


class Embed(models.Model):
    """A provider's link that a post or comment of the course shows as an embed
    (blog/embeds.py), resolved once at save time: its player's address from the
    provider's URL pattern, its title and thumbnail from oEmbed where the provider has
    it. Pages read it from here; nothing is asked of the provider when a page is shown."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="embeds")
    url = models.URLField(max_length=2000)
    provider = models.CharField(max_length=30)
    player_url = models.URLField(max_length=2000)
    title = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    # One stored rendition of the provider's thumbnail, served from our storage.
    thumbnail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "url"], name="embed_unique_url_per_course")
        ]

    def __str__(self):
        return f"{self.provider}: {self.url}"
