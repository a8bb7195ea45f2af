"""Page parts: the one way the apps built on blog add to blog's pages.

Dependencies point one way (accounts <- blog <- comments, awards, ...), yet the post
page shows comments and awards, cards show their counts and badges, and the editor
asks which assignment a post answers. blog's templates never name those apps: they
loop over the parts registered for a slot. Apps register in AppConfig.ready().

A part is a template and, optionally, a function giving its context:

    register_part(POST_BANNERS, "awards/_post_banners.html", post_page_awards, order=10)

``context(request, obj) -> dict | None`` loads everything the template shows, in a
fixed number of queries (``obj`` is the slot's object: the post, the course, or None);
None means "not shown to this user". A part without a context function renders with
the page's context as it is (card parts read what card loaders annotated).

Slots, and the object their context functions get:

======================== ============= =============================================
slot                     obj           where
======================== ============= =============================================
SITE_NAV                 None          the header's menu, signed-in users
SITE_BAR                 None          the header beside the phone's Menu button,
                                       always shown (the bell), signed-in users
HOME                     courses       the home page's side panels, signed-in users
                                       (the courses it lists: theirs, the open ones)
POST_BANNERS             post          above a post's body
POST_BODY_END            post          at the end of a post's body, before its likes
POST_AFTER_BODY          post          under a post's body, after its likes
POST_CARD_BADGES         (no context)  on every post card, above the counts
POST_CARD_STATS          (no context)  the counts at the foot of every post card
COURSE_SIDEBAR           course        the course page's sidebar, every reader
COURSE_INSTRUCTOR_LINKS  course        the course page's "Instructor tools" box
MANAGE_TABS              course        the tabs of the instructor pages
======================== ============= =============================================

A part showing the reader something of their own beyond their standing in the course
(private feedback, their news, what they have due) is registered ``per_viewer=True``:
pages kept for signed-in readers (blog/pagecache.py, member_page) hold a hole there,
filled for each reader by running the part's function and template again.

A view prepares the slots its page shows with ``page_parts(request, obj, *slots)``
(context functions run there, never in the template); templates render a slot with
``{% page_parts "slot" %}`` (blog_tags). The card and header slots appear on every
page, so the tag prepares them itself: their parts must not query (card parts) or
must defer the query to a lazy value (header parts).

More extension points take other shapes:

- ``register_card_loader(func)``: ``func(queryset) -> queryset`` adding annotations or
  prefetches that card parts show; ``PostQuerySet.with_cards()`` applies them all.
- ``register_post_page_loader(func)``: ``func(queryset, reader)``, the same for the
  post page's one query of the post (assignments joins the post's submission there;
  comments annotates the reader's likes of its comments).
- ``register_reader_loader(func)``: the same for the signed-in reader's row, where
  PageCacheMiddleware loads it (notifications annotates the bell's unread count); a
  part reads the annotation when it is there and queries when it isn't.
- ``register_editor_section(...)``: fields of another app in the post editor, saved
  with the post in one transaction (see the function).
- ``register_participation_column(...)``: a figure on the participation page.
- ``register_post_ranking(func)``: ``func() -> expression`` over Post; the recent
  posts of the home page show the posts it ranks higher first (see the function).
- ``register_body_filter(func)``: ``func(post, html) -> html`` applied to a post's
  rendered, sanitised body when it is saved and in the editor's preview (references
  turns ``[@key]`` into citations). It must keep the HTML safe and may query only when
  the body needs it.
"""

from dataclasses import dataclass, field

SITE_NAV = "site_nav"
SITE_BAR = "site_bar"
POST_BANNERS = "post_banners"
POST_BODY_END = "post_body_end"
POST_AFTER_BODY = "post_after_body"
POST_CARD_BADGES = "post_card_badges"
POST_CARD_STATS = "post_card_stats"
COURSE_SIDEBAR = "course_sidebar"
COURSE_INSTRUCTOR_LINKS = "course_instructor_links"
MANAGE_TABS = "manage_tabs"
HOME = "home"  # obj: the courses listed; the signed-in home page, above "Your courses"
SLOTS = frozenset(
    {
        SITE_NAV, SITE_BAR, POST_BANNERS, POST_BODY_END, POST_AFTER_BODY, POST_CARD_BADGES,
        POST_CARD_STATS, COURSE_SIDEBAR, COURSE_INSTRUCTOR_LINKS, MANAGE_TABS, HOME,
    }
)  # fmt: skip
EVERY_PAGE_SLOTS = frozenset({SITE_NAV, SITE_BAR, POST_CARD_BADGES, POST_CARD_STATS})


