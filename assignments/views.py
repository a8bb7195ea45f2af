from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from assignments import services
from assignments.forms import AssignmentForm, ExtensionForm, FeedbackForm, GradeForm
from assignments.gradebook import (
    CSV_LAYOUTS,
    ResponseSummary,
    body_diff,
    gradebook,
    grading_line,
    own_cells,
    status_of,
)
from assignments.models import Assignment, CalendarFeed, Extension, Submission
from assignments.parts import feedback_context
from assignments.shortcuts import assignment_or_404, course_for_members_or_403
from assignments.times import course_zone, due_text, reader_zone
from blog.extensions import page_parts
from blog.shortcuts import denied, readable_course_or_404, readable_post_or_404
from config.hooks import GRADEBOOK_MARKS, MANAGE_TABS, RESPONSE_FIGURES


def _copy_errors(form, error):
    """Put a service's ValidationError on the form, so nothing typed is lost."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, error)


@login_required
def assignment_list(request, course_slug):
    course = course_for_members_or_403(request, course_slug)
    assignments = list(Assignment.objects.for_course(course).in_order())
    tz, mine = course_zone(course), reader_zone(request)
    can_see_gradebook = course.can_see_gradebook(request.user)
    for assignment in assignments:
        assignment.course = course
        assignment.due_display = due_text(assignment.due_at, tz, mine)
    context = {
        "course": course,
        "assignments": assignments,
        "can_set_assignments": course.can_set_assignments(request.user),
        "can_see_gradebook": can_see_gradebook,
    }
    if not can_see_gradebook:  # a student: where they stand on each, due at their time
        cells = own_cells(course, request.user, assignments)
        for assignment, cell in zip(assignments, cells, strict=True):
            assignment.own = cell
            if cell.extension:
                assignment.due_display = due_text(cell.due_at, tz, mine)
    return render(request, "assignments/assignment_list.html", context)


@login_required
def my_grades(request, course_slug):
    """A member's own assignments in the course: status, when submitted, late or
    extended, points or rubric levels, and the way to the feedback."""
    course = course_for_members_or_403(request, course_slug)
    assignments = list(Assignment.objects.for_course(course).with_criteria().in_order())
    cells = own_cells(course, request.user, assignments)
    tz, mine = course_zone(course), reader_zone(request)
    for cell in cells:
        cell.due_display = due_text(cell.due_at, tz, mine)
    context = {
        "course": course,
        "cells": cells,
        "can_see_gradebook": course.can_see_gradebook(request.user),
    }
    return render(request, "assignments/my_grades.html", context)


@login_required
def assignment_detail(request, course_slug, assignment_slug):
    course = course_for_members_or_403(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    user, now = request.user, timezone.now()
    extension = Extension.objects.filter(assignment=assignment, student=user).first()
    submission = (
        Submission.objects.filter(assignment=assignment, student=user)
        .select_related("post", "grade")
        .first()
    )
    due = assignment.due_for(extension)
    context = {
        "course": course,
        "assignment": assignment,
        "due_display": due_text(due, course_zone(course), reader_zone(request)),
        "extension": extension,
        "submission": submission,
        "status": status_of(assignment, submission, extension, now),
        "window": assignment.window_at(now, extension),
        "can_submit": assignment.can_submit(user),
        "can_edit": assignment.can_edit(user),
    }
    if assignment.can_grade(user):
        rows = gradebook(course, assignments=[assignment], now=now)[1]
        add_response_figures(rows, context)
        context["rows"] = rows
        context["summary"] = ResponseSummary.of(rows)
        context["extension_form"] = ExtensionForm(course=course)
    return render(request, "assignments/assignment_detail.html", context)


def add_response_figures(rows, context):
    """Other apps' figures beside each response (config.hooks.RESPONSE_FIGURES), one query each."""
    post_ids = [row.cells[0].submission.post_id for row in rows if row.cells[0].submission]
    figures = [(figure.label, figure.figures(post_ids)) for figure in RESPONSE_FIGURES]
    context["figure_labels"] = [label for label, _ in figures]
    for row in rows:
        submission = row.cells[0].submission
        row.figures = [
            values.get(submission.post_id, "—") if submission else "—" for _, values in figures
        ]


