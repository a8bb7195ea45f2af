"""What terms adds to blog's instructor pages (config/hooks.py)."""

from config import hooks
from config.hooks import Part


def if_managing(request, course):
    return {} if course.can_manage(request.user) else None


hooks.MANAGE_TABS.register(Part("terms/_manage_tab.html", if_managing), order=90)
