"""allauth customisation lives here (docs/style.md).

- Redirects (``?next=``) only ever go to this site: allauth checks its own with its
  adapter's ``is_safe_url``; our views check theirs with Django's
  ``url_has_allowed_host_and_scheme``.
- The session remembers which provider a social login used (``accounts.social``).
- Stand-in mode: a provider without credentials gets an in-memory SocialApp
  (never saved; no admin step) whose provider sends people to the local
  stand-in page instead of the provider's authorize URL.
- Rate limits count by ``config.proxies.client_ip``: the client's address behind
  the configured proxies, as the comment flood control does.
- Email (verification, password reset, "you already have an account") is rendered
  in the request and sent from the task queue after the commit (``config.mail``).
- Institutions (accounts.institutions, docs/sso.md): their providers
  (accounts/providers/institutions.py) add nonce, replay and domain checks; a
  trusted institution links an account by verified email; later sign-ins update
  the name and email; failures show the request id.
  ``INSTITUTION_ONLY``: no local sign-up, and local sign-in for staff only.
- Sign-up with a registered address does the same expensive work as with a new one
  (it hashes the typed password and sends one email), so its time does not tell the
  two apart (docs/decisions.md).
"""

import functools
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from accounts import institutions, social
from config.mail import queue_email
from config.proxies import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's rate limits count by: the client's, behind the
        configured proxies too (config/proxies.py), never the proxy's."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_open_for_signup(self, request):
        """Institution-only sites make accounts only from an institution's sign-in."""
        return not institution_only()

    def pre_login(self, request, user, **kwargs):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if institution_only() and sociallogin is None and not user.is_staff:
            messages.error(request, "Sign in with your institution: the button above.")
            return HttpResponseRedirect(reverse("account_login"))
        return super().pre_login(request, user, **kwargs)

    def post_login(self, request, user, *, signal_kwargs, **kwargs):
        sociallogin = (signal_kwargs or {}).get("sociallogin")
        if sociallogin:
            provider = sociallogin.provider
            name = provider.app.name if institutions.is_institution(provider.app) else ""
            social.remember_provider(request, sociallogin.account.provider, name)
        else:
            social.forget_provider(request)
        return super().post_login(request, user, signal_kwargs=signal_kwargs, **kwargs)

    def send_mail(self, template_prefix, email, context_):
        """Render now, with the request; send later, from the queue (see config.mail)."""
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context_)
        queue_email(self.render_mail(template_prefix, email, ctx))

    def send_account_already_exists_mail(self, email):
        """Sign-up with a registered address: no account is made, but the typed password
        is hashed (and thrown away) as a new account's sign-up hashes it. Hashing is
        most of a sign-up's time; without it the answer came 15 times sooner."""
        request = context.request
        typed = request.POST.get("password1", "") if request is not None else ""
        make_password(typed or secrets.token_urlsafe(16))
        super().send_account_already_exists_mail(email)


class StandInProviderMixin:
    """Mixed into a provider class whose app is the stand-in: its login goes to
    the local stand-in page, carrying ``process`` and ``next``."""

    stand_in = True

    def get_login_url(self, request, **kwargs):
        kwargs.pop("method", None)
        url = reverse("accounts:social_stub_login", kwargs={"provider_id": self.id})
        params = {k: v for k, v in kwargs.items() if k in ("next", "process") and v}
        return f"{url}?{urlencode(params)}" if params else url

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        params = {"process": process}
        if next_url:
            params["next"] = next_url
        return HttpResponseRedirect(self.get_login_url(request, **params))


@functools.cache
def _stand_in_class(provider_class):
    return type(f"StandIn{provider_class.__name__}", (StandInProviderMixin, provider_class), {})


def _is_stand_in(app):
    return app is not None and app.client_id == social.STAND_IN_CLIENT_ID and app.pk is None


