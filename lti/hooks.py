"""What lti adds to blog's instructor pages (config/hooks.py): the LMS tab."""

from config import hooks
from config.hooks import Part


def if_managing(request, course):
    return {} if course.can_manage(request.user) else None


hooks.MANAGE_TABS.register(Part("lti/_manage_tab.html", if_managing), order=85)
