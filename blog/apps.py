from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Courses and posts"

    def ready(self):
        from accounts.signals import profile_changed
        from blog import versions

        profile_changed.connect(versions.person_changed, dispatch_uid="blog.person_changed")
