"""Banners and badges add a fixed number of queries, however many awards they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog import versions
from tests import factories


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def award_posts(course, instructor, count):
    """count published posts, each holding one to three of three awards, with citations."""
    awards = [factories.AwardFactory(course=course) for _ in range(3)]
    posts = [factories.PostFactory(course=course) for _ in range(count)]
    for n, post in enumerate(posts):
        for award in awards[: 1 + n % 3]:
            factories.AwardGrantFactory(
                award=award, post=post, granted_by=instructor, citation="Well argued."
            )
    return awards, posts


@pytest.mark.parametrize("count", [3, 30])
def test_post_page_banners_cost_one_query(
    client, post, instructor, count, django_assert_max_num_queries
):
    client.force_login(instructor)
    url = post.get_absolute_url()
    without_awards = queries_for(client, url)
    for _ in range(count):
        factories.AwardGrantFactory(
            award=factories.AwardFactory(course=post.course), post=post, citation="Yes."
        )
    versions.changed(post=post)  # as grant_award does (factories skip the services)
    with django_assert_max_num_queries(without_awards):
        response = client.get(url)
    assert response.content.decode().count('<section class="award-banner') == count


@pytest.mark.parametrize("count", [3, 30])
def test_course_page_badges_cost_a_fixed_number_of_queries(
    client, course, instructor, student, count, django_assert_max_num_queries
):
    posts = [factories.PostFactory(course=course) for _ in range(count)]
    client.force_login(student)
    without_awards = queries_for(client, course.get_absolute_url())
    awards = [factories.AwardFactory(course=course) for _ in range(3)]
    for post in posts:
        for award in awards:
            factories.AwardGrantFactory(award=award, post=post, granted_by=instructor)
    versions.changed(posts=posts)  # as grant_award does (factories skip the services)
    with django_assert_max_num_queries(without_awards):
        response = client.get(course.get_absolute_url())
    assert 'class="award-badge"' in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_award_pages_query_counts_are_constant(
    client, course, instructor, student, count, django_assert_max_num_queries
):
    awards, _ = award_posts(course, instructor, count)
    client.force_login(student)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("awards:award_list", args=[course.slug])).status_code == 200
    with django_assert_max_num_queries(10):
        url = reverse("awards:award_detail", args=[course.slug, awards[0].slug])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_award_management_query_count_is_constant(
    client, course, instructor, count, django_assert_max_num_queries
):
    for _ in range(count):
        factories.AwardFactory(course=course)
    client.force_login(instructor)
    with django_assert_max_num_queries(7):  # 7: the pending count on the instructor tabs
        assert client.get(reverse("awards:award_manage", args=[course.slug])).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_profile_awards_section_query_count_is_constant(
    client, course, student, instructor, count, django_assert_max_num_queries
):
    awards = [factories.AwardFactory(course=course) for _ in range(count)]
    post = factories.PostFactory(course=course, author=student)
    url = student.get_absolute_url()
    client.force_login(instructor)
    without_awards = queries_for(client, url)
    for award in awards:
        factories.AwardGrantFactory(award=award, post=post)
    with django_assert_max_num_queries(without_awards + 1):
        response = client.get(url)
    assert response.content.decode().count('class="profile-awards__item"') == count
