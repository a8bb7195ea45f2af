from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Courses and posts"

    def ready(self):
        from accounts.profile import register_section
        from accounts.signals import profile_changed
        from blog import participation, versions
        from blog.profile import posts_section
        from blog.templatetags.blog_tags import register_viewer_context
        from blog.views.likes import post_likes_viewer_context

        register_section(posts_section, order=10)
        participation.register_columns()
        register_viewer_context("post_like", post_likes_viewer_context)
        profile_changed.connect(versions.person_changed, dispatch_uid="blog.person_changed")
