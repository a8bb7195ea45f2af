"""Commonplace's side of pylti1p3 (the pylti1p3next package; docs/decisions.md, "LTI
1.3: pylti1p3next, with our checks on top"): a tool configuration that reads our
Platform and Deployment rows, the request, session and cookie adapters the library
asks for, and subclasses that add what the library leaves out. Import this module
where a launch or a service call happens, never with the app: it loads jwcrypto and
cryptography (docs/decisions.md, "Heavy libraries load when they are used").

What the library does for us: the OIDC login request (issuer, login hint, the
registration, the authorization URL), the launch's format, its registration (iss and
client id), the platform key for the token's kid, the deployment and the message
claims; the service connector's client-credentials grant and its paging (rel="next"),
the Names and Roles, Assignment and Grade and Deep Linking messages. What we add:
the nonce consumed once through LoginAttempt, a keyset fetched once more for an
unknown kid (and cached in the shared cache), azp, exp and iat with a leeway, the aud
checked, timeouts, a token renewed once on a 401, and each failure mapped to a
refusal of our own (lti.errors) or a ServiceError."""

import logging
import secrets
import time
from contextlib import contextmanager

import jwt
import requests
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from pylti1p3.cookie import CookieService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deployment import Deployment as LibraryDeployment
from pylti1p3.exception import LtiException, LtiKeyException, LtiServiceException, OIDCException
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract

from lti import keys
from lti.errors import LaunchRefused, ServiceError
from lti.models import Deployment, Platform

logger = logging.getLogger("commonplace.lti")

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
LEEWAY_SECONDS = 60
JWKS_CACHE_SECONDS = 3600
FETCH_TIMEOUT_SECONDS = 5
SERVICE_TIMEOUT_SECONDS = 10
TOKEN_MARGIN_SECONDS = 60  # renew an access token this long before the platform's expiry


# --- Our models as the library's registrations and deployments. ---


class PlatformRegistration(Registration):
    """A Platform row as the library's Registration. The tool's key is read only when
    something is signed (a launch never needs it), and its kid is ours: the library
    would name the key by its thumbprint, which our JWKS does not publish."""

    def __init__(self, platform):
        self.platform = platform
        self._tool_key = None
        self.set_issuer(platform.issuer)
        self.set_client_id(platform.client_id)
        self.set_key_set_url(platform.jwks_url)
        self.set_auth_login_url(platform.auth_url)
        self.set_auth_token_url(platform.token_url)
        if platform.token_audience:  # the library's client assertion names it as its aud
            self.set_auth_audience(platform.token_audience)

    def _key(self):
        if self._tool_key is None:
            self._tool_key = keys.current_key()
        return self._tool_key

    def get_tool_private_key(self):
        return self._key().private_pem

    def get_kid(self):
        return self._key().kid


class ToolConf(ToolConfAbstract):
    """The registrations are our Platform rows; an issuer may have many client ids."""

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        """The one platform with this issuer (and client id, when given); else none."""
        platforms = Platform.objects.filter(issuer=iss or "")
        if client_id:
            platforms = platforms.filter(client_id=client_id)
        found = list(platforms[:2])
        return PlatformRegistration(found[0]) if len(found) == 1 else None

    def find_deployment(self, iss, deployment_id):
        return None  # every issuer may have many client ids: find_deployment_by_params

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        known = Deployment.objects.filter(
            platform__issuer=iss, platform__client_id=client_id, deployment_id=deployment_id
        ).exists()
        return LibraryDeployment().set_deployment_id(deployment_id) if known else None


# --- What the library asks of the web framework. ---


class FormRequest(Request):
    """The parameters of one request (a login's query or form, a launch's form)."""

    def __init__(self, params, *, secure=True):
        self._params = params
        self._secure = secure

    @property
    def session(self):
        return None  # nothing of a launch is kept in the Django session

    def is_secure(self):
        return self._secure

    def get_param(self, key):
        return self._params.get(key, "")


class AttemptSession(SessionService):
    """The library's state and nonce store, as our LoginAttempt row. At the login it
    hands over the nonce the library made (the view stores the attempt); at the launch
    it answers for the attempt the view consumed under select_for_update, so a nonce is
    good once on every app server. The library's own store (the Django session or a
    cache) only checks that a nonce was issued and never forgets it."""

    def __init__(self, attempt=None):  # no data storage: nothing is written through here
        self.attempt = attempt
        self.nonce = None

    def save_nonce(self, nonce):
        self.nonce = nonce

    def save_state_params(self, state, params):
        pass

    def check_nonce(self, nonce):
        return bool(self.attempt) and constant_time_compare(nonce, self.attempt.nonce)

    def check_state_is_valid(self, state, id_token_hash):
        return bool(self.attempt) and constant_time_compare(state, self.attempt.state)

    def set_state_valid(self, state, id_token_hash):
        pass

    def save_launch_data(self, key, jwt_body):
        pass


