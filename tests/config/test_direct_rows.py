"""config.postgresql's ``direct_rows``: an anonymous hit's versions query read straight
through libpq, with the same rows, errors and transaction as through a cursor, and a
cursor whenever something watches the queries (docs/decisions.md, "An anonymous hit's
one query, straight through libpq")."""

import pytest
from django.db import DatabaseError, DataError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from blog.pages import COURSE, POST
from config.db import DirectQuery
from config.postgresql.base import as_text, numbered
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


def test_only_text_and_integers_are_written():
    assert as_text(["slug", 12, -3]) == [b"slug", b"12", b"-3"]
    assert as_text(["a\x00b"]) is None  # a C string would end at the NUL
    assert as_text([True]) is None
    assert as_text([None]) is None
    assert as_text([1.5]) is None
