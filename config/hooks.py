"""Hooks: the one way an app adds to another app's pages and behaviour.

Dependencies point one way (accounts <- blog <- comments, awards, assignments,
references <- notifications, imports), yet the post page shows comments and awards,
cards show their counts and badges, the editor asks which assignment a post answers,
and a profile lists a person's posts. Each place where an app lets others add to it is
a ``Hook`` declared here: the app that owns the place reads it, the others register
with it, and no app names one above it. This module imports no app, so accounts (below
blog) reads its hook from here too (docs/decisions.md, "One kind of hook").

Each app keeps all its registrations in one module, ``<app>/hooks.py``, which
``config.apps.HooksConfig.ready()`` imports for every installed app, the way the admin
imports every ``admin.py``:

    # awards/hooks.py
    from awards import display
    from config import hooks
    from config.hooks import Part

    hooks.POST_BANNERS.register(Part("awards/_post_banners.html", display.post_page_awards))
    hooks.CARD_LOADERS.register(display.with_award_badges)
    hooks.PROFILE_SECTIONS.register(display.profile_awards_section, order=5)

The extension points, each declared below with what it takes:

- Page slots (blog's pages; a ``Part`` each): SITE_NAV, SITE_BAR, HOME, POST_BANNERS,
  POST_BODY_END, POST_AFTER_BODY, POST_CARD_BADGES, POST_CARD_STATS, COURSE_SIDEBAR,
  COURSE_INSTRUCTOR_LINKS, MANAGE_TABS, COURSE_HEADER, SEARCH_RESULTS, ROSTER_PANELS.
- blog's sitemap: SITEMAPS.
- What blog's queries load for those parts: CARD_LOADERS, POST_PAGE_LOADERS,
  READER_LOADERS.
- blog's editor, posts and pages: EDITOR_SECTIONS, BODY_FILTERS, POST_RANKINGS,
  PARTICIPATION_COLUMNS, COURSE_PARTICIPATION_COLUMNS.
- The member page cache's holes (the pagecache package): HOLE_FILLERS, VIEWER_CONTEXTS.
- blog's copy of a course to a new term (blog/terms.py): COURSE_COPIERS.
- accounts' profile page and account settings: PROFILE_SECTIONS, ACCOUNT_LINKS.
- assignments' page of an assignment: RESPONSE_FIGURES; its course gradebook:
  GRADEBOOK_MARKS.
- What goes live at a chosen time (blog/scheduling.py): SCHEDULED_PUBLISHERS.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


class AlreadyRegistered(ImproperlyConfigured):
    """The same thing was registered twice in one hook."""


class Hook:
    """An extension point: what apps register, in order.

    ``register(value, order=100)`` adds a value and returns it (so it also works as a
    decorator). Iterating the hook gives the values, lowest order first, and those of
    the same order in the order they were registered (INSTALLED_APPS' order, since
    each app registers in its hooks.py). Registering the same thing twice raises
    ``AlreadyRegistered``: ``identity(value)`` says what "the same" means (the value
    itself unless the hook says otherwise: a part's template, a filler's kind), and
    ``get(identity)`` finds a registered value by it.

    Tests change what is registered with ``override()`` only, never by reaching into
    the hook.
    """

    def __init__(self, name, *, identity=None):
        self.name = name
        self.identity = identity or (lambda value: value)
        self._entries = []  # (order, value), in the order they were registered
        self._changed()

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._values)} registered>"

    def register(self, value, *, order=100):
        key = self.identity(value)
        if key in self._by_identity:
            raise AlreadyRegistered(f"{key!r} is already registered in the {self.name} hook.")
        self._entries.append((order, value))
        self._changed()
        return value

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def items(self):
        """(order, value) pairs, in order: for readers that merge by order."""
        return list(self._sorted)

    def get(self, identity, default=None):
        return self._by_identity.get(identity, default)

    @contextmanager
    def override(self, *values, order=100, keep=True):
        """For tests: inside the block, `values` are registered (at `order`), each in
        place of whatever was registered with its identity, and of what was registered
        before, what `keep` says stays: True (all of it), False (none), or a function
        ``keep(value) -> bool``. Afterwards the registrations are back as they were."""
        saved = self._entries
        replaced = {self.identity(value) for value in values}
        kept = [
            (o, v)
            for o, v in saved
            if self.identity(v) not in replaced and (keep is True or (keep and keep(v)))
        ]
        self._entries = []
        self._changed()
        try:
            for o, v in kept:
                self.register(v, order=o)
            for value in values:
                self.register(value, order=order)
            yield self
        finally:
            self._entries = saved
            self._changed()

    def _changed(self):
        self._sorted = tuple(sorted(self._entries, key=lambda entry: entry[0]))
        self._values = tuple(value for _, value in self._sorted)
        self._by_identity = {self.identity(value): value for value in self._values}


def autodiscover():
    """Import every installed app's hooks.py, where it registers (once: a module is
    imported once, so a second call registers nothing twice)."""
    autodiscover_modules("hooks")


# --- Page slots: parts of blog's pages that other apps draw ---------------------------
#
# A part is a template and, optionally, a function giving its context:
# ``context(request, obj) -> dict | None`` loads everything the template shows, in a
# fixed number of queries; None means "not shown to this reader". A part without a
# context function renders with the page's context as it is (card parts read what the
# CARD_LOADERS annotated).
#
# ======================== ============= ===============================================
# slot                     obj           where
# ======================== ============= ===============================================
# SITE_NAV                 None          the header's menu, signed-in users
# SITE_BAR                 None          the header beside the phone's Menu button,
#                                        always shown (the bell), signed-in users
# HOME                     courses       the home page's side panels, signed-in users
#                                        (the courses it lists: theirs, the open ones)
# POST_BANNERS             post          above a post's body
# POST_BODY_END            post          at the end of a post's body, before its likes
# POST_AFTER_BODY          post          under a post's body, after its likes
# PAGE_AFTER_BODY          course page   under a course page's body (comments' discussion)
# POST_CARD_BADGES         (no context)  on every post card, above the counts
# POST_CARD_STATS          (no context)  the counts at the foot of every post card
# COURSE_SIDEBAR           course        the course page's sidebar, every reader
# COURSE_INSTRUCTOR_LINKS  course        the course page's "Instructor tools" box
# MANAGE_TABS              course        the tabs of the instructor pages
# ROSTER_PANELS            course        the roster page's side, above "Add people"
# ======================== ============= ===============================================
#
# A view prepares the slots its page shows (blog.extensions.page_parts); templates draw
# them with ``{% page_parts "post_banners" %}`` (the slot's name). The card and header
# slots are on every page, so the tag prepares them itself: their parts must not query
# (card parts) or must defer the query to a lazy value (header parts).


@dataclass(frozen=True)
class Part:
    """What a slot shows: `template`, drawn with what ``context(request, obj)`` gives.

    A part showing the reader something of their own beyond their standing in the
    course (private feedback, their news, what they have due) is `per_viewer`: pages
    kept for signed-in readers (the pagecache package) hold a hole there, filled for each
    reader by running the part's function and template again.

    A per-viewer part that is a function of the reader and of values a hit has without
    a query (versions, the page's row) may say which (`kept_by(request, obj)`: a tuple,
    or None when this reader's part can't be kept): its HTML is then kept in the page
    cache's store under the reader and that tuple, and a hit reuses it instead of
    running the part again, with the response's CSRF token (a form's) and CSP nonce
    put back in it."""

    template: str
    context: object = None
    per_viewer: bool = False
    kept_by: object = None


def _slot(name):
    return Hook(name, identity=lambda part: part.template)


SITE_NAV = _slot("site_nav")
SITE_BAR = _slot("site_bar")
HOME = _slot("home")
POST_BANNERS = _slot("post_banners")
POST_BODY_END = _slot("post_body_end")
POST_AFTER_BODY = _slot("post_after_body")
PAGE_AFTER_BODY = _slot("page_after_body")
POST_CARD_BADGES = _slot("post_card_badges")
POST_CARD_STATS = _slot("post_card_stats")
COURSE_SIDEBAR = _slot("course_sidebar")
COURSE_INSTRUCTOR_LINKS = _slot("course_instructor_links")
MANAGE_TABS = _slot("manage_tabs")
# Under the course's breadcrumbs on its course page, its post pages and the pages of
# apps that show the course's header (coursepages' menu); obj: the course.
COURSE_HEADER = _slot("course_header")
# Above a search's post results; obj: a SearchQuery (coursepages' matching pages).
SEARCH_RESULTS = _slot("search_results")
# On blog's roster page (Manage > Roster), above the add-people form, for those who
# manage the course; obj: the course (lti's "Sync with the LMS").
ROSTER_PANELS = _slot("roster_panels")
SLOTS = {
    slot.name: slot
    for slot in (
        SITE_NAV, SITE_BAR, HOME, POST_BANNERS, POST_BODY_END, POST_AFTER_BODY,
        PAGE_AFTER_BODY, POST_CARD_BADGES, POST_CARD_STATS, COURSE_SIDEBAR,
        COURSE_INSTRUCTOR_LINKS, MANAGE_TABS, COURSE_HEADER, SEARCH_RESULTS, ROSTER_PANELS,
    )
}  # fmt: skip
EVERY_PAGE_SLOTS = (SITE_NAV, SITE_BAR, POST_CARD_BADGES, POST_CARD_STATS)


# --- What blog's queries load for the parts ---------------------------------------------

# ``func(queryset) -> queryset`` over posts: annotations or prefetches that card parts
# show, in a fixed number of queries (``PostQuerySet.with_cards()`` applies them).
CARD_LOADERS = Hook("card_loaders")

# ``func(queryset, reader) -> queryset``: the same for the post page's one query of the
# post (assignments joins the post's submission; comments annotates the reader's likes
# of its comments). The reader is the signed-in user or AnonymousUser; the query's
# shape may depend on whether they are signed in, never on who they are (it is
# compiled once: blog.views.POST_PAGE_QUERY).
POST_PAGE_LOADERS = Hook("post_page_loaders")

# ``func(queryset) -> queryset`` over users: annotations on the signed-in reader's row,
# where PageCacheMiddleware loads it (notifications adds the bell's unread count). A
# part reads the annotation when it is there and queries when it isn't.
READER_LOADERS = Hook("reader_loaders")


# --- blog's editor, posts and pages -----------------------------------------------------


@dataclass(frozen=True)
class EditorSection:
    """Fields of another app in the post editor, below blog's own.

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
    refuse: object = None
    note: object = None


