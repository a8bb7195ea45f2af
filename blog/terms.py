"""Terms end and begin (docs/terms.md): an instructor closes a course when its term
ends (read-only; reopened with one action) and copies it to a new term. The rules are
``Course.can_close`` and ``Course.can_copy``; the writes are blog.services'
close_course, reopen_course and copy_course."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from blog import scheduling, services
from blog.extensions import page_parts
from blog.forms import CopyCourseForm
from blog.models import Post
from blog.shortcuts import readable_course_or_404
from config.hooks import MANAGE_TABS


def _course_or_403(request, course_slug, predicate):
    """The course (404 if the user may not read it) if `predicate` allows them; else 403."""
    course = readable_course_or_404(request, course_slug)
    if not getattr(course, predicate)(request.user):
        raise PermissionDenied("Only the course's instructors end its term or copy it.")
    return course


def _manage_context(request, course):
    return {"course": course, "manage_tab": "term", **page_parts(request, course, MANAGE_TABS)}


@login_required
def course_term(request, course_slug):
    """The "Term" tab: close or reopen the course, copy it to a new term."""
    course = _course_or_403(request, course_slug, "can_close")
    return render(request, "blog/course_term.html", _manage_context(request, course))


@login_required
def course_close(request, course_slug):
    """Close the course: a confirmation page, then one POST."""
    course = _course_or_403(request, course_slug, "can_close")
    waiting = scheduling.waiting_in(course)
    if request.method == "POST":
        services.close_course(course=course)
        done = f"{course} is closed: it is read-only now."
        if waiting:
            done += f" What was scheduled ({_count_words(waiting)}) went back to drafts."
        messages.success(request, done)
        return redirect("blog:course_term", course_slug=course.slug)
    context = {**_manage_context(request, course), "waiting": _count_words(waiting)}
    context["pinned"] = Post.objects.for_course(course).pinned_now().count()
    return render(request, "blog/course_confirm_close.html", context)


def _count_words(counts):
    """[(2, "posts"), (1, "page")] as "2 posts and 1 page"."""
    words = [f"{count} {noun}" for count, noun in counts]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


@require_POST
@login_required
def course_reopen(request, course_slug):
    course = _course_or_403(request, course_slug, "can_close")
    services.reopen_course(course=course)
    messages.success(request, f"{course} is open again: its members can write and join.")
    return redirect("blog:course_term", course_slug=course.slug)


@login_required
def course_copy(request, course_slug):
    """Copy to a new term: the form, then a confirmation with every new date, then the
    copy. The confirmation carries the form's values in hidden fields; "Change"
    brings the form back as typed."""
    course = _course_or_403(request, course_slug, "can_copy")
    copiers = services.course_copiers()
    initial = {
        "title": course.title,
        "old_start": services.suggested_start(course),
        "posts": services.instructor_posts(course),
    }
    form = CopyCourseForm(
        request.POST or None,
        initial=initial,
        posts=services.instructor_posts(course),
        copiers=copiers,
    )
    step = request.POST.get("step", "")
    context = {"form": form, **_manage_context(request, course)}
    if request.method == "POST" and step != "change" and form.is_valid():
        values = form.service_values()
        if step == "confirm":
            new = services.copy_course(course=course, by=request.user, **values)
            messages.success(request, f"“{new}” is ready. Share its join code: {new.join_code}")
            return redirect(new)
        shift = services.TermShift.between(course, values["old_start"], values["start"])
        context["shift_days"] = shift.days
        context["previews"] = [
            SimpleNamespace(template=c.template, data=c.preview(course, shift))
            for c in copiers
            if c.preview and (not c.label or c.key in values["include"])
        ]
        context["values"] = values
        return render(request, "blog/course_copy_confirm.html", context)
    return render(request, "blog/course_copy_form.html", context)
