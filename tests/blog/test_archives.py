"""Monthly archives of a course, and the month list beside its posts."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from blog.models import Post
from tests import factories


def at(year, month, day=15):
    return datetime(year, month, day, 12, tzinfo=UTC)


def archive_url(course, year, month):
    return reverse("blog:course_archive", args=[course.slug, year, month])


@pytest.fixture
def dated_posts(course, student):
    for title, when in [("March one", at(2027, 3, 2)), ("March two", at(2027, 3, 28))]:
        factories.PostFactory(course=course, author=student, title=title, published_at=when)
    factories.PostFactory(course=course, author=student, title="January", published_at=at(2027, 1))
    factories.PostFactory(course=course, author=student, title="Old", published_at=at(2026, 11))
    factories.PostFactory(
        course=course, author=student, title="Feb draft", status="draft", published_at=at(2027, 2)
    )
    factories.PostFactory(title="Other course, March", published_at=at(2027, 3))


def test_month_list_counts_published_posts_newest_month_first(course, dated_posts):
    months = Post.objects.published().for_course(course).count_by_month()
    assert [(m["month"].year, m["month"].month, m["count"]) for m in months] == [
        (2027, 3, 2),
        (2027, 1, 1),
        (2026, 11, 1),
    ]


def test_month_list_is_one_query(course, dated_posts, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Post.objects.published().for_course(course).count_by_month())


def test_course_page_links_each_month_with_its_count(client, course, dated_posts):
    html = client.get(course.get_absolute_url()).content.decode()
    assert f'<a href="{archive_url(course, 2027, "03")}">March 2027</a>' in html
    assert 'March 2027</a> <span class="text-body-secondary">(2)</span>' in html
    assert html.index("March 2027") < html.index("January 2027") < html.index("November 2026")
    assert "February 2027" not in html  # only a draft that month


def test_archive_page_lists_that_months_posts_newest_first(client, course, dated_posts):
    response = client.get(archive_url(course, 2027, 3))
    assert response.status_code == 200
    titles = [post.title for post in response.context["page_obj"].object_list]
    assert titles == ["March two", "March one"]
    html = response.content.decode()
    assert "<h1>March 2027</h1>" in html
    assert f'href="{archive_url(course, 2027, "03")}" aria-current="page"' in html


def test_archive_of_a_month_without_posts_is_empty_not_an_error(client, course, dated_posts):
    response = client.get(archive_url(course, 2027, 2))
    assert response.status_code == 200
    assert "Nothing was published in this month." in response.content.decode()


def test_archive_pages_are_paginated(client, course, student):
    for day in range(1, 13):
        factories.PostFactory(course=course, author=student, published_at=at(2027, 5, day))
    first = client.get(archive_url(course, 2027, 5))
    assert len(first.context["page_obj"].object_list) == 10
    second = client.get(archive_url(course, 2027, 5), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 2


@pytest.mark.parametrize("path", ["2027/13", "2027/0", "0/5", "2027/00", "2027/march"])
def test_invalid_month_is_404(client, course, path):
    assert client.get(f"/c/{course.slug}/archive/{path}/").status_code == 404


def test_members_only_course_archive_is_404_for_others(client, private_course, outsider):
    factories.PostFactory(course=private_course, published_at=at(2027, 3))
    client.force_login(outsider)
    assert client.get(archive_url(private_course, 2027, 3)).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_archive_page_query_count_is_constant(
    client, course, student, count, django_assert_max_num_queries
):
    topic = factories.TopicFactory(course=course)
    for n in range(count):
        when = at(2027, 3, 1 + n % 28)
        factories.PostFactory(course=course, author=student, published_at=when).topics.add(topic)
    client.force_login(student)
    with django_assert_max_num_queries(10):
        assert client.get(archive_url(course, 2027, 3)).status_code == 200
