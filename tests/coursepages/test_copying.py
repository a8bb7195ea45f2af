"""A course's copy for a new term brings its pages along, as drafts, in their place in
the menu (coursepages.copying; docs/terms.md)."""

from datetime import date

import pytest

from blog import services
from coursepages.models import Page
from tests import factories

pytestmark = pytest.mark.django_db


def copy(course, by, include):
    return services.copy_course(
        course=course, title="Next term", slug="next-term", start=date(2027, 8, 30),
        old_start=date(2026, 8, 31), by=by, include=include, posts=[],
    )  # fmt: skip


def test_pages_come_along_as_drafts_with_their_parents(course, instructor):
    schedule = factories.PageFactory(course=course, title="Schedule", order=2)
    factories.PageFactory(course=course, title="Week 1", parent=schedule, body="Read *this*.")
    factories.PageFactory(course=course, title="Staff room", visibility="members")
    new = copy(course, instructor, {"pages"})
    copied = {page.title: page for page in Page.objects.for_course(new)}
    assert set(copied) == {"Schedule", "Week 1", "Staff room"}
    assert all(page.status == "draft" and page.author == instructor for page in copied.values())
    assert copied["Week 1"].parent == copied["Schedule"]
    assert copied["Week 1"].body_html == "<p>Read <em>this</em>.</p>"
    assert copied["Staff room"].visibility == "members" and copied["Schedule"].order == 2
    assert Page.objects.for_course(course).count() == 3  # the old course keeps its own


def test_pages_stay_behind_when_left_unticked(course, instructor):
    factories.PageFactory(course=course, title="Syllabus")
    assert not Page.objects.for_course(copy(course, instructor, set())).exists()


def test_the_copy_form_offers_the_pages(client, course, instructor):
    factories.PageFactory(course=course, title="Syllabus")
    client.force_login(instructor)
    html = client.get(f"/c/{course.slug}/manage/term/copy/").content.decode()
    assert "Pages (as drafts to review, in their place in the menu)" in html


def test_a_pages_comments_switch_comes_along_and_its_comments_stay(course, instructor):
    from comments.models import Comment

    syllabus = factories.PageFactory(course=course, title="Syllabus", allows_comments=True)
    factories.PageFactory(course=course, title="Schedule")
    Comment.objects.create(page=syllabus, author=instructor, body="Last term's question.")
    new = copy(course, instructor, {"pages"})
    copied = {page.title: page for page in Page.objects.for_course(new)}
    assert copied["Syllabus"].allows_comments and not copied["Schedule"].allows_comments
    assert not Comment.objects.filter(page__course=new).exists()
