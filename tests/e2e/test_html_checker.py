"""The W3C Nu HTML Checker (vnu.jar from npm's vnu-jar, pinned in tests/e2e/vnu/) over the
key pages, signed out and signed in, of a small site and of the demo (real posts, with
images): no errors allowed. Pages come from Django's test client (no browser needed); the
checker runs once per test, in one JVM, over all of them (it is slow to start). Marked e2e
so it runs with the browser journeys (`make e2e`, .ci/run, which install the jar with
`npm ci` in tests/e2e/vnu/)."""

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

VNU = Path(__file__).parent / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CANARY = "canary.html"


def add_institutions():
    """Two institutions' buttons on the sign-in pages (no IdP is asked to draw them)."""
    from allauth.socialaccount.models import SocialApp
    from django.contrib.sites.models import Site

    for provider, slug, name in (
        ("openid_connect", "example-u", "Example University"),
        ("saml", "state-u", "State University"),
    ):
        app = SocialApp.objects.create(
            provider=provider,
            provider_id=slug,
            client_id=slug,
            name=name,
            settings={"server_url": "https://login.example.edu"},
        )
        app.sites.add(Site.objects.get_current())


@pytest.fixture
def site():
    add_institutions()
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
    files = fetch(client, site, pages(site), tmp_path)
    check(files, tmp_path)
    assert len(files) >= 20


def demo_pages(users):
    """The demo's pages, as anya (a student) and hmarsh (the instructor) see them."""
    from assignments.models import Submission
    from blog.models import Course, Post
    from imports.models import ImportRun
    from references.models import Reference

    course = Course.objects.get(slug="hist-247")
    c = course.slug
    illustrated = Post.objects.filter(course=course, status="published").exclude(image="")
    cited = Reference.objects.filter(post__course=course).select_related("post").first().post
    submission = Submission.objects.filter(assignment__course=course).select_related(
        "assignment", "assignment__course"
    )[0]
    assignment = submission.assignment
    topic = course.topics.first()
    queued = ImportRun.objects.create(course=course, source_name="old-blog.xml")
    first = Post.objects.filter(course=course, status="published").order_by("published_at")[0]
    everyone = {
        "home": reverse("home"),
        "course": course.get_absolute_url(),
        **{f"post-{n}": post.get_absolute_url() for n, post in enumerate(illustrated[:3])},
        "cited-post": cited.get_absolute_url(),
        "topic": reverse("blog:topic_detail", args=[c, topic.slug]),
        "archive": reverse(
            "blog:course_archive", args=[c, first.published_at.year, first.published_at.month]
        ),
        "author": reverse("blog:author_posts", args=[c, "anya"]),
        "awards": reverse("awards:award_list", args=[c]),
        "hall-of-fame": reverse(
            "awards:award_detail", args=[c, course.awards.order_by("pk")[0].slug]
        ),
        "bibliography": reverse("references:bibliography", args=[c]),
        "profile": reverse("accounts:profile", args=["anya"]),
        "search": reverse("blog:search") + "?q=kitchen",
        "course-search": reverse("blog:course_search", args=[c]) + "?q=thaw",
        "not-found": ("/c/no-such-course/", 404),
        # A course page citing the bibliography, and one under the Schedule (issue 26).
        "syllabus": reverse("coursepages:page_detail", args=[c, "syllabus"]),
        "week-1": reverse("coursepages:page_detail", args=[c, "week-1"]),
        "page-search": reverse("blog:search") + "?q=syllabus",
    }
    return {
        None: everyone | {"sign-in": reverse("account_login")},
        "anya": everyone
        | {
            "my-posts": reverse("blog:my_posts"),
            "notifications": reverse("notifications:notification_list"),
            "email-settings": reverse("notifications:preferences"),
            "assignments": reverse("assignments:assignment_list", args=[c]),
            "assignment": assignment.get_absolute_url(),
            "edit-profile": reverse("accounts:profile_edit"),
            "forbidden": (reverse("assignments:course_gradebook", args=[c]), 403),
        },
        "hmarsh": {
            "post": cited.get_absolute_url(),
            "references": reverse("references:reference_list", args=[c, cited.slug]),
            "assignment": assignment.get_absolute_url(),
            "submission": submission.get_absolute_url(),
            "gradebook": reverse("assignments:course_gradebook", args=[c]),
            "new-assignment": reverse("assignments:assignment_create", args=[c]),
            "import": reverse("imports:import_start", args=[c]),
            "import-queued": reverse("imports:import_detail", args=[c, queued.pk]),
            "settings": reverse("blog:course_settings", args=[c]),
            "new-award": reverse("awards:award_create", args=[c]),
            "participation": reverse("blog:course_participation", args=[c]),
            "notifications": reverse("notifications:notification_list"),
            "pages": reverse("coursepages:page_list", args=[c]),
            "new-page": reverse("coursepages:page_create", args=[c]),
            "edit-page": reverse("coursepages:page_edit", args=[c, "schedule"]),
        },
    }


def test_demo_pages_have_no_html_errors(client, settings, tmp_path):
    """The demo's own pages: featured images (srcset, fetchpriority), references,
    assignments, grades, the import page, error pages."""
    from accounts.models import User

    settings.DEBUG = True  # seed_demo's guard; the pages below render with DEBUG off
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    users = {u.username: u for u in User.objects.filter(username__in=["anya", "hmarsh"])}
    files = fetch(client, users, demo_pages(users), tmp_path)
    check(files, tmp_path)
    assert len(files) >= 45


def fetch(client, people, urls_by_person, folder):
    """Save each page (as each person sees it) into folder; {file name: url}."""
    files = {}
    for who, urls in urls_by_person.items():
        client.logout()
        if who:
            client.force_login(people[who])
        for name, url in urls.items():
            url, status = url if isinstance(url, tuple) else (url, 200)
            response = client.get(url)
            assert response.status_code == status, (who, url)
            path = folder / f"{who or 'anonymous'}-{name}.html"
            path.write_bytes(response.content)
            files[path.name] = url
    return files


def check(files, folder):
    """Run the checker over the files in one JVM; fail on any error."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java not found: install a JRE (Debian's default-jre-headless).")
    if not VNU.exists():
        pytest.fail(
            f"{VNU} is missing: run `make e2e`, or `npm ci --ignore-scripts` in {VNU.parents[3]}"
        )
    # A page with a known error proves that the checker ran and reported.
    (folder / CANARY).write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<time datetime="2026-11-28T23:33:31.100826+00:00">then</time></body></html>'
    )
    command = [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, "--exit-zero-always", *(str(folder / name) for name in [CANARY, *files])],
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
