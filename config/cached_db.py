"""Django's cached_db sessions (SESSION_ENGINE with Redis: the database is the truth, the
cache a copy) with the database store's additions of ``config.sessions``: the row's
query compiled once, and ``read_from``, so that a member's hit reads the session's row
with the user's in one query (pagecache.readers.signed_in_session) instead of a Redis
round trip and then the user's query: the database answers as the cache would, being
the truth the cache copies (docs/decisions.md, hitcpu).
"""

from django.contrib.sessions.backends import cached_db

from config.sessions import CompiledRow


class SessionStore(CompiledRow, cached_db.SessionStore):
    pass
