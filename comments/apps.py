from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments and moderation"

    def ready(self):
        from accounts.signals import profile_changed
        from blog.extensions import (
            register_card_loader,
            register_course_page_part,
            register_post_page_part,
        )
        from comments import participation
        from comments.models import with_comment_counts
        from comments.services import commenter_changed
        from comments.views import course_moderation_context, post_discussion_context

        register_post_page_part(post_discussion_context)
        register_card_loader(with_comment_counts)
        register_course_page_part(course_moderation_context)
        participation.register_columns()
        profile_changed.connect(commenter_changed, dispatch_uid="comments.commenter_changed")
