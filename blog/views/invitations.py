"""Invitations by email (blog/invitations.py; who may invite: course.can_manage)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from blog import invitations, services
from blog.forms import InviteForm
from blog.shortcuts import managed_course_or_403
from blog.views.manage import render_roster


@require_POST
@login_required
def invitation_create(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render_roster(request, course, invite_form=form, status=400)
    result = services.invite_people(
        course=course,
        invited_by=request.user,
        site_url=request.build_absolute_uri("/"),
        **form.cleaned_data,
    )
    if result.invited:
        n = len(result.invited)
        messages.success(
            request, f"Sent {n} invitation{'s' if n > 1 else ''}: {', '.join(result.invited)}."
        )
    if result.already_members:
        messages.info(
            request, f"Already members, not invited: {', '.join(result.already_members)}."
        )
    return redirect(f"{reverse('blog:course_roster', args=[course.slug])}#invitations")


@require_POST
@login_required
def invitation_cancel(request, course_slug, invitation_id):
    course = managed_course_or_403(request, course_slug)
    invitation = get_object_or_404(course.invitations.pending(), pk=invitation_id)
    invitation.delete()
    messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect(f"{reverse('blog:course_roster', args=[course.slug])}#invitations")


def invitation_accept(request, token):
    """The link in the invitation email: sign up or in, then join (a POST)."""
    invitation = invitations.invitation_for(token)
    if invitation is None:
        return render(request, "blog/invitation_invalid.html", {"reason": "unknown"}, status=404)
    user = request.user
    if invitation.is_used and user.is_authenticated and invitation.accepted_by_id == user.pk:
        return redirect(invitation.course)  # just accepted at sign-in, or a second click
    if invitation.is_used or invitation.is_expired():
        reason = "used" if invitation.is_used else "expired"
        context = {"reason": reason, "invitation": invitation}
        return render(request, "blog/invitation_invalid.html", context, status=410)
    if not user.is_authenticated:
        invitations.remember(request, token)  # accepted when they sign up or sign in
    elif request.method == "POST":
        try:
            _, created = services.accept_invitation(invitation=invitation, user=user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, invitations.joined_message(invitation, created))
        return redirect(invitation.course)
    context = {"invitation": invitation, "course": invitation.course, "here": request.path}
    return render(request, "blog/invitation_detail.html", context)