class StateCookie(CookieService):
    """The library's state cookie, kept to be set by the view (lti.views.oidc_login
    names it and makes it SameSite=None, Secure, for the LMS's cross-site POST)."""

    def __init__(self):
        self.state = None

    def get_cookie(self, name):
        return None  # the view checked the browser before the launch (_same_browser)

    def set_cookie(self, name, value, exp=3600):
        self.state = value


class UrlOnly(Redirect):
    """The login's answer is made by the view; the library gives the URL only."""

    def __init__(self, url):
        self._url = url

    def do_redirect(self):
        raise NotImplementedError

    def do_js_redirect(self):
        raise NotImplementedError

    def set_redirect_url(self, location):
        self._url = location

    def get_redirect_url(self):
        return self._url


class TimedSession(requests.Session):
    """Every call to a platform with a timeout (the library sets none), logged."""

    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout
        self.headers["User-Agent"] = "Commonplace (pylti1p3)"

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        started = time.monotonic()
        response = super().request(method, url, *args, **kwargs)
        elapsed = (time.monotonic() - started) * 1000
        logger.info("LTI %s %s: %s in %.0f ms", method, url, response.status_code, elapsed)
        return response


# --- OIDC login initiation. ---


class Login(OIDCLogin):
    """The library checks the login request (iss, login_hint, the registration) and
    builds the authorization URL; the state and nonce are 256 random bits each."""

    def __init__(self, params):
        self.state_cookie = StateCookie()
        self.nonces = AttemptSession()
        super().__init__(
            FormRequest(params),
            ToolConf(),
            session_service=self.nonces,
            cookie_service=self.state_cookie,
        )

    def get_redirect(self, url):
        return UrlOnly(url)

    def _get_uuid(self):
        return secrets.token_urlsafe(32)

    def _generate_nonce(self):
        return secrets.token_urlsafe(32)

    def authorization_url(self, redirect_uri):
        """The platform's authorization URL, or LaunchRefused."""
        try:
            url = self.get_redirect_object(redirect_uri).get_redirect_url()
        except OIDCException as error:
            reason = "unknown_platform" if self._get_request_param("login_hint") else "bad_request"
            raise LaunchRefused(reason, str(error)) from error
        return url

    @property
    def platform(self):
        return self._registration.platform

    @property
    def state(self):
        return self.state_cookie.state

    @property
    def nonce(self):
        return self.nonces.nonce


# --- The launch. ---


def keyset_cache_key(platform):
    return f"lti:jwks:{platform.pk}:{platform.jwks_url}"


def fetch_keyset(platform, session=None):
    """The platform's JWKS from its URL, kept in the shared cache for an hour."""
    session = session or TimedSession(FETCH_TIMEOUT_SECONDS)
    try:
        response = session.get(platform.jwks_url)
        response.raise_for_status()
        keyset = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LaunchRefused("platform_down", f"{platform.jwks_url}: {error}") from error
    if not isinstance(keyset, dict) or not isinstance(keyset.get("keys"), list):
        raise LaunchRefused("platform_down", f"{platform.jwks_url}: not a JWKS")
    cache.set(keyset_cache_key(platform), keyset, JWKS_CACHE_SECONDS)
    return keyset


@contextmanager
def refusing(reason):
    """A step of the library's validation; what it raises becomes our refusal."""
    try:
        yield
    except LaunchRefused:
        raise
    except (LtiException, OIDCException) as error:
        raise LaunchRefused(reason, str(error)) from error


