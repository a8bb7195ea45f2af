"""Search helpers: what counts as a query, and snippets with the matches marked.

The queries themselves are ``PostQuerySet.search()``: full-text search on PostgreSQL,
a simple ``icontains`` match elsewhere. Both give the same page, and every snippet
that reaches a template is built here, where only our own ``<mark>`` tags survive.
"""

import re

import nh3
from django.contrib.postgres.search import SearchQuery
from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The text search configuration of the GIN index (migration 0004) and of every query
# that should use it: they must match exactly for PostgreSQL to use the index.
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_WORDS = 30
# Full-text search ranks the newest this many matches (PostQuerySet.search): enough for
# twenty pages, and cheap however common the words are.
SEARCH_RANKED = 200

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
# What websearch_to_tsquery turns into a phrase (words next to each other): a quoted
# group, or a word with punctuation inside ("cold-war", "o'brien", "1953-56").
_PHRASE = re.compile(r'"|\w[^\w\s]+\w')


class AnyOf(models.Expression):
    """``field = ANY(%s::bigint[])`` (PostgreSQL): the ids as ONE parameter. An IN list of
    200 ids is 200 placeholders that Django and psycopg build and parse on every query
    (a statement that long isn't cached), which cost more than the query."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, field, ids):
        super().__init__()
        self.column = models.F(field) if isinstance(field, str) else field
        self.ids = [int(pk) for pk in ids]

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, expressions):
        (self.column,) = expressions

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"{sql} = ANY(%s::bigint[])", (*params, self.ids)


class PositionIn(AnyOf):
    """Where ``field`` stands in ``ids`` (1 for the first): ``order_by`` it to keep an
    order decided by an earlier query (PostgreSQL)."""

    output_field = models.IntegerField()
    conditional = False

    def __init__(self, ids, field):
        super().__init__(field, ids)

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        return f"array_position(%s::bigint[], {sql})", (self.ids, *params)


class UnestimatedSearchQuery(SearchQuery):
    """A SearchQuery that PostgreSQL plans without knowing its value, ``(SELECT
    websearch_to_tsquery(...))``: its matches are estimated as few, so the planner reads
    them from the GIN index. For phrases, whose matches it would otherwise count as if
    their words could stand anywhere in a post (see ``PostQuerySet.newest_matches``)."""

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"(SELECT {sql})", params


def has_phrase(text):
    """Whether websearch_to_tsquery makes a phrase of `text` (a word with punctuation
    inside may not, e.g. "i.e": a few such queries take the phrase's plan, which suits
    any query with few matches)."""
    return bool(_PHRASE.search(text or ""))


def clean_query(text):
    """The query as the reader typed it, trimmed to a sensible length."""
    return _SPACES.sub(" ", (text or "")[:MAX_QUERY_LENGTH]).strip()


def search_terms(text):
    """The words of a query, lower-cased and without repeats; [] for only punctuation."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(text or "")))[:MAX_TERMS]


def safe_headline(headline):
    """A PostgreSQL ``ts_headline`` of raw text, made safe: our ``<mark>`` tags stay,
    any other markup is dropped and everything else is escaped."""
    clean = nh3.clean(headline or "", tags={"mark"}, attributes={}, strip_comments=True)
    return mark_safe(_SPACES.sub(" ", clean).strip())  # noqa: S308 - nh3 allows only <mark>


def highlight(text, terms, *, words=SNIPPET_WORDS):
    """About `words` words of plain `text` around the first match, with every match of
    `terms` wrapped in ``<mark>`` and the rest escaped (the fallback's snippet)."""
    parts = (text or "").split()
    if not parts:
        return mark_safe("")
    lowered = [part.lower() for part in parts]
    first = next((i for i, part in enumerate(lowered) if any(term in part for term in terms)), 0)
    start = max(0, min(first - words // 3, len(parts) - words))
    window = " ".join(parts[start : start + words])
    # Mark matches at the start of words: "the" in "the other", not in "mother".
    words_re = "|".join(re.escape(term) for term in terms)
    pattern = re.compile(rf"\b(?:{words_re})", re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(window) if terms else ():
        pieces += [escape(window[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    pieces.append(escape(window[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + words < len(parts) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - escaped above
