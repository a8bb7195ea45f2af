"""Search: what counts as a query, the queries, and snippets with the matches marked.

``search_posts(posts, text)`` (``PostQuerySet.search()`` calls it): full-text search on
PostgreSQL, a simple ``icontains`` match elsewhere. Both give the same page, and every
snippet that reaches a template is built here, where only our own ``<mark>`` tags
survive. The queries take the posts to search (a queryset), and reach Post and Topic
through it: blog.models imports this module, never the other way round.
"""

import re

import nh3
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The text search configuration of the GIN index (migration 0004) and of every query
# that should use it: they must match exactly for PostgreSQL to use the index.
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_WORDS = 30
# Full-text search ranks the newest this many matches (search_posts): enough for
# twenty pages, and cheap however common the words are.
SEARCH_RANKED = 200

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
# What websearch_to_tsquery turns into a phrase (words next to each other): a quoted
# group, or a word with punctuation inside ("cold-war", "o'brien", "1953-56").
_PHRASE = re.compile(r'"|\w[^\w\s]+\w')
# A tsquery as PostgreSQL prints it: quoted lexemes (' and \ doubled inside) with an
# optional weight or prefix mark, and the operators ! & | ( ) <-> <N>.
_TSQUERY_TOKEN = re.compile(r"'((?:[^']|'')*)'(:[*A-Da-d]+)?|<(?:-|\d+)>|[!&|()]|\S")
_TSQUERY_OPERATORS = {"!", "&", "|", "(", ")", "<->"}
# The SQL function of migration 0018 (PostgreSQL): a document's adjacent lexemes.
SEARCH_PAIRS_FUNCTION = "blog_search_pairs"


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


class QuotedSearchQuery(SearchQuery):
    """``websearch_to_tsquery('english', '<text>')`` with the reader's text as a literal
    quoted by psycopg (as the connection would quote it), not as a parameter. With
    prepared statements (``DB_PREPARE_THRESHOLD``) PostgreSQL may plan a statement once
    for every value of its parameters from its sixth run: not knowing the words, such
    a generic plan expects few matches and reads them all from the GIN index, then
    sorts them (62,000 for "thaw" at 100,000 posts: 370 ms instead of 1 ms for the walk
    down published_at). With the words in its text a statement is planned for them."""

    def __init__(self, text):
        super().__init__(text, search_type="websearch", config=SEARCH_CONFIG)
        self.text = text

    def as_sql(self, compiler, connection, **extra):
        from psycopg import sql  # PostgreSQL only

        # %% since the statement's other values are still parameters (a "%s" in the
        # text is then no placeholder).
        literal = sql.Literal(self.text).as_string(None).replace("%", "%%")
        return f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, {literal})", []


class UnestimatedSearchQuery(QuotedSearchQuery):
    """A SearchQuery that PostgreSQL plans without knowing its value, ``(SELECT
    websearch_to_tsquery(...))``: its matches are estimated as few, so the planner reads
    them from the GIN index. For phrases, whose matches it would otherwise count as if
    their words could stand anywhere in a post (see ``newest_matches``)."""

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return f"(SELECT {sql})", params


class SearchPairs(models.Func):
    """``blog_search_pairs(document)`` (PostgreSQL, migration 0018): every two lexemes
    that stand next to each other in a stored search document, as "first second"
    texts. A GIN index on it finds the posts where a phrase's words are next to each
    other without reading the posts that merely hold them all (``newest_matches``)."""

    function = SEARCH_PAIRS_FUNCTION
    output_field = ArrayField(models.TextField())


class MatchesUnindexed(models.Func):
    """``ts_match_vq(document, query)``: the ``@@`` test, in a form no index answers, so
    that PostgreSQL checks it on the few rows another index found instead of AND-ing
    in a GIN scan over every post that holds the query's words."""

    function = "ts_match_vq"
    output_field = models.BooleanField()
    conditional = True