@require_POST
@login_required
def assignment_respond(request, course_slug, assignment_slug):
    """ "Write your response": open the student's draft for this assignment (made now if
    they have none) in the editor."""
    course = course_for_members_or_403(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    if not assignment.can_submit(request.user):
        raise denied(course)
    post = services.start_response(assignment=assignment, student=request.user)
    return redirect("blog:post_edit", course_slug=course.slug, post_slug=post.slug)


def _set_assignments_or_403(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_set_assignments(request.user):
        raise PermissionDenied("Only the course's instructors set assignments.")
    return course


@login_required
def assignment_create(request, course_slug):
    course = _set_assignments_or_403(request, course_slug)
    return _edit_assignment(request, course, Assignment(course=course))


@login_required
def assignment_edit(request, course_slug, assignment_slug):
    course = _set_assignments_or_403(request, course_slug)
    return _edit_assignment(request, course, assignment_or_404(course, assignment_slug))


def _edit_assignment(request, course, assignment):
    adding = assignment.pk is None
    form = AssignmentForm(request.POST or None, instance=assignment, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            if adding:
                assignment = services.create_assignment(course=course, **form.values())
            else:
                assignment = services.update_assignment(assignment=assignment, **form.values())
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            messages.success(request, f"“{assignment.title}” is saved.")
            return redirect(assignment)
    context = {"course": course, "assignment": assignment, "form": form, "adding": adding}
    return render(request, "assignments/assignment_form.html", context)


@login_required
def assignment_delete(request, course_slug, assignment_slug):
    course = _set_assignments_or_403(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    if request.method == "POST":
        assignment.delete()
        messages.success(request, f"“{assignment.title}” was deleted. Its responses stay posts.")
        return redirect("assignments:assignment_list", course_slug=course.slug)
    context = {"course": course, "assignment": assignment}
    return render(request, "assignments/assignment_confirm_delete.html", context)


@require_POST
@login_required
def extension_grant(request, course_slug, assignment_slug):
    course = readable_course_or_404(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    if not assignment.can_grant_extension(request.user):
        raise PermissionDenied("Only the course's instructors grant extensions.")
    form = ExtensionForm(request.POST, course=course)
    if form.is_valid():
        student = form.cleaned_data["student"].user
        try:
            services.grant_extension(
                assignment=assignment,
                student=student,
                due_at=form.cleaned_data["due_at"],
                granted_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{student.name} has an extension.")
    else:
        messages.error(request, "Choose a student and a new due time.")
    return redirect(f"{assignment.get_absolute_url()}#extensions")


@login_required
def submission_detail(request, course_slug, assignment_slug, submission_id):
    """The instructor's page for one response: what was submitted, what changed since,
    the private feedback thread and the grade."""
    course = readable_course_or_404(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    if not assignment.can_grade(request.user):
        raise PermissionDenied("Only the course's instructors grade.")
    submission = get_object_or_404(
        assignment.submissions.select_related("post__author", "snapshot", "grade"),
        pk=submission_id,
    )
    submission.assignment = assignment
    post = submission.post
    post.course = course
    grade = getattr(submission, "grade", None)
    form = GradeForm(
        request.POST or None, assignment=assignment, initial=GradeForm.initial_for(grade)
    )
    line = grading_line(submission)
    if request.method == "POST" and form.is_valid():
        try:
            services.grade(submission=submission, grader=request.user, **form.values())
        except ValidationError as error:
            _copy_errors(form, error)
        else:
            messages.success(request, f"Grade saved for {post.author.name}.")
            following = line["next"] if request.POST.get("then") == "next" else None
            return redirect(following or submission)
    snapshot = submission.snapshot
    context = {
        "course": course,
        "assignment": assignment,
        "submission": submission,
        "post": post,
        "grade": grade,
        "grade_form": form,
        "diff": body_diff(snapshot.body, post.body) if snapshot else None,
        "changed": snapshot is not None
        and (snapshot.title, snapshot.body) != (post.title, post.body),
        "line": line,
        **feedback_context(request, post, next_url=submission.get_absolute_url()),
    }
    return render(request, "assignments/submission_detail.html", context)


@require_POST
@login_required
def feedback_add(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_write_feedback(request.user):
        raise denied(course, "Only the author and the course's instructors write here.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = post.get_absolute_url()
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.add_feedback(post=post, author=request.user, body=form.cleaned_data["body"])
        messages.success(
            request,
            "Your feedback is posted. Only the author and the course's instructors can read it.",
        )
        return redirect(f"{next_url}#feedback")
    context = {"course": course, "post": post, "form": form, "next_url": next_url}
    return render(request, "assignments/feedback_form.html", context, status=400)


@login_required
@require_POST
def grade_clear(request, course_slug, assignment_slug, submission_id):
    """ "Clear grade" on a response's page: it is ungraded again (for those who grade)."""
    course = readable_course_or_404(request, course_slug)
    assignment = assignment_or_404(course, assignment_slug)
    if not assignment.can_grade(request.user):
        raise PermissionDenied("Only the course's graders clear a grade.")
    submission = get_object_or_404(
        assignment.submissions.select_related("post__author"), pk=submission_id
    )
    submission.assignment = assignment
    if services.clear_grade(submission=submission, by=request.user):
        messages.success(request, f"The grade of {submission.post.author.name} is cleared.")
    else:
        messages.info(request, "This response had no grade to clear.")
    return redirect(submission)


def _mark_cells(request, course, assignments, rows):
    """Other apps' marks on each cell (config.hooks.GRADEBOOK_MARKS), one query each."""
    if not rows or not assignments:
        return
    for mark in GRADEBOOK_MARKS:
        values = mark.marks(request, course, assignments)
        if not values:
            continue
        for row in rows:
            for cell in row.cells:
                value = values.get((cell.assignment.pk, row.user.pk))
                if value is not None:
                    cell.marks.append((mark.template, value))


@login_required
def course_gradebook(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_see_gradebook(request.user):
        raise PermissionDenied("Only the course's instructors see the gradebook.")
    assignments, rows = gradebook(course)
    _mark_cells(request, course, assignments, rows)
    context = {
        "course": course,
        "assignments": assignments,
        "rows": rows,
        "manage_tab": "gradebook",
        **page_parts(request, course, MANAGE_TABS),
    }
    return render(request, "assignments/gradebook.html", context)


@login_required
def gradebook_csv(request, course_slug, layout):
    course = readable_course_or_404(request, course_slug)
    if not course.can_export_grades(request.user):
        raise PermissionDenied("Only the course's instructors export grades.")
    write = CSV_LAYOUTS.get(layout)
    if write is None:
        return HttpResponse("Choose the canvas or moodle layout.", status=404)
    assignments, rows = gradebook(course)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="grades-{course.slug}-{layout}.csv"'
    write(course, assignments, rows, response)
    return response


@login_required
def calendar_subscribe(request, course_slug):
    """The person's private calendar address (made on first visit); POST replaces it."""
    course = course_for_members_or_403(request, course_slug)
    if request.method == "POST":
        services.reset_calendar_feed(course=course, user=request.user)
        messages.success(request, "Your calendar has a new address; the old one stops working.")
        return redirect("assignments:calendar_subscribe", course_slug=course.slug)
    feed = services.calendar_feed(course=course, user=request.user)
    feed_url = request.build_absolute_uri(feed.get_absolute_url())
    # webcal:// is the same address for calendar apps: a click subscribes.
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    context = {"course": course, "feed_url": feed_url, "webcal_url": webcal_url}
    return render(request, "assignments/calendar_subscribe.html", context)


def calendar_feed(request, token):
    """The .ics itself: the token is the key (calendar apps send no cookies). A
    deactivated person's token, like a past member's, answers 404."""
    from assignments.calendar import course_calendar  # icalendar: only for feeds

    feeds = CalendarFeed.objects.select_related("course", "user").filter(user__is_active=True)
    feed = get_object_or_404(feeds, token=token)
    if feed.course.role_of(feed.user) is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        course_calendar(feed.course, feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{feed.course.slug}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
