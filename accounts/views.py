from allauth.account import views as allauth_views
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from accounts import institutions, names, ratelimits, services, social
from accounts.adapters import institution_only
from accounts.forms import ProfileForm, StandInIdentityForm
from accounts.profile import sections_for
from accounts.services import delete_replaced_file
from config.storage import StorageUnavailable


def profile(request, username):
    profile_user = get_object_or_404(get_user_model(), username=username, is_active=True)
    if names.shown_name(profile_user, None, request.user).is_public:
        raise Http404("No such person.")  # known to this reader under a public name only
    return render(
        request,
        "accounts/user_detail.html",
        {
            "profile_user": profile_user,
            "can_edit": profile_user.can_edit(request.user),
            "sections": sections_for(request, profile_user),
        },
    )


@login_required
def profile_edit(request):
    # A fresh copy, so a rejected form never changes request.user for this page.
    user = get_object_or_404(get_user_model(), pk=request.user.pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    next_url = get_next_redirect_url(request)
    old_avatar = user.avatar.name
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(user=user, **form.cleaned_data)
        except StorageUnavailable:
            form.add_error(None, StorageUnavailable.message)
            context = {"form": form, "next": next_url}
            return StorageUnavailable.respond(render(request, "accounts/user_form.html", context))
        delete_replaced_file(
            storage=user.avatar.storage, old_name=old_avatar, new_name=user.avatar.name
        )
        messages.success(request, "Your profile has been saved.")
        return redirect(next_url or user.get_absolute_url())
    return render(request, "accounts/user_form.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def social_stub_login(request, provider_id):
    """Development stand-in for a provider's consent page (see accounts.social)."""
    provider = _stand_in_provider(request, provider_id)
    form = StandInIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile_data = social.stand_in_profile(provider_id, **form.cleaned_data)
        sociallogin = provider.sociallogin_from_response(request, profile_data)
        process = request.GET.get("process")
        if process != "connect" or not request.user.is_authenticated:
            process = "login"
        sociallogin.state = {"process": process, "next": get_next_redirect_url(request)}
        return complete_social_login(request, sociallogin)
    return render(request, "accounts/social_stub_login.html", {"form": form, "provider": provider})


def _stand_in_provider(request, provider_id):
    if provider_id not in social.STAND_IN_PROFILES or not social.stub_login_enabled():
        raise Http404("No stand-in for this provider.")
    try:
        provider = get_social_adapter(request).get_provider(request, provider_id)
    except SocialApp.DoesNotExist:
        raise Http404("No stand-in for this provider.") from None
    if not getattr(provider, "stand_in", False):
        raise Http404("This provider signs in for real here.")
    return provider


def login(request):
    """allauth's sign-in page; refused for too many failed attempts, it answers 429."""
    response = allauth_views.login(request)
    if getattr(response, "context_data", None) is not None:
        response.context_data["institution_only"] = institution_only()
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
        response.status_code = 429
        key = ratelimits.login_key(request, request.POST.get("login", ""))
        response["Retry-After"] = str(
            ratelimits.retry_after(request, action="login_failed", key=key)
        )
    return response


def logout(request):
    """allauth's sign-out; after an institution's sign-in, on to the institution's
    logout too (OIDC RP-initiated logout, SAML Single Logout: docs/sso.md)."""
    idp_logout = None
    if request.method == "POST" and request.user.is_authenticated:
        provider = social.institution_provider_of(request)
        if provider is not None:
            idp_logout = institutions.identity_provider_logout_url(request, provider)
    response = allauth_views.logout(request)
    if idp_logout and response.status_code == 302:
        return HttpResponseRedirect(idp_logout)
    return response


def too_many_requests(request):
    """allauth's handler429 (found as config.urls.handler429): the page and Retry-After."""
    match = request.resolver_match
    action = ratelimits.ACTIONS.get(match.url_name if match else None, "login")
    key = ratelimits.request_key(request, action=action)
    response = TemplateResponse(request, "429.html", status=429)
    response["Retry-After"] = str(ratelimits.retry_after(request, action=action, key=key))
    return response