class CheckedLaunch(MessageLaunch):
    """The library's MessageLaunch for one id_token answering one consumed login
    attempt. validate() runs the library's steps in its order (state, format, nonce,
    registration, signature, deployment, message); each override below adds our
    checks and says which refusal a failure is."""

    def __init__(self, *, id_token, state, attempt):
        super().__init__(
            FormRequest({"id_token": id_token, "state": state}),
            ToolConf(),
            session_service=AttemptSession(attempt),
            cookie_service=StateCookie(),
            requests_session=TimedSession(FETCH_TIMEOUT_SECONDS),
        )
        self.attempt = attempt
        self.keyset_fetched = False  # fetched during this launch, not from the cache
        self.claims = None

    def _get_request_param(self, key):
        return self._request.get_param(key)

    @property
    def platform(self):
        return self._registration.platform

    def validate(self):
        try:
            return super().validate()
        except LaunchRefused:
            raise
        except (LtiException, ValueError, TypeError, AttributeError, KeyError) as error:
            raise LaunchRefused("bad_message", f"{error.__class__.__name__}: {error}") from error

    def validate_state(self):
        with refusing("expired_login"):
            return super().validate_state()

    def validate_jwt_format(self):
        with refusing("bad_message"):
            super().validate_jwt_format()
        if not isinstance(self._jwt.get("header"), dict) or not isinstance(
            self._jwt.get("body"), dict
        ):
            raise LaunchRefused("bad_message", "id_token is not a JWT")
        alg = self._jwt["header"].get("alg")
        if alg != "RS256":  # LTI 1.3 signs with RS256; "none" or HMAC are never taken
            raise LaunchRefused("bad_signature", f"alg {alg!r}")
        return self

    def validate_nonce(self):
        if not self._jwt["body"].get("nonce"):
            raise LaunchRefused("bad_message", "no nonce")
        with refusing("replayed"):
            return super().validate_nonce()

    def get_client_id(self):
        """The client id the token is for: its azp when the aud lists several."""
        aud = self._jwt["body"].get("aud")
        if isinstance(aud, list):
            azp = self._jwt["body"].get("azp")
            return azp if azp in aud else (aud[0] if aud else "")
        return aud

    def validate_registration(self):
        try:
            super().validate_registration()
        except LtiException as error:
            issuer = self._jwt["body"].get("iss")
            reason = "unknown_platform"
            if isinstance(issuer, str) and Platform.objects.filter(issuer=issuer).exists():
                reason = "wrong_audience"
            raise LaunchRefused(reason, f"{error} (iss {issuer!r})") from error
        if self.platform.pk != self.attempt.platform_id:
            raise LaunchRefused("replayed", "the login was started by another platform")
        body = self._jwt["body"]
        audiences = [body["aud"]] if isinstance(body.get("aud"), str) else body.get("aud") or []
        azp = body.get("azp")
        if (len(audiences) > 1 or azp is not None) and azp != self.platform.client_id:
            raise LaunchRefused("wrong_audience", f"azp {azp!r}")
        return self

    def fetch_public_key(self, key_set_url):
        """The keyset from the shared cache, else from the platform (the library
        would fetch it on every launch, without a timeout)."""
        keyset = cache.get(keyset_cache_key(self.platform))
        if keyset is None:
            keyset = fetch_keyset(self.platform, self._requests_session)
            self.keyset_fetched = True
        return keyset

    def get_public_key(self):
        """The library finds the token's kid in the keyset; a kid it can't find in a
        cached keyset makes us fetch the keyset once more (the platform rotated)."""
        try:
            return super().get_public_key()
        except LtiKeyException as error:
            if self.keyset_fetched:
                raise LaunchRefused("unknown_kid", str(error)) from error
        self._registration.set_key_set(fetch_keyset(self.platform, self._requests_session))
        self.keyset_fetched = True
        with refusing("unknown_kid"):
            return super().get_public_key()

    def validate_jwt_signature(self):
        """The library's key; the signature and registered claims checked here with a
        leeway and the aud (the library decodes with neither)."""
        public_key, _ = self.get_public_key()
        try:
            claims = jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=["RS256"],
                audience=self.platform.client_id,
                issuer=self.platform.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
            )
        except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError) as error:
            raise LaunchRefused("expired", str(error)) from error
        except jwt.InvalidAudienceError as error:
            raise LaunchRefused("wrong_audience", str(error)) from error
        except jwt.InvalidIssuerError as error:
            raise LaunchRefused("unknown_platform", str(error)) from error
        except jwt.MissingRequiredClaimError as error:
            raise LaunchRefused("bad_message", str(error)) from error
        except jwt.PyJWTError as error:
            raise LaunchRefused("bad_signature", str(error)) from error
        self._jwt["body"] = claims  # the verified claims from here on
        return self

    def validate_deployment(self):
        deployment_id = self._jwt["body"].get(LTI + "deployment_id")
        if not deployment_id or not isinstance(deployment_id, str):
            raise LaunchRefused("bad_message", "no deployment_id")
        with refusing("unknown_deployment"):
            return super().validate_deployment()

    def validate_message(self):
        """The library's message validators (sub, version 1.3.0, roles, the resource
        link or the deep linking settings), for the two messages Commonplace takes,
        and the claims it needs besides."""
        body = self._jwt["body"]
        message_type = body.get(LTI + "message_type")
        if message_type not in (RESOURCE_LINK, DEEP_LINKING):
            raise LaunchRefused("bad_message", f"message_type {message_type!r}")
        with refusing("bad_message"):
            super().validate_message()
        if not isinstance(body.get(LTI + "roles"), list):
            raise LaunchRefused("bad_message", "no roles claim")
        if not isinstance(body.get("sub"), str):
            raise LaunchRefused("bad_message", "no sub")
        context = body.get(LTI + "context")
        if not isinstance(context, dict) or not context.get("id"):
            raise LaunchRefused("bad_message", "no context claim")
        if message_type == RESOURCE_LINK:
            if not body.get(LTI + "target_link_uri"):
                raise LaunchRefused("bad_message", "no target_link_uri")
        else:
            settings = body.get(DL + "deep_linking_settings")
            if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
                raise LaunchRefused("bad_message", "no deep_linking_settings")
        return self

    def save_launch_data(self):
        return self  # nothing is written on a launch's way in (lti.services writes)

    def checked_claims(self):
        self.validate()
        return self._jwt["body"]


