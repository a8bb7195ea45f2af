"""The instructor's import pages: upload, progress, report, undo; who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.models import Post
from imports.models import ImportRun
from tests import factories
from tests.imports.conftest import BLOG, CLASSIC

pytestmark = pytest.mark.django_db


def start_url(course):
    return reverse("imports:import_start", args=[course.slug])


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post the form. The page enqueues the task once its transaction commits; the
    immediate backend (tests, development) then runs it at once."""

    def post(client, course, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return _upload(client, course, **kwargs)

    return post


def _upload(client, course, *, content=None, media=None, award=""):
    data = {
        "export": SimpleUploadedFile("export.xml", content or BLOG.read_bytes()),
        "award_category": award,
    }
    if media:
        data["media"] = SimpleUploadedFile("uploads.zip", media.read_bytes())
    return client.post(start_url(course), data)


@pytest.fixture
def other_instructor(db):
    other = factories.CourseFactory(slug="elsewhere")
    return factories.MembershipFactory(course=other, role="instructor").user


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("student", 403), ("other_instructor", 403), ("instructor", 200),
     ("staff", 200)],
)  # fmt: skip
def test_who_may_open_the_import_page(client, course, request, who, status):
    if who == "student":
        user = factories.MembershipFactory(course=course).user
    elif who != "anonymous":
        user = request.getfixturevalue(who)
    if who != "anonymous":
        client.force_login(user)
    assert client.get(start_url(course)).status_code == status


def test_members_only_course_is_404_for_outsiders(client, private_course, outsider):
    client.force_login(outsider)
    assert client.get(start_url(private_course)).status_code == 404


def test_course_predicate(course, instructor, staff, student, outsider):
    assert course.can_import(instructor) and course.can_import(staff)
    assert not course.can_import(student) and not course.can_import(outsider)


def test_instructor_imports_and_reads_the_report(client, upload, course, instructor, media_zip):
    client.force_login(instructor)
    response = upload(client, course, media=media_zip, award="Comrade's Corner")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:import_detail", args=[course.slug, run.pk])
    assert run.status == "done" and run.done == run.total == 19  # 7 posts, 1 page, 11 comments
    assert run.started_by == instructor
    assert not run.export_file and not run.media_file  # uploads are not kept
    page = client.get(response["Location"]).content.decode()
    assert "2 published, 3 drafts" in page
    assert "6 approved, 1 waiting for moderation" in page
    assert "1 pingback and 1 trackback skipped" in page  # ngettext: no "1 pingbacks"
    assert "missing: <code>2017/04/gone.jpg</code>" in page
    assert "Shortcode <code>[footnote]</code> kept as text in Classic days" in page
    assert "Private on WordPress, now a draft only you and the author see: Private thoughts" in page
    assert "“Comrade&#x27;s Corner” granted to 1 post." in page
    assert "3 placeholders: Anna Akhmatova, Boris P., carl." in page
    assert "1 post shows “Image not imported” in place of these images:" in page
    assert "Classic days: <code>2017/04/gone.jpg</code>" in page
    assert "Undo the whole import" in page
    progress = client.get(reverse("imports:import_progress", args=[course.slug, run.pk])).json()
    assert progress == {"status": "done", "label": "Done", "done": 19, "total": 19,
                        "finished": True, "waiting": False}  # fmt: skip


def test_a_hostile_file_is_refused_on_the_report_page(client, upload, course, instructor):
    client.force_login(instructor)
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>'
    response = upload(client, course, content=bomb)
    page = client.get(response["Location"]).content.decode()
    assert "The import was refused." in page and "DTD or entities" in page
    assert ImportRun.objects.get().status == "failed"
    assert not Post.objects.exists()


def test_wrong_file_types_keep_the_form(client, course, instructor):
    client.force_login(instructor)
    response = client.post(start_url(course), {
        "export": SimpleUploadedFile("export.txt", b"hello"),
        "media": SimpleUploadedFile("uploads.zip", b"not a zip"),
        "award_category": "Kept",
    })  # fmt: skip
    assert response.status_code == 200
    assert "File extension “txt” is not allowed" in response.content.decode()
    assert "This file is not a zip archive." in response.content.decode()
    assert 'value="Kept"' in response.content.decode()
    assert not ImportRun.objects.exists()


