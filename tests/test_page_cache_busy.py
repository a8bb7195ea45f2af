"""A busy thread (issue 34): a like redraws no copy of the page, one process at a time
draws a copy that changed while the others serve the copy before it for a bounded
moment, and a reader always sees their own writes at once.

CI runs the page-cache modules with the local-memory cache and with Redis (REDIS_URL).
"""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services as comment_services
from comments.models import Comment
from pagecache import store
from pagecache.request import WROTE_COOKIE
from pagecache.skeleton import HEADER
from tests import factories
from tests.helpers import normalised

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get(client, url, expect=None):
    response = client.get(url)
    assert response.status_code == 200
    if expect is not None:
        assert response.get(HEADER) == expect
    return response.content.decode()


def fresh(user, url):
    with override_settings(PAGE_CACHE_SECONDS=0):
        return normalised(get(client_of(user), url))


@pytest.fixture
def thread(course, instructor, student, classmate):
    """A post with comments, some liked, read by members and by nobody in particular."""
    post = factories.PostFactory(course=course, author=instructor, title="Busy thread")
    first = factories.CommentFactory(post=post, author=student, body="First words.")
    second = factories.CommentFactory(post=post, author=classmate, body="Second words.")
    factories.CommentFactory(post=post, author=None, guest_name="Gus", body="Guest words.")
    factories.CommentLikeFactory(comment=first, user=classmate)
    return {
        "post": post,
        "url": post.get_absolute_url(),
        "first": first,
        "second": second,
        "readers": {"anonymous": None, "student": student, "classmate": classmate,
                    "instructor": instructor},
    }  # fmt: skip


def drawn_skeletons(monkeypatch):
    """Counts the signed-in readers' copies drawn from now on."""
    from pagecache import decorators

    drawn = []
    original = decorators.draw_skeleton

    def counting(request, obj, draw):
        drawn.append(request.path)
        return original(request, obj, draw)

    monkeypatch.setattr(decorators, "draw_skeleton", counting)
    return drawn


def test_a_like_redraws_no_signed_in_reader_s_copy(thread, monkeypatch, classmate, student):
    url, first = thread["url"], thread["first"]
    reader = client_of(student)
    get(reader, url, "miss")
    drawn = drawn_skeletons(monkeypatch)
    comment_services.like_comment(comment=first, user=student)
    comment_services.like_comment(comment=thread["second"], user=classmate)
    page = get(reader, url, "hit")
    assert "Liked by 2 people" in page and "Liked by 1 person" in page
    assert page.count("is-liked") == 1  # their own like, with the count in its name
    assert "Unlike, 2 people like this" in page
    comment_services.like_comment(comment=first, user=classmate, liked=False)
    assert "Liked by 2 people" not in get(reader, url, "hit")
    assert drawn == []


def test_after_likes_every_reader_gets_the_page_drawn_for_them_alone(
    thread, stopped_clock, student, classmate, instructor
):
    url, readers = thread["url"], thread["readers"]
    for drawer in readers.values():
        cache.clear()
        store.recent_pages.clear()
        get(client_of(drawer), url)
        comment_services.like_comment(comment=thread["second"], user=instructor)
        comment_services.like_comment(comment=thread["first"], user=student)
        for name, reader in readers.items():
            get(client_of(reader), url)  # the first hit after a like reads the counts
            assert normalised(get(client_of(reader), url)) == fresh(reader, url), name
        comment_services.like_comment(comment=thread["second"], user=instructor, liked=False)
        comment_services.like_comment(comment=thread["first"], user=student, liked=False)


def test_a_hit_after_a_like_costs_one_query_more_then_none(thread, student, classmate):
    url = thread["url"]
    reader = client_of(classmate)
    get(reader, url, "miss")
    with CaptureQueriesContext(connection) as before:
        get(reader, url, "hit")
    assert len(before) <= 3  # session (unless cached), user, post
    comment_services.like_comment(comment=thread["second"], user=student)
    with CaptureQueriesContext(connection) as after_like:
        get(reader, url, "hit")
    assert len(after_like) == len(before) + 1  # the post's like counts
    with CaptureQueriesContext(connection) as then:
        get(reader, url, "hit")
    assert len(then) == len(before)