EDITOR_SECTIONS = Hook("editor_sections", identity=lambda section: section.key)

# ``func(post, html) -> html``, applied to a post's rendered, sanitised body when it is
# saved and in the editor's preview (``Post.render_body``): references turns ``[@key]``
# into citations, blog shows embeds and images from the web (blog/embeds.py). It
# must keep the HTML safe and may query only when the body needs it.
BODY_FILTERS = Hook("body_filters")

# ``func() -> expression``: a boolean or numeric query expression over Post (for example
# ``Exists()`` over the app's own rows) ranking the recent posts of the home page: a
# higher value comes first; ties, and every post when no app ranks, newest first. The
# expression joins the one query that lists the posts, so it costs no query of its own.
# What it reads must bump the post's pages when it changes (``blog.versions.changed(post=)``)
# or home's page cache would keep the old order.
POST_RANKINGS = Hook("post_rankings")


@dataclass(frozen=True)
class Column:
    """A figure on the participation page (one row per student), from ``source(course,
    start, end) -> {user_id: value}``: ONE aggregate query over the course's activity in
    the period, ``start <= when < end``, either bound None (open); users missing from the
    dict have no value.

    Columns registered with the same key are one column, their values combined per
    student with ``combine``: "sum" for counts ("likes given" = likes given on posts +
    on comments, each app counting its own), "max" for dates ("last activity"). The
    first registration of a key sets its label, combine and place (its order). A count
    with no value shows 0; a date, none."""

    key: str
    label: str
    source: object
    combine: str = "sum"

    def __post_init__(self):
        if self.combine not in ("sum", "max"):
            raise ValueError(f"combine must be 'sum' or 'max', not {self.combine!r}")


