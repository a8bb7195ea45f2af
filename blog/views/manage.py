"""Instructor pages: /c/<course>/manage/... (settings, roster, participation)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import institutions
from blog import services
from blog.extensions import page_parts
from blog.forms import (
    AddMembersForm,
    CourseSettingsForm,
    InviteForm,
    MembershipRoleForm,
    ParticipationForm,
)
from blog.models import Invitation, Role
from blog.palette import PALETTE
from blog.participation import participation_table, write_csv
from blog.shortcuts import managed_course_or_403
from config.hooks import MANAGE_TABS, ROSTER_PANELS
from config.storage import StorageUnavailable

logger = logging.getLogger(__name__)

# --- Instructor pages: /c/<course>/manage/... (instructors and staff) ---


def manage_context(request, course, tab):
    """What the instructor pages' tabs show (other apps add tabs: MANAGE_TABS parts)."""
    return {"course": course, "manage_tab": tab, **page_parts(request, course, MANAGE_TABS)}


@login_required
def course_settings(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = CourseSettingsForm(request.POST or None, request.FILES or None, instance=course)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "header_upload"}
        try:
            services.save_course_settings(course=course, header_image=form.header_image, **fields)
        except StorageUnavailable:
            logger.exception("Media storage unavailable while saving a course header")
            messages.error(request, StorageUnavailable.message)
            context = settings_context(request, course, form)
            return StorageUnavailable.respond(render(request, "blog/course_settings.html", context))
        if "visibility" in form.changed_data:
            services.apply_course_media_access(course=course)
        messages.success(request, "The course settings are saved.")
        return redirect("blog:course_settings", course_slug=course.slug)
    status = 400 if form.is_bound else 200  # a rejected form comes back as typed
    context = settings_context(request, course, form)
    return render(request, "blog/course_settings.html", context, status=status)


def settings_context(request, course, form):
    return {"form": form, "palette": PALETTE, **manage_context(request, course, "settings")}


@login_required
def course_roster(request, course_slug):
    course = managed_course_or_403(request, course_slug)
    form = AddMembersForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.add_members(course=course, **form.cleaned_data)
        report_added_members(request, result)
        if not result.not_added:
            return redirect("blog:course_roster", course_slug=course.slug)
        retry = {"entries": "\n".join(result.not_added), "role": form.cleaned_data["role"]}
        form = AddMembersForm(initial=retry)  # what wasn't added, to correct and send again
    return render_roster(request, course, form=form, result=result)


def render_roster(request, course, *, form=None, result=None, invite_form=None, status=200):
    memberships = list(course.memberships.with_user().by_name())
    # What each person's institution says they are (student, faculty...), if it said.
    affiliations = institutions.affiliations_of([m.user_id for m in memberships])
    for membership in memberships:
        membership.affiliation = affiliations.get(membership.user_id, "")
    context = {
        "form": form or AddMembersForm(),
        "result": result,
        "invite_form": invite_form or InviteForm(),
        "invitations": Invitation.objects.for_course(course).pending().select_related("invited_by"),
        "memberships": memberships,
        "role_choices": Role.choices,
        **manage_context(request, course, "roster"),
    }
    context["page_parts"].update(page_parts(request, course, ROSTER_PANELS)["page_parts"])
    return render(request, "blog/course_roster.html", context, status=status)


def report_added_members(request, result):
    def names(people):
        return ", ".join(getattr(p, "name", p) for p in people)

    if result.added:
        n, role = len(result.added), result.role.label.lower()
        roles = ngettext("%(role)s", "%(role)ss", n) % {"role": role}
        messages.success(request, f"Added {n} as {roles}: {names(result.added)}.")
    if result.already_members:
        messages.info(request, f"Already members, unchanged: {names(result.already_members)}.")
    if result.duplicates:
        messages.info(request, f"Listed more than once, counted once: {names(result.duplicates)}.")
    if result.unknown:
        messages.warning(request, f"No account found for: {names(result.unknown)}.")
    if result.ambiguous:
        messages.warning(
            request, f"Several accounts share: {names(result.ambiguous)}. Add them by username."
        )


def member_or_404(request, course, membership_id):
    """The course's membership; when it is the user's own, with request.user itself, so
    the service that changes it refreshes the roles this request has cached."""
    membership = get_object_or_404(course.memberships.with_user(), pk=membership_id)
    if membership.user_id == request.user.pk:
        membership.user = request.user
    membership.course = course
    return membership


def back_to_roster(request, course):
    """The roster, or the course page if the user has just given up running the course."""
    if course.can_manage(request.user):
        return redirect("blog:course_roster", course_slug=course.slug)
    return redirect(course)


@require_POST
@login_required
def membership_role(request, course_slug, membership_id):
    course = managed_course_or_403(request, course_slug)
    membership = member_or_404(request, course, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose student, teaching assistant or instructor.")
        return back_to_roster(request, course)
    try:
        services.change_role(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        role = membership.get_role_display().lower()
        messages.success(request, f"{membership.user.name} is now {article(role)} {role}.")
    return back_to_roster(request, course)


def article(word):
    return "an" if word[:1] in "aeiou" else "a"


@require_POST
@login_required
def membership_remove(request, course_slug, membership_id):
    course = managed_course_or_403(request, course_slug)
    membership = member_or_404(request, course, membership_id)
    try:
        services.remove_member(membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        name = membership.user.name
        messages.success(request, f"{name} left the course. Their posts and comments stay.")
    return back_to_roster(request, course)


@login_required
def course_participation(request, course_slug):
    """Who has done what in a period: a sortable table, and the same as CSV."""
    course = managed_course_or_403(request, course_slug)
    form = ParticipationForm(request.GET)
    table = None
    if form.is_valid():
        start, end = form.bounds()
        sort, direction = request.GET.get("sort"), request.GET.get("dir")
        table = participation_table(course, start=start, end=end, sort=sort, direction=direction)
        if request.GET.get("format") == "csv":
            return csv_response(table, f"participation-{course.slug}-{form.slug()}.csv")
    context = {
        "form": form,
        "table": table,
        "headers": table.headers(request.GET) if table else [],
        "csv_query": table.csv_query(request.GET) if table else "",
        **manage_context(request, course, "participation"),
    }
    return render(request, "blog/course_participation.html", context)


def csv_response(table, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(table, response)
    return response
