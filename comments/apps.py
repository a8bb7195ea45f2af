from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments and moderation"

    def ready(self):
        from accounts.signals import profile_changed
        from comments.services import commenter_changed

        profile_changed.connect(commenter_changed, dispatch_uid="comments.commenter_changed")
