"""WordPress pages come in as the course's pages (coursepages), with their menu order,
their parent (one level) and their old links redirected."""

from pathlib import Path

import pytest

from blog.models import Post
from coursepages.models import Page
from imports.models import ImportRun, OldLink
from imports.report import as_text
from imports.services import import_export, undo_import

PAGES = Path(__file__).parent / "fixtures" / "course-pages-1.2.xml"

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(course):
    run = ImportRun.objects.create(course=course, status=ImportRun.Status.RUNNING)
    run.report = import_export(course=course, source=PAGES, run=run)
    run.status = ImportRun.Status.DONE
    run.save()
    return run


def test_pages_become_course_pages_with_order_status_and_safe_bodies(course, run):
    pages = {page.title: page for page in Page.objects.for_course(course)}
    assert set(pages) == {
        "Syllabus", "Schedule", "Week one: the Thames", "Readings for week one",
        "Grading (unfinished)", "Pages",
    }  # fmt: skip
    syllabus = pages["Syllabus"]
    assert (syllabus.slug, syllabus.order, syllabus.status) == ("syllabus", 1, "published")
    assert "<strong>essays</strong>" in syllabus.body_html
    assert "<script" not in syllabus.body_html and "alert" not in syllabus.body_html
    assert pages["Grading (unfinished)"].status == "draft"
    assert pages["Grading (unfinished)"].published_at is None
    assert pages["Pages"].slug == "pages"  # a page slug: only "new" and "preview" are taken
    assert not Post.objects.filter(course=course, title__in=list(pages))
    assert Post.objects.filter(course=course, title="First river").exists()
    assert run.report["pages"] == {"published": 5, "draft": 1, "skipped": 1, "created": 6}
    assert "Pages:" in as_text(run.report)


def test_parents_are_kept_one_level_deep(course, run):
    schedule = Page.objects.get(course=course, title="Schedule")
    week = Page.objects.get(course=course, title="Week one: the Thames")
    readings = Page.objects.get(course=course, title="Readings for week one")
    assert week.parent == schedule
    assert readings.parent == schedule  # a grandchild hangs under its top-level page
    assert Page.objects.get(course=course, title="Syllabus").parent is None


@pytest.mark.parametrize(
    ("old", "title"),
    [
        ("/syllabus/", "Syllabus"),
        ("/schedule/week-1/", "Week one: the Thames"),
        ("/schedule/week-1/readings", "Readings for week one"),
        ("/?page_id=41", "Schedule"),
    ],
)
def test_old_page_links_redirect_to_the_new_pages(client, course, run, old, title):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == Page.objects.get(course=course, title=title).get_absolute_url()


def test_a_second_import_updates_the_pages_and_undo_removes_them(course, run):
    again = ImportRun.objects.create(course=course, status=ImportRun.Status.RUNNING)
    report = import_export(course=course, source=PAGES, run=again)
    assert report["pages"].get("created", 0) == 0
    assert report["pages"]["updated"] == 6
    assert Page.objects.for_course(course).count() == 6
    undo_import(run=run)
    assert not Page.objects.for_course(course).exists()
    assert not OldLink.objects.filter(course=course, page__isnull=False).exists()


def test_a_pages_comments_come_in_on_the_page_with_its_switch(course, run):
    """WordPress pages' comments were skipped; they come in as the page's comments
    (Comment.page), threaded and with their status, and a page whose comments were open
    in WordPress has comments on (issue 26)."""
    from comments.models import Comment

    syllabus = Page.objects.get(course=course, title="Syllabus")
    assert syllabus.allows_comments
    assert not Page.objects.get(course=course, title="Schedule").allows_comments
    question, answer = Comment.objects.filter(page=syllabus).order_by("created")
    assert question.post is None and question.guest_name == "Vera Guest"
    assert "<em>group</em>" in question.body_html and question.is_approved
    assert answer.parent == question and answer.status == Comment.Status.PENDING
    assert run.report["comments"]["created"] == 2
    again = ImportRun.objects.create(course=course, status=ImportRun.Status.RUNNING)
    report = import_export(course=course, source=PAGES, run=again)
    assert report["comments"].get("created", 0) == 0 and report["comments"]["unchanged"] == 2
    undo_import(run=run)
    assert not Comment.objects.exists()
