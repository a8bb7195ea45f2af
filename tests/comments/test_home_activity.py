"""Home page: a signed-in reader sees new comments on their posts and replies to their
comments (by others, approved, on posts they may read); a visitor sees the hero."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    course = factories.CourseFactory()
    user = factories.MembershipFactory(course=course).user
    return user, course


def test_home_lists_comments_on_my_posts_and_replies_to_me(client, reader):
    user, course = reader
    mine = factories.PostFactory(course=course, author=user, title="My essay")
    other = factories.PostFactory(course=course, title="Their essay")
    factories.CommentFactory(post=mine, body="A thought on your essay")
    parent = factories.CommentFactory(post=other, author=user, body="I said this")
    factories.CommentFactory(post=other, parent=parent, body="An answer to you")
    factories.CommentFactory(post=mine, author=user, body="Talking to myself")
    factories.CommentFactory(post=mine, status="pending", body="Held for moderation")
    factories.CommentFactory(post=other, body="Not about me")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "New on your posts" in html
    assert "A thought on your essay" in html and "An answer to you" in html
    assert "replied to you" in html
    for hidden in ("Talking to myself", "Held for moderation", "Not about me"):
        assert hidden not in html


def test_home_for_a_member_stays_within_its_query_budget(
    client, reader, django_assert_max_num_queries
):
    user, course = reader
    mine = factories.PostFactory(course=course, author=user)
    for _ in range(8):
        factories.CommentFactory(post=mine)
    client.force_login(user)
    with django_assert_max_num_queries(9):  # drawn
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(5):  # from the member page cache
        assert client.get("/").status_code == 200


def test_visitors_get_what_commonplace_is_beside_the_call_to_action(client):
    html = client.get("/").content.decode()
    assert "hero__steps" in html and "Create an account" in html
    assert "New on your posts" not in html
