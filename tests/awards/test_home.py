"""A visitor's home page: recent posts of open courses, awarded ones first (issue 19).

awards ranks them through hooks.POST_RANKINGS (config/hooks.py); blog names no award.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards.services import grant_award, revoke_award
from blog.views.reading import HOME_POSTS, HOME_RECENT
from tests import factories

pytestmark = pytest.mark.django_db


def posts_in(course, titles):
    """Published posts, the first title the newest, one hour apart."""
    now = timezone.now()
    return [
        factories.PostFactory(course=course, title=title, published_at=now - timedelta(hours=n))
        for n, title in enumerate(titles)
    ]


def home_titles(client=None):
    response = (client or Client()).get(reverse("home"))
    assert response.status_code == 200
    return [post.title for post in response.context["public_posts"]]


def test_awarded_posts_come_first_among_a_visitors_recent_posts(course, award, instructor):
    newest, middle, oldest = posts_in(course, ["Newest", "Middle", "Oldest"])
    grant_award(award=award, post=oldest, granted_by=instructor)
    grant_award(award=award, post=middle, granted_by=instructor)
    assert home_titles() == ["Middle", "Oldest", "Newest"]
    html = Client().get(reverse("home")).content.decode()
    assert html.index("Middle") < html.index("Oldest") < html.index("Newest")
    assert award.name in html  # the cards carry their badges


def test_without_awards_recent_posts_are_newest_first(course):
    posts_in(course, ["Newest", "Middle", "Oldest"])
    assert home_titles() == ["Newest", "Middle", "Oldest"]


def test_awarded_posts_a_visitor_may_not_read_never_appear(instructor):
    hidden = factories.CourseFactory(visibility="members")
    secret = factories.PostFactory(course=hidden, title="Members only, awarded")
    factories.AwardGrantFactory(award=factories.AwardFactory(course=hidden), post=secret)
    public = factories.CourseFactory()
    draft = factories.PostFactory(
        course=public, title="A draft, awarded", status="draft", published_at=None
    )
    factories.AwardGrantFactory(award=factories.AwardFactory(course=public), post=draft)
    posts_in(public, ["Open"])
    assert home_titles() == ["Open"]


def test_only_recent_posts_are_ranked_so_new_writing_still_shows(course, award, instructor):
    posts = posts_in(course, [f"Entry {n:02d}" for n in range(HOME_RECENT + 1)])
    grant_award(award=award, post=posts[-1], granted_by=instructor)  # too old to rank
    grant_award(award=award, post=posts[10], granted_by=instructor)
    assert home_titles() == ["Entry 10"] + [f"Entry {n:02d}" for n in range(HOME_POSTS - 1)]


def test_a_members_home_ranks_other_open_courses_posts_too(course, student, award, instructor):
    other = factories.CourseFactory(title="Modern Europe")
    first, second = posts_in(other, ["Elsewhere new", "Elsewhere awarded"])
    elsewhere_award = factories.AwardFactory(course=other)
    grant_award(award=elsewhere_award, post=second, granted_by=instructor)
    posts_in(course, ["In my course"])  # listed under "Recent in your courses" instead
    client = Client()
    client.force_login(student)
    assert home_titles(client) == ["Elsewhere awarded", "Elsewhere new"]


@pytest.mark.parametrize("awarded", [0, 3, 12])
def test_ranking_costs_no_query(course, instructor, awarded, django_assert_max_num_queries):
    posts = posts_in(course, [f"Entry {n:02d}" for n in range(14)])
    awards = [factories.AwardFactory(course=course) for _ in range(2)]
    awarded_posts = posts[len(posts) - awarded :]
    for post in awarded_posts:
        for award in awards:
            grant_award(award=award, post=post, granted_by=instructor)
    Client().get(factories.PostFactory().get_absolute_url())  # warm per-process caches
    with django_assert_max_num_queries(8):
        titles = home_titles()
    assert len(titles) == HOME_POSTS
    first = [post.title for post in awarded_posts][:HOME_POSTS]
    assert titles[: len(first)] == first


def test_revoking_the_award_returns_the_post_to_its_place(course, award, instructor):
    newest, oldest = posts_in(course, ["Newest", "Oldest"])
    grant = grant_award(award=award, post=oldest, granted_by=instructor)
    assert home_titles() == ["Oldest", "Newest"]
    revoke_award(grant=grant)
    assert home_titles() == ["Newest", "Oldest"]
