"""Database sessions with their one query compiled once (SESSION_ENGINE without Redis).

Every signed-in request reads its session; building that ORM query cost more than
PostgreSQL took to answer it (docs/decisions.md, Member hits skip the middleware
stack). This store is Django's database store, with the
row read by a query compiled once per connection (config.db.PreparedQuery), and able
to take the row as another query read it (``read_from``: the page cache reads a
member's session and user in one query, pagecache.readers.signed_in_session).
``config.cached_db`` is the same over Django's cached_db store (with Redis).
"""

import copy

from django.contrib.sessions.backends import db
from django.core.signals import setting_changed
from django.utils import timezone

from config.db import DirectQuery


class CompiledRow:
    """What the two stores (this module's and config.cached_db's) add to Django's."""

    def _get_session_from_db(self):
        # As Django's: an unknown or expired key reads as no session (and gets a new key
        # when saved). Expiry is compared here, so the compiled query has one parameter.
        session = SESSION_ROW.get(session_key=self.session_key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session

    def read_from(self, session_data, expire_date):
        """Take the row's two columns as another query read them (None: no such row),
        as ``load`` would have read them from the database: an unknown or expired
        session is empty and gets a new key when saved
        (pagecache.readers.signed_in_session)."""
        if session_data is None or expire_date <= timezone.now():
            self._session_key = None
            self._session_cache = {}
        else:
            self._session_cache = self._decoded(session_data)

    def _decoded(self, session_data):
        """``decode(session_data)``, whose signature check (two HMACs) and JSON cost
        about 14 µs of a member's hit: a process keeps what each session's data (as
        signed, so a changed session is new data) decoded to, and gives a copy.
        Bad data (``decode`` gives {}) is not kept, so Django logs it each time."""
        memo_key = (type(self), session_data)
        kept = _decoded.get(memo_key)
        if kept is None:
            data = self.decode(session_data)
            if not data:
                return data
            if len(_decoded) >= DECODED_KEPT:
                _decoded.pop(next(iter(_decoded)))
            kept = _decoded[memo_key] = data
        return {k: v if type(v) in IMMUTABLE else copy.deepcopy(v) for k, v in kept.items()}


IMMUTABLE = frozenset({str, int, float, bool, type(None)})  # shared by the copies as they are
DECODED_KEPT = 1_000  # sessions (about 1 KB each): a class or several
_decoded = {}


def forget_decoded(*, setting, **kwargs):
    """What decoding gives depends on these settings (tests change them)."""
    if setting in {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_SERIALIZER"}:
        _decoded.clear()


setting_changed.connect(forget_decoded)


class SessionStore(CompiledRow, db.SessionStore):
    pass


SESSION_ROW = DirectQuery(
    lambda session_key: SessionStore.get_model_class().objects.filter(session_key=session_key),
    session_key="\x00session key\x00",
)
