"""Query pieces that every app uses the same way."""

import datetime
import weakref

from django.db import connections
from django.db.models import (
    DEFERRED,
    Aggregate,
    Count,
    IntegerField,
    Model,
    OuterRef,
    Subquery,
    TextField,
    signals,
)
from django.db.models.base import ModelState
from django.db.models.functions import Coalesce
from django.db.models.query import get_related_populators


def count_of(related, field):
    """A subquery: how many rows of ``related`` (a queryset) point through ``field`` at
    the outer query's row; 0 when none do.

    A subquery rather than ``Count`` on a join, so that two counts on one queryset
    (likes and comments on a post card) don't multiply each other.
    """
    counted = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class _Joined(Aggregate):
    """The values as one comma-separated text: ``GROUP_CONCAT`` (SQLite), ``STRING_AGG``
    (PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra,
        )


def ids_of(related, field, value):
    """A subquery: the ``value`` ids of the rows of ``related`` (a queryset) that point
    through ``field`` at the outer query's row, as a set once read with ``id_set``. For
    a page's one query that also carries a reader's own picks (the comments they like)."""
    joined = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(ids=_Joined(value))
        .values("ids")
    )
    return Subquery(joined, output_field=TextField())


def id_set(joined):
    """The ids ``ids_of`` gave (None: none)."""
    return {int(pk) for pk in joined.split(",")} if joined else set()


# Every PreparedQuery, for forget_prepared_queries.
_prepared_queries = weakref.WeakSet()


def forget_prepared_queries():
    """Make every PreparedQuery compile again on its next run. For tests: what a query's
    ``build`` reads (other apps' loaders, settings) may change from one test to the next,
    and SQL compiled during one test must not answer another (tests/conftest.py)."""
    for query in list(_prepared_queries):
        query.forget()


class PreparedQuery:
    """A queryset of one shape, compiled to SQL once per process and run again with
    other values: for the hot path of a page, where building and compiling a queryset
    with joins and subqueries cost more than running it (docs/decisions.md, The
    signed-in post query is compiled once).

    ``build(**values)`` returns the queryset for some values; its shape (joins,
    annotations, select_related) must not depend on them. ``get(**values)`` returns the
    one model instance it finds, with its select_related rows and annotations, as
    ``queryset.get()`` would, or None; ``all(**values)`` every one, as ``list()``
    would; ``rows(**values)`` the raw rows of a ``values_list()``. Values are swapped
    into the compiled SQL's parameters by position: each placeholder value given to
    ``__init__`` must appear in the compiled parameters only where that value is meant
    (pick unlikely ones).
    """

    def __init__(self, build, **placeholders):
        self.build = build
        self.placeholders = placeholders
        # connection -> (compiler, sql, parameters, slots): per connection, because a
        # compiler keeps the connection it compiled for (threads each have their own)
        self._compiled = weakref.WeakKeyDictionary()
        _prepared_queries.add(self)

    def forget(self):
        """Drop the compiled SQL: the next run builds and compiles the query again."""
        self._compiled.clear()

    def _compile(self, connection):
        queryset = self.build(**self.placeholders)
        compiler = queryset.query.chain().get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
        slots = []
        for param in params:
            slot = None
            for name, value in self.placeholders.items():
                if value == param:
                    slot = (name, None)
                elif isinstance(value, datetime.datetime):  # as the backend adapted it
                    adapt = connection.ops.adapt_datetimefield_value
                    if adapt(value) == param:
                        slot = (name, adapt)
                if slot:
                    break
            slots.append(slot)
        missing = set(self.placeholders) - {slot[0] for slot in slots if slot}
        if missing or queryset._prefetch_related_lookups:
            raise ValueError(f"Cannot prepare this query (missing {missing or 'none'}).")
        # the last: what makes model instances of its rows, worked out once (_maker)
        compiled = self._compiled[connection] = (compiler, sql, list(params), slots, {})
        return compiled

    def _values(self, compiled, values):
        """The compiled query's parameters with ``values`` in their slots."""
        _compiler, _sql, params, slots, _makers = compiled
        return [
            p if slot is None else values[slot[0]] if slot[1] is None else slot[1](values[slot[0]])
            for slot, p in zip(slots, params, strict=True)
        ]

    def _execute(self, using, values, fetch):
        connection = connections[using]
        compiled = self._compiled.get(connection) or self._compile(connection)
        compiler, sql, _params, _slots, makers = compiled
        params = self._values(compiled, values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = fetch(cursor)
        return compiler, makers, rows

    def rows(self, using="default", **values):
        """The rows as the database gives them, no converters applied: for a
        ``values_list()`` of ids or counts."""
        return self._execute(using, values, lambda cursor: cursor.fetchall())[2]

    def all(self, using="default", **values):
        """Every model instance it finds, as ``list(queryset)`` would."""
        compiler, makers, rows = self._execute(using, values, lambda cursor: cursor.fetchall())
        make = makers.get(using) or self._maker(compiler, makers, using)
        return make(rows)

    def get(self, using="default", **values):
        compiler, makers, rows = self._execute(using, values, lambda cursor: cursor.fetchmany(2))
        if len(rows) != 1:
            if rows:
                raise compiler.query.model.MultipleObjectsReturned
            return None
        make = makers.get(using) or self._maker(compiler, makers, using)
        return make(rows)[0]

    @staticmethod
    def _maker(compiler, makers, using):
        """``make(rows)``: the model instances of the rows, as ModelIterable makes them
        with a compiler that has run: the model's columns, the select_related rows, the
        annotations, each value through its field's converters (all the rows in one
        pass of them, not a pass a row). What it needs of the compiler (the converters,
        the related populators) is worked out once per compiled query: doing it for
        every row cost more than reading the row."""
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        columns = [column[0] for column in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(columns):
            converters = None  # not worked out here: results_iter does it per row
        else:
            converters = compiler.get_converters(columns)
        model = klass_info["model"]
        instance = _instance_maker(model, init_list, using)
        populators = get_related_populators(klass_info, select, using)
        annotations = list(compiler.annotation_col_map.items())

        def make(rows):
            if converters is None:
                rows = compiler.results_iter(results=[rows])
            elif converters:
                rows = compiler.apply_converters(rows, converters)
            made = []
            for row in rows:
                obj = instance(row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                for name, position in annotations:
                    setattr(obj, name, row[position])
                made.append(obj)
            return made

        makers[using] = make
        return make


class DirectQuery(PreparedQuery):
    """A PreparedQuery that the database backend may run without a cursor
    (``config.postgresql``'s ``direct_rows``: straight through libpq, prepared once per
    connection), for the queries of every cache hit: an anonymous reader's versions, a
    member's session and user row and the page's lookup. Its parameters are passed as
    text (``config.postgresql.as_text``): text and plain integers of no stated type,
    for PostgreSQL to infer, so each must stand where its type is plain (``column =
    %s``), as psycopg's strings must; psycopg's typed integers and booleans with their
    type. Anything else, and a query someone is watching, goes through a cursor as
    usual."""

    def _execute(self, using, values, fetch):
        connection = connections[using]
        direct = getattr(connection, "direct_rows", None)
        if direct is not None:
            compiled = self._compiled.get(connection) or self._compile(connection)
            rows = direct(self, compiled[1], self._values(compiled, values))
            if rows is not None:
                return compiled[0], compiled[4], rows
        return super()._execute(using, values, fetch)


def _instance_maker(model, init_list, using):
    """``instance(values)``: ``model.from_db(using, init_list, values)``. With deferred
    fields (``only()``), ``Model.from_db`` looks each of the model's fields up in
    ``init_list`` for every row (a fifth of building a 500-comment thread's instances);
    here the positions are worked out once. A model with its own ``from_db`` keeps it."""
    fields = model._meta.concrete_fields
    if model.from_db.__func__ is not Model.from_db.__func__ or len(init_list) == len(fields):
        return lambda values: model.from_db(using, init_list, values)
    if model.__init__ is Model.__init__ and not (
        signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
    ):
        # What Model.__init__ does with these values, without its walk over every field
        # and its two signals (nobody listens: asked when the query was compiled), a
        # tenth of drawing a 500-comment thread: each value set as the field's
        # descriptor would set it (in the instance's dict: deferred fields absent).
        def bare(values):
            obj = model.__new__(model)
            obj.__dict__.update(zip(init_list, values, strict=True))
            state = obj._state = ModelState()
            state.adding = False
            state.db = using
            return obj

        return bare
    positions = {name: n for n, name in enumerate(init_list)}
    picks = [positions.get(field.attname) for field in fields]

    def instance(values):
        obj = model(*[DEFERRED if n is None else values[n] for n in picks])
        obj._state.adding = False
        obj._state.db = using
        return obj

    return instance
