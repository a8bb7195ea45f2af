"""Who a session belongs to, read before the middleware stack runs.

The middleware serves a signed-in reader's page itself only when their session holds
nothing but the sign-in (``sign_in_session_keys``: Django's auth keys and the
session's expiry, plus the keys the project's accounts app declares in
``PAGE_CACHE_SIGN_IN_SESSION_KEYS``), and its user is one that Django's ``get_user``
would accept without touching the session (``signed_in_user``). Anything else goes
down the stack, where the middleware and views that handle it run.
"""

from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from config.db import PreparedQuery

# What a session holds once Django signed someone in.
DJANGO_SIGN_IN_KEYS = frozenset(
    {auth.SESSION_KEY, auth.BACKEND_SESSION_KEY, auth.HASH_SESSION_KEY, "_session_expiry"}
)


def sign_in_session_keys():
    """What a session may hold for the middleware to serve a member's page itself:
    Django's sign-in and the keys named by the setting
    ``PAGE_CACHE_SIGN_IN_SESSION_KEYS`` (the dotted path of the collection the app
    that signs people in declares): nothing that another middleware or view would act
    on when reading a page."""
    return _sign_in_keys(settings.PAGE_CACHE_SIGN_IN_SESSION_KEYS)


@lru_cache(maxsize=4)
def _sign_in_keys(path):
    return DJANGO_SIGN_IN_KEYS | (frozenset(import_string(path)) if path else frozenset())


def load_session(request):
    """The session of the request's cookie, as SessionMiddleware would make it."""
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(request.COOKIES[settings.SESSION_COOKIE_NAME])


def signed_in_user(session):
    """The session's user if Django's ``get_user`` would return them and leave the
    session as it is: the backend still knows them (active) and the session's hash
    matches their password's under the current secret key. Else None, and the request
    goes down the stack, where ``get_user`` renews the hash or signs them out."""
    try:
        user_id = get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = backend_user(auth.load_backend(backend_path), user_id)
    if user is None or not hasattr(user, "get_session_auth_hash"):
        return None
    if not constant_time_compare(
        session.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    return user


def backend_user(backend, user_id):
    """``backend.get_user(user_id)``; for ModelBackend's (allauth's backend inherits it),
    its query compiled once, since every member's hit runs it, with what the setting
    ``PAGE_CACHE_READER_QUERYSET`` adds to the reader's row (the bell's count, say)."""
    from django.contrib.auth.backends import ModelBackend  # needs the app registry

    if type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    user = USER_ROW.get(user_id=user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


@lru_cache(maxsize=4)
def _reader_queryset(path):
    return import_string(path) if path else (lambda queryset: queryset)


def _user_row(user_id):
    users = get_user_model()._default_manager.filter(pk=user_id)
    return _reader_queryset(settings.PAGE_CACHE_READER_QUERYSET)(users)


USER_ROW = PreparedQuery(_user_row, user_id=-730_113_601)
