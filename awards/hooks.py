"""What awards adds to blog's and accounts' pages (config/hooks.py)."""

from awards import copying, display, participation
from config import hooks
from config.hooks import Column, CourseCopier, Part

hooks.POST_BANNERS.register(Part("awards/_post_banners.html", display.post_page_awards))
hooks.CARD_LOADERS.register(display.with_award_badges)
hooks.POST_CARD_BADGES.register(Part("awards/_card_badges.html"))  # reads what the loader adds
hooks.POST_RANKINGS.register(display.is_awarded)  # home's recent posts: awarded ones first
hooks.COURSE_SIDEBAR.register(Part("awards/_course_sidebar.html"))
hooks.COURSE_INSTRUCTOR_LINKS.register(Part("awards/_instructor_link.html", display.if_awarding))
hooks.MANAGE_TABS.register(Part("awards/_manage_tab.html", display.if_awarding))
hooks.PROFILE_SECTIONS.register(display.profile_awards_section, order=5)
hooks.PARTICIPATION_COLUMNS.register(
    Column("awards_received", "Awards received", participation.awards_received), order=50
)
hooks.COURSE_COPIERS.register(
    CourseCopier(
        "awards",
        copy=copying.copy_awards,
        label="Award types (never who received them)",
        template="awards/_copy_preview.html",
        preview=copying.preview,
    ),
    order=10,
)