def test_the_liker_sees_their_like_at_once(thread, classmate):
    url, second = thread["url"], thread["second"]
    liker = client_of(classmate)
    get(liker, url, "miss")
    response = liker.post(reverse("comments:comment_like", args=[second.pk]), {"liked": "1"})
    assert response.status_code == 302
    assert WROTE_COOKIE in response.cookies  # no stale copy for them for a moment
    page = get(liker, url, "hit")
    assert page.count("is-liked") == 2  # the first comment, and the one just liked
    assert "Unlike, 1 person likes this" in page


# --- One drawer at a time, the copy before it meanwhile ---


def someone_else_is_drawing(monkeypatch):
    """Every lock is taken: another process is drawing every page."""
    monkeypatch.setattr(store, "_lock", lambda lock, bound: False)


@pytest.mark.parametrize("who", ["anonymous", "classmate"])
def test_while_another_draws_the_copy_before_is_served(thread, monkeypatch, settings, who):
    settings.PAGE_CACHE_STALE_SECONDS = 5
    url = thread["url"]
    reader = client_of(thread["readers"][who])
    get(reader, url, "miss")
    comment_services.edit_comment(comment=thread["second"], body="Second thoughts.")
    someone_else_is_drawing(monkeypatch)
    page = get(reader, url, "stale")
    assert "Second words." in page and "Second thoughts." not in page


