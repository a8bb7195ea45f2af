"""A person's iCalendar feed (RFC 5545) of a course's due dates, with the icalendar
library: one event per assignment at the person's due time (their extension, if any)."""

from django.conf import settings
from icalendar import Calendar, Event

from assignments.models import Assignment, Extension
from blog.rendering import plain_text


def absolute(path):
    scheme = "http" if settings.DEBUG else "https"
    return f"{scheme}://{settings.SITE_DOMAIN}{path}"


def course_calendar(course, user):
    """The calendar's bytes: two queries (assignments, the person's extensions)."""
    assignments = list(Assignment.objects.for_course(course).in_order())
    extensions = {
        e.assignment_id: e
        for e in Extension.objects.filter(assignment__course=course, student_id=user.pk)
    }
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Assignments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{course.title}: due dates")
    calendar.add("x-wr-timezone", course.time_zone)
    for assignment in assignments:
        assignment.course = course
        due = assignment.due_for(extensions.get(assignment.pk))
        event = Event()
        event.add("uid", f"assignment-{assignment.pk}-{user.pk}@{settings.SITE_DOMAIN}")
        event.add("summary", f"Due: {assignment.title}")
        event.add("dtstart", due)
        event.add("dtend", due)
        event.add("dtstamp", assignment.updated)
        event.add("url", absolute(assignment.get_absolute_url()))
        event.add("description", plain_text(assignment.prompt_html)[:1000])
        calendar.add_component(event)
    return calendar.to_ical()
