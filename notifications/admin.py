from django.contrib import admin

from notifications.models import GuestSubscription, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "post", "actor_name", "created", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "recipient__email", "actor_name", "post__title"]
    list_select_related = ["recipient", "post"]
    autocomplete_fields = ["recipient", "post", "comment"]
    raw_id_fields = ["grant"]
    date_hierarchy = "created"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "email_comment_on_post",
        "email_reply_to_comment",
        "email_award_received",
        "email_comment_pending",
    ]
    list_filter = [
        "email_comment_on_post",
        "email_reply_to_comment",
        "email_award_received",
        "email_comment_pending",
    ]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(GuestSubscription)
class GuestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "post", "root", "created"]
    search_fields = ["email", "post__title"]
    list_select_related = ["post", "root"]
    autocomplete_fields = ["post"]
    raw_id_fields = ["root", "comment"]
    date_hierarchy = "created"
