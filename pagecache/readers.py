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
from django.db.models import Subquery
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from config.db import DirectQuery

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


def signed_in_session(request):
    """(session, user row or None): the session of the request's cookie, as
    ``load_session`` gives it, and the row of the user it names if it was read with it.

    With a store that takes a row read elsewhere (``read_from``: ``config.sessions``,
    the database's, and ``config.cached_db``, Redis's copy over the database) a process
    remembers whose each session key was when it last read it (``_session_users``); the
    next time it reads that session's row and that user's row (``USER_ROW``'s, with the
    reader loaders) in one query, a round trip less on every member hit. The remembered
    user id is only a guess of which row to join: both rows are as the database has them
    now, and ``signed_in_user`` takes the joined row only if the session still names
    that user, else it asks the backend as usual. So a password change, a deactivation or a
    sign-out shows at once, as without it. With cached_db the row is read from the
    database, the truth the cache holds a copy of (it writes there first and deletes
    from both): a Redis round trip less, not a different answer."""
    session = load_session(request)
    user_id = _session_users.get(session.session_key)
    if user_id is None or not _joinable(session):
        return session, None
    row = SESSION_AND_USER_ROW.get(user_id=user_id, session_key=session.session_key)
    if row is None:  # no such user now: the session is read alone
        return session, None
    data, expiry = row.pagecache_session_data, row.pagecache_session_expiry
    del row.pagecache_session_data, row.pagecache_session_expiry  # not the reader's row
    session.read_from(data, expiry)
    return session, row


def _joinable(session):
    """A session not read yet, whose store takes a row read elsewhere (``read_from``:
    config.sessions, config.cached_db)."""
    return hasattr(session, "read_from") and not hasattr(session, "_session_cache")


def remember_session_user(session, user):
    """After a member's hit: whose session this is, for ``signed_in_session``'s next
    read of it in this process (a bounded map; forgetting costs a query, not a wrong
    answer). Nothing is remembered for a store that can't be joined (without
    ``read_from``)."""
    if not hasattr(session, "read_from"):
        return
    if len(_session_users) >= SESSION_USERS_KEPT:
        _session_users.pop(next(iter(_session_users)))
    _session_users[session.session_key] = user.pk


SESSION_USERS_KEPT = 10_000  # session keys (about 1 MB): far more than a class
_session_users = {}


def signed_in_user(session, row=None):
    """The session's user if Django's ``get_user`` would return them and leave the
    session as it is: the backend still knows them (active) and the session's hash
    matches their password's under the current secret key. Else None, and the request
    goes down the stack, where ``get_user`` renews the hash or signs them out.

    ``row``: the user row ``signed_in_session`` read with the session, taken in place of
    the backend's query if it is the row of the user the session names."""
    try:
        user_id = get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = auth.load_backend(backend_path)
    if row is not None and row.pk == user_id and _compiled_backend(backend):
        user = row if backend.user_can_authenticate(row) else None
    else:
        user = backend_user(backend, user_id)
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
    if not _compiled_backend(backend):
        return backend.get_user(user_id)
    user = USER_ROW.get(user_id=user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def _compiled_backend(backend):
    """Whether the backend gets its user as ModelBackend does (allauth's inherits it):
    the user row this module reads is then what it would answer."""
    from django.contrib.auth.backends import ModelBackend  # needs the app registry

    return type(backend).get_user is ModelBackend.get_user


@lru_cache(maxsize=4)
def _reader_queryset(path):
    return import_string(path) if path else (lambda queryset: queryset)


def _user_row(user_id):
    users = get_user_model()._default_manager.filter(pk=user_id)
    return _reader_queryset(settings.PAGE_CACHE_READER_QUERYSET)(users)


USER_ROW = DirectQuery(_user_row, user_id=-730_113_601)


def _session_and_user_row(user_id, session_key):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = store.get_model_class().objects.filter(session_key=session_key)
    return _user_row(user_id).annotate(
        pagecache_session_data=Subquery(sessions.values("session_data")[:1]),
        pagecache_session_expiry=Subquery(sessions.values("expire_date")[:1]),
    )


SESSION_AND_USER_ROW = DirectQuery(
    _session_and_user_row, user_id=-730_113_602, session_key="\x00joined session key\x00"
)