PARTICIPATION_COLUMNS = Hook("participation_columns", identity=lambda c: (c.key, c.source))

# ``func(course) -> [blog.participation.ParticipationColumn]``: columns that depend on
# the course (one per assignment, say), each with its order and sources; one query at
# most to list them.
COURSE_PARTICIPATION_COLUMNS = Hook("course_participation_columns")


# --- The member page cache's holes (the pagecache package) --------------------------------


@dataclass(frozen=True)
class Filler:
    """``fill(filling, spec) -> str``: the HTML of a hole of `kind` for
    ``filling.request`` (a ``pagecache.skeleton.Filling``), or bytes (UTF-8 HTML, joined as is: a
    spec's stored variants); ``spec`` is what ``Skeleton.hole`` stored. It raises
    ``pagecache.skeleton.Bypass`` when the skeleton can't serve this reader.

    ``shared``: the hole's value is the same for every reader of a copy under the same
    versions, the page's hole versions included (``CachedPage.hole_version_fields``):
    a "Liked by" line, say. Each process fills such holes once per copy and versions
    and keeps the copy so filled (``pagecache.skeleton.with_shared_holes``).

    ``default(spec)`` and ``own(filling, holes)``, given together, for holes that show
    most readers the same thing (a Like button not pressed): ``default`` is that value
    (the same for every reader under the same versions, like a shared hole's), and
    ``own`` yields ``(hole number, value)`` for the holes where this reader differs;
    ``holes`` maps ``key(spec)`` to the ``[(hole number, spec), ...]`` of the copy, so
    that a hit costs what the reader's own values cost, not one call per hole."""

    kind: str
    fill: object
    shared: bool = False
    default: object = None
    own: object = None
    key: object = None


HOLE_FILLERS = Hook("hole_fillers", identity=lambda filler: filler.kind)


