"""The participation table: one row per student of a course, one column per figure.

The figures come from the columns registered with ``hooks.PARTICIPATION_COLUMNS`` and
``hooks.COURSE_PARTICIPATION_COLUMNS`` (config/hooks.py; blog's own are below and in
blog/hooks.py, comments, awards, assignments and references add theirs), each source
one aggregate query, so the table costs the same number of queries for 3 students or
300.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from blog.models import Membership, Post, PostLike
from config import hooks
from config.csv import csv_writer

NAME = "name"  # the sort key of the student column


def in_period(field, start, end):
    """Q for ``start <= field < end``; a bound that is None is open."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end})
    return q


def per_user(queryset, user_field, aggregate):
    """{user id: aggregate} over queryset, grouped by user_field: one query."""
    rows = queryset.order_by().values(user_field).annotate(value=aggregate)
    return {row[user_field]: row["value"] for row in rows}


# --- Periods ---


def start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def period_bounds(period, *, start_date=None, end_date=None, now=None):
    """(start, end) aware datetimes for a period; None is an open bound.

    "week" starts on Monday (local time); custom dates include the whole end day.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if period == "week":
        return start_of_day(today - timedelta(days=today.weekday())), None
    if period == "7days":
        return now - timedelta(days=7), None
    if period == "custom":
        start = start_of_day(start_date) if start_date else None
        end = start_of_day(end_date + timedelta(days=1)) if end_date else None
        return start, end
    return None, None


def period_slug(period, *, start_date=None, end_date=None, now=None):
    """A file-name friendly name for the period, such as "2027-03-01-to-2027-03-07"."""
    if period == "term":
        return "whole-term"
    start, end = period_bounds(period, start_date=start_date, end_date=end_date, now=now)
    first = timezone.localdate(start).isoformat() if start else "start"
    last = end_date or timezone.localdate(now or timezone.now())
    return f"{first}-to-{last.isoformat()}"


# --- The columns ---


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


def participation_columns(course=None):
    """The registered columns (and, given a course, its own), in display order: the
    columns registered with one key are one column (config.hooks.Column)."""
    columns = {}
    for order, column in hooks.PARTICIPATION_COLUMNS.items():
        merged = columns.setdefault(
            column.key,
            ParticipationColumn(
                key=column.key, label=column.label, order=order, combine=column.combine
            ),
        )
        merged.sources.append(column.source)
    columns = list(columns.values())
    if course is not None:
        for course_columns in hooks.COURSE_PARTICIPATION_COLUMNS:
            columns += course_columns(course)
    return sorted(columns, key=lambda column: column.order)


# --- The table ---


@dataclass
class Row:
    user: object
    values: dict  # column key -> value
    cells: list  # [(column, value)] in column order


@dataclass
class Table:
    columns: list
    rows: list
    sort: str
    descending: bool

    def headers(self, query):
        """[{"key", "label", "query", "aria_sort"}]: each header's link sorts by it (and
        flips the direction when it is already the sort). `query` is request.GET."""
        headers = []
        for key, label in [(NAME, "Student")] + [(c.key, c.label) for c in self.columns]:
            params = query.copy()
            current = key == self.sort
            params["sort"] = key
            params["dir"] = "asc" if current and self.descending else "desc"
            if key == NAME:
                params["dir"] = "desc" if current and not self.descending else "asc"
            params.pop("format", None)
            params.pop("page", None)
            aria = ("descending" if self.descending else "ascending") if current else None
            headers.append(
                {"key": key, "label": label, "query": params.urlencode(), "aria_sort": aria}
            )
        return headers

    def csv_query(self, query):
        """The query string of this table as CSV (same period and order)."""
        params = query.copy()
        params["format"] = "csv"
        params["sort"], params["dir"] = self.sort, "desc" if self.descending else "asc"
        return params.urlencode()


def sort_key(value):
    """Missing values (no activity) sort below every value."""
    return (value is not None, value or 0)


def participation_table(course, *, start=None, end=None, sort=NAME, direction=None):
    """The participation of the course's students between start and end.

    Sorted by `sort` (a column key or "name"; anything else means name), descending if
    `direction` is "desc" (figures default to descending, names to ascending).
    """
    columns = participation_columns(course)
    students = [
        m.user for m in Membership.objects.for_course(course).students().with_user().by_name()
    ]
    figures = {c.key: [source(course, start, end) for source in c.sources] for c in columns}
    rows = []
    for user in students:
        values = {}
        for column in columns:
            found = [f[user.pk] for f in figures[column.key] if f.get(user.pk) is not None]
            if column.is_count:
                values[column.key] = sum(found)
            else:
                values[column.key] = max(found) if found else None
        rows.append(Row(user, values, [(c, values[c.key]) for c in columns]))
    keys = {c.key for c in columns}
    sort = sort if sort in keys else NAME
    descending = direction == "desc" if direction in ("asc", "desc") else sort != NAME
    if sort != NAME:  # a stable sort (also reversed): ties stay in name order
        rows.sort(key=lambda row: sort_key(row.values[sort]), reverse=descending)
    elif descending:
        rows.reverse()
    return Table(columns=columns, rows=rows, sort=sort, descending=descending)


def write_csv(table, file):
    """The table as CSV: student, username, then one column per figure.

    Through config.csv, so a display name such as ``=HYPERLINK(…)`` stays text."""
    writer = csv_writer(file)
    writer.writerow(["Student", "Username", *(c.label for c in table.columns)])
    for row in table.rows:
        cells = []
        for column, value in row.cells:
            if value is None:
                cells.append("")
            elif column.is_count:
                cells.append(value)
            else:
                cells.append(timezone.localtime(value).strftime("%Y-%m-%d %H:%M"))
        writer.writerow([row.user.name, row.user.username, *cells])


# --- blog's own columns (registered in blog/hooks.py) ---


def course_posts(course, start, end):
    published = Post.objects.published().for_course(course)
    return published.filter(in_period("published_at", start, end))


def posts_published(course, start, end):
    return per_user(course_posts(course, start, end), "author", Count("pk"))


def last_post(course, start, end):
    return per_user(course_posts(course, start, end), "author", Max("published_at"))


def course_post_likes(course, start, end):
    return PostLike.objects.filter(post__course=course).filter(in_period("created", start, end))


def post_likes_given(course, start, end):
    return per_user(course_post_likes(course, start, end), "user", Count("pk"))


def post_likes_received(course, start, end):
    return per_user(course_post_likes(course, start, end), "post__author", Count("pk"))


def last_post_like(course, start, end):
    return per_user(course_post_likes(course, start, end), "user", Max("created"))
