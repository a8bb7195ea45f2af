"""The page cache (the pagecache package): anonymous readers get whole pages from the shared
cache, and every change that shows on a page is visible on the next anonymous GET.

CI runs this module twice: with the local-memory cache and with Redis (REDIS_URL).
"""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.forms import ProfileForm
from accounts.services import save_profile
from awards.services import grant_award, revoke_award
from blog import services as blog_services
from blog.forms import CourseForm
from blog.models import Course, Post
from comments import services as comment_services
from comments.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(course, student):
    return factories.PostFactory(course=course, author=student, title="On the thaw")


@pytest.fixture
def reader():
    """An anonymous visitor with no cookies yet."""
    return Client()


def member_client(user):
    client = Client()
    client.force_login(user)
    return client


def page(client, url, expect="miss", status=200):
    """GET url as client; check where it came from ("hit", "miss" or None: not cached)."""
    response = client.get(url)
    assert response.status_code == status
    assert response.get("X-Page-Cache") == expect, url
    return response.content.decode()


def primed(reader, url):
    """Fetch url twice, so that it is in the cache; return the cached HTML."""
    page(reader, url, "miss")
    return page(reader, url, "hit")


# --- What is served from the cache ---


def test_anonymous_pages_come_from_the_cache(reader, post, django_assert_max_num_queries):
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        page(reader, url, "miss")
        with django_assert_max_num_queries(2):  # the versions (and a session, if any)
            html = page(reader, url, "hit")
        assert "On the thaw" in html


def test_a_hit_reads_only_the_versions(reader, post, django_assert_max_num_queries):
    """No session, user or role lookups: one small query, then the cache."""
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        page(reader, url, "miss")
        with django_assert_max_num_queries(1):
            page(reader, url, "hit")


reached_inner_middleware = []


def recording_middleware(get_response):
    def middleware(request):
        reached_inner_middleware.append(request.path)
        return get_response(request)

    return middleware


def test_hits_are_answered_before_sessions_csrf_and_users(reader, post, settings):
    """PageCacheMiddleware answers a hit itself: nothing after it runs (sessions, CSRF,
    authentication, messages, allauth, the view); a miss goes on down the stack."""
    at = settings.MIDDLEWARE.index("pagecache.middleware.PageCacheMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: at + 1],
        "tests.test_page_cache.recording_middleware",
        *settings.MIDDLEWARE[at + 1 :],
    ]
    reached_inner_middleware.clear()
    page(reader, post.get_absolute_url(), "miss")
    assert reached_inner_middleware == [post.get_absolute_url()]
    page(reader, post.get_absolute_url(), "hit")
    assert reached_inner_middleware == [post.get_absolute_url()]


def test_a_browser_s_zone_cookie_still_gets_the_cached_page(reader, post):
    """static/js/site.js sets the reader's time zone on every page; it must not keep
    a browser from the cache (only per-viewer parts read it)."""
    page(reader, post.get_absolute_url(), "miss")
    reader.cookies["tz"] = "Europe%2FBerlin"
    page(reader, post.get_absolute_url(), "hit")
    page(reader, "/", "miss")
    page(reader, "/", "hit")
    reader.cookies["theme"] = "dark"  # any other cookie: drawn as usual
    assert reader.get(post.get_absolute_url()).get("X-Page-Cache") is None


def test_a_hit_carries_the_headers_of_a_rendered_page(reader, post):
    rendered = reader.get(post.get_absolute_url())
    cached = Client().get(post.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Type",
    ):
        assert cached[header] == rendered[header], header
    assert "Cookie" in cached["Vary"]
    assert int(cached["Content-Length"]) == len(cached.content)


