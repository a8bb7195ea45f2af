"""Manage > Archive: what it lists, building in the background, progress, download, and
who may do it."""

import io
import zipfile

import pytest
from django.urls import reverse

from terms.models import ArchiveRun
from tests import factories

# The same for 1 post or 12: session, user, role, each archive's posts, drafts, topics and
# months, the runs, the tabs.
QUERIES_ARCHIVE_PAGE = 14


def start_url(course):
    return reverse("terms:archive_start", args=[course.slug])


@pytest.fixture
def prof(small_course):
    return small_course.memberships.get(role="instructor").user


def build(client, course, kind, capture):
    with capture(execute=True):
        return client.post(start_url(course), {"kind": kind})


def test_archive_page_lists_what_each_archive_will_hold(client, small_course, prof):
    client.force_login(prof)
    response = client.get(start_url(small_course))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The public archive" in html and "The members' archive" in html
    assert "<strong>3</strong> posts" in html
    assert "Essay 0" in html and "Left out: 1 draft" in html
    assert "The award hall of fame" in html and "The bibliography" in html
    assert 'href="' + start_url(small_course) + '"' in html  # the Archive tab


def test_members_only_course_lists_no_public_archive(client, members_course):
    client.force_login(members_course.memberships.get(role="instructor").user)
    html = client.get(start_url(members_course)).content.decode()
    assert "None: this course is for members only" in html


def test_building_runs_in_the_background_and_offers_the_zip(
    client, small_course, prof, django_capture_on_commit_callbacks
):
    client.force_login(prof)
    response = build(client, small_course, "public", django_capture_on_commit_callbacks)
    run = ArchiveRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("terms:archive_detail", args=[small_course.slug, run.pk])
    assert run.status == ArchiveRun.Status.DONE and run.total > 10 and run.done == run.total
    detail = client.get(response["Location"]).content.decode()
    download = reverse("terms:archive_download", args=[small_course.slug, run.pk])
    assert download in detail and 'http-equiv="refresh"' not in detail
    zipped = client.get(download)
    assert zipped["Content-Type"] == "application/zip"
    assert f"{small_course.slug}-public-archive.zip" in zipped["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert f"c/{small_course.slug}/index.html" in names
    wacz_url = reverse("terms:archive_download_wacz", args=[small_course.slug, run.pk])
    assert wacz_url in detail
    wacz = client.get(wacz_url)
    assert f"{small_course.slug}-public-archive.wacz" in wacz["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(wacz.streaming_content))).namelist()
    assert "archive/data.warc.gz" in names


def test_a_run_still_building_shows_its_progress_and_refreshes(client, small_course, prof):
    run = ArchiveRun.objects.create(course=small_course, status=ArchiveRun.Status.RUNNING)
    client.force_login(prof)
    html = client.get(reverse("terms:archive_detail", args=[small_course.slug, run.pk])).content
    assert b'http-equiv="refresh"' in html and b"<progress" in html
    download = reverse("terms:archive_download", args=[small_course.slug, run.pk])
    assert client.get(download).status_code == 404  # not ready: nothing to download


def test_members_archive_is_built_on_request(
    client, members_course, django_capture_on_commit_callbacks
):
    client.force_login(members_course.memberships.get(role="instructor").user)
    build(client, members_course, "members", django_capture_on_commit_callbacks)
    run = ArchiveRun.objects.get()
    assert run.members and run.status == ArchiveRun.Status.DONE


def test_public_archive_of_a_members_only_course_is_refused_keeping_the_form(
    client, members_course, django_capture_on_commit_callbacks
):
    client.force_login(members_course.memberships.get(role="instructor").user)
    response = build(client, members_course, "public", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "it has no public archive" in response.content.decode()
    assert not ArchiveRun.objects.exists()


def test_a_course_that_may_not_be_archived_is_refused(client, small_course, prof, monkeypatch):
    from terms import views

    monkeypatch.setattr(views, "can_be_archived", lambda course: False)
    client.force_login(prof)
    response = client.post(start_url(small_course), {"kind": "public"}, follow=True)
    assert "Only a closed course is archived" in response.content.decode()
    assert not ArchiveRun.objects.exists()


@pytest.mark.parametrize("who", ["student", "outsider"])
def test_only_instructors_and_staff_build_and_download(client, small_course, who):
    run = ArchiveRun.objects.create(course=small_course, status=ArchiveRun.Status.DONE)
    reader = factories.UserFactory()
    if who == "student":
        factories.MembershipFactory(course=small_course, user=reader)
    client.force_login(reader)
    urls = [
        start_url(small_course),
        reverse("terms:archive_detail", args=[small_course.slug, run.pk]),
        reverse("terms:archive_download", args=[small_course.slug, run.pk]),
        reverse("terms:archive_download_wacz", args=[small_course.slug, run.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(start_url(small_course), {"kind": "public"}).status_code == 403
    assert ArchiveRun.objects.count() == 1


def test_outsiders_get_404_for_a_members_only_course(client, members_course):
    client.force_login(factories.UserFactory())
    assert client.get(start_url(members_course)).status_code == 404


def test_anonymous_readers_are_sent_to_sign_in(client, small_course):
    response = client.get(start_url(small_course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_may_build(client, small_course, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    assert client.get(start_url(small_course)).status_code == 200
    build(client, small_course, "public", django_capture_on_commit_callbacks)
    assert ArchiveRun.objects.get().status == ArchiveRun.Status.DONE


def test_a_run_of_another_course_is_not_found(client, small_course, prof):
    other = factories.CourseFactory()
    run = ArchiveRun.objects.create(course=other, status=ArchiveRun.Status.DONE)
    client.force_login(prof)
    url = reverse("terms:archive_detail", args=[small_course.slug, run.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("posts", [1, 12])
def test_archive_page_queries_do_not_grow_with_the_course(
    db, client, posts, django_assert_max_num_queries
):
    from tests.terms.conftest import make_course

    course = make_course(posts=posts, comments_per_post=1)
    ArchiveRun.objects.create(course=course, status=ArchiveRun.Status.DONE)
    client.force_login(course.memberships.get(role="instructor").user)
    with django_assert_max_num_queries(QUERIES_ARCHIVE_PAGE):
        assert client.get(start_url(course)).status_code == 200
