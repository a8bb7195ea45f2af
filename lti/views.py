"""The LTI 1.3 endpoints (docs/lti.md): OIDC login initiation, the launch (resource
link and deep linking), the tool's JWKS, the single-use link that opens a framed
launch in a tab of its own, and an instructor's setup of an unlinked LMS course."""

import logging
from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blog.extensions import page_parts
from blog.shortcuts import managed_course_or_403, readable_course_or_404
from config.hooks import MANAGE_TABS
from lti import deep_linking, grades, keys, launch, registration, roster, services
from lti.errors import REASONS, LaunchRefused, ServiceError
from lti.models import Context, Handoff, LoginAttempt, RosterEntry, ScoreSend

logger = logging.getLogger("commonplace.lti")
LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
    "lti_storage_target",
    "new_tab",  # ours: the login started again in a tab of its own (relaunch_url)
)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def framed(response, platform=None):
    """Let the LMS show this answer in its frame (the rest of the site is never framed)."""
    response.xframe_options_exempt = True
    ancestors = ["'self'"]
    if platform is not None:
        ancestors.append(platform.issuer.rstrip("/"))
    ancestors.append("https:")
    response._csp_replace = {"frame-ancestors": ancestors}
    return response


def refused(request, error, platform=None):
    reason = REASONS[error.reason]
    logger.warning("LTI launch refused: %s", error)
    context = {"reason": reason, "code": error.reason, "request_id": request.id}
    return framed(render(request, "lti/error.html", context, status=reason.status), platform)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def oidc_login(request):
    """Third-party-initiated login: remember a state and nonce, send the browser to the
    platform's authorization endpoint."""
    given = request.POST if request.method == "POST" else request.GET
    params = {name: given[name] for name in LOGIN_PARAMS if given.get(name)}
    deep_link = reverse("lti:deep_link")
    redirect_path = deep_link if deep_link in params.get("target_link_uri", "") else None
    redirect_uri = request.build_absolute_uri(redirect_path or reverse("lti:launch"))
    from lti.library import Login  # pylti1p3 loads on a login, not with the app

    oidc = Login(params)
    try:
        # pylti1p3 checks iss, login_hint and the registration, makes the state and
        # nonce, and builds the authorization URL (lti.library.Login).
        auth_url = oidc.authorization_url(redirect_uri)
    except LaunchRefused as error:
        return refused(request, error)
    platform = oidc.platform
    LoginAttempt.objects.filter(created__lt=timezone.now() - LoginAttempt.LIFETIME).delete()
    attempt = LoginAttempt.objects.create(
        platform=platform, state=oidc.state, nonce=oidc.nonce, params=params
    )
    if params.get("lti_storage_target"):
        # Keep the browser's secret in the platform's storage too, then go on.
        page = render(
            request,
            "lti/storage_put.html",
            {
                "storage": {
                    **_storage_context(attempt),
                    "secret": attempt.browser_secret,
                    "next": auth_url,
                },
                "auth_url": auth_url,
            },
        )
        response = framed(page, platform)
    else:
        response = redirect(auth_url)
    # SameSite=None: the launch comes back as a cross-site POST.
    response.set_cookie(
        launch.STATE_COOKIE + attempt.state[:16],
        attempt.state,
        max_age=int(LoginAttempt.LIFETIME.total_seconds()),
        secure=True,
        httponly=True,
        samesite="None",
    )
    return response


def _same_browser(request, attempt):
    """Whether this browser started the login: its state cookie, or the secret it kept
    in the platform's postMessage storage and posted back."""
    if request.COOKIES.get(launch.STATE_COOKIE + attempt.state[:16]) == attempt.state:
        return True
    secret = request.POST.get("storage_secret", "")
    return bool(secret) and constant_time_compare(secret, attempt.browser_secret)


def _prove_browser(request, attempt, id_token):
    """No cookie came back (the frame keeps none): ask the platform's postMessage
    storage for the secret, or open the login again in a tab of its own."""
    target = attempt.params.get("lti_storage_target")
    if target and not request.POST.get("storage_secret"):
        context = {
            "storage": _storage_context(attempt),
            "id_token": id_token,
            "state": attempt.state,
            "relaunch_url": _relaunch_url(request, attempt),
        }
        return framed(render(request, "lti/storage_check.html", context), attempt.platform)
    context = {"relaunch_url": _relaunch_url(request, attempt)}
    return framed(render(request, "lti/new_tab.html", context), attempt.platform)


def _storage_context(attempt):
    """What the page's script needs to talk to the platform's storage frame."""
    auth = urlsplit(attempt.platform.auth_url)
    return {
        "target": attempt.params["lti_storage_target"],
        "origin": f"{auth.scheme}://{auth.netloc}",
        "key": f"commonplace_{attempt.state[:32]}",
    }


