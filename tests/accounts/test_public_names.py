"""Public names (docs/privacy.md): members of a course see each other's names; everyone
else sees a student's public name (accounts.names.shown_name), on every surface, the
page caches included."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from accounts.names import OPTED_OUT, shown_name
from notifications.emails import guest_message
from references.models import Reference
from tests import factories

pytestmark = pytest.mark.django_db

LEGAL = ("Farid", "Haddad", "farid_h")
AVATAR = "avatars/2026/12/farid-face.webp"


@pytest.fixture
def world():
    course = factories.CourseFactory(slug="thaw", title="The Thaw")
    farid = factories.UserFactory(
        username="farid_h",
        first_name="Farid",
        last_name="Haddad",
        email="fh@example.edu",
        name_in_public="pseudonym",
        pseudonym="Quill",
        avatar=AVATAR,
    )
    factories.MembershipFactory(course=course, user=farid)
    classmate = factories.MembershipFactory(course=course).user
    instructor = factories.MembershipFactory(course=course, role="instructor").user
    topic = factories.TopicFactory(course=course, name="Censorship")
    award = factories.AwardFactory(course=course, name="Best essay")
    post = factories.PostFactory(course=course, author=farid, title="On samizdat", body="Words.")
    post.topics.add(topic)
    factories.AwardGrantFactory(award=award, post=post, granted_by=instructor)
    Reference.objects.create(post=post, key="k", title="A cited work")
    other = factories.PostFactory(course=course, author=classmate, title="On the thaw")
    factories.CommentFactory(post=other, author=farid, body="A reply from a pseudonymous student.")
    factories.CommentFactory(post=post, author=classmate, body="Nice.")
    return {
        "course": course,
        "farid": farid,
        "classmate": classmate,
        "instructor": instructor,
        "post": post,
        "other": other,
        "outsider": factories.UserFactory(),
    }


def leaks(text):
    return [word for word in (*LEGAL, AVATAR) if word in text]


def test_a_pseudonymous_student_appears_under_their_pseudonym_outside_the_course(world):
    post = world["post"]
    anonymous, outsider = Client(), Client()
    outsider.force_login(world["outsider"])
    for reader in (anonymous, outsider):
        for _ in range(2):  # drawn, then from the page cache
            html = reader.get(post.get_absolute_url()).content.decode()
            assert "Quill" in html
            assert leaks(html) == []


@pytest.mark.parametrize("who", ["classmate", "instructor"])
def test_members_and_instructors_see_the_students_name(world, who):
    client = Client()
    client.force_login(world[who])
    for _ in range(2):
        html = client.get(world["post"].get_absolute_url()).content.decode()
        assert "Farid Haddad" in html
        assert reverse("blog:author_posts", args=["thaw", "farid_h"]) in html


def test_staff_see_the_students_name(world, staff):
    assert shown_name(world["farid"], world["course"], staff).text == "Farid Haddad"


@pytest.mark.parametrize(
    ("choice", "pseudonym", "shown"),
    [
        ("name", "", "Farid Haddad"),
        ("pseudonym", "Quill", "Quill"),
        ("pseudonym", "", "F. H."),
        ("initials", "Quill", "F. H."),
        ("hidden", "Quill", OPTED_OUT),
        ("", "", "Farid Haddad"),
    ],
)
def test_the_public_name_is_the_one_the_student_chose(world, choice, pseudonym, shown):
    farid = world["farid"]
    farid.name_in_public, farid.pseudonym = choice, pseudonym
    name = shown_name(farid, world["course"], AnonymousUser())
    assert name.text == shown
    assert name.is_public == (shown != "Farid Haddad")


def test_a_course_can_make_pseudonyms_the_default(world):
    farid, course = world["farid"], world["course"]
    farid.name_in_public = ""
    assert shown_name(farid, course, AnonymousUser()).text == "Farid Haddad"
    course.public_names = "pseudonyms"
    assert shown_name(farid, course, AnonymousUser()).text == "Quill"
    farid.name_in_public = "name"  # the student's own choice wins
    assert shown_name(farid, course, AnonymousUser()).text == "Farid Haddad"


def test_an_opted_out_student_is_a_student_with_no_photo(world):
    farid = world["farid"]
    farid.name_in_public = "hidden"
    farid.save()
    html = Client().get(world["post"].get_absolute_url()).content.decode()
    assert "A student" in html
    assert leaks(html) == []


def test_the_author_page_and_profile_of_a_pseudonymous_student_are_not_public(world):
    outsider = Client()
    outsider.force_login(world["outsider"])
    author_page = reverse("blog:author_posts", args=["thaw", "farid_h"])
    profile = reverse("accounts:profile", args=["farid_h"])
    feed = reverse("blog:author_feed_rss", args=["thaw", "farid_h"])
    for client in (Client(), outsider):
        assert client.get(author_page).status_code == 404
        assert client.get(profile).status_code == 404
    assert Client().get(feed).status_code == 404
    classmate = Client()
    classmate.force_login(world["classmate"])
    assert classmate.get(author_page).status_code == 200
    assert "Farid Haddad" in classmate.get(profile).content.decode()


def test_feeds_name_the_author_by_their_public_name(world):
    for name in ("blog:site_feed_rss", "blog:site_feed_atom"):
        xml = Client().get(reverse(name)).content.decode()
        assert "Quill" in xml
        assert leaks(xml) == []


def test_a_guest_following_a_thread_is_emailed_the_public_name(world):
    comment = factories.CommentFactory(post=world["post"], author=world["farid"], body="Hello.")
    subscription = factories.GuestSubscriptionFactory(post=world["post"])
    message = guest_message(subscription, comment)
    assert "Quill added to the discussion" in message.body
    assert leaks(message.body) == []


def test_changing_ones_public_name_shows_at_once_on_cached_pages(world):
    url = world["post"].get_absolute_url()
    assert "Quill" in Client().get(url).content.decode()
    farid = Client()
    farid.force_login(world["farid"])
    response = farid.post(
        reverse("accounts:profile_edit"),
        {"display_name": "", "bio": "", "website": "", "name_in_public": "pseudonym",
         "pseudonym": "Inkwell"},
    )  # fmt: skip
    assert response.status_code == 302
    html = Client().get(url).content.decode()
    assert "Inkwell" in html and "Quill" not in html


def test_a_pseudonym_may_not_be_the_students_name(world):
    farid = Client()
    farid.force_login(world["farid"])
    response = farid.post(
        reverse("accounts:profile_edit"),
        {"display_name": "", "bio": "", "website": "", "name_in_public": "pseudonym",
         "pseudonym": "farid_h"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].has_error("pseudonym", "pseudonym_is_name")
    assert 'value="farid_h"' in response.content.decode()  # what was typed stays


def test_the_courses_switch_to_pseudonyms_shows_at_once_on_cached_pages(world):
    farid, course = world["farid"], world["course"]
    farid.name_in_public = ""
    farid.save()
    url = world["post"].get_absolute_url()
    assert "Farid Haddad" in Client().get(url).content.decode()
    instructor = Client()
    instructor.force_login(world["instructor"])
    settings_url = reverse("blog:course_settings", args=[course.slug])
    data = {"title": course.title, "visibility": "public", "guest_comments": "moderated",
            "thread_depth": 5, "public_names": "pseudonyms"}  # fmt: skip
    assert instructor.post(settings_url, data).status_code == 302
    html = Client().get(url).content.decode()
    assert "Quill" in html and leaks(html) == []


# --- The crawl: everything an anonymous reader can reach ---

SKIP = re.compile(r"^/(static|media|admin|accounts/(login|signup|password|social|[a-z]+/login))")


def crawl(client, starts, limit=400):
    seen, queue, pages = set(), list(starts), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        text = response.content.decode(errors="replace")
        pages[url] = text
        for href in re.findall(r'(?:href|src)="([^"#]+)', text):
            parts = urlsplit(urljoin("http://testserver" + url, href.replace("&amp;", "&")))
            if parts.netloc != "testserver" or SKIP.match(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return pages


def test_no_public_page_holds_a_pseudonymous_students_name_or_username(world):
    starts = [
        "/",
        reverse("blog:sitemap"),
        reverse("blog:site_feed_rss"),
        reverse("blog:site_feed_atom"),
        reverse("blog:search") + "?q=samizdat",
    ]
    client = Client()
    pages = crawl(client, starts)
    assert len(pages) > 15  # home, course, posts, topic, archive, awards, bibliography...
    assert world["post"].get_absolute_url() in pages
    assert reverse("awards:award_detail", args=["thaw", "best-essay"]) in pages
    leaking = {url: leaks(text) for url, text in pages.items() if leaks(text)}
    assert leaking == {}
    # and again, every page now from the page cache where it has one
    again = crawl(client, starts)
    assert {url: leaks(text) for url, text in again.items() if leaks(text)} == {}


def demo_starts():
    """Where the demo crawl starts: home, the sitemap, the site's feeds, searches for
    farid's legal name and username, and for each course every address a course has
    without a link to it (its feeds, its search), his profile and author pages."""
    from blog.models import Course

    starts = ["/", reverse("blog:sitemap"), reverse("blog:site_feed_rss")]
    starts += [reverse("blog:site_feed_atom"), reverse("accounts:profile", args=["farid"])]
    starts += [reverse("blog:search") + f"?q={word}" for word in ("Farid", "Haddad", "farid")]
    for slug in Course.objects.values_list("slug", flat=True):
        starts += [
            reverse("blog:course_detail", args=[slug]),
            reverse("blog:course_feed_rss", args=[slug]),
            reverse("blog:course_feed_atom", args=[slug]),
            reverse("blog:course_search", args=[slug]) + "?q=Haddad",
            reverse("blog:author_posts", args=[slug, "farid"]),
            reverse("blog:author_feed_atom", args=[slug, "farid"]),
            reverse("awards:award_list", args=[slug]),
            reverse("references:bibliography", args=[slug]),
        ]
    return starts


@pytest.mark.parametrize("reader", ["anonymous", "signed-in non-member"])
def test_the_demo_shows_farid_to_the_public_only_under_his_pseudonym(settings, reader):
    """The issue's crawl: every URL of the demo a non-member can reach (anonymous, or
    signed in), and farid's legal name and username appear in none of them; his
    instructors-only post neither."""
    from io import StringIO

    from django.core.management import call_command

    from blog.demo import INSTRUCTORS_ONLY

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    client = Client()
    if reader != "anonymous":
        client.force_login(factories.UserFactory(username="visitor"))
    pages = crawl(client, demo_starts(), limit=1500)
    assert 40 < len(pages) < 1500  # the crawl ended by itself: it reached everything
    searched = {url: url.split("?q=")[1] for url in pages if "?q=" in url}
    for url, word in searched.items():  # his name finds nothing (his posts neither)
        assert "No posts match" in pages[url], url
        pages[url] = unechoed(pages[url], word)
    words = ("Farid", "Haddad", "farid", INSTRUCTORS_ONLY[0])
    assert {url: [w for w in words if w in text] for url, text in pages.items()} == {
        url: [] for url in pages
    }
    assert any("Mapmaker" in text for text in pages.values())


def unechoed(text, word):
    """A search page without the places it repeats what was searched for."""
    for echo in (f"“{word}”", f'value="{word}"', f"q={word}"):
        text = text.replace(echo, "")
    return text


@pytest.mark.parametrize("reader", ["anonymous", "outsider", "classmate"])
def test_public_names_cost_no_query_on_the_post_course_and_home_pages(world, settings, reader):
    """Whichever name is shown, the pages run the same queries (the role comes with the
    lookup: accounts_tags.shown_name never queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0  # every request drawn
    client = Client()
    if reader != "anonymous":
        client.force_login(world[reader])
    urls = [world["post"].get_absolute_url(), world["course"].get_absolute_url(), "/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    farid = world["farid"]
    farid.name_in_public = "name"
    farid.save()
    counts()  # what a process does once (compiled queries, caches) is done
    named = counts()
    farid.name_in_public = "pseudonym"
    farid.save()
    assert counts() == named


def test_someone_outside_the_course_is_notified_under_the_public_name(
    world, django_capture_on_commit_callbacks
):
    """A signed-in outsider commented on a public post; Farid's reply reaches them (the
    list and the email) under his pseudonym: they are outside the course."""
    from django.core import mail

    from notifications.services import notify_comment_posted

    outsider = factories.UserFactory(email="out@elsewhere.example")
    theirs = factories.CommentFactory(post=world["post"], author=outsider, body="A question.")
    with django_capture_on_commit_callbacks(execute=True):
        reply = factories.CommentFactory(
            post=world["post"], author=world["farid"], parent=theirs, body="An answer."
        )
        notify_comment_posted(comment=reply)
    client = Client()
    client.force_login(outsider)
    listed = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Quill replied to your comment" in listed and leaks(listed) == []
    (email,) = [m for m in mail.outbox if "out@elsewhere.example" in m.to]
    text = email.subject + email.body + email.alternatives[0][0]
    assert "Quill replied" in text and leaks(text) == []


def test_a_member_is_notified_under_the_name(world, django_capture_on_commit_callbacks):
    from notifications.models import Notification
    from notifications.services import notify_comment_posted

    theirs = factories.CommentFactory(post=world["post"], author=world["classmate"])
    reply = factories.CommentFactory(post=world["post"], author=world["farid"], parent=theirs)
    notify_comment_posted(comment=reply)
    notification = Notification.objects.get(recipient=world["classmate"])
    assert notification.actor_name == world["farid"].name