def institution_only():
    return bool(getattr(settings, "INSTITUTION_ONLY", False))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        if institutions.is_institution(sociallogin.provider.app):
            return True
        return super().is_open_for_signup(request, sociallogin)

    def is_email_verified(self, provider, email):
        """A trusted institution vouches for its own addresses (Entra ID, for one,
        sends no email_verified claim)."""
        if institutions.is_institution(provider.app):
            return institutions.trusted_for_email(provider.app) and institutions.email_allowed(
                provider.app, email
            )
        return super().is_email_verified(provider, email)

    def can_authenticate_by_email(self, login, email):
        """An existing local account is linked only through a verified address at an
        institution the admin trusts for email; never for the other providers."""
        if institutions.is_institution(login.provider.app):
            return institutions.trusted_for_email(login.provider.app)
        return super().can_authenticate_by_email(login, email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if institutions.is_institution(sociallogin.provider.app) and data.get("name"):
            user.display_name = data["name"][:100]
        return user

    def pre_social_login(self, request, sociallogin):
        """A known person signing in again: the institution's name and email win."""
        if sociallogin.is_existing and institutions.is_institution(sociallogin.provider.app):
            institutions.update_from_institution(sociallogin)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """An institution's failure: a page with the reason and the request id for
        the IT desk (docs/sso.md), answered 400 (502 when the IdP is unreachable)."""
        if provider is None or not institutions.is_institution(provider.app):
            return super().on_authentication_error(
                request, provider, error=error, exception=exception, extra_context=extra_context
            )
        reason = institutions.failure_reason(error, exception, extra_context or {})
        raise ImmediateHttpResponse(
            render(
                request,
                "accounts/institution_failure.html",
                {
                    "institution": provider.app.name,
                    "reason": reason,
                    "explanation": institutions.FAILURE_REASONS[reason],
                    "request_id": getattr(request, "id", ""),
                },
                status=502 if reason == "unreachable" else 400,
            )
        )

    def save_user(self, request, sociallogin, form=None):
        # allauth skips a provider's address when another account holds it as an
        # EmailAddress row; accounts made in the admin or by seed_demo only have
        # User.email, so skip those too: two accounts never share an address.
        taken = get_user_model().objects.exclude(pk=sociallogin.user.pk)
        sociallogin.email_addresses = [
            address
            for address in sociallogin.email_addresses
            if not taken.filter(email__iexact=address.email).exists()
        ]
        return super().save_user(request, sociallogin, form=form)

    def list_apps(self, request, provider=None, client_id=None):
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        if not social.stub_login_enabled():
            return apps
        if client_id in (None, social.STAND_IN_CLIENT_ID):
            configured = {
                app.provider
                for app in (
                    apps if client_id is None else super().list_apps(request, provider=provider)
                )
            }
            for provider_id, provider_name in self._stand_in_candidates(provider):
                if provider_id not in configured:
                    apps.append(
                        SocialApp(
                            provider=provider_id,
                            name=f"{provider_name} (stand-in)",
                            client_id=social.STAND_IN_CLIENT_ID,
                        )
                    )
        return apps

    def _stand_in_candidates(self, provider=None):
        from allauth.socialaccount.providers import registry

        for provider_id in social.STAND_IN_PROFILES:
            provider_class = registry.get_class(provider_id)
            if provider_class and provider in (None, provider_id):
                yield provider_id, provider_class.name

    def list_providers(self, request):
        return [self._maybe_stand_in(request, p) for p in super().list_providers(request)]

    def get_provider(self, request, provider, client_id=None):
        """A provider with neither credentials nor the stand-in is not there: 404."""
        try:
            found = super().get_provider(request, provider, client_id)
        except SocialApp.DoesNotExist as missing:
            raise Http404(f"{provider} sign-in is not configured on this site.") from missing
        return self._maybe_stand_in(request, found)

    def _maybe_stand_in(self, request, provider):
        if _is_stand_in(provider.app) and not isinstance(provider, StandInProviderMixin):
            return _stand_in_class(type(provider))(request, app=provider.app)
        return provider
