"""What lti draws on other apps' pages (config/hooks.py parts), each in a fixed number
of queries. Imports no JWT or HTTP code: pages load it with the app."""

from lti.models import Context, RosterEntry


def roster_panel(request, course):
    """The roster page's "Sync with the LMS" for a course linked to an LMS course, and
    who has left the LMS course since (inactive roster entries): two queries."""
    if not course.can_manage(request.user):
        return None
    contexts = list(
        Context.objects.filter(course=course).exclude(memberships_url="").select_related("platform")
    )
    if not contexts:
        return None
    left = list(
        RosterEntry.objects.filter(context__in=contexts, is_active=False)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return {"lms_contexts": contexts, "lms_left": left}
