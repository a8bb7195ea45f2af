"""Django's PostgreSQL backend, with a health check that costs no round trip while the
server has said nothing (docs/decisions.md, "A health check without a round trip"),
and a compiled query's rows read straight through libpq (``direct_rows``).

``CONN_HEALTH_CHECKS`` makes Django ask ``is_usable()`` before a request's first query
on a kept connection; Django's PostgreSQL answer runs ``SELECT 1``, a round trip on
every request (an anonymous cache hit's second). A server that ends a connection (a
restart, a shutdown, ``pg_terminate_backend``, an idle timeout) sends its FATAL
message and closes the socket, so an idle connection whose socket has nothing to read
is one the server still holds: this answers True for it after a non-blocking
``poll``. Anything to read, or a connection not idle, gets Django's ``SELECT 1``.

And its timestamps read by psycopg's own (compiled) parser, not Django's: below.
"""

import datetime
import itertools
import re
import select
from functools import lru_cache

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from psycopg import adapt, adapters, errors, pq
from psycopg.postgres import types
from psycopg.types import numeric

UTC = datetime.UTC


class TimestamptzLoader(adapt.Loader):
    """A timestamptz as Django's loader reads it (``psycopg_any.BaseTzLoader``: parsed
    in the connection's time zone, then labelled with Django's, UTC), parsed by
    psycopg's own loader: compiled with psycopg's binary package, where Django's
    subclass of the pure-Python one parsed each value with a regular expression (500
    comments' dates: 2 ms of drawing P500, 0.2 here). On a connection in UTC, as
    Django sets every one when USE_TZ is on, psycopg's value is Django's already (the
    same ``datetime.timezone.utc``), so each instance's ``load`` is psycopg's own."""

    timezone = UTC  # what Django's create_cursor compares with its own (and keeps this)

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self.parse = adapters.get_loader(oid, pq.Format.TEXT)(oid, context).load
        if self.connection is not None and self.connection.info.timezone is UTC:
            self.load = self.parse

    def load(self, data):
        return self.parse(data).replace(tzinfo=UTC)


@lru_cache
def with_utc_loader(template):
    """Django's adapters (a connection's template) with TimestamptzLoader."""
    context = adapt.AdaptersMap(template)
    context.register_loader(types["timestamptz"].oid, TimestamptzLoader)
    return context


# A compiled query's placeholders (``%s``) and escaped percent signs (``%%``): anything
# else after a ``%`` (named placeholders) is left to psycopg.
PLACEHOLDERS = re.compile("%(.)", re.DOTALL)
STATEMENT_NAMES = (b"commonplace_%d" % n for n in itertools.count(1))
NO_SUCH_STATEMENT = b"26000"  # invalid_sql_statement_name: DEALLOCATE ran, or DISCARD ALL


def numbered(sql):
    """``sql`` with libpq's ``$1, $2...`` for psycopg's ``%s``, or None: it has another
    kind of placeholder."""
    count = itertools.count(1)

    def number(match):
        kind = match.group(1)
        if kind == "s":
            return f"${next(count)}"
        if kind == "%":
            return "%"
        raise ValueError(kind)

    try:
        return PLACEHOLDERS.sub(number, sql)
    except ValueError:
        return None


# psycopg's wrappers of an int that say its PostgreSQL type (Django's ``Value(1)``
# compiles to an Int4): sent with that type, as psycopg sends them, since where PostgreSQL
# has nothing to infer a type from (a select list) an untyped value would be text.
TYPED_INTS = {
    numeric.Int2: types["int2"].oid,
    numeric.Int4: types["int4"].oid,
    numeric.Int8: types["int8"].oid,
}
BOOL = types["bool"].oid
TIMESTAMPTZ = types["timestamptz"].oid