def test_a_stale_copy_is_served_only_within_the_bound(thread, monkeypatch, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 0.2
    url, reader = thread["url"], Client()
    get(reader, url, "miss")
    comment_services.edit_comment(comment=thread["second"], body="Second thoughts.")
    real_time = time.time
    monkeypatch.setattr(store.time, "time", lambda: real_time() + 0.3)  # older than the bound
    someone_else_is_drawing(monkeypatch)
    started = time.monotonic()
    page = get(reader, url, "miss")  # waited the bound for the drawer, then drew it
    assert time.monotonic() - started >= 0.2
    assert "Second thoughts." in page


def test_a_reader_who_just_wrote_never_gets_the_copy_before(thread, monkeypatch, settings):
    settings.PAGE_CACHE_STALE_SECONDS = 0.1
    url, post = thread["url"], thread["post"]
    commenter = client_of(thread["readers"]["classmate"])
    get(commenter, url, "miss")
    someone_else_is_drawing(monkeypatch)
    response = commenter.post(
        reverse("comments:comment_create", args=[post.course.slug, post.slug]),
        {"body": "My fresh reply."},
    )
    assert response.status_code == 302 and WROTE_COOKIE in response.cookies
    assert "My fresh reply." in get(commenter, url, "miss")
    assert Comment.objects.filter(body="My fresh reply.").exists()


def test_the_store_counts_old_like_counts_with_their_memo(thread, student, classmate, settings):
    """Each like leaves the post's previous LikeCounts in every process's recent pages,
    never asked for again; each counts what its memo may grow to, so the byte budget
    pushes the old ones out. Counted as 64 bytes, they once held 300 KB each (P500's
    memo) until they expired: a worker grew by 20 MiB a minute under a class."""
    from comments.threads import LikeCounts

    settings.PAGE_CACHE_LOCAL_BYTES = 256 * 1024
    url = thread["url"]
    reader = client_of(student)
    get(reader, url)
    for n in range(12):
        comment_services.like_comment(comment=thread["first"], user=student, liked=n % 2 == 0)
        assert "Liked by" in get(reader, url, "hit")
    kept = [
        value for value, *_ in store.recent_pages.entries.values() if isinstance(value, LikeCounts)
    ]
    assert 1 <= len(kept) <= 3
    for counts in kept:
        assert counts.memo and counts.memo_bytes <= counts.memo_limit < counts.stored_bytes()
    assert store.recent_pages.size <= settings.PAGE_CACHE_LOCAL_BYTES


def test_a_like_counts_memo_keeps_lines_within_its_limit():
    from comments.threads import ENTRY_BYTES, LikeCounts

    counts = LikeCounts({}, {})
    line = b"x" * (counts.memo_limit // 2)
    counts.keep(("comment_liked_by", 1, True, True), line)
    counts.keep(("comment_liked_by", 2, True, True), line)  # past the limit: not kept
    assert list(counts.memo) == [("comment_liked_by", 1, True, True)]
    assert counts.memo_bytes == len(line) + ENTRY_BYTES


def test_a_copy_drawn_at_an_address_drops_the_one_drawn_there_before():
    """Its versions moved on, so nobody asks for it again; kept, it stayed until it
    expired (with the local-memory cache, a 330 KB P500 a like in every worker)."""
    store.cache_set("page2:test:1", b"version 1")
    store.remember_drawn("page2:test:1", "page2:test")
    store.cache_set("page2:test:2", b"version 2")
    store.remember_drawn("page2:test:2", "page2:test")
    assert "page2:test:1" not in store.recent_pages.entries
    assert cache.get("page2:test:1") is None and store.cache_get("page2:test:2") == b"version 2"
    store.cache_set("page2:other:1", b"another page")
    store.remember_drawn("page2:other:1", "page2:other")
    assert store.cache_get("page2:test:2") == b"version 2"  # another address: kept


def test_two_concurrent_misses_draw_once(settings):
    """Two requests miss the same copy at once: one draws it, the other waits for it."""
    settings.PAGE_CACHE_STALE_SECONDS = 2
    key, address, draws, served = "page2:test:1", "page2:test", [], []

    def request():
        claimed = store.claim(key, address, stale_ok=True)
        if claimed.stored is not None:
            served.append(claimed.stored)
            return
        try:
            draws.append(1)
            time.sleep(0.2)  # drawing
            store.cache_set(key, b"the page")
            store.remember_drawn(key, address)
        finally:
            store.release(claimed.lock)

    workers = [threading.Thread(target=request) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert draws == [1] and served == [b"the page"]


def test_a_second_miss_gets_the_copy_before_while_the_first_draws(settings):
    settings.PAGE_CACHE_STALE_SECONDS = 2
    store.cache_set("page2:test:1", b"version 1")
    store.remember_drawn("page2:test:1", "page2:test")
    first = store.claim("page2:test:2", "page2:test", stale_ok=True)
    assert first.lock and first.stored is None  # it draws version 2
    second = store.claim("page2:test:2", "page2:test", stale_ok=True)
    assert (second.stored, second.stale) == (b"version 1", True)
    store.cache_set("page2:test:2", b"version 2")
    store.remember_drawn("page2:test:2", "page2:test")
    store.release(first.lock)
    assert store.cache_get("page2:test:2") == b"version 2"


# --- Home's kept parts: "New on your posts" drawn once per reader and versions ---


def test_home_s_activity_panel_is_kept_and_shows_each_new_comment(post, student, classmate):
    reader = client_of(student)
    get(reader, "/", "miss")
    get(reader, "/", "hit")  # the panel drawn for this reader and kept
    with CaptureQueriesContext(connection) as queries:
        assert "No new comments on your posts yet" in get(reader, "/", "hit")
    assert not any("comments_comment" in query["sql"] for query in queries)
    comment_services.post_comment(post=post, user=classmate, body="A reply to your post.")
    assert "A reply to your post." in get(reader, "/")


def test_home_s_activity_panel_shows_comments_on_own_posts_in_a_course_left(
    private_course, student, monkeypatch
):
    from blog import services as blog_services
    from blog.models import Membership

    membership = factories.MembershipFactory(course=private_course, user=student)
    own = factories.PostFactory(course=private_course, author=student, title="Seminar notes")
    blog_services.remove_member(membership=membership)
    assert not Membership.objects.filter(course=private_course, user=student).exists()
    reader = client_of(student)
    get(reader, "/", "miss")
    assert "Words on the seminar notes." not in get(reader, "/", "hit")
    teacher = factories.MembershipFactory(course=private_course, role="instructor").user
    comment_services.post_comment(post=own, user=teacher, body="Words on the seminar notes.")
    # Home itself is kept (the course isn't listed); the panel is drawn again.
    assert "Words on the seminar notes." in get(reader, "/", "hit")
