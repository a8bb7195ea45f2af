"""What imports adds to blog's instructor pages (config/hooks.py)."""

from config import hooks
from config.hooks import Part


def if_importing(request, course):
    return {} if course.can_import(request.user) else None


hooks.MANAGE_TABS.register(Part("imports/_manage_tab.html", if_importing), order=80)
hooks.COURSE_INSTRUCTOR_LINKS.register(
    Part("imports/_instructor_link.html", if_importing), order=80
)
