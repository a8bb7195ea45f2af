"""Feeds: RSS 2.0 and Atom for the site, public courses, topics and authors."""

import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own response
    return channel, channel.findall("item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    return feed, feed.findall(f"{ATOM}entry")


def titles(elements, tag="title"):
    return [element.findtext(tag) for element in elements]


@pytest.fixture
def mixed_posts(course, student, private_course):
    """A published and a draft post in a public course, and a members-only post."""
    topic = factories.TopicFactory(course=course, name="Samizdat")
    public = factories.PostFactory(
        course=course, author=student, title="Open letter", body="Read *this*."
    )
    public.topics.add(topic)
    draft = factories.PostFactory(course=course, author=student, title="Half done", status="draft")
    draft.topics.add(topic)
    secret = factories.PostFactory(course=private_course, author=student, title="Seminar notes")
    return public, draft, secret, topic


def stored_rendition(width=1200, size=2345):
    name = default_storage.save(f"renditions/posts/feed-{width}.webp", ContentFile(b"x" * size))
    return {"width": width, "height": width // 2, "name": name, "bytes": size}


def test_site_rss_feed_carries_public_published_posts_only(client, mixed_posts):
    public, *_ = mixed_posts
    channel, items = rss_items(client.get(reverse("blog:site_feed_rss")))
    assert titles(items) == ["Open letter"]
    item = items[0]
    assert item.findtext("link") == f"http://testserver{public.get_absolute_url()}"
    assert "<em>this</em>" in item.findtext("description")  # the full sanitised HTML
    assert item.findtext("category") == "Samizdat"
    assert channel.findtext("link") == "http://testserver/"


def test_site_atom_feed_carries_full_content_and_summary(client, mixed_posts):
    feed, entries = atom_entries(client.get(reverse("blog:site_feed_atom")))
    assert titles(entries, f"{ATOM}title") == ["Open letter"]
    entry = entries[0]
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert "<em>this</em>" in entry.findtext(f"{ATOM}content")
    assert entry.findtext(f"{ATOM}summary") == "Read this."
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed/atom/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_course_topic_and_author_feeds_never_carry_drafts(client, mixed_posts, student, kind):
    public, draft, secret, topic = mixed_posts
    course = public.course
    for name, args in [
        ("course_feed", [course.slug]),
        ("topic_feed", [course.slug, topic.slug]),
        ("author_feed", [course.slug, student.username]),
    ]:
        response = client.get(reverse(f"blog:{name}_{kind}", args=args))
        _, items = rss_items(response) if kind == "rss" else atom_entries(response)
        assert titles(items, "title" if kind == "rss" else f"{ATOM}title") == ["Open letter"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_members_only_course_has_no_feed_even_for_members(client, mixed_posts, student, kind):
    _, _, secret, _ = mixed_posts
    client.force_login(student)  # a member of the private course (the factory made them one)
    assert secret.course.can_read(student)
    for name, args in [
        ("course_feed", [secret.course.slug]),
        ("author_feed", [secret.course.slug, student.username]),
    ]:
        assert client.get(reverse(f"blog:{name}_{kind}", args=args)).status_code == 404


def test_feeds_404_for_unknown_course_topic_and_author(client, course):
    assert client.get(reverse("blog:course_feed_rss", args=["nope"])).status_code == 404
    assert client.get(reverse("blog:topic_feed_rss", args=[course.slug, "nope"])).status_code == 404
    assert (
        client.get(reverse("blog:author_feed_atom", args=[course.slug, "nobody"])).status_code
        == 404
    )


def test_featured_image_is_an_enclosure_with_length_and_type(client, course, student):
    small, large = stored_rendition(400, 1000), stored_rendition(1200, 2345)
    factories.PostFactory(course=course, author=student, image_renditions=[small, large])
    _, items = rss_items(client.get(reverse("blog:course_feed_rss", args=[course.slug])))
    enclosure = items[0].find("enclosure")
    assert enclosure.get("url") == f"http://testserver{default_storage.url(large['name'])}"
    assert enclosure.get("length") == "2345"
    assert enclosure.get("type") == "image/webp"

    _, entries = atom_entries(client.get(reverse("blog:course_feed_atom", args=[course.slug])))
    link = entries[0].find(f"{ATOM}link[@rel='enclosure']")
    assert link.get("type") == "image/webp" and link.get("length") == "2345"


def test_posts_without_an_image_have_no_enclosure(client, post):
    _, items = rss_items(client.get(reverse("blog:site_feed_rss")))
    assert items[0].find("enclosure") is None


def test_relative_links_in_posts_become_absolute(client, course, student):
    factories.PostFactory(
        course=course,
        author=student,
        body="![A map](/media/body/map.webp) and [a page](/c/x/) and [out](https://example.org/)",
    )
    _, items = rss_items(client.get(reverse("blog:site_feed_rss")))
    html = items[0].findtext("description")
    assert 'src="http://testserver/media/body/map.webp"' in html
    assert 'href="http://testserver/c/x/"' in html
    assert 'href="https://example.org/"' in html


def test_feed_html_stays_sanitised(client, course, student):
    factories.PostFactory(
        course=course, author=student, body="<script>alert(1)</script><a href='javascript:x'>y</a>"
    )
    _, items = rss_items(client.get(reverse("blog:site_feed_rss")))
    html = items[0].findtext("description")
    assert "<script" not in html and "javascript:" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_feed_query_count_is_constant(
    client, course, student, count, django_assert_max_num_queries
):
    topic = factories.TopicFactory(course=course)
    for _ in range(count):
        factories.PostFactory(course=course, author=student).topics.add(topic)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("blog:course_feed_atom", args=[course.slug])).status_code == 200


def test_pages_link_their_feeds(client, mixed_posts, student):
    public, _, secret, topic = mixed_posts
    course = public.course
    pages = {
        reverse("home"): reverse("blog:site_feed_rss"),
        course.get_absolute_url(): reverse("blog:course_feed_rss", args=[course.slug]),
        topic.get_absolute_url(): reverse("blog:topic_feed_rss", args=[course.slug, topic.slug]),
        reverse("blog:author_posts", args=[course.slug, student.username]): reverse(
            "blog:author_feed_rss", args=[course.slug, student.username]
        ),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert 'type="application/rss+xml" title="' in html, page
        assert f'href="{feed}"' in html, page
        assert 'type="application/atom+xml"' in html, page
        assert f'href="{feed.replace("/rss/", "/atom/")}"' in html, page


def test_members_only_course_page_links_no_feed(client, private_course, student):
    factories.MembershipFactory(course=private_course, user=student)
    client.force_login(student)
    html = client.get(private_course.get_absolute_url()).content.decode()
    assert "application/rss+xml" not in html and "/feed/" not in html
