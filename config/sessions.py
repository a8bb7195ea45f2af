"""Database sessions with their one query compiled once (SESSION_ENGINE without Redis).

Every signed-in request reads its session; building that ORM query cost more than
PostgreSQL took to answer it (docs/decisions.md, Member hits skip the middleware
stack). This store is Django's database store, with the
row read by a query compiled once per connection (config.db.PreparedQuery), and able
to take the row as another query read it (``read_from``: the page cache reads a
member's session and user in one query, pagecache.readers.signed_in_session).
``config.cached_db`` is the same over Django's cached_db store (with Redis).
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from config.db import PreparedQuery


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
            self._session_cache = self.decode(session_data)


class SessionStore(CompiledRow, db.SessionStore):
    pass


SESSION_ROW = PreparedQuery(
    lambda session_key: SessionStore.get_model_class().objects.filter(session_key=session_key),
    session_key="\x00session key\x00",
)
