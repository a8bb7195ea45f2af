from django.contrib import admin

from comments.models import Comment, CommentLike
from comments.services import moderate_comments


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "post", "author", "guest_name", "status", "created", "edited"]
    list_filter = ["status", "post__course", "created"]
    search_fields = ["body", "guest_name", "guest_email", "author__username", "post__title"]
    list_select_related = ["post", "author"]
    autocomplete_fields = ["post", "author"]
    raw_id_fields = ["parent"]
    readonly_fields = ["body_html"]
    date_hierarchy = "created"
    actions = ["approve", "mark_spam", "remove"]

    def _moderate(self, request, queryset, action, done):
        changed = moderate_comments(comments=queryset, action=action)
        self.message_user(request, f"{done} {changed} comment{'s' if changed != 1 else ''}.")

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
class CommentLikeAdmin(admin.ModelAdmin):
    list_display = ["comment", "user", "created"]
    list_select_related = ["comment__post", "comment__author", "user"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["comment"]
