"""The session keys accounts owns: what signing in leaves in a session.

Besides Django's own sign-in keys, a sign-in through accounts (allauth's forms and its
social providers) leaves how the reader signed in, the address a provider vouched for,
and which provider it was (``accounts.social.SESSION_KEY``). None of them changes what
a page shows, so the page cache may serve a signed-in reader whose session holds only
these (settings.PAGE_CACHE_SIGN_IN_SESSION_KEYS names this list). A new key that
something acts on when reading a page must not be added here;
tests/test_member_page_cache.py signs in through the form and through a provider to
keep the list true.
"""

from accounts.institutions import SLO_SESSION_KEY
from accounts.social import NAME_SESSION_KEY as SIGNED_IN_WITH_NAME
from accounts.social import SESSION_KEY as SIGNED_IN_WITH

SIGN_IN_KEYS = frozenset(
    {
        # allauth.account: the methods used to sign in, and for whom
        "account_authentication_methods",
        "account_authentication_methods_user",
        # allauth.account: the address a provider vouched for
        "account_verified_email",
        # allauth.socialaccount: sign-ins started and not finished (a live OAuth2, OIDC
        # or SAML sign-in leaves it, emptied, behind); no page reads it
        "socialaccount_states",
        SIGNED_IN_WITH,
        # an institution's sign-in: its name (for the comment form, like the provider
        # above) and what SAML Single Logout will name to the IdP (read at sign-out)
        SIGNED_IN_WITH_NAME,
        SLO_SESSION_KEY,
    }
)
