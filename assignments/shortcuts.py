"""Lookups several assignment views share."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from assignments.models import Assignment
from blog.shortcuts import readable_course_or_404


def course_for_members_or_403(request, course_slug):
    """The course (404 if the user may not read it), if the user may see its assignments."""
    course = readable_course_or_404(request, course_slug)
    if course.role_of(request.user) is None:
        raise PermissionDenied("Assignments are for the course's members.")
    return course


def assignment_or_404(course, assignment_slug):
    assignment = get_object_or_404(
        Assignment.objects.for_course(course).with_criteria(), slug=assignment_slug
    )
    assignment.course = course  # share the course and its role cache
    return assignment
