"""Extension points for the apps built on blog (comments, awards).

Dependencies point one way (accounts <- blog <- comments, awards), yet the post page
shows comments and awards, and cards show their counts and badges. So blog offers
two hooks, which those apps fill from their AppConfig.ready():

- ``register_post_page_part(func)``: ``func(request, post) -> dict`` of extra context
  for the post page. It loads everything its template needs, in a fixed number of
  queries.
- ``register_card_loader(func)``: ``func(queryset) -> queryset`` adding annotations or
  prefetches that post cards show; ``PostQuerySet.with_cards()`` applies them all.
- ``register_course_page_part(func)``: ``func(request, course) -> dict`` of extra
  context for the course page (for example counts behind the instructor links).
  The instructor pages (settings, roster, participation) use it too.
- ``register_participation_column(key, label, func, order=..., combine=...)``: a
  figure on the participation page (see below).
- ``register_manage_tab(key, label, url_name, allowed)``: a tab of the instructor pages
  (and a link under "Instructor tools" on the course page), shown to users for whom
  ``allowed(course, user)`` (a Course predicate) is true. ``course_page_context`` gives
  the visible ones as ``manage_tabs``.
"""

from dataclasses import dataclass, field

_post_page_parts = []
_card_loaders = []
_course_page_parts = []


def register_post_page_part(func):
    _post_page_parts.append(func)
    return func


def register_card_loader(func):
    _card_loaders.append(func)
    return func


def post_page_context(request, post):
    context = {}
    for func in _post_page_parts:
        context.update(func(request, post))
    return context


def apply_card_loaders(queryset):
    for func in _card_loaders:
        queryset = func(queryset)
    return queryset


def register_course_page_part(func):
    _course_page_parts.append(func)
    return func


def course_page_context(request, course):
    context = {"manage_tabs": manage_tabs(request, course)}
    for func in _course_page_parts:
        context.update(func(request, course))
    return context


# --- Instructor pages: tabs other apps add. ---


@dataclass(frozen=True)
class ManageTab:
    key: str
    label: str
    url_name: str  # reversed with the course's slug
    allowed: object  # allowed(course, user) -> bool


_manage_tabs = []


def register_manage_tab(key, label, url_name, allowed):
    _manage_tabs.append(ManageTab(key, label, url_name, allowed))


def manage_tabs(request, course):
    """[{"key", "label", "url"}] of the registered tabs this user may open."""
    from django.urls import reverse

    return [
        {"key": tab.key, "label": tab.label, "url": reverse(tab.url_name, args=[course.slug])}
        for tab in _manage_tabs
        if tab.allowed(course, request.user)
    ]


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


def participation_columns():
    """The registered columns, in display order."""
    return sorted(_participation_columns.values(), key=lambda column: column.order)
