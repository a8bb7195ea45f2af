"""Pinning a post as an announcement, and unpinning it (instructors and staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from blog import services
from blog.forms import PinForm
from blog.models import course_zone_of
from blog.shortcuts import denied, readable_course_or_404, readable_post_or_404


def pinnable_post_or_403(request, course_slug, post_slug):
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_pin(request.user):
        raise denied(course)
    return post


@login_required
def post_pin(request, course_slug, post_slug):
    """Pin (or change until when): the form on the post page posts here; a rejected
    time comes back on this page, as typed, with a 400."""
    post = pinnable_post_or_403(request, course_slug, post_slug)
    zone = course_zone_of(post.course)
    initial = {"until": post.pinned_until} if post.is_pinned else {}
    form = PinForm(request.POST or None, initial=initial, time_zone=zone)
    if request.method == "POST" and form.is_valid():
        services.pin_post(post=post, by=request.user, until=form.cleaned_data["until"])
        messages.success(request, f"“{post.title}” is pinned to the top of the course.")
        return redirect(post)
    status = 400 if form.is_bound else 200
    context = {"course": post.course, "post": post, "form": form}
    return render(request, "blog/post_pin.html", context, status=status)


@login_required
@require_POST
def post_unpin(request, course_slug, post_slug):
    post = pinnable_post_or_403(request, course_slug, post_slug)
    services.unpin_post(post=post)
    messages.success(request, f"“{post.title}” is no longer pinned.")
    return redirect(post)
