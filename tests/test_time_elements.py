"""Every <time datetime> is ISO 8601 to the second: the HTML checker rejects microseconds."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

WHEN = datetime.datetime(2026, 11, 28, 23, 33, 31, 100826, tzinfo=datetime.UTC)
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def datetimes(html):
    return re.findall(r'<time datetime="([^"]*)"', html)


@pytest.fixture
def dated(course, student, instructor):
    post = factories.PostFactory(course=course, author=student, published_at=WHEN)
    factories.CommentFactory(post=post, author=instructor, created=WHEN)
    factories.CommentFactory(post=post, author=None, guest_name="G", status="pending", created=WHEN)
    factories.NotificationFactory(post=post, created=WHEN)
    grant = factories.AwardGrantFactory(award__course=course, post=post, granted_by=instructor)
    type(grant).objects.filter(pk=grant.pk).update(granted_at=WHEN)
    factories.PostLikeFactory(post=post, user=student)
    return post, grant


def test_every_time_element_is_iso_8601_without_microseconds(client, dated, student, instructor):
    post, grant = dated
    course = post.course
    pages = {
        student: [
            post.get_absolute_url(),
            course.get_absolute_url(),
            reverse("notifications:notification_list"),
            reverse("blog:search") + "?q=Markdown",
            reverse("accounts:profile", args=[student.username]),
        ],
        instructor: [
            reverse("comments:moderation_queue", args=[course.slug]),
            reverse("awards:award_detail", args=[course.slug, grant.award.slug]),
            reverse("blog:course_participation", args=[course.slug]) + "?period=term",
        ],
    }
    seen = 0
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            values = datetimes(response.content.decode())
            assert values, url
            for value in values:
                assert ISO.fullmatch(value), (url, value)
            seen += len(values)
    assert "2026-11-28T23:33:31+00:00" in datetimes(
        client.get(post.get_absolute_url()).content.decode()
    )
    assert seen >= 8


def test_no_template_writes_a_time_element_with_microseconds():
    """Django's "c" date format keeps microseconds: templates use |iso_datetime."""
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(templates)}: {match}"
        for path in templates.rglob("*.html")
        for match in re.findall(r'datetime="\{\{[^}]*\}\}"', path.read_text())
        if "|iso_datetime" not in match
    ]
    assert offenders == []


def test_relative_times_are_left_for_the_browser_to_correct():
    """Every "… ago" a template writes sits in <time datetime data-relative>, which
    static/js/site.js rewrites from the exact datetime: a cached page can't drift."""
    templates = Path(settings.BASE_DIR) / "templates"
    relative = re.compile(r"\|(?:timesince|timeuntil|naturaltime|naturalday)")
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        for match in relative.finditer(text):
            opening = text[: match.start()].rsplit("<time", 1)[-1].split(">", 1)[0]
            if (
                "data-relative" not in opening
                or "</time>" in text[text.rfind("<time", 0, match.start()) : match.start()]
            ):
                offenders.append(f"{path.relative_to(templates)}: {match.group()}")
    assert offenders == []
    script = (Path(settings.BASE_DIR) / "static" / "js" / "site.js").read_text()
    assert "time[data-relative][datetime]" in script


@pytest.mark.django_db
def test_a_cached_page_served_later_carries_no_relative_text_the_script_cannot_fix(client):
    """Home is kept for signed-in readers (the pagecache package); served again nine minutes
    later, its ages are only in elements the browser recomputes from their datetime."""
    import time_machine

    course = factories.CourseFactory()
    reader = factories.MembershipFactory(course=course).user
    post = factories.PostFactory(course=course, author=reader)
    then = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
    comment = factories.CommentFactory(post=post, created=then, body="A thought")
    client.force_login(reader)
    pages = []
    for minutes in (6, 15):
        with time_machine.travel(then + datetime.timedelta(minutes=minutes), tick=False):
            pages.append(client.get("/").content.decode())
    for html in pages:
        assert "A thought" in html
        ages = re.findall(r"<time ([^>]*)>([^<]*)</time>", html)
        marked = [text for attrs, text in ages if "data-relative" in attrs]
        assert marked, "the age of the comment is shown"
        assert all(
            f'datetime="{comment.created.isoformat()}"' in attrs
            for attrs, text in ages
            if "data-relative" in attrs
        )
        outside = re.sub(r"<time [^>]*data-relative[^>]*>[^<]*</time>", "", html)
        assert not re.search(r"\bago\b", re.sub(r"<[^>]+>", " ", outside))
