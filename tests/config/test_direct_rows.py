"""config.postgresql's ``direct_rows``: a cache hit's queries (an anonymous reader's
versions; a member's session, user row and page lookup) read straight through libpq,
with the same rows, errors and transaction as through a cursor, and a cursor whenever
something watches the queries (docs/decisions.md, "An anonymous hit's one query,
straight through libpq", and "A member's hit, straight through libpq")."""

import datetime

import pytest
from django.db import DatabaseError, DataError, connection, transaction
from django.db.models import F, Value
from django.test import Client
from django.test.utils import CaptureQueriesContext
from psycopg.types.numeric import Int4

from blog.models import Post
from blog.pages import COURSE, POST, POST_PAGE_QUERY
from config.db import DirectQuery, PreparedQuery
from config.postgresql.base import as_text, numbered
from pagecache.readers import SESSION_AND_USER_ROW
from pagecache.store import recent_pages
from tests.helpers import cursors_opened

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend")


def post_versions(post):
    return POST.anonymous_versions(course_slug=post.course.slug, post_slug=post.slug)


def statements_of_ours():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'commonplace_%%'")
        return [name for (name,) in cursor.fetchall()]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_an_anonymous_hits_versions_are_read_without_a_cursor(post):
    expected = (post.course.common_version, post.page_version, post.likes_version)
    assert cursors_opened(lambda: post_versions(post)) == (expected, 0)
    assert cursors_opened(lambda: COURSE.anonymous_versions(course_slug=post.course.slug)) == (
        (post.course.pages_version,),
        0,
    )
    # no such page: no row, as through a cursor
    assert POST.anonymous_versions(course_slug=post.course.slug, post_slug="nothing") is None
    Post.objects.filter(pk=post.pk).update(page_version=F("page_version") + 1)
    assert post_versions(post)[1] == post.page_version + 1  # a bump shows at once


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_watched_query_goes_through_a_cursor_and_is_counted(post):
    expected = post_versions(post)
    with CaptureQueriesContext(connection) as queries:
        assert post_versions(post) == expected
    assert len(queries) == 1 and "page_version" in queries[0]["sql"]
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert cursors_opened(lambda: post_versions(post)) == (expected, 1)
    assert len(seen) == 1


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_the_server_forgot_or_a_new_connection_is_prepared_again(post):
    expected = post_versions(post)
    assert statements_of_ours()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert statements_of_ours() == []
    assert post_versions(post) == expected
    connection.close()
    assert post_versions(post) == expected
    assert len(statements_of_ours()) == 1  # the new connection's own


@postgresql
@pytest.mark.django_db(transaction=True)
def test_without_prepared_statements_it_runs_unprepared(post, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "prepare_threshold", None)
    assert cursors_opened(lambda: post_versions(post))[1] == 0
    assert statements_of_ours() == []


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_server_error_is_djangos_and_leaves_the_connection_usable(post):
    by_id = DirectQuery(
        lambda pk: Post.objects.filter(pk=pk).values_list("page_version"), pk=-730_000_777
    )
    with pytest.raises(DataError):
        by_id.rows(pk="not a number")  # invalid input syntax for type bigint
    assert by_id.rows(pk=str(post.pk)) == [(post.page_version,)]
    assert by_id.rows(pk=post.pk) == [(post.page_version,)]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_in_a_transaction_a_cursor_reads_what_the_transaction_wrote(post):
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(page_version=F("page_version") + 5)
        assert cursors_opened(lambda: post_versions(post)) == (
            (post.course.common_version, post.page_version + 5, post.likes_version),
            1,
        )
        transaction.set_rollback(True)
    assert post_versions(post)[1] == post.page_version


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_psycopg_deallocated_after_a_rollback_is_prepared_again(post):
    """psycopg answers a rollback with DEALLOCATE ALL once it has prepared statements
    of its own (PREPARE_THRESHOLD runs of one query)."""
    expected = post_versions(post)
    for _ in range(10):
        Post.objects.filter(pk=post.pk).exists()  # prepared by psycopg after 5
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).exists()
        transaction.set_rollback(True)
    Post.objects.filter(pk=post.pk).exists()  # psycopg's maintenance runs before it
    assert statements_of_ours() == []
    assert cursors_opened(lambda: post_versions(post)) == (expected, 0)


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_gets_the_cursors_error(post):
    with transaction.atomic():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1/0")
        except DatabaseError:
            pass
        with pytest.raises(DatabaseError, match="aborted"):
            post_versions(post)  # through the cursor: current transaction is aborted
        transaction.set_rollback(True)


