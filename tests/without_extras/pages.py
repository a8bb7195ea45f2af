"""Every blog page, rendered on a site without awards and notifications.

Not collected by the main run (its name doesn't start with test_): the main suite's
tests/blog/test_optional_apps.py runs it in a fresh process with settings.py here,
because INSTALLED_APPS can't change inside a running Django.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from blog.extensions import post_rankings
from blog.models import Course, Membership, Post, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    course = Course.objects.create(title="History 101", slug="history-101")
    prof = User.objects.create_user("prof", "prof@example.org", "pw")
    stu = User.objects.create_user("stu", "stu@example.org", "pw")
    Membership.objects.create(course=course, user=prof, role="instructor")
    Membership.objects.create(course=course, user=stu, role="student")
    topic = Topic.objects.create(course=course, name="Week 4")
    post = Post.objects.create(
        course=course,
        author=stu,
        title="The Thaw in Poetry",
        body="Some *words*.",
        status="published",
        published_at=timezone.now(),
    )
    post.topics.add(topic)
    return {"course": course, "prof": prof, "stu": stu, "topic": topic, "post": post}


def test_the_optional_apps_are_really_absent():
    assert not apps.is_installed("awards")
    assert not apps.is_installed("notifications")
    assert apps.is_installed("blog") and apps.is_installed("comments")
    assert post_rankings() == {}  # nothing ranks home's posts: newest first


def test_home_lists_recent_posts_newest_first_with_no_ranking(client, site):
    older = Post.objects.create(
        course=site["course"],
        author=site["stu"],
        title="An older post",
        body="Words.",
        status="published",
        published_at=site["post"].published_at - timedelta(days=1),
    )
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["public_posts"] == [site["post"], older]


def pages(site):
    """(name, url, text it shows, who reads it: None for a visitor, or a username)."""
    course, post = site["course"], site["post"]
    c, p = course.slug, post.slug
    now = timezone.now()
    month = reverse("blog:course_archive", args=[c, now.year, now.month])
    return [
        ("home", reverse("home"), post.title, None),
        ("course", reverse("blog:course_detail", args=[c]), post.title, None),
        ("topic", reverse("blog:topic_detail", args=[c, site["topic"].slug]), post.title, None),
        ("author", reverse("blog:author_posts", args=[c, "stu"]), post.title, None),
        ("archive", month, post.title, None),
        ("post", post.get_absolute_url(), "Some <em>words</em>", None),
        ("search", reverse("blog:search") + "?q=thaw", "Search", None),
        ("course search", reverse("blog:course_search", args=[c]) + "?q=thaw", "Search", None),
        ("feed", reverse("blog:course_feed_rss", args=[c]), post.title, None),
        ("sitemap", reverse("blog:sitemap"), post.get_absolute_url(), None),
        ("profile", site["stu"].get_absolute_url(), post.title, None),
        ("home, member", reverse("home"), post.title, "stu"),
        ("post, member", post.get_absolute_url(), "Some <em>words</em>", "stu"),
        ("edit", reverse("blog:post_edit", args=[c, p]), post.title, "stu"),
        ("write", reverse("blog:post_create", args=[c]), "Write a post", "stu"),
        ("delete", reverse("blog:post_delete", args=[c, p]), post.title, "stu"),
        ("my posts", reverse("blog:my_posts"), post.title, "stu"),
        ("join", reverse("blog:course_join"), "Join", "stu"),
        ("course, instructor", reverse("blog:course_detail", args=[c]), "Instructor tools", "prof"),
        ("post, instructor", post.get_absolute_url(), "Some <em>words</em>", "prof"),
        ("settings", reverse("blog:course_settings", args=[c]), "Roster", "prof"),
        ("roster", reverse("blog:course_roster", args=[c]), "stu", "prof"),
        ("participation", reverse("blog:course_participation", args=[c]), "stu", "prof"),
    ]


def test_every_blog_page_renders(client, site):
    rendered = []
    for name, url, expected, reader in pages(site):
        client.logout()
        if reader:
            client.force_login(site[reader])
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        content = response.content.decode()
        assert expected in content, (name, url)
        assert "/awards/" not in content and "/notifications/" not in content, (name, url)
        rendered.append(name)
    assert len(rendered) == len(pages(site))
