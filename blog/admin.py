from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from blog.models import (
    AnnouncementSeen,
    BodyImage,
    Course,
    Embed,
    Invitation,
    Membership,
    Post,
    PostLike,
    Topic,
)
from blog.versions import ChangesPagesAdmin, changed


class KeepsWhenLeftOut(forms.ModelForm):
    """The privacy choices (issue 31) left out of a change form keep the row's values."""

    kept = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.kept:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.kept:
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class CourseAdminForm(KeepsWhenLeftOut):
    kept = ("default_post_visibility", "max_post_visibility", "public_names")


class PostAdminForm(KeepsWhenLeftOut):
    kept = ("visibility",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 1
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    form = CourseAdminForm
    list_display = [
        "title", "term", "visibility", "guest_comments", "thread_depth", "member_count",
        "post_count", "created",
    ]  # fmt: skip
    list_filter = ["visibility", "guest_comments", "term"]
    search_fields = ["title", "term", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created", "closed_at"]  # closed and reopened on the Term tab
    date_hierarchy = "created"
    inlines = [MembershipInline, TopicInline]

    def pages_of(self, course):
        return {"course": course}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                post_count=Count("posts", distinct=True),
            )
        )

    @admin.display(description="members", ordering="member_count")
    def member_count(self, course):
        return course.member_count

    @admin.display(description="posts", ordering="post_count")
    def post_count(self, course):
        return course.post_count


@admin.register(Membership)
class MembershipAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["user", "course", "role", "joined"]
    list_filter = ["role", "course"]
    search_fields = ["user__username", "user__email", "user__display_name", "course__title"]
    autocomplete_fields = ["user", "course"]
    list_select_related = ["user", "course"]
    date_hierarchy = "joined"

    def pages_of(self, membership):
        return {"courses": Course.objects.filter(pk=membership.course_id)}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from a course's roster (the link's token exists only in the
    email); here they can be looked up and deleted, which cancels them."""

    list_display = ["email", "course", "role", "created", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "course__title"]
    list_select_related = ["course"]
    readonly_fields = ["token_hash", "created", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Topic)
class TopicAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["name", "course", "slug"]
    list_filter = ["course"]
    search_fields = ["name", "course__title"]
    list_select_related = ["course"]
    autocomplete_fields = ["course"]

    def pages_of(self, topic):
        return {"courses": Course.objects.filter(pk=topic.course_id)}


@admin.register(Post)
class PostAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    form = PostAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # At 1280 px the admin's sidebars leave the list about 630 px: the title column also
    # names the author and the course (a second, quieter line), and dates drop the hour,
    # so titles wrap to two lines at most and every column, Status included, is in view.
    list_display = ["post", "status", "like_count", "published"]
    list_filter = ["status", "visibility", "course"]
    search_fields = ["title", "body", "author__username", "author__display_name"]
    list_select_related = ["course", "author"]
    autocomplete_fields = ["course", "author", "topics"]
    date_hierarchy = "published_at"
    readonly_fields = ["created", "updated"]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_like_counts()

    def pages_of(self, post):
        return {"post": post}

    @admin.display(description="likes", ordering="like_count")
    def like_count(self, post):
        return post.like_count

    @admin.display(description="post", ordering="title")
    def post(self, post):
        return format_html(
            '{}<span class="changelist-byline">{} · <span title="{}">{}</span></span>',
            post.title,
            post.author.name,
            post.course.title,
            post.course.slug,
        )

    @admin.display(description="published", ordering="published_at")
    def published(self, post):
        return date_format(localtime(post.published_at), "j M Y") if post.published_at else "—"

    @admin.action(description="Publish selected posts")
    @transaction.atomic
    def publish(self, request, queryset):
        changed(posts=queryset)
        for post in queryset:
            post.publish()
            post.save()
        self.message_user(request, f"Published {queryset.count()} posts.")

    @admin.action(description="Unpublish selected posts (back to draft)")
    @transaction.atomic
    def unpublish(self, request, queryset):
        changed(posts=queryset)
        for post in queryset:
            post.unpublish()
            post.save()
        self.message_user(request, f"Unpublished {queryset.count()} posts.")


@admin.register(PostLike)
class PostLikeAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["post", "user", "course", "created"]
    list_filter = ["post__course", "created"]
    search_fields = ["post__title", "user__username", "user__display_name", "user__email"]
    list_select_related = ["post__course", "user"]
    autocomplete_fields = ["post", "user"]
    date_hierarchy = "created"

    def pages_of(self, like):
        return {"posts": [like.post]}

    @admin.display(description="course", ordering="post__course__title")
    def course(self, like):
        return like.post.course


@admin.register(AnnouncementSeen)
class AnnouncementSeenAdmin(admin.ModelAdmin):
    """Who has opened which pinned announcement (its "New" mark is gone for them).
    Written by opening the post; read-only here."""

    list_display = ["post", "user", "seen_at"]
    list_filter = ["post__course"]
    search_fields = ["post__title", "user__username"]
    list_select_related = ["post", "user"]
    readonly_fields = ["post", "user", "seen_at"]
    date_hierarchy = "seen_at"

    def has_add_permission(self, request):
        return False


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    list_display = ["id", "course", "uploaded_by", "source_url", "created"]
    list_filter = ["course", "created"]
    search_fields = ["course__title", "uploaded_by__username", "source_url"]
    list_select_related = ["course", "uploaded_by"]
    autocomplete_fields = ["course", "uploaded_by"]
    date_hierarchy = "created"


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    """Embeds resolved at save time (blog/embeds.py). Deleting one makes the next save of
    a post showing it ask the provider again."""

    list_display = ["url", "provider", "title", "course", "created"]
    list_filter = ["provider", "course"]
    search_fields = ["url", "title", "course__title"]
    list_select_related = ["course"]
    readonly_fields = ["course", "url", "provider", "player_url", "thumbnail", "created"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False  # made by saving a post or comment