def _relaunch_url(request, attempt):
    """The login started again, for a tab of its own where cookies work."""
    params = {**attempt.params, "new_tab": "1"}
    return request.build_absolute_uri(reverse("lti:login")) + "?" + urlencode(params)


@csrf_exempt
@xframe_options_exempt
@require_POST
def launch_view(request):
    id_token, state = request.POST.get("id_token", ""), request.POST.get("state", "")
    if not id_token or not state:
        return refused(request, LaunchRefused("bad_request", "no id_token or state"))
    try:
        attempt = launch.find_attempt(state)
        if not _same_browser(request, attempt):
            return _prove_browser(request, attempt, id_token)
        attempt = launch.take_attempt(state)
        checked = launch.validate(id_token=id_token, attempt=attempt)
        if checked.message_type == launch.DEEP_LINKING:
            return _picker(request, checked)
        user, next_url, setup_context = services.enter(launch=checked)
    except LaunchRefused as error:
        return refused(request, error)
    if setup_context is not None:
        next_url = reverse("lti:context_setup", kwargs={"context_id": setup_context.pk})
    if checked.in_frame and not attempt.params.get("new_tab"):
        handoff = Handoff.objects.create(user=user, next_url=next_url, setup_context=setup_context)
        page = render(
            request,
            "lti/open.html",
            {"handoff": handoff, "context": setup_context, "launch_user": user},
        )
        return framed(page, checked.platform)
    _sign_in(request, user, setup_context)
    return redirect(next_url)


def _picker(request, checked):
    """Deep linking: the content the instructor may place, in the LMS's frame."""
    user, context = services.picker_for(launch=checked)
    token = deep_linking.picker_token(launch=checked, context=context, user=user)
    choices = deep_linking.choices(context.course)
    page = render(
        request,
        "lti/deep_link_picker.html",
        {"token": token, "choices": choices, "course": context.course},
    )
    return framed(page, checked.platform)


@csrf_exempt  # the signed picker token stands in for the CSRF cookie the frame may lack
@xframe_options_exempt
@require_POST
def deep_link_respond(request):
    """The instructor's choice, sent back to the LMS as a signed LtiDeepLinkingResponse."""
    try:
        given = deep_linking.read_picker_token(request.POST.get("token", ""))
    except signing.BadSignature:
        return refused(request, LaunchRefused("picker_expired", "bad or old picker token"))
    context = get_object_or_404(
        Context.objects.select_related("course", "platform"), pk=given["context"]
    )
    course = context.course
    instructor = get_user_model().objects.filter(pk=given["user"]).first()
    if course is None or instructor is None or not course.can_manage(instructor):
        return refused(request, LaunchRefused("picker_not_instructor", "no longer instructs"))
    offered = {key: obj for key, _, obj in deep_linking.choices(course)}
    chosen = [offered[key] for key in request.POST.getlist("item") if key in offered]
    items = [deep_linking.content_item(obj, request.build_absolute_uri) for obj in chosen]
    jwt_text = deep_linking.response_jwt(
        platform=context.platform,
        deployment_id=given["deployment_id"],
        data=given["data"],
        items=items,
    )
    page = render(
        request,
        "lti/deep_link_return.html",
        {"return_url": given["return_url"], "jwt": jwt_text, "items": items},
    )
    return framed(page, context.platform)


def _sign_in(request, user, setup_context):
    login(request, user, backend=BACKEND)
    if setup_context is not None:
        request.session["lti_setup_context"] = setup_context.pk


@require_GET
def handoff_open(request, token):
    """The framed launch opened in its own tab: sign in once, then go on."""
    handoff = Handoff.objects.select_related("user", "setup_context").filter(token=token).first()
    deleted = Handoff.objects.filter(token=token).delete()[0] if handoff else 0
    if not deleted or handoff.is_expired:
        return refused(request, LaunchRefused("handoff_expired", "used or expired"))
    _sign_in(request, handoff.user, handoff.setup_context)
    return redirect(handoff.next_url)


@require_GET
def jwks(request):
    return JsonResponse(keys.jwks())


@login_required
@require_http_methods(["GET", "POST"])
def context_setup(request, context_id):
    """An instructor's first launch from an unlinked LMS course: create a course for it
    or link one they teach."""
    if request.session.get("lti_setup_context") != context_id:
        raise Http404("No LMS course to set up here.")
    context = get_object_or_404(Context.objects.select_related("course"), pk=context_id)
    if context.course_id is not None:
        return redirect(context.course.get_absolute_url())
    courses = services.courses_to_link(request.user)
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "create":
            course = services.create_course_for(context=context, instructor=request.user)
            return redirect(course.get_absolute_url())
        chosen = courses.filter(pk=request.POST.get("course") or None).first()
        if chosen is not None:
            services.link_course(context=context, course=chosen, instructor=request.user)
            return redirect(chosen.get_absolute_url())
        error = "Choose one of the courses you teach."
    return render(
        request,
        "lti/context_setup.html",
        {"context": context, "courses": courses, "error": error},
        status=400 if error else 200,
    )


