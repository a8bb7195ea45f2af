from django.apps import AppConfig


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = "Comments and moderation"

    def ready(self):
        from accounts.signals import profile_changed
        from blog.extensions import (
            COURSE_INSTRUCTOR_LINKS,
            HOME,
            MANAGE_TABS,
            POST_AFTER_BODY,
            POST_CARD_STATS,
            register_card_loader,
            register_part,
            register_post_page_loader,
        )
        from blog.templatetags.blog_tags import register_viewer_context
        from comments import participation
        from comments.home import home_activity
        from comments.models import with_comment_counts, with_reader_comment_likes
        from comments.services import commenter_changed
        from comments.views import (
            comment_who_context,
            course_moderation_context,
            post_discussion_context,
        )

        register_part(POST_AFTER_BODY, "comments/_discussion.html", post_discussion_context)
        register_card_loader(with_comment_counts)
        register_post_page_loader(with_reader_comment_likes)
        register_part(POST_CARD_STATS, "comments/_card_stat.html")
        register_part(
            COURSE_INSTRUCTOR_LINKS, "comments/_instructor_link.html", course_moderation_context
        )
        register_part(MANAGE_TABS, "comments/_manage_tab.html", course_moderation_context)
        participation.register_columns()
        profile_changed.connect(commenter_changed, dispatch_uid="comments.commenter_changed")
        register_part(HOME, "comments/_home_activity.html", home_activity, per_viewer=True)
        register_viewer_context("comment_who", comment_who_context)