def phrase_pairs(tsquery):
    """The pairs of lexemes (``SearchPairs``' "first second") that every document
    matching `tsquery` (its text, as PostgreSQL prints it) must hold: one for each
    ``<->`` between two plain lexemes of a conjunct that is only a phrase. [] when
    none can be told, e.g. an OR at the top, a negated or bracketed phrase, a prefix:
    such a query is looked up without them. Only what is certain counts, since a
    missing pair would hide a matching post."""
    tokens = []
    for match in _TSQUERY_TOKEN.finditer(tsquery or ""):
        if match.group(1) is not None:
            lexeme = re.sub(r"''|\\\\", lambda m: m.group()[0], match.group(1))
            tokens.append(("lexeme", None if match.group(2) else lexeme))
        elif match.group() in _TSQUERY_OPERATORS or re.fullmatch(r"<\d+>", match.group()):
            tokens.append(("operator", match.group()))
        else:
            return []  # not a tsquery as we know it: nothing is certain
    conjuncts, current, depth = [], [], 0
    for token in tokens:
        if token == ("operator", "("):
            depth += 1
        elif token == ("operator", ")"):
            depth -= 1
        elif depth == 0 and token == ("operator", "|"):
            return []  # an OR at the top: no pair is certain
        if depth == 0 and token == ("operator", "&"):
            conjuncts.append(current)
            current = []
        else:
            current.append(token)
    conjuncts.append(current)
    pairs = []
    for conjunct in conjuncts:
        if any(kind == "operator" and value in "!()|" for kind, value in conjunct):
            continue  # negated or bracketed: nothing certain
        for left, operator, right in zip(conjunct, conjunct[1:], conjunct[2:], strict=False):
            plain = left[0] == right[0] == "lexeme" and None not in (left[1], right[1])
            if operator == ("operator", "<->") and plain:
                pairs.append(f"{left[1]} {right[1]}")
    return list(dict.fromkeys(pairs))


def tsquery_text(using, text):
    """websearch_to_tsquery of `text`, as PostgreSQL prints it (one query)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, text]
        )
        return cursor.fetchone()[0]


def has_phrase(text):
    """Whether websearch_to_tsquery makes a phrase of `text` (a word with punctuation
    inside may not, e.g. "i.e": a few such queries take the phrase's plan, which suits
    any query with few matches)."""
    return bool(_PHRASE.search(text or ""))


def clean_query(text):
    """The query as the reader typed it, trimmed to a sensible length, with any NUL
    made a space (PostgreSQL's text can't hold one)."""
    return _SPACES.sub(" ", (text or "")[:MAX_QUERY_LENGTH].replace("\x00", " ")).strip()


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


# --- The queries ---


def _topics(posts):
    """The Topic model, through the posts' ``topics`` field."""
    return posts.model.topics.field.related_model


def search_posts(posts, text):
    """Posts matching the words of `text`, best first; none for a query of no words.

    PostgreSQL: full-text search (title above body above topic names), ranked, with a
    ``search_headline``. Elsewhere: every word in the title, body or a topic name,
    title matches first. Either way only the newest ``SEARCH_RANKED`` matches are
    ranked and returned, and ``post.search_snippet(text)`` gives the snippet. On
    PostgreSQL the returned queryset's ``match_count`` is their number and
    ``ranked_ids`` their ids, best first, whose rows ``ranked_rows`` reads (a clone,
    such as ``.with_results()``, carries neither).
    """
    terms = search_terms(text)
    if not terms:
        return posts.none()
    if connections[posts.db].vendor == "postgresql":
        return _full_text_search(posts, clean_query(text))
    return simple_search(posts, terms)


def _full_text_search(posts, text):
    ranked = [pk for pk, _ in ranked_matches(posts, text)]  # one query, at most 200 rows
    found = ranked_rows(posts.model.objects.all(), ranked, text)
    found.match_count = len(ranked)  # known already: the paginator needs no COUNT
    found.ranked_ids = ranked  # a page can read only its own rows (ranked_rows)
    return found


