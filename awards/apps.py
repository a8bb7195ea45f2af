from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = "Awards"

    def ready(self):
        from accounts.profile import register_section
        from awards import display, participation
        from blog.extensions import (
            COURSE_INSTRUCTOR_LINKS,
            COURSE_SIDEBAR,
            MANAGE_TABS,
            POST_BANNERS,
            POST_CARD_BADGES,
            register_card_loader,
            register_part,
            register_post_ranking,
        )

        register_part(POST_BANNERS, "awards/_post_banners.html", display.post_page_awards)
        register_card_loader(display.with_award_badges)
        register_part(POST_CARD_BADGES, "awards/_card_badges.html")
        register_post_ranking(display.is_awarded)
        register_part(COURSE_SIDEBAR, "awards/_course_sidebar.html")
        register_part(COURSE_INSTRUCTOR_LINKS, "awards/_instructor_link.html", display.if_awarding)
        register_part(MANAGE_TABS, "awards/_manage_tab.html", display.if_awarding)
        register_section(display.profile_awards_section, order=5)
        participation.register_columns()
