from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from awards import services
from awards.forms import AwardForm, GrantForm
from awards.models import Award, AwardGrant
from blog.extensions import page_parts
from blog.models import Post
from blog.shortcuts import paginate, readable_course_or_404, readable_post_or_404
from config.hooks import MANAGE_TABS
from config.storage import StorageUnavailable


def awarding_course_or_403(request, course_slug):
    """The course (404 if the user may not read it), if the user may define, grant and
    revoke its awards (``course.can_grant_awards``); else 403."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_grant_awards(request.user):
        raise PermissionDenied("Only the course's instructors manage its awards.")
    return course


def award_list(request, course_slug):
    course = readable_course_or_404(request, course_slug)
    awards = Award.objects.for_course(course).shown_on_course_page(request.user)
    context = {
        "course": course,
        "awards": awards,
        "can_manage_awards": course.can_grant_awards(request.user),
    }
    return render(request, "awards/award_list.html", context)


def award_detail(request, course_slug, award_slug):
    """The hall of fame: published posts holding the award, most recently granted first."""
    course = readable_course_or_404(request, course_slug)
    award = get_object_or_404(Award.objects.for_course(course), slug=award_slug)
    posts = (
        Post.objects.visible_to(request.user)
        .published()
        .filter(award_grants__award=award)
        .annotate(granted_at=F("award_grants__granted_at"), citation=F("award_grants__citation"))
        .with_cards()
        .order_by("-granted_at", "-pk")
    )
    return render(
        request,
        "awards/award_detail.html",
        {"course": course, "award": award, "page_obj": paginate(request, posts)},
    )


@login_required
def award_manage(request, course_slug):
    course = awarding_course_or_403(request, course_slug)
    awards = (
        Award.objects.for_course(course)
        .with_post_counts()
        .order_by(F("retired_at").asc(nulls_first=True), "name")
    )
    context = {"course": course, "awards": awards, **page_parts(request, course, MANAGE_TABS)}
    return render(request, "awards/award_manage.html", context)


@login_required
def award_create(request, course_slug):
    course = awarding_course_or_403(request, course_slug)
    return _edit_award(request, course, Award(course=course))


@login_required
def award_edit(request, course_slug, award_slug):
    course = awarding_course_or_403(request, course_slug)
    award = get_object_or_404(Award.objects.for_course(course), slug=award_slug)
    award.course = course
    return _edit_award(request, course, award)


def _edit_award(request, course, award):
    adding = award.pk is None
    form = AwardForm(request.POST or None, request.FILES or None, instance=award)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.save_award(award=award, **form.cleaned_data)
        except StorageUnavailable:
            form.add_error(None, StorageUnavailable.message)
            context = {"course": course, "award": award, "form": form, "adding": adding}
            return StorageUnavailable.respond(render(request, "awards/award_form.html", context))
        messages.success(request, f"The “{award}” award is {'ready' if adding else 'saved'}.")
        return redirect("awards:award_manage", course.slug)
    context = {"course": course, "award": award, "form": form, "adding": adding}
    return render(request, "awards/award_form.html", context)


@require_POST
@login_required
def award_retire(request, course_slug, award_slug):
    course = awarding_course_or_403(request, course_slug)
    award = get_object_or_404(Award.objects.for_course(course), slug=award_slug)
    award.retire()
    award.save(update_fields=["retired_at"])
    messages.success(request, f"“{award}” is retired: posts keep it, nobody can receive it now.")
    return redirect("awards:award_manage", course.slug)


@require_POST
@login_required
def award_restore(request, course_slug, award_slug):
    course = awarding_course_or_403(request, course_slug)
    award = get_object_or_404(Award.objects.for_course(course), slug=award_slug)
    award.restore()
    award.save(update_fields=["retired_at"])
    messages.success(request, f"“{award}” can be granted again.")
    return redirect("awards:award_manage", course.slug)


@login_required
def grant_create(request, course_slug, post_slug):
    """Choose an award and a citation, review the banner, confirm."""
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not course.can_grant_awards(request.user):
        raise PermissionDenied("Only the course's instructors grant awards.")
    form = GrantForm(request.POST or None, post=post)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            grant = _grant_or_form_error(request, form)
            if grant is not None:
                messages.success(request, f"“{post}” received the “{grant.award}” award.")
                return redirect(post.get_absolute_url() + "#awards")
        elif "review" in request.POST:
            preview = form.preview()
    context = {"course": course, "post": post, "form": form, "preview": preview}
    return render(request, "awards/grant_form.html", context)


def _grant_or_form_error(request, form):
    """The new grant, or None with the refusal added to the form (e.g. a race lost)."""
    try:
        return services.grant_award(post=form.post, granted_by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def grant_revoke(request, course_slug, grant_id):
    course = awarding_course_or_403(request, course_slug)
    grant = get_object_or_404(
        AwardGrant.objects.select_related("award", "post__author"), pk=grant_id, post__course=course
    )
    grant.post.course = course
    if request.method == "POST":
        services.revoke_award(grant=grant)
        messages.success(request, f"“{grant.post}” no longer holds the “{grant.award}” award.")
        return redirect(grant.post.get_absolute_url() + "#awards")
    return render(request, "awards/grant_confirm_revoke.html", {"course": course, "grant": grant})
