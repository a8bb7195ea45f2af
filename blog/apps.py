from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Courses and posts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.profile import register_section
        from accounts.signals import profile_changed
        from blog import invitations, pagecache, participation
        from blog.profile import posts_section
        from blog.templatetags.blog_tags import register_viewer_context
        from blog.views import post_likes_viewer_context

        register_section(posts_section, order=10)
        participation.register_columns()
        register_viewer_context("post_like", post_likes_viewer_context)
        profile_changed.connect(pagecache.person_changed, dispatch_uid="blog.person_changed")
        user_logged_in.connect(invitations.accept_on_sign_in, dispatch_uid="blog.invitations")