# --- Services: the access token, then Names and Roles, grades, deep linking. ---


class Connector(ServiceConnector):
    """The library's service connector (client-credentials grant with a signed JWT
    assertion, bearer requests, rel="next"), with its token kept in the shared cache
    until shortly before it expires (so app servers and workers ask the platform once
    an hour), a timeout on every call, a token renewed once on a 401, and failures said
    in words for people (ServiceError)."""

    def __init__(self, platform):
        super().__init__(PlatformRegistration(platform), TimedSession(SERVICE_TIMEOUT_SECONDS))
        self.platform = platform

    def _cache_key(self, scope_key):
        return f"lti:token:{self.platform.pk}:{scope_key}"

    def _get_cached_access_token(self, scope_key):
        return cache.get(self._cache_key(scope_key))

    def _cache_access_token(self, scope_key, access_token, expires_in):
        try:
            lifetime = int(expires_in or 3600)
        except (TypeError, ValueError):
            lifetime = 3600
        if lifetime > TOKEN_MARGIN_SECONDS:
            cache.set(self._cache_key(scope_key), access_token, lifetime - TOKEN_MARGIN_SECONDS)

    def forget_token(self, scopes):
        cache.delete(self._cache_key(self._scope_key(sorted(scopes))))

    def get_access_token(self, scopes):
        try:
            return super().get_access_token(scopes)
        except LtiServiceException as error:
            code = error.response.status_code
            raise ServiceError(f"The LMS refused an access token (HTTP {code}).") from error
        except requests.RequestException as error:
            raise ServiceError(
                f"The LMS's token endpoint did not answer ({error.__class__.__name__})."
            ) from error
        except (LtiException, KeyError, TypeError, ValueError) as error:
            raise ServiceError(
                "The LMS's token endpoint answered something else than a token."
            ) from error

    def make_service_request(self, scopes, url, **kwargs):
        for attempt in (1, 2):
            try:
                return super().make_service_request(scopes, url, **kwargs)
            except LtiServiceException as error:
                code = error.response.status_code
                if code == 401 and attempt == 1:
                    self.forget_token(scopes)
                    continue
                raise ServiceError(f"The LMS answered HTTP {code}.") from error
            except requests.RequestException as error:
                raise ServiceError(
                    f"The LMS did not answer ({error.__class__.__name__})."
                ) from error
            except ValueError as error:
                raise ServiceError("The LMS answered something else than JSON.") from error
        raise ServiceError("The LMS refused the access token.")


class DeepLinkAnswer(DeepLink):
    """The library's LtiDeepLinkingResponse, with azp and a jti, and the request's
    data claim only when the platform sent one."""

    def get_message_jwt(self, resources):
        message = super().get_message_jwt(resources)
        if message.get(DL + "data") is None:
            message.pop(DL + "data", None)
        message["azp"] = self._registration.get_client_id()
        message["jti"] = secrets.token_urlsafe(16)
        return message
