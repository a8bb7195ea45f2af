"""What lti adds to other apps' pages (config/hooks.py): the LMS tab, "Sync with the LMS"
on the roster page, the LMS column on an assignment's page and the LMS marks in the
gradebook."""

from django.apps import apps

from config import hooks
from config.hooks import GradebookMark, Part, ResponseFigure
from lti import parts


def if_managing(request, course):
    return {} if course.can_manage(request.user) else None


hooks.MANAGE_TABS.register(Part("lti/_manage_tab.html", if_managing), order=85)
hooks.ROSTER_PANELS.register(Part("lti/_roster_panel.html", parts.roster_panel))

if apps.is_installed("assignments"):
    from lti import grades

    hooks.RESPONSE_FIGURES.register(ResponseFigure("LMS grade", grades.status_figures))
    hooks.GRADEBOOK_MARKS.register(
        GradebookMark("lti/_gradebook_mark.html", grades.gradebook_marks)
    )
