from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Courses and posts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import profile_changed
        from blog import checks, invitations, versions  # noqa: F401  (checks: registers)

        profile_changed.connect(versions.person_changed, dispatch_uid="blog.person_changed")
        user_logged_in.connect(invitations.accept_on_sign_in, dispatch_uid="blog.invitations")
