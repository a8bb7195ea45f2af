"""axe-core on the main pages, signed out and signed in: no serious or critical
violation of WCAG 2.2 AA rules."""

import pytest

from tests import factories
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    course = factories.CourseFactory(title="HIST 247", slug="hist-247")
    instructor = factories.MembershipFactory(
        course=course, role="instructor", user=factories.UserFactory(username="prof")
    ).user
    student = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="stu")
    ).user
    post = factories.PostFactory(
        course=course,
        author=student,
        title="A post with a deep thread",
        body="Opening.[^1]\n\n> A quote.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: A source.",
    )
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
    schedule = factories.PageFactory(course=course, title="Schedule", order=2)  # the menu
    factories.PageFactory(course=course, title="Week 1", parent=schedule)
    factories.PageFactory(course=course, title="Syllabus", order=1, body="| a | b |\n|---|---|")
    return {"course": course, "post": post, "award": award, "student": student, "prof": instructor}


PAGES_FOR_EVERYONE = ["home", "course", "post", "award", "awards", "login", "course_page"]
PAGES_FOR_STUDENT = ["home", "course", "post", "editor", "award", "my_posts", "profile"]
PAGES_FOR_INSTRUCTOR = [
    "course", "post", "moderation", "manage_awards", "grant", "pages", "page_editor",
]  # fmt: skip


def url_for(name, site):
    from django.urls import reverse

    course, post, award = site["course"], site["post"], site["award"]
    return {
        "home": reverse("home"),
        "course": course.get_absolute_url(),
        "post": post.get_absolute_url(),
        "award": reverse("awards:award_detail", args=[course.slug, award.slug]),
        "awards": reverse("awards:award_list", args=[course.slug]),
        "login": reverse("account_login"),
        "editor": reverse("blog:post_create", args=[course.slug]),
        "my_posts": reverse("blog:my_posts"),
        "profile": site["student"].get_absolute_url(),
        "moderation": reverse("comments:moderation_queue", args=[course.slug]),
        "manage_awards": reverse("awards:award_manage", args=[course.slug]),
        "grant": reverse("awards:grant_create", args=[course.slug, post.slug]),
        "course_page": reverse("coursepages:page_detail", args=[course.slug, "syllabus"]),
        "pages": reverse("coursepages:page_list", args=[course.slug]),
        "page_editor": reverse("coursepages:page_edit", args=[course.slug, "schedule"]),
    }[name]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "who, pages",
    [(None, PAGES_FOR_EVERYONE), ("student", PAGES_FOR_STUDENT), ("prof", PAGES_FOR_INSTRUCTOR)],
)
def test_pages_have_no_serious_accessibility_violations(new_page, site, who, pages, scheme):
    """In both colour schemes: the browser's preference picks the scheme (theme.js)."""
    page = new_page(user=site[who] if who else None, color_scheme=scheme)
    for name in pages:
        response = page.goto(url_for(name, site))
        assert response.status == 200, name
        assert page.locator("html").get_attribute("data-bs-theme") == scheme
        assert_accessible(page, label=f"{name} ({who or 'signed out'}, {scheme})")


def test_phone_width_post_page_is_accessible(new_page, site):
    page = new_page(user=site["student"], width=390)
    page.goto(site["post"].get_absolute_url())
    assert_accessible(page, label="post page at 390 px")