@dataclass(frozen=True)
class PagePart:
    slot: str
    template: str
    context: object = None  # (request, obj) -> dict | None, or None: the page's context
    order: int = 100
    per_viewer: bool = False  # its HTML is the reader's own: a hole in cached pages


@dataclass(frozen=True)
class PreparedPart:
    """A part ready to render: its template and the context it loaded."""

    template: str
    context: dict  # None: a per-viewer part this reader doesn't see
    per_viewer: bool = False


_parts = []


def register_part(slot, template, context=None, *, order=100, per_viewer=False):
    """Show `template` in `slot` of blog's pages (see the module's docstring). A part
    that shows the reader something of their own beyond their role in the course (their
    private feedback, say) is `per_viewer`: pages cached for signed-in readers
    (blog/pagecache.py) hold a hole there, filled for each reader by running the part."""
    if slot not in SLOTS:
        raise ValueError(f"Unknown page slot {slot!r}; the slots are {sorted(SLOTS)}.")
    part = PagePart(
        slot=slot, template=template, context=context, order=order, per_viewer=per_viewer
    )
    _parts.append(part)
    _parts.sort(key=lambda part: part.order)
    return context


def prepare(slot, request, obj=None):
    """The parts of `slot` this request shows, their context functions run."""
    prepared = []
    for part in _parts:
        if part.slot != slot:
            continue
        context = {} if part.context is None else part.context(request, obj)
        # A per-viewer part hidden from this reader stays, empty: in a page cached for
        # signed-in readers it is still a hole, which another reader may fill.
        if context is not None or part.per_viewer:
            prepared.append(PreparedPart(part.template, context, part.per_viewer))
    return prepared


def prepare_one(slot, template, request, obj=None):
    """The part of `slot` drawn by `template`, prepared for this request (or None)."""
    for part in _parts:
        if part.slot == slot and part.template == template:
            context = {} if part.context is None else part.context(request, obj)
            return None if context is None else PreparedPart(template, context, part.per_viewer)
    return None


def page_parts(request, obj, *slots):
    """Context for a page showing `slots` about `obj`: ``{"page_parts": {slot: [...]}}``."""
    return {"page_parts": {slot: prepare(slot, request, obj) for slot in slots}}


# --- The post page's query: loaders add what the post page's parts show. ---


class QuerysetLoaders:
    """Functions ``func(queryset) -> queryset`` that apps register, applied in order."""

    def __init__(self):
        self.funcs = []

    def register(self, func):
        self.funcs.append(func)
        return func

    def apply(self, queryset, *args):
        for func in self.funcs:
            queryset = func(queryset, *args)
        return queryset


# Joins (``select_related``) and annotations that the post page's parts read from the
# post, so that they need no query of their own: ``func(queryset, reader)``, where the
# reader is the signed-in user (or AnonymousUser); the query's shape may depend on
# whether they are signed in, never on who they are (blog.views.POST_PAGE_QUERY).
_post_page_loaders = QuerysetLoaders()
register_post_page_loader = _post_page_loaders.register
with_post_page_loaders = _post_page_loaders.apply


# Annotations on the signed-in reader's row, for header parts (the bell's count): the
# pages PageCacheMiddleware serves load the reader with them, so that those parts need
# no query of their own there (elsewhere the part asks, as it would without them).
_reader_loaders = QuerysetLoaders()
register_reader_loader = _reader_loaders.register
with_reader_loaders = _reader_loaders.apply


# --- Cards: loaders add what card parts show, in a fixed number of queries. ---

_card_loaders = QuerysetLoaders()
register_card_loader = _card_loaders.register
apply_card_loaders = _card_loaders.apply


# --- The post editor: other apps' fields, saved with the post. ---


