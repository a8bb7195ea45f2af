from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "Awards"

    def ready(self):
        from accounts.profile import register_section
        from awards import display, participation
        from blog.extensions import register_card_loader, register_post_page_part

        register_post_page_part(display.post_page_awards)
        register_card_loader(display.with_award_badges)
        register_section(display.profile_awards_section, order=5)
        participation.register_columns()