def test_placeholders_are_numbered_and_other_kinds_left_to_psycopg():
    assert numbered("SELECT 1 WHERE a = %s AND b LIKE '%%x' AND c = %s") == (
        "SELECT 1 WHERE a = $1 AND b LIKE '%x' AND c = $2"
    )
    assert numbered("SELECT %(name)s") is None


def test_text_integers_and_booleans_are_written_with_their_types():
    assert as_text(["slug", 12, -3]) == ([b"slug", b"12", b"-3"], (0, 0, 0))
    assert as_text([Post.Status.PUBLISHED]) == ([b"published"], (0,))  # a choice's text
    assert as_text([Int4(1), True, False]) == ([b"1", b"true", b"false"], (23, 16, 16))
    moment = datetime.datetime(2026, 12, 8, 1, 2, 3, 456789, tzinfo=datetime.UTC)
    assert as_text([moment]) == ([b"2026-12-08T01:02:03.456789+00:00"], (1184,))
    assert as_text([moment.replace(tzinfo=None)]) is None  # naive: the cursor's to adapt
    assert as_text(["a\x00b"]) is None  # a C string would end at the NUL
    assert as_text([None]) is None
    assert as_text([1.5]) is None


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_typed_integer_comes_back_as_an_integer(post):
    """Where PostgreSQL has nothing to infer a type from (a select list), an untyped
    parameter would be text: Django's ``Value(1)`` is sent as the int4 it is."""
    ones = DirectQuery(
        lambda pk: Post.objects.filter(pk=pk).annotate(one=Value(1)).values_list("one", "pk"),
        pk=-730_000_778,
    )
    assert cursors_opened(lambda: ones.rows(pk=post.pk)) == ([(1, post.pk)], 0)


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_datetime_compares_as_through_a_cursor(post):
    """An aware datetime is sent as the timestamptz it is, to the microsecond, in any
    zone."""
    since = DirectQuery(
        lambda moment: Post.objects.filter(published_at__gte=moment).values_list("pk"),
        moment=datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
    )
    at = post.published_at
    later = at + datetime.timedelta(microseconds=1)
    elsewhere = at.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
    assert cursors_opened(lambda: since.rows(moment=at)) == ([(post.pk,)], 0)
    assert since.rows(moment=later) == []
    assert since.rows(moment=elsewhere) == [(post.pk,)]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_members_post_row_is_the_cursors(post, student):
    """The post page's query through libpq makes the instance a cursor's rows make: the
    same fields, related rows and annotations, with the same types."""
    values = {"user_id": student.pk, "course_slug": post.course.slug, "slug": post.slug}
    direct, opened = cursors_opened(lambda: POST_PAGE_QUERY.get(**values))
    assert opened == 0
    through_cursor = PreparedQuery(POST_PAGE_QUERY.build, **POST_PAGE_QUERY.placeholders)
    expected = through_cursor.get(**values)
    for made, cursors in [(direct, expected), (direct.author, expected.author)]:
        mine, theirs = dict(made.__dict__), dict(cursors.__dict__)
        assert mine.keys() == theirs.keys()
        for name, value in theirs.items():
            if name not in ("_state", "_prefetched_objects_cache"):
                assert (name, mine[name], type(mine[name])) == (name, value, type(value))
    assert direct.course.slug == post.course.slug and direct.viewer_role == "student"
    assert POST_PAGE_QUERY.get(user_id=student.pk, course_slug="none", slug=post.slug) is None


@postgresql
@pytest.mark.django_db(transaction=True)
def test_a_members_hit_opens_no_cursor(post, student):
    """A member's cache hit of home, a course or a post reads their session with their
    row and the page's rows without a cursor, once the process knows whose the session
    is."""
    client = Client()
    client.force_login(student)
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        client.get(url)  # drawn
        assert client.get(url)["X-Page-Cache"] == "hit"
        recent_pages.clear()  # the hit below reads the shared cache, as another process would
        response, opened = cursors_opened(lambda url=url: client.get(url))
        assert (url, response.status_code, response["X-Page-Cache"], opened) == (
            url,
            200,
            "hit",
            0,
        )
    session_key = client.cookies["sessionid"].value
    row = SESSION_AND_USER_ROW.get(user_id=student.pk, session_key=session_key)
    assert row.pk == student.pk and row.pagecache_session_data
