"""Django's PostgreSQL backend, with a health check that costs no round trip while the
server has said nothing (docs/decisions.md, "A health check without a round trip").

``CONN_HEALTH_CHECKS`` makes Django ask ``is_usable()`` before a request's first query
on a kept connection; Django's PostgreSQL answer runs ``SELECT 1``, a round trip on
every request (an anonymous cache hit's second). A server that ends a connection (a
restart, a shutdown, ``pg_terminate_backend``, an idle timeout) sends its FATAL
message and closes the socket, so an idle connection whose socket has nothing to read
is one the server still holds: this answers True for it after a non-blocking
``poll``. Anything to read, or a connection not idle, gets Django's ``SELECT 1``.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from psycopg import pq


class DatabaseWrapper(PostgreSQLWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status == pq.TransactionStatus.IDLE:
            try:
                poller = select.poll()
                poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
                quiet = not poller.poll(0)  # POLLHUP and POLLERR are always reported
            except (OSError, ValueError):
                quiet = False
            if quiet:
                return True
        return super().is_usable()
