"""Courses: create one, join one, a new join code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from blog import services
from blog.forms import (
    CourseForm,
    JoinCourseForm,
)
from blog.models import Course
from blog.shortcuts import readable_course_or_404


@login_required
def course_create(request):
    if not Course.can_create(request.user):
        raise PermissionDenied("Only instructors can create courses.")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = services.create_course(instructor=request.user, **form.cleaned_data)
        messages.success(request, f"“{course}” is ready. Share its join code: {course.join_code}")
        return redirect(course)
    return render(request, "blog/course_form.html", {"form": form})


@login_required
def course_join(request):
    """The "Join a course" page, and the join form on a course page."""
    form = JoinCourseForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        _, created = services.join_course(course=form.course, user=request.user)
        if created:
            messages.success(request, f"Welcome to {form.course}! You can now write posts here.")
        else:
            messages.info(request, f"You are already a member of {form.course}.")
        return redirect(form.course)
    return render(request, "blog/course_join.html", {"form": form})


@require_POST
@login_required
def course_join_code_regenerate(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    if not course.can_manage(request.user):
        raise PermissionDenied
    services.regenerate_join_code(course=course)
    messages.success(request, f"New join code: {course.join_code}. The old one no longer works.")
    target = request.POST.get("next_anchor", "")  # back to the page that asked, if ours
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = course.get_absolute_url()
    return redirect(target)