@login_required
def course_lms(request, course_slug):
    """Manage > LMS: the linked LMS courses, their roster as last synced, and sync."""
    course = managed_course_or_403(request, course_slug)
    contexts = list(Context.objects.filter(course=course).select_related("platform"))
    entries = RosterEntry.objects.filter(context__in=contexts).select_related("user")
    by_context = {}
    for entry in entries.order_by("-is_active", "user__last_name", "user__username"):
        by_context.setdefault(entry.context_id, []).append(entry)
    for context in contexts:
        context.entries = by_context.get(context.pk, [])
        context.active_count = sum(entry.is_active for entry in context.entries)
        context.inactive_count = len(context.entries) - context.active_count
    assignments, unsent = [], []
    if apps.is_installed("assignments"):
        from assignments.models import Assignment

        assignments = list(
            Assignment.objects.filter(course=course)
            .select_related("lti_line_item")
            .prefetch_related("criteria__levels")
            .order_by("title")
        )
        unsent = list(
            ScoreSend.objects.filter(line_item__context__course=course)
            .exclude(status=ScoreSend.Status.SENT)
            .select_related("user", "line_item__assignment")
            .order_by("-updated")
        )
    grade_contexts = [context for context in contexts if context.lineitems_url]
    return render(
        request,
        "lti/course_lms.html",
        {
            "course": course,
            "contexts": contexts,
            "assignments": assignments,
            "grade_context": grade_contexts[0] if grade_contexts else None,
            "unsent": unsent,
            "manage_tab": "lms",
            **page_parts(request, course, MANAGE_TABS),
        },
    )


@login_required
@require_POST
def roster_sync(request, course_slug, context_id):
    course = managed_course_or_403(request, course_slug)
    context = get_object_or_404(
        Context.objects.select_related("platform"), pk=context_id, course=course
    )
    try:
        counts = roster.sync_roster(context=context)
    except ServiceError as error:
        messages.error(request, f"The roster could not be synced: {error}")
    else:
        messages.success(
            request,
            f"Roster synced: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['left']} left the LMS course.",
        )
    return redirect(_local(request, reverse("lti:course_lms", args=[course.slug])))


@login_required
@require_POST
def line_item_create(request, course_slug, assignment_id):
    """Manage > LMS: give an assignment its column in the LMS's grade book."""
    from assignments.models import Assignment

    course = managed_course_or_403(request, course_slug)
    assignment = get_object_or_404(Assignment, pk=assignment_id, course=course)
    context = Context.objects.filter(course=course).exclude(lineitems_url="").first()
    if context is None:
        raise Http404("No LMS course with a grade book is linked to this course.")
    try:
        grades.create_line_item(assignment=assignment, context=context)
    except ServiceError as error:
        messages.error(request, f"The LMS grade column could not be made: {error}")
    else:
        messages.success(request, f"“{assignment.title}” has its column in the LMS grade book.")
    return redirect("lti:course_lms", course_slug=course.slug)


@login_required
@require_POST
def score_send_again(request, course_slug, send_id):
    """Send a grade the LMS doesn't have again (any grader of the course may)."""
    course = readable_course_or_404(request, course_slug)
    if not course.can_grade(request.user):
        raise PermissionDenied("Only the course's graders send grades.")
    send = get_object_or_404(ScoreSend, pk=send_id, line_item__context__course=course)
    grades.send_again(send=send)
    messages.success(request, "The grade is on its way to the LMS again.")
    return redirect(_local(request, reverse("lti:course_lms", args=[course.slug])))


def _local(request, fallback):
    """The form's `next` when it is a page of this site, else `fallback`."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


@xframe_options_exempt
@require_GET
def dynamic_registration(request):
    """LTI Dynamic Registration, opened by the LMS with its configuration's URL."""
    try:
        invited = registration.read_invite(request.GET.get("invite", ""))
    except signing.BadSignature:
        return refused(request, LaunchRefused("bad_invite", "bad or old invitation"))
    try:
        platform = registration.register(
            openid_configuration=request.GET.get("openid_configuration", ""),
            registration_token=request.GET.get("registration_token", ""),
            absolute=request.build_absolute_uri,
            name=invited.get("name", ""),
        )
    except ServiceError as error:
        return refused(request, LaunchRefused("registration_failed", str(error)))
    return framed(render(request, "lti/registered.html", {"platform": platform}), platform)
