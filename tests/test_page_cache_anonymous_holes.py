"""An anonymous reader's page with hole versions (a post's or a course page's like
counts, ``CachedPage.hole_version_fields``): drawn as a skeleton, kept whole and with
its shared holes open; after a like, the next anonymous reader's page is that skeleton
with its "Liked by" lines filled again (decorators.refill_anonymous_page), not drawn.

The page must be byte for byte what the view draws for an anonymous reader, the CSRF
token and the nonce aside (per response in any case).

CI runs this module twice: with the local-memory cache and with Redis (REDIS_URL).
"""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from blog.models import Post
from comments import services as comment_services
from comments.models import Comment
from pagecache.store import recent_pages
from tests import factories
from tests.helpers import normalised

pytestmark = pytest.mark.django_db


def get(url, expect):
    response = Client().get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") == expect
    return normalised(response.content.decode())


def drawn_by_the_view(url):
    """The page as the view draws it with the page cache off."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        return get(url, None)


def drawn_afresh(url):
    """The page drawn again with the page cache emptied (a skeleton draw, kept)."""
    cache.clear()
    recent_pages.clear()
    return get(url, "miss")


@pytest.fixture
def likers(course):
    return [factories.MembershipFactory(course=course).user for _ in range(3)]


@pytest.fixture
def post(course, student):
    post = factories.PostFactory(course=course, author=student, title="On the thaw")
    for n in range(4):
        factories.CommentFactory(post=post, author=student, body=f"Remark {n}.")
    Comment.objects.create(post=post, guest_name="G", body="A guest's remark.")
    return post


@pytest.fixture
def discussed(course, instructor, student):
    page = factories.PageFactory(
        course=course, author=instructor, title="Syllabus", allows_comments=True
    )
    for n in range(3):
        Comment.objects.create(page=page, author=student, body=f"Page remark {n}.")
    return page


@pytest.fixture(params=["post", "page"])
def target(request, post, discussed):
    return post if request.param == "post" else discussed


def comments_of(target):
    field = "post" if isinstance(target, Post) else "page"
    return list(Comment.objects.filter(**{field: target}).order_by("pk"))


def test_the_first_draw_is_what_the_view_draws(target, likers):
    comment_services.like_comment(comment=comments_of(target)[0], user=likers[0])
    url = target.get_absolute_url()
    assert get(url, "miss") == drawn_by_the_view(url)
    assert get(url, "hit") == drawn_by_the_view(url)


def test_after_a_like_the_page_is_refilled_not_drawn(target, likers, django_assert_max_num_queries):
    url = target.get_absolute_url()
    comments = comments_of(target)
    before = get(url, "miss")
    assert "Liked by 1 person" not in before
    comment_services.like_comment(comment=comments[1], user=likers[0])
    # The versions, the page's lookup, the like counts: a drawn page takes 7.
    with django_assert_max_num_queries(3):
        refilled = get(url, "miss")
    assert "Liked by 1 person" in refilled and refilled != before
    assert get(url, "hit") == refilled
    assert refilled == drawn_by_the_view(url)
    assert refilled == drawn_afresh(url)


def test_each_like_and_unlike_shows_on_the_next_refill(target, likers):
    url = target.get_absolute_url()
    comment = comments_of(target)[0]
    get(url, "miss")
    for user in likers:
        comment_services.like_comment(comment=comment, user=user)
        count = likers.index(user) + 1
        refilled = get(url, "miss")
        assert ("Liked by 1 person" if count == 1 else f"Liked by {count} people") in refilled
        assert refilled == drawn_by_the_view(url)
    comment_services.like_comment(comment=comment, user=likers[0], liked=False)
    refilled = get(url, "miss")
    assert "Liked by 2 people" in refilled
    assert refilled == drawn_by_the_view(url)


def test_a_change_besides_likes_draws_the_page_again(post, likers, django_assert_max_num_queries):
    url = post.get_absolute_url()
    get(url, "miss")
    comment_services.edit_comment(comment=comments_of(post)[0], body="Second thoughts.")
    comment_services.like_comment(comment=comments_of(post)[1], user=likers[0])
    html = get(url, "miss")  # a new skeleton: page_version moved on
    assert "Second thoughts." in html and "Liked by 1 person" in html
    assert html == drawn_by_the_view(url)
