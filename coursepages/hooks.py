"""What coursepages adds to blog's pages (config/hooks.py): the course menu under the
course's breadcrumbs, a link for instructors, matching pages in search, and the pages'
sitemap section, its copier, and the publisher of scheduled pages."""

from config import hooks
from config.hooks import CourseCopier, Part, ScheduledPublisher
from coursepages import copying, display, scheduling, search, sitemaps

hooks.COURSE_HEADER.register(Part("coursepages/_course_menu.html", display.course_menu), order=10)
hooks.COURSE_INSTRUCTOR_LINKS.register(
    Part("coursepages/_instructor_link.html", display.page_links), order=5
)
hooks.SEARCH_RESULTS.register(Part("coursepages/_search_results.html", search.matching_pages))
hooks.SITEMAPS.register(sitemaps.sitemaps)
hooks.COURSE_COPIERS.register(
    CourseCopier(
        "pages",
        copy=copying.copy_pages,
        label="Pages (as drafts to review, in their place in the menu)",
        template="coursepages/_copy_preview.html",
        preview=copying.preview,
    ),
    order=5,
)

# Scheduled pages go live at their time (coursepages/scheduling.py).
hooks.SCHEDULED_PUBLISHERS.register(
    ScheduledPublisher(
        "pages",
        scheduling.publish_due_pages,
        scheduled_in=scheduling.scheduled_pages,
        nouns=("page", "pages"),
    ),
    order=20,
)
