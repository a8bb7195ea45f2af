"""A course's pages (coursepages) in its static archive: the published pages its reader
may read, each reached from the menu; never a draft, nor a members-only page in the
public archive."""

import io
import zipfile

import pytest

from terms.archive import build_archive, contents_of, file_of
from tests import factories


def unzip(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".html")
    }


@pytest.fixture
def with_pages(small_course):
    course = small_course
    schedule = factories.PageFactory(course=course, title="Schedule", order=2, body="Week **one**.")
    factories.PageFactory(course=course, title="Week one", parent=schedule, body="Rivers.")
    factories.PageFactory(course=course, title="Staff room", visibility="members", body="Inside.")
    factories.PageFactory(
        course=course, title="Unfinished", status="draft", published_at=None, body="Draft words."
    )
    return course


def test_public_archive_holds_the_published_public_pages_linked_from_the_menu(with_pages):
    files = unzip(build_archive(with_pages))
    schedule = file_of(f"/c/{with_pages.slug}/pages/schedule/")
    assert "Week <strong>one</strong>." in files[schedule]
    assert "Rivers." in files[file_of(f"/c/{with_pages.slug}/pages/week-one/")]
    course_page = files[file_of(f"/c/{with_pages.slug}/")]
    assert "course-menu" in course_page
    assert 'href="pages/schedule/index.html"' in course_page  # relative: opens from a disk
    everything = "".join(files.values())
    assert "Inside." not in everything and "Staff room" not in everything
    assert "Draft words." not in everything and "Unfinished" not in everything


def test_members_archive_holds_the_members_only_pages(small_course):
    small_course.visibility = "members"
    small_course.save()
    factories.PageFactory(
        course=small_course, title="Staff room", visibility="members", body="Inside."
    )
    files = unzip(build_archive(small_course, members=True))
    assert "Inside." in files[file_of(f"/c/{small_course.slug}/pages/staff-room/")]


def test_contents_name_the_pages(small_course):
    assert "The course's pages, with its menu" in contents_of(small_course, members=False).extras


def test_a_pages_comments_are_in_the_archive_like_a_posts_without_forms(small_course):
    """A page's discussion (issue 26) is drawn as a post's: its approved comments, no
    reply form, no Reply or Like actions, nothing held."""
    from comments.models import Comment

    page = factories.PageFactory(course=small_course, title="Syllabus", allows_comments=True)
    first = Comment.objects.create(page=page, author=factories.UserFactory(), body="A question.")
    Comment.objects.create(page=page, author=None, guest_name="G", body="An answer.", parent=first)
    Comment.objects.create(page=page, author=None, guest_name="H", body="Held.", status="pending")
    html = unzip(build_archive(small_course))[file_of(f"/c/{small_course.slug}/pages/syllabus/")]
    assert "A question." in html and "An answer." in html and "Held." not in html
    assert 'id="comments"' in html
    assert "<form" not in html and "Reply to" not in html and 'id="respond"' not in html
