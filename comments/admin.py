from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from blog.models import Post
from blog.versions import ChangesPagesAdmin
from comments.models import Comment, CommentLike, like_counts, with_comment_counts
from comments.services import comments_count, moderate_comments

EXCERPT_LENGTH = 60
POST_TITLE_LENGTH = 40


def target_pages(comment):
    """``versions.changed``'s keywords for the page a comment is on."""
    if comment.is_on_page:
        return {"page": comment.page}
    return {"posts": [comment.post]}


@admin.register(Comment)
class CommentAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # One short line per comment: its words, who, where (38 comments make one screen).
    list_display = [
        "excerpt", "who", "post_title", "reply_to", "status", "like_count", "created", "edited",
    ]  # fmt: skip
    list_filter = ["status", "post__course", "created"]
    search_fields = ["body", "guest_name", "guest_email", "author__username", "post__title"]
    list_select_related = ["post", "page", "author", "parent__author"]
    autocomplete_fields = ["post", "author"]
    raw_id_fields = ["parent", "page"]
    readonly_fields = ["body_html"]
    date_hierarchy = "created"
    actions = ["approve", "mark_spam", "remove"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(like_count=like_counts())

    @admin.display(description="comment")
    def excerpt(self, comment):
        return Truncator(" ".join(comment.body.split())).chars(EXCERPT_LENGTH) or "(no text)"

    @admin.display(description="by", ordering="author__username")
    def who(self, comment):
        if comment.author_id:
            return comment.author.name
        return f"{comment.guest_name or 'Someone'} (guest)"

    @admin.display(description="on", ordering="post__title")
    def post_title(self, comment):
        """The post's title, or the course page's (Comment.target)."""
        return Truncator(comment.target.title).chars(POST_TITLE_LENGTH)

    @admin.display(description="likes", ordering="like_count")
    def like_count(self, comment):
        return comment.like_count

    @admin.display(description="in reply to", ordering="parent")
    def reply_to(self, comment):
        """The thread parent: its number and author (loaded with the row)."""
        if comment.parent_id is None:
            return "—"
        parent = comment.parent
        who = parent.name
        url = reverse("admin:comments_comment_change", args=[parent.pk])
        return format_html('<a href="{}">#{} by {}</a>', url, parent.pk, who)

    def pages_of(self, comment):
        return target_pages(comment)

    def _moderate(self, request, queryset, action, done):
        changed = moderate_comments(comments=queryset, action=action)
        self.message_user(request, f"{done} {comments_count(changed)}.")

    @admin.action(description="Approve selected comments")
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve", "Approved")

    @admin.action(description="Mark selected comments as spam")
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "spam", "Marked as spam:")

    @admin.action(description="Remove selected comments")
    def remove(self, request, queryset):
        self._moderate(request, queryset, "remove", "Removed")


@admin.register(CommentLike)
class CommentLikeAdmin(ChangesPagesAdmin, admin.ModelAdmin):
    list_display = ["comment", "user", "created"]
    list_filter = ["comment__post__course", "created"]
    search_fields = ["user__username", "user__display_name", "comment__body"]
    list_select_related = ["comment__post", "comment__page", "comment__author", "user"]
    autocomplete_fields = ["user", "comment"]
    date_hierarchy = "created"

    def pages_of(self, like):
        return target_pages(like.comment)


# Posts in the admin show their comment count too. Extend whichever Post admin is
# registered (blog's) rather than replacing it: blog never imports comments.
BasePostAdmin = type(admin.site.get_model_admin(Post))
admin.site.unregister(Post)


@admin.register(Post)
class PostAdmin(BasePostAdmin):
    list_display = [*BasePostAdmin.list_display]
    list_display.insert(list_display.index("like_count"), "comment_count")

    def get_queryset(self, request):
        return with_comment_counts(super().get_queryset(request))

    @admin.display(description="comments", ordering="comment_count")
    def comment_count(self, post):
        return post.comment_count