def test_a_reader_keeps_their_csrf_cookie_on_a_hit(reader, post):
    """A reader who has a CSRF cookie gets a form token for it, and keeps the cookie."""
    primed(reader, post.get_absolute_url())
    guest = Client(enforce_csrf_checks=True)
    guest.cookies["csrftoken"] = "a" * 32
    response = guest.get(post.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert guest.cookies["csrftoken"].value == "a" * 32
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    url = reverse("comments:comment_create", args=[post.course.slug, post.slug])
    data = {"body": "Kept cookie.", "guest_name": "Kim", "guest_email": "k@example.org"}
    assert guest.post(url, {**data, "csrfmiddlewaretoken": token.group(1)}).status_code == 302


def test_a_missing_page_is_answered_by_its_view(reader, post):
    missing = post.course.get_absolute_url() + "no-such-post/"
    page(reader, missing, expect=None, status=404)
    page(reader, missing, expect=None, status=404)


def test_signed_in_readers_never_get_the_anonymous_copy(reader, post, student):
    primed(reader, post.get_absolute_url())
    # Their own copy (tests/test_member_page_cache.py), drawn for them: a miss.
    html = page(member_client(student), post.get_absolute_url(), expect="miss")
    assert "Sign out" in html and "Signed in as" in html


def signed_out_with_a_message(user):
    """A visitor who just signed out: allauth's "You have signed out." waits in their
    messages cookie; the session cookie is gone, as a browser drops a deleted one."""
    visitor = Client()
    visitor.force_login(user)
    assert visitor.post(reverse("account_logout")).status_code == 302
    assert visitor.cookies["sessionid"].value == ""
    del visitor.cookies["sessionid"]
    assert visitor.cookies["messages"].value
    return visitor


def test_a_page_with_a_message_is_neither_stored_nor_served(reader, post, outsider):
    url = post.get_absolute_url()
    html = page(signed_out_with_a_message(outsider), url, expect=None)  # drawn, not stored
    assert "You have signed out." in html
    html = page(reader, url, "miss")  # nobody stored the page with the message
    assert "You have signed out." not in html
    assert "You have signed out." not in page(reader, url, "hit")
    html = page(signed_out_with_a_message(outsider), url, expect=None)  # not served
    assert "You have signed out." in html


def test_other_queries_bypass_the_cache(reader, post):
    page(reader, post.course.get_absolute_url() + "?page=1", "miss")
    page(reader, post.course.get_absolute_url() + "?page=1", "hit")
    page(reader, post.course.get_absolute_url() + "?utm=x", expect=None)


def test_the_guest_form_on_a_cached_page_has_a_valid_token(reader, post):
    primed(reader, post.get_absolute_url())
    guest = Client(enforce_csrf_checks=True)
    html = page(guest, post.get_absolute_url(), "hit")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert "csrftoken" in guest.cookies  # set for this visitor, not from the cache
    url = reverse("comments:comment_create", args=[post.course.slug, post.slug])
    data = {"body": "Hello from a guest.", "guest_name": "Vera", "guest_email": "v@example.org"}
    response = guest.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Comment.objects.filter(guest_name="Vera").exists()
    # The guest now has a session: they see their held comment, never a cached page.
    assert "awaiting moderation" in page(guest, post.get_absolute_url(), expect=None)


def test_a_guest_who_remembered_their_details_gets_their_own_form(reader, post):
    primed(reader, post.get_absolute_url())
    guest = Client()
    guest.cookies["comment_author"] = "signed-details"
    page(guest, post.get_absolute_url(), expect=None)


def test_pages_render_when_the_cache_is_down(reader, post, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with caplog.at_level(logging.ERROR, logger="pagecache.store"):
        for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
            assert "On the thaw" in reader.get(url).content.decode()
    assert "Page cache unavailable" in caplog.text


# --- Every change shows on the next anonymous GET ---


def test_a_comment_posted(reader, post, student):
    primed(reader, post.get_absolute_url())
    course_page = primed(reader, post.course.get_absolute_url())
    assert "0 comments" in course_page
    member_client(student).post(
        reverse("comments:comment_create", args=[post.course.slug, post.slug]),
        {"body": "A brand new remark."},
    )
    assert "A brand new remark." in page(reader, post.get_absolute_url())
    assert "1 comment" in page(reader, post.course.get_absolute_url())


def test_a_comment_edited_and_removed_by_its_author(reader, post, student):
    comment = factories.CommentFactory(post=post, author=student, body="First words.")
    assert "First words." in primed(reader, post.get_absolute_url())
    comment_services.edit_comment(comment=comment, body="Second thoughts.")
    html = page(reader, post.get_absolute_url())
    assert "Second thoughts." in html and "First words." not in html
    page(reader, post.get_absolute_url(), "hit")
    comment_services.withdraw_comment(comment=comment)
    assert "Second thoughts." not in page(reader, post.get_absolute_url())


@pytest.mark.parametrize("action", ["approve", "spam", "remove"])
def test_a_comment_moderated(reader, post, instructor, action):
    approved = factories.CommentFactory(post=post, author=None, guest_name="G", body="Seen.")
    held = factories.CommentFactory(
        post=post, author=None, guest_name="H", body="Held back.", status="pending"
    )
    assert "Held back." not in primed(reader, post.get_absolute_url())
    target = held if action == "approve" else approved
    member_client(instructor).post(
        reverse("comments:comment_moderate", args=[target.pk]), {"action": action}
    )
    html = page(reader, post.get_absolute_url())
    if action == "approve":
        assert "Held back." in html
    else:
        assert "Seen." not in html


def test_a_comment_liked(reader, post, student):
    comment = factories.CommentFactory(post=post, author=student)
    assert "Liked by 1 person" not in primed(reader, post.get_absolute_url())
    liker = factories.MembershipFactory(course=post.course).user
    member_client(liker).post(reverse("comments:comment_like", args=[comment.pk]), {"liked": "1"})
    assert "Liked by 1 person" in page(reader, post.get_absolute_url())


def test_a_post_liked(reader, post):
    assert "1 like" not in primed(reader, post.course.get_absolute_url())
    primed(reader, post.get_absolute_url())
    liker = factories.MembershipFactory(course=post.course).user
    member_client(liker).post(
        reverse("blog:post_like", args=[post.course.slug, post.slug]), {"liked": "1"}
    )
    assert "1 like" in page(reader, post.course.get_absolute_url())
    assert "Liked by 1 person" in page(reader, post.get_absolute_url())


def test_an_award_granted_and_revoked(reader, post, instructor):
    award = factories.AwardFactory(course=post.course, name="Clearest Argument")
    assert "Clearest Argument" not in primed(reader, post.get_absolute_url())
    primed(reader, post.course.get_absolute_url())
    grant = grant_award(award=award, post=post, granted_by=instructor)
    assert "Clearest Argument" in page(reader, post.get_absolute_url())
    assert "Clearest Argument" in page(reader, post.course.get_absolute_url())
    revoke_award(grant=grant)
    assert "Clearest Argument" not in page(reader, post.get_absolute_url())


def test_a_post_edited_unpublished_and_published(reader, post, student):
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        primed(reader, url)
    author = member_client(student)
    data = {"title": "On the thaw, revised", "body": "New words.", "action": "update"}
    author.post(reverse("blog:post_edit", args=[post.course.slug, post.slug]), data)
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        assert "On the thaw, revised" in page(reader, url)
    author.post(reverse("blog:post_unpublish", args=[post.course.slug, post.slug]))
    page(reader, post.get_absolute_url(), expect=None, status=404)
    assert "On the thaw, revised" not in page(reader, post.course.get_absolute_url())
    assert "On the thaw, revised" not in page(reader, "/")
    post.refresh_from_db()
    data["action"] = "publish"
    author.post(reverse("blog:post_edit", args=[post.course.slug, post.slug]), data)
    assert "On the thaw, revised" in page(reader, post.get_absolute_url())
    assert "On the thaw, revised" in page(reader, post.course.get_absolute_url())


def test_course_settings(reader, post, instructor):
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        primed(reader, url)
    course = Course.objects.get(pk=post.course.pk)
    form = CourseForm(instance=course)
    data = {name: form.initial[name] for name in form.fields} | {"title": "History Renamed"}
    member_client(instructor).post(reverse("blog:course_settings", args=[course.slug]), data)
    for url in ("/", post.course.get_absolute_url(), post.get_absolute_url()):
        assert "History Renamed" in page(reader, url)


def test_a_profile_name_and_avatar(reader, post, student, settings, tmp_path):
    factories.CommentFactory(post=post, author=factories.MembershipFactory(course=post.course).user)
    commenter = Comment.objects.get().author
    for url in (post.course.get_absolute_url(), post.get_absolute_url()):
        primed(reader, url)
    form = ProfileForm({"display_name": "Writer Renamed"}, instance=student)
    assert form.is_valid(), form.errors
    save_profile(user=form.instance, **form.cleaned_data)
    assert "Writer Renamed" in page(reader, post.get_absolute_url())
    assert "Writer Renamed" in page(reader, post.course.get_absolute_url())
    page(reader, post.get_absolute_url(), "hit")
    form = ProfileForm({"display_name": "Commenter Renamed"}, instance=commenter)
    assert form.is_valid(), form.errors
    save_profile(user=form.instance, **form.cleaned_data)
    assert "Commenter Renamed" in page(reader, post.get_absolute_url())


def test_a_topic_renamed_in_the_admin(reader, post, staff):
    topic = factories.TopicFactory(course=post.course, name="Week One", slug="week-one")
    post.topics.add(topic)
    blog_services.versions.changed(post=post)
    assert "Week One" in primed(reader, post.get_absolute_url())
    admin = member_client(staff)
    url = reverse("admin:blog_topic_change", args=[topic.pk])
    data = {"name": "Week Uno", "slug": "week-one", "course": post.course.pk}
    assert admin.post(url, data).status_code == 302
    assert "Week Uno" in page(reader, post.get_absolute_url())


def test_saving_a_loaded_post_keeps_a_newer_version(post):
    stale = Post.objects.get(pk=post.pk)
    blog_services.versions.changed(post=post)  # a comment, meanwhile
    stale.title = "Edited from an old copy"
    stale.save()
    assert Post.objects.get(pk=post.pk).page_version == 2


def test_a_reference_added_and_removed(reader, post):
    from references.services import delete_reference, save_reference

    values = {"key": "cohen1985", "kind": "book", "title": "Rethinking the Soviet experience"}
    values |= {"authors": [{"family": "Cohen", "given": "S."}], "issued": "1985"}
    post.body = "As argued [@cohen1985]."
    post.save()
    assert "Cohen" not in primed(reader, post.get_absolute_url())
    reference = save_reference(post=post, values=values)
    assert "Cohen" in page(reader, post.get_absolute_url())  # the citation in the body
    delete_reference(reference=reference)
    assert "Cohen" not in page(reader, post.get_absolute_url())


def test_a_cached_page_carries_this_response_s_csp_nonce(reader, post):
    """Any nonce in a cached page is this response's, the one its CSP header allows."""
    primed(reader, post.get_absolute_url())
    first, second = (Client().get(post.get_absolute_url()) for _ in range(2))
    for response in (first, second):
        assert response["X-Page-Cache"] == "hit"
        header = response.get("Content-Security-Policy", "")
        for nonce in re.findall(r'nonce="([^"]+)"', response.content.decode()):
            assert f"'nonce-{nonce}'" in header


def test_an_award_granted_and_revoked_reorders_home(reader, post, instructor):
    factories.PostFactory(course=post.course, title="Newer thoughts")
    award = factories.AwardFactory(course=post.course, name="Clearest Argument")
    html = primed(reader, "/")
    assert html.index("Newer thoughts") < html.index("On the thaw")
    grant = grant_award(award=award, post=post, granted_by=instructor)
    html = page(reader, "/")
    assert html.index("On the thaw") < html.index("Newer thoughts")
    assert "Clearest Argument" in html
    page(reader, "/", "hit")
    revoke_award(grant=grant)
    html = page(reader, "/")
    assert html.index("Newer thoughts") < html.index("On the thaw")
    assert "Clearest Argument" not in html


# --- Each process's recent pages, in front of the shared cache ---


def test_a_recent_page_is_served_without_asking_the_shared_cache(reader, post, monkeypatch):
    from pagecache import store

    page(reader, post.get_absolute_url(), "miss")
    asked = []
    monkeypatch.setattr(store.cache, "get", lambda key: asked.append(key))
    html = page(reader, post.get_absolute_url(), "hit")
    assert post.title in html and asked == []
    post.title = "Retitled after the copy was kept"
    blog_services.save_post(post=post, action="update", title=post.title, body=post.body)
    assert "Retitled after the copy was kept" in page(Client(), post.get_absolute_url(), "miss")


def test_recent_pages_are_bounded_and_expire(settings, monkeypatch):
    from pagecache import store

    settings.PAGE_CACHE_LOCAL_BYTES = 120  # each page below takes 49 (the type too)
    settings.PAGE_CACHE_SECONDS = 60
    now = [1000.0]
    monkeypatch.setattr(store.time, "monotonic", lambda: now[0])
    recent = store.RecentPages()
    recent.put("a", ("text/html", [b"x" * 40]))
    recent.put("b", ("text/html", [b"y" * 40]))
    recent.put("big", ("text/html", [b"z" * 52]))  # over half the budget: not kept
    assert recent.get("a") is not None and recent.get("big") is None
    recent.put("c", ("text/html", [b"w" * 40]))  # over budget: b, least recently used, goes
    assert recent.get("b") is None and recent.get("a") and recent.get("c")
    assert recent.size == 98
    now[0] += 61  # older than the shared cache would keep it
    assert recent.get("a") is None and recent.size == 49


def test_a_stored_skeleton_is_counted_by_its_bytes_and_its_other_parts():
    """What RecentPages counts of a stored page: the bytes of its text; 64 for each
    number, flag or None among its parts and hole specs; what an object says it holds."""
    from pagecache import store

    class Measured:
        def stored_bytes(self):
            return 1000

    skeleton = (("text/html", ()), [b"abc", 0, "de", None], [("kind", 7, True, b"xy"), None])
    assert store._bytes_in(skeleton) == 9 + 3 + 64 + 2 + 64 + 4 + 64 + 64 + 2 + 64
    assert store._bytes_in([Measured(), 3.5]) == 1000 + 64


# --- A course page's comments (issue 26): the same changes show on the page's page ---


@pytest.fixture
def discussed(course, instructor):
    return factories.PageFactory(
        course=course, author=instructor, title="Syllabus", allows_comments=True
    )


def test_a_page_comment_posted_edited_and_removed(reader, discussed, student):
    url = discussed.get_absolute_url()
    primed(reader, url)
    member_client(student).post(
        reverse("comments:page_comment", args=[discussed.course.slug, discussed.slug]),
        {"body": "A brand new remark."},
    )
    assert "A brand new remark." in page(reader, url)
    page(reader, url, "hit")
    comment = Comment.objects.get()
    comment_services.edit_comment(comment=comment, body="Second thoughts.")
    assert "Second thoughts." in page(reader, url)
    page(reader, url, "hit")
    comment_services.withdraw_comment(comment=comment)
    assert "Second thoughts." not in page(reader, url)


@pytest.mark.parametrize("action", ["approve", "spam", "remove"])
def test_a_page_comment_moderated(reader, discussed, instructor, action):
    approved = Comment.objects.create(page=discussed, guest_name="G", body="Seen.")
    held = Comment.objects.create(
        page=discussed, guest_name="H", body="Held back.", status="pending"
    )
    assert "Held back." not in primed(reader, discussed.get_absolute_url())
    target = held if action == "approve" else approved
    member_client(instructor).post(
        reverse("comments:comment_moderate", args=[target.pk]), {"action": action}
    )
    html = page(reader, discussed.get_absolute_url())
    if action == "approve":
        assert "Held back." in html
    else:
        assert "Seen." not in html


def test_a_page_comment_liked(reader, discussed, student):
    comment = Comment.objects.create(page=discussed, author=student, body="Likeable.")
    assert "Liked by 1 person" not in primed(reader, discussed.get_absolute_url())
    liker = factories.MembershipFactory(course=discussed.course).user
    member_client(liker).post(reverse("comments:comment_like", args=[comment.pk]), {"liked": "1"})
    assert "Liked by 1 person" in page(reader, discussed.get_absolute_url())


def test_a_page_commenter_renamed(reader, discussed):
    commenter = factories.MembershipFactory(course=discussed.course).user
    Comment.objects.create(page=discussed, author=commenter, body="Named.")
    primed(reader, discussed.get_absolute_url())
    form = ProfileForm({"display_name": "Commenter Renamed"}, instance=commenter)
    assert form.is_valid(), form.errors
    save_profile(user=form.instance, **form.cleaned_data)
    assert "Commenter Renamed" in page(reader, discussed.get_absolute_url())


def test_a_page_comment_deleted_in_the_admin(reader, discussed, staff):
    comment = Comment.objects.create(page=discussed, guest_name="G", body="Gone soon.")
    assert "Gone soon." in primed(reader, discussed.get_absolute_url())
    member_client(staff).post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert "Gone soon." not in page(reader, discussed.get_absolute_url())
