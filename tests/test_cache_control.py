"""Who may keep a response (config.middleware.CacheControlMiddleware): a shared proxy or
CDN never keeps one reader's page for another, a page with a CSRF token is kept by
nobody, and anonymous readers' cached pages may be kept but are asked for again."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=0, must-revalidate"
NO_STORE = "private, no-store"


@pytest.fixture
def post(course, student):
    return factories.PostFactory(course=course, author=student, title="On the thaw")


def fetch(client, url, expect):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.get("X-Page-Cache") == expect, url
    return response


@pytest.mark.parametrize("where", ["home", "course"])
def test_an_anonymous_cached_page_may_be_kept_but_is_asked_for_again(where, post):
    url = "/" if where == "home" else post.course.get_absolute_url()
    reader = Client()
    miss = fetch(reader, url, "miss")
    hit = fetch(reader, url, "hit")
    assert miss["Cache-Control"] == hit["Cache-Control"] == PUBLIC
    assert "Cookie" in hit["Vary"]


def test_an_anonymous_page_with_the_guest_reply_form_is_kept_by_nobody(post):
    post.course.guest_comments = "moderated"
    post.course.save()
    reader = Client()
    miss = fetch(reader, post.get_absolute_url(), "miss")
    assert 'name="csrfmiddlewaretoken"' in miss.content.decode()
    hit = fetch(reader, post.get_absolute_url(), "hit")
    assert miss["Cache-Control"] == hit["Cache-Control"] == NO_STORE


def test_a_member_s_page_is_private_and_never_stored_hit_or_miss(post, student):
    member = Client()
    member.force_login(student)
    for expect in ("miss", "hit"):
        response = fetch(member, post.get_absolute_url(), expect)
        assert response["Cache-Control"] == NO_STORE  # their name, their sign-out token
    for url in ("/", post.course.get_absolute_url()):
        assert "private" in member.get(url)["Cache-Control"]


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_forms_are_kept_by_nobody(name):
    response = Client().get(reverse(name))
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_the_editor_is_kept_by_nobody(post, student):
    writer = Client()
    writer.force_login(student)
    response = writer.get(reverse("blog:post_create", args=[post.course.slug]))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_redirects_and_errors_are_private(post):
    reader = Client()
    assert reader.get("/no-such-page/")["Cache-Control"] == "private"
    after_post = reader.post(reverse("account_logout"))
    assert "private" in after_post["Cache-Control"]


def test_what_sets_its_own_cache_control_keeps_it():
    assert Client().get("/healthz")["Cache-Control"].startswith("max-age=0")
