import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from awards import emblems
from blog.models import Course, Post, unique_slug

COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
DEFAULT_COLOUR = "#9a6b00"
DEFAULT_EMOJI = "🏅"
# Award slugs share a URL segment with these pages (see awards/urls.py).
RESERVED_SLUGS = {"manage"}

validate_colour = RegexValidator(
    COLOUR_PATTERN, "Enter a colour as # and six hex digits, like #9a6b00.", code="colour"
)


def validate_not_reserved(slug):
    if slug in RESERVED_SLUGS:
        raise ValidationError("“%(slug)s” is reserved.", code="reserved", params={"slug": slug})


def validate_emoji(value):
    """A short emblem made of symbols (emoji, ★, ✒︎), not words or markup."""
    if len(value) > 8:
        raise ValidationError("Use one emoji or symbol (at most 8 characters).", code="emoji_long")
    if not any(unicodedata.category(char) == "So" for char in value):
        raise ValidationError("Use an emoji or symbol, such as 🏅 or ★.", code="emoji_symbol")


def emblem_path(instance, filename):
    return f"awards/emblems/{secrets.token_hex(16)}.webp"


class AwardQuerySet(models.QuerySet):
    def for_course(self, course):
        return self.filter(course=course)

    def active(self):
        return self.filter(retired_at__isnull=True)

    def with_post_counts(self, reader=None):
        """post_count: how many published posts hold each award; with a reader, only the
        posts they may read (Post.visible_to: a count says no more than the hall of
        fame shows them)."""
        held = Q(grants__post__status=Post.Status.PUBLISHED)
        if reader is not None:
            held &= Q(grants__post__in=Post.objects.visible_to(reader))
        return self.annotate(post_count=Count("grants", filter=held))

    def shown_on_course_page(self, reader=None):
        """Active awards, and retired ones that some published post still holds (that
        the reader may read)."""
        return self.with_post_counts(reader).filter(
            Q(retired_at__isnull=True) | Q(post_count__gt=0)
        )


class Award(models.Model):
    """A course's award type, defined by its instructors."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, validators=[validate_not_reserved])
    description = models.TextField(
        max_length=1000, blank=True, help_text="What earns this award? Students read this."
    )
    criteria = models.TextField(
        max_length=2000,
        blank=True,
        help_text="What a post must do to earn it, in your words. Open Badge credentials "
        "for this award quote it as their criteria.",
    )
    emoji = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_emoji],
        help_text="An emoji or symbol for the emblem, such as 🏅, 📜 or ★.",
    )
    symbol = models.CharField(
        "drawn emblem",
        max_length=20,
        blank=True,
        choices=emblems.CHOICES,
        help_text="A drawing that looks the same on every screen, in the award's colour. "
        "Empty: the emoji.",
    )
    image = models.ImageField(
        "emblem image",
        upload_to=emblem_path,
        blank=True,
        help_text="Used instead of the drawing or the emoji.",
    )
    colour = models.CharField(
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[validate_colour],
        help_text="The banner's accent colour, as #rrggbb.",
    )
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Retired awards stay on posts but can't be granted."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="award_slug_unique_per_course"),
            models.UniqueConstraint(Lower("name"), "course", name="award_name_unique_per_course"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            slugs = Award.objects.filter(course_id=self.course_id).values_list("slug", flat=True)
            self.slug = unique_slug(self.name, set(slugs) | RESERVED_SLUGS, fallback="award")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:award_detail", args=[self.course.slug, self.slug])

    @property
    def is_retired(self):
        return self.retired_at is not None

    @property
    def css_colour(self):
        """The colour for a style attribute: validated again, so it can never carry CSS."""
        return self.colour if re.fullmatch(COLOUR_PATTERN, self.colour or "") else DEFAULT_COLOUR

    @property
    def symbol_drawing(self):
        """The drawn emblem's SVG shapes (awards/emblems.py), "" without one."""
        return emblems.drawing(self.symbol)

    @property
    def emblem_emoji(self):
        return self.emoji or DEFAULT_EMOJI

    def retire(self):
        if self.retired_at is None:
            self.retired_at = timezone.now()

    def restore(self):
        self.retired_at = None

    def check_grantable(self, post):
        """Raise ValidationError (with a code) if this award can't go to post."""
        if self.is_retired:
            raise ValidationError(
                "“%(award)s” is retired and can no longer be granted.",
                code="retired",
                params={"award": self.name},
            )
        if post.course_id != self.course_id:
            raise ValidationError(
                "“%(award)s” belongs to another course than “%(post)s”.",
                code="other_course",
                params={"award": self.name, "post": post.title},
            )
        if not post.is_published:
            raise ValidationError(
                "“%(post)s” is a draft. Only published posts can receive awards.",
                code="draft",
                params={"post": post.title},
            )
        if self.grants.filter(post=post).exists():
            raise ValidationError(
                "“%(post)s” already holds the “%(award)s” award.",
                code="duplicate",
                params={"award": self.name, "post": post.title},
            )


class AwardGrant(models.Model):
    """An award given to one post: at most once per (award, post)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="grants")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="award_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards_granted",
    )
    citation = models.TextField(
        max_length=1000, blank=True, help_text="Optional: why this post earned the award."
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "post"], name="award_grant_unique_per_post")
        ]

    def __str__(self):
        return f"{self.award} → {self.post}"

    def clean(self):
        if self._state.adding and self.award_id and self.post_id:
            self.award.check_grantable(self.post)