@dataclass(frozen=True)
class EditorSection:
    """Fields of another app in the post editor.

    ``form_class(data=None, *, post, course, prefix, initial=None)`` is a plain Form
    (it never sees the request) whose field names are prefixed with ``key``;
    ``template`` renders it as ``section_form``; ``save(*, post, cleaned_data)`` runs in
    the transaction that saves the post, after it, for "draft", "publish", "update" and
    "unpublish" alike. A section's ``form_class`` may return a form with no fields to
    step aside for this post (for example, a course with no assignments).

    ``refuse(*, post, action, cleaned_data) -> str | None``, optional, may refuse to let
    the post go live: given a reason, "publish" saves the post as a draft instead and
    shows the reason; "update" of a published post saves nothing and shows it on the
    section's form, so nothing typed is lost.

    ``note(*, post, action, cleaned_data) -> str | None``, optional, adds a sentence to
    the message after a successful save ("Published! ... It is also submitted to ...").
    """

    key: str
    form_class: type
    template: str
    save: object
    order: int = 100
    refuse: object = None
    note: object = None


_editor_sections = []


def register_editor_section(key, *, form_class, template, save, order=100, refuse=None, note=None):
    """Add a section to the post editor, below blog's own fields."""
    section = EditorSection(
        key=key,
        form_class=form_class,
        template=template,
        save=save,
        order=order,
        refuse=refuse,
        note=note,
    )
    _editor_sections.append(section)
    _editor_sections.sort(key=lambda s: s.order)
    return section


def editor_sections():
    return list(_editor_sections)


# --- Participation: one row per student, one column per figure. ---


@dataclass
class ParticipationColumn:
    key: str
    label: str
    order: int
    combine: str  # "sum" (a count) or "max" (a latest date)
    sources: list = field(default_factory=list)

    @property
    def is_count(self):
        return self.combine == "sum"


_participation_columns = {}


def register_participation_column(key, label, func, *, order=100, combine="sum"):
    """Add a figure to the participation page, or another source to an existing one.

    ``func(course, start, end) -> {user_id: value}`` runs ONE aggregate query over the
    course's activity in the period: ``start <= when < end``, where either bound may be
    None (open). Users missing from the dict have no value.

    Registering a key again adds a source to that column: its values are combined per
    student with ``combine``, "sum" for counts (so "likes given" = likes given on posts
    + likes given on comments, each app counting its own) or "max" for dates (so "last
    activity" = the latest of every app's latest activity). The first registration of
    a key sets its label, order and combine. A count with no value shows 0; a date, none.
    """
    if combine not in ("sum", "max"):
        raise ValueError(f"combine must be 'sum' or 'max', not {combine!r}")
    column = _participation_columns.setdefault(
        key, ParticipationColumn(key=key, label=label, order=order, combine=combine)
    )
    column.sources.append(func)
    return func


_participation_column_providers = []


def register_participation_columns(func):
    """Columns that depend on the course (one per assignment, say): ``func(course) ->
    [ParticipationColumn]``, each with its ``sources``; one query at most to list them."""
    _participation_column_providers.append(func)
    return func


def participation_columns(course=None):
    """The registered columns (and, given a course, its own), in display order."""
    columns = list(_participation_columns.values())
    if course is not None:
        for func in _participation_column_providers:
            columns += func(course)
    return sorted(columns, key=lambda column: column.order)


# --- Body filters: other apps' additions to a post's stored HTML. ---

_body_filters = []


def register_body_filter(func):
    """Apply ``func(post, html) -> html`` to every rendered post body (see the docstring)."""
    _body_filters.append(func)
    return func


def apply_body_filters(post, html):
    for func in _body_filters:
        html = func(post, html)
    return html


# --- Ranking: which of the home page's recent posts come first. ---

_post_rankings = []


def register_post_ranking(func, *, order=100):
    """Rank the recent posts of the home page: ``func() -> expression``, a boolean or
    numeric query expression over Post (for example ``Exists()`` over the app's own
    rows). Posts with a higher value come first; ties, and every post when no app
    ranks, newest first. The expression joins the one query that lists the posts, so
    a ranking costs no query of its own. What it reads must bump the post's pages
    when it changes (``pagecache.changed(post=...)``), or home's page cache would keep
    the old order.
    """
    _post_rankings.append((order, func))
    _post_rankings.sort(key=lambda entry: entry[0])
    return func


def post_rankings():
    """``{annotation name: expression}``, highest priority first."""
    return {f"extension_rank_{n}": func() for n, (_, func) in enumerate(_post_rankings)}
