"""allauth's OpenID Connect login and callback views, with the institution adapter in
place of allauth's (which skips the ID token's signature when the token came straight
from the token endpoint)."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404

from accounts.providers.institutions import InstitutionOIDCAdapter


def _view(view_class):
    @login_not_required
    def view(request, provider_id):
        try:
            return view_class.adapter_view(InstitutionOIDCAdapter(request, provider_id))(request)
        except SocialApp.DoesNotExist as missing:
            raise Http404(f"{provider_id} sign-in is not configured on this site.") from missing

    return view


login = _view(OAuth2LoginView)
callback = _view(OAuth2CallbackView)