def ranked_rows(posts, ids, text):
    """`posts` with these ids, in their order, each with its ``search_headline`` for
    `text` (PostgreSQL). The search page asks for the ids of the page it shows only:
    given all 200 ranked ids, PostgreSQL read, joined and sorted 200 rows to show
    ten."""
    # A parameter here: the rows come by their ids, any plan will do, and the statement
    # is the same for every search (prepared once).
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    return (
        posts.filter(AnyOf("pk", ids))
        .annotate(
            search_headline=SearchHeadline(
                "body",
                query,
                config=SEARCH_CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                min_words=15,
                max_words=SNIPPET_WORDS,
            ),
        )
        .order_by(PositionIn(ids, "pk"))
    )


def ranked_matches(posts, text):
    """[(pk, rank)] of the newest SEARCH_RANKED matches of `text`, best first
    (PostgreSQL): one query that ranks ``newest_matches`` (title above body above
    topic names: the document's weights A, B and C, then newest first). The page then
    asks for its own rows by these ids, as one array parameter, and the database
    computes headlines only for them (they are not a sort key, so they come after the
    page's LIMIT)."""
    query = full_text_query(text)
    return list(
        posts.model.objects.using(posts.db)
        .filter(pk__in=_matching(posts, text).values("pk")[:SEARCH_RANKED])
        .annotate(rank=SearchRank(models.F("search_vector"), query))
        .order_by("-rank", models.F("published_at").desc(nulls_last=True), "-pk")
        .values_list("pk", "rank")
    )


def full_text_query(text):
    """The reader's query as PostgreSQL's websearch_to_tsquery reads it, in the
    statement's text (``QuotedSearchQuery``)."""
    return QuotedSearchQuery(text)


def newest_matches(posts, text):
    """(pk, published_at) of the newest SEARCH_RANKED posts matching `text`
    (PostgreSQL): the rows full-text search ranks.

    Ranking every match of a common word (half of the posts say "thaw") cost more
    than the rest of the page, so search ranks only these: from the stored document
    (title A, body B, topic names C), where PostgreSQL walks published_at down and
    stops when it has enough of a common word's matches, or takes the GIN index for
    a rare word. Headlines are computed for the rows shown only: the database puts
    them after the sort and the page's LIMIT.

    A phrase ("iron curtain") comes from the index of adjacent words (``SearchPairs``,
    migration 0018): the posts where its words stand side by side, then tested with
    the query itself (``MatchesUnindexed``). The GIN index of the document knows no
    positions: through it PostgreSQL read every post holding both words (17,685 of
    100,000 for "iron curtain", 90 ms). A phrase whose pairs can't be told
    (``phrase_pairs``: an OR, a negated phrase) is looked up in the document with its
    value hidden from the planner, which otherwise estimates its matches as those of
    its words anywhere in a post, walks published_at expecting to stop early, and
    reads every post when the phrase is rare (docs/decisions.md, Search)."""
    return _matching(posts, text).values_list("pk", "published_at")[:SEARCH_RANKED]


def _matching(posts, text):
    """`posts` matching `text`, newest first (newest_matches)."""
    query = full_text_query(text)
    matching = posts.filter(search_vector=query)
    if has_phrase(text):
        pairs = phrase_pairs(tsquery_text(posts.db, text))
        if pairs:  # the posts with the phrase's words next to each other, then the test
            matching = posts.alias(pairs=SearchPairs("search_vector")).filter(
                MatchesUnindexed("search_vector", query), pairs__contains=pairs
            )
        else:
            hidden = UnestimatedSearchQuery(text)
            matching = posts.filter(search_vector=hidden)
    return matching.order_by("-published_at")


def simple_search(posts, terms):
    matches, in_title = Q(), Q()
    for term in terms:
        topics = _topics(posts).objects.filter(name__icontains=term).values("posts")
        matches &= Q(title__icontains=term) | Q(body__icontains=term) | Q(pk__in=topics)
        in_title |= Q(title__icontains=term)
    title_first = models.Case(models.When(in_title, then=models.Value(1)), default=models.Value(0))
    newest = posts.filter(matches).order_by("-published_at").values("pk")[:SEARCH_RANKED]
    return (
        posts.model.objects.filter(pk__in=newest)
        .annotate(search_rank=title_first)
        .order_by("-search_rank", models.F("published_at").desc(nulls_last=True), "-pk")
    )