@dataclass(frozen=True)
class ViewerContext:
    """``context(request, obj) -> dict``: the context a ``{% per_viewer name %}`` block
    (blog_tags) is filled with, besides the request's own (user, request, csrf_token);
    None: the request's own alone.

    A block that is a function of something short of the whole request may say what
    (``kept_by(request, obj)``: a tuple, or None: drawn each time): each process then
    keeps its HTML under the block, that tuple and the language, its CSRF token held as
    a marker, and a hit reuses it. A block whose drawing ran a query is never kept."""

    name: str
    context: object = None
    kept_by: object = None


VIEWER_CONTEXTS = Hook("viewer_contexts", identity=lambda viewer: viewer.name)


# --- blog's copy of a course to a new term (docs/terms.md) -----------------------------


@dataclass(frozen=True)
class CourseCopier:
    """What another app brings along when a course is copied to a new term
    (``blog.services.copy_course``): never a student's row.

    ``copy(copying)`` runs inside copy_course's transaction and makes the app's rows
    for ``copying.target`` from those of ``copying.source``: ``copying.shift(moment)``
    moves a time by the days between the two terms' starts, keeping its wall-clock time
    in the course's zone; ``copying.topic(topic)`` is the new course's topic of that
    name (made when needed); ``copying.by`` is who copies.

    ``label``: the "What to bring" checkbox of the copy form; "" when the app's rows
    always come along. ``template`` and ``preview(course, shift) -> dict``: what the
    confirmation step shows (``preview`` in the template: the rows with their new
    dates), in a fixed number of queries. ``first_moment(course) -> datetime | None``:
    the earliest time the app knows in the course (an assignment's opening), which
    suggests the old term's start when the course has none.
    """

    key: str
    copy: object
    label: str = ""
    template: str = ""
    preview: object = None
    first_moment: object = None


COURSE_COPIERS = Hook("course_copiers", identity=lambda copier: copier.key)


# --- accounts' profile page -------------------------------------------------------------

# ``func(request, profile_user) -> dict | None``: a section of a person's public profile;
# the dict holds its ``template`` and the context it needs (loaded in the function, so
# the template runs no queries); None shows nothing.
PROFILE_SECTIONS = Hook("profile_sections")


@dataclass(frozen=True)
class AccountLink:
    """A page of a person's account settings, in the settings' menu: ``url_name`` is
    reversed with no arguments; ``current`` lists the URL names (without namespace)
    that mark it as the page shown."""

    url_name: str
    label: str
    current: tuple = ()


# ``AccountLink``: account settings' pages of apps above accounts (privacy's "Download
# my data" and "Delete account"), after accounts' own.
ACCOUNT_LINKS = Hook("account_links", identity=lambda link: link.url_name)


# --- assignments' page of an assignment ---------------------------------------------------


@dataclass(frozen=True)
class ResponseFigure:
    """A figure beside each response on an assignment's page (for those who grade it):
    ``figures(post_ids) -> {post_id: text}`` runs ONE query over the responses' posts; a
    post missing from the dict shows a dash."""

    label: str
    figures: object


# ``func(domain) -> {section name: Sitemap}``: other apps' sections of sitemap.xml
# (blog/sitemaps.py), each listing only what an anonymous reader may read.
SITEMAPS = Hook("sitemaps")

RESPONSE_FIGURES = Hook("response_figures", identity=lambda figure: figure.label)


# --- assignments' gradebook ---------------------------------------------------------------


@dataclass(frozen=True)
class GradebookMark:
    """Something another app says about a student's cell in the course gradebook (lti:
    whether the LMS has the grade). ``marks(request, course, assignments) ->
    {(assignment_id, user_id): value} | None`` runs ONE query whatever the size of the
    course (None: nothing for this reader); ``template`` draws one cell's ``mark`` (the
    value), with ``course`` and the request's context (a form may post from it)."""

    template: str
    marks: object


GRADEBOOK_MARKS = Hook("gradebook_marks", identity=lambda mark: mark.template)


# --- What goes live at a chosen time (blog/scheduling.py) ------------------------------


@dataclass(frozen=True)
class ScheduledPublisher:
    """Rows that go live by themselves at a chosen time (blog's posts; an app's pages).

    ``publish_due(*, now) -> list`` publishes every row whose time has come (status
    scheduled, time <= now) and returns those it published. Several workers run it at
    once, so for each row the flip is ONE conditional UPDATE (``status=scheduled AND
    time <= now``), and only when that UPDATE changed the row does the same transaction
    send the row's notifications and bump its pages (``blog.versions.changed``): each
    row goes live, and is announced, exactly once.

    ``scheduled_in(course) -> QuerySet`` is the course's rows waiting for their time, with
    ``status`` and ``published_at``: closing the course takes them back to drafts
    (blog.services.close_course), and its confirmation says how many, in ``nouns``
    (singular, plural)."""

    key: str
    publish_due: object
    scheduled_in: object = None
    nouns: tuple = ("item", "items")


SCHEDULED_PUBLISHERS = Hook("scheduled_publishers", identity=lambda publisher: publisher.key)