def as_text(params):
    """(values, types): the parameters as libpq takes them in text format, each with the
    type it is sent as (0: none stated, for PostgreSQL to infer, as it does for psycopg's
    strings); or None for a value this doesn't write. Text (without NUL, which a C string
    would cut short, and a ``str`` subclass as its text: Django's choices), integers,
    psycopg's typed integers, booleans, and aware datetimes (as timestamptz, as psycopg
    sends them)."""
    values, kinds = [], []
    for value in params:
        kind = value.__class__
        if kind is int:
            values.append(b"%d" % value)
            kinds.append(0)
        elif isinstance(value, str):
            if "\x00" in value:
                return None
            values.append(value.encode())
            kinds.append(0)
        elif kind in TYPED_INTS:
            values.append(b"%d" % value)
            kinds.append(TYPED_INTS[kind])
        elif kind is bool:
            values.append(b"true" if value else b"false")
            kinds.append(BOOL)
        elif kind is datetime.datetime and value.utcoffset() is not None:
            values.append(value.isoformat().encode())
            kinds.append(TIMESTAMPTZ)
        else:
            return None
    return values, tuple(kinds)


class DatabaseWrapper(PostgreSQLWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (a compiled query, its parameters' types) -> (libpq connection, name, sql)
        self.direct_statements = {}

    def get_connection_params(self):
        params = super().get_connection_params()
        if self.timezone is UTC:  # USE_TZ, the database's TIME_ZONE unset: Django's UTC
            params["context"] = with_utc_loader(params["context"])
        return params

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

    def direct_rows(self, query, sql, params):
        """The rows of ``sql`` (a compiled query, ``%s`` placeholders) with ``params``,
        as psycopg's cursor would load them, read straight through libpq: prepared once
        per connection under a name of its own (``query`` keys it), then one
        ``PQexecPrepared`` a run. None: run it through a cursor instead.

        For the queries every cached hit runs (an anonymous reader's versions: the only
        query of such a hit). Django's cursor wrapper and psycopg's cursor around one
        small query cost about 65 µs of the worker's CPU, a fifth of the hit
        (docs/decisions.md, "An anonymous hit's one query, straight through libpq").
        Whatever watches queries (``execute_wrapper``, ``CaptureQueriesContext``,
        DEBUG's log) gets the cursor, as does a connection in a transaction or outside
        autocommit: psycopg answers a rollback with ``DEALLOCATE ALL``, so a statement
        may be gone, and only outside a transaction can its error be answered by
        preparing it again (inside, the error would have ended the transaction).
        Errors are Django's, as from a cursor."""
        if self.execute_wrappers or self.queries_logged:
            return None
        text = as_text(params)
        if text is None:
            return None
        self.close_if_health_check_failed()
        self.ensure_connection()
        self.validate_thread_sharing()
        connection = self.connection
        with self.wrap_database_errors, connection.lock:
            pgconn = connection.pgconn
            if not (
                self.autocommit
                and pgconn.status == pq.ConnStatus.OK
                and pgconn.transaction_status == pq.TransactionStatus.IDLE
            ):
                return None
            result = self._run_prepared(pgconn, (query, text[1]), sql, *text)
            if result is None:
                return None
            loader = adapt.Transformer(connection)
            loader.set_pgresult(result)
            return loader.load_rows(0, result.ntuples, tuple)

    def _run_prepared(self, pgconn, key, sql, values, kinds, again=True):
        """A compiled query's statement run with ``values`` (of types ``kinds``): prepared
        first on a connection that doesn't hold it (``key``: the query and those types);
        with no prepared statements (PREPARE_THRESHOLD 0, behind a pooler that can't keep
        them) one ``PQexecParams``. None: not libpq's to run."""
        statement = self.direct_statements.get(key)
        if statement is None or statement[0] is not pgconn:
            text = numbered(sql)
            if text is None:
                return None
            statement = (pgconn, next(STATEMENT_NAMES), text.encode())
            if self.settings_dict["OPTIONS"].get("prepare_threshold"):
                self._check(pgconn.prepare(statement[1], statement[2], kinds))
            else:
                statement = (pgconn, None, statement[2])
            self.direct_statements[key] = statement
        if statement[1] is None:
            return self._check(pgconn.exec_params(statement[2], values, kinds))
        result = pgconn.exec_prepared(statement[1], values)
        if (
            again
            and result.status == pq.ExecStatus.FATAL_ERROR
            and result.error_field(pq.DiagnosticField.SQLSTATE) == NO_SUCH_STATEMENT
        ):
            del self.direct_statements[key]  # the server forgot it: prepare it again
            return self._run_prepared(pgconn, key, sql, values, kinds, again=False)
        return self._check(result)

    def _check(self, result):
        if result.status not in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
            raise errors.error_from_result(result, encoding=self.connection.info.encoding)
        return result
