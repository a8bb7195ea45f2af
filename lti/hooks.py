"""What lti adds to blog's instructor pages (config/hooks.py): the LMS tab."""

from django.apps import apps

from config import hooks
from config.hooks import Part, ResponseFigure


def if_managing(request, course):
    return {} if course.can_manage(request.user) else None


hooks.MANAGE_TABS.register(Part("lti/_manage_tab.html", if_managing), order=85)

if apps.is_installed("assignments"):
    from lti import grades

    hooks.RESPONSE_FIGURES.register(ResponseFigure("LMS grade", grades.status_figures))