def test_undo_from_the_report_page(client, upload, course, instructor):
    client.force_login(instructor)
    response = upload(client, course)
    run = ImportRun.objects.get()
    undo = reverse("imports:import_undo", args=[course.slug, run.pk])
    assert client.get(undo).status_code == 405
    assert client.post(undo).status_code == 302
    assert not Post.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "This import was undone" in page and "Undo the whole import" not in page


def test_student_cannot_undo(client, course, student, imported):
    client.force_login(student)
    undo = reverse("imports:import_undo", args=[course.slug, imported.pk])
    assert client.post(undo).status_code == 403
    assert Post.objects.filter(course=course).exists()


def test_another_courses_run_is_404(client, course, instructor, imported):
    other = factories.CourseFactory(slug="other")
    factories.MembershipFactory(course=other, user=instructor, role="instructor")
    client.force_login(instructor)
    url = reverse("imports:import_detail", args=[other.slug, imported.pk])
    assert client.get(url).status_code == 404


def test_import_tab_on_the_instructor_pages(client, course, instructor, student):
    client.force_login(instructor)
    settings_page = client.get(reverse("blog:course_settings", args=[course.slug]))
    assert f'href="{start_url(course)}">Import</a>' in settings_page.content.decode()
    course_page = client.get(course.get_absolute_url())
    assert start_url(course) in course_page.content.decode()
    client.force_login(student)
    assert start_url(course) not in client.get(course.get_absolute_url()).content.decode()


def test_report_page_queries(client, course, instructor, imported, django_assert_max_num_queries):
    client.force_login(instructor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("imports:import_detail", args=[course.slug, imported.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("source", "words"),
    [
        (CLASSIC, ["1 placeholder: The Teacher.", "1 published, 0 drafts"]),
        (BLOG, ["3 placeholders:", "2 published, 3 drafts", "3 new topics"]),
    ],
)  # fmt: skip
def test_the_report_says_one_in_the_singular(client, upload, course, instructor, source, words):
    client.force_login(instructor)
    response = upload(client, course, content=source.read_bytes())
    page = client.get(response["Location"]).content.decode()
    for phrase in words:
        assert phrase in page
    assert "1 placeholders" not in page and "1 posts" not in page and "1 drafts" not in page


def test_an_oversized_image_is_skipped_on_the_page_and_the_rest_imports(
    client, upload, course, instructor, tmp_path
):
    from tests.imports.test_bad_media_and_bodies import ELEVEN_MB, zip_of

    media = zip_of(tmp_path / "u.zip", {"uploads/2017/04/dove.png": b"\x89PNG" + b"\0" * ELEVEN_MB})
    client.force_login(instructor)
    response = upload(client, course, media=media)
    assert ImportRun.objects.get().status == "done"
    assert Post.objects.filter(course=course).count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "skipped: <code>2017/04/dove.png</code> (larger than 10 MB)" in page


def test_a_queued_import_nobody_picked_up_says_it_waits_for_a_worker(client, course, instructor):
    """With the database task backend and no `db_worker`, the run stays queued."""
    client.force_login(instructor)
    _upload(client, course)  # its transaction never commits here: nothing runs the task
    run = ImportRun.objects.get()
    assert run.status == "queued"
    detail = reverse("imports:import_detail", args=[course.slug, run.pk])
    progress = reverse("imports:import_progress", args=[course.slug, run.pk])
    page = client.get(detail).content.decode()
    assert "Waiting for a worker" in page
    assert "data-import-waiting hidden" in page  # just queued: a worker may be on its way
    assert client.get(progress).json()["waiting"] is False
    ImportRun.objects.filter(pk=run.pk).update(created=run.created - ImportRun.WORKER_GRACE)
    page = client.get(detail).content.decode()
    assert "data-import-waiting hidden" not in page
    assert "manage.py db_worker" in page
    assert client.get(progress).json()["waiting"] is True
