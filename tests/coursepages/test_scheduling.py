"""Scheduled course pages (coursepages/scheduling.py, docs/architecture.md "Scheduled
publishing"): a page scheduled for a time in its course's zone is seen only by the
course's teaching roles until then, marked with its time, and is in no menu, search,
sitemap or archive; at its time (not a minute before) the "pages" publisher flips it,
once however many workers race, and the course's cached pages show it in the menu."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from blog import scheduling as blog_scheduling
from blog import services
from blog.models import Post
from coursepages import scheduling
from coursepages.models import Page
from terms.archive import course_pages
from tests import factories
from tests.clocks import (
    BEFORE_CHANGE,
    NINE_EITHER_SIDE,
    NINE_EITHER_SIDE_IDS,
    NINE_ON_MONDAY,
    REPEATED,
    SKIPPED,
    new_york_course,
    race_two_workers,
    signed_in,
    utc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return new_york_course()


@pytest.fixture
def scheduled(course, instructor):
    """The Syllabus, scheduled for 09:00 in New York on Monday 15 March 2027 (EDT)."""
    return factories.PageFactory(
        course=course,
        author=instructor,
        title="Syllabus",
        body="Four essays and a final project.",
        status=Page.Status.SCHEDULED,
        published_at=NINE_ON_MONDAY,
    )


def in_menu(html):
    return 'class="course-menu' in html and "/pages/syllabus/" in html


# --- Who sees it before its time ---


def test_only_the_teaching_roles_read_a_scheduled_page(
    course, scheduled, instructor, student, outsider, staff
):
    assistant = factories.MembershipFactory(course=course, role="assistant").user
    for reader in (instructor, assistant, staff):
        assert scheduled.can_read(reader)
        assert Page.objects.visible_to(reader).filter(pk=scheduled.pk).exists()
    for reader in (student, outsider, AnonymousUser()):
        assert not scheduled.can_read(reader)
        assert not Page.objects.visible_to(reader).filter(pk=scheduled.pk).exists()


def test_its_page_is_404_for_others_and_marked_with_its_time_for_instructors(
    course, scheduled, instructor, student
):
    url = scheduled.get_absolute_url()
    assert Client().get(url).status_code == 404
    assert signed_in(student).get(url).status_code == 404
    html = signed_in(instructor).get(url).content.decode()
    assert "Scheduled" in html and "Monday 15 March 2027, 09:00 (America/New_York)" in html
    assert '<meta name="robots" content="noindex">' in html
    listing = signed_in(instructor).get(reverse("coursepages:page_list", args=[course.slug]))
    assert "Monday 15 March 2027, 09:00 (America/New_York)" in listing.content.decode()


def test_a_scheduled_page_is_in_no_menu_search_sitemap_or_archive_before_its_time(
    course, scheduled, student, instructor
):
    factories.PostFactory(course=course, author=instructor, title="An ordinary post")
    urls = [
        course.get_absolute_url(),
        reverse("blog:sitemap"),
        reverse("blog:search") + "?q=essays",
    ]
    for client in (Client(), signed_in(student), signed_in(instructor)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "/pages/syllabus/" not in response.content.decode(), url
    assert scheduled.get_absolute_url() not in course_pages(course)


# --- Going live on time, in the course's zone ---


def test_a_page_scheduled_for_nine_goes_live_at_nine_not_at_eight_fifty_nine(scheduled):
    with time_machine.travel(utc(2027, 3, 15, 12, 59), tick=False):
        assert blog_scheduling.publish_due()["pages"] == []
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled
    with time_machine.travel(utc(2027, 3, 15, 13, 0), tick=False):
        assert blog_scheduling.publish_due()["pages"] == [scheduled]
    scheduled.refresh_from_db()
    assert scheduled.is_published and scheduled.published_at == utc(2027, 3, 15, 13, 0)


def test_once_live_it_is_in_the_menu_and_the_cached_course_page_changes(course, scheduled, student):
    factories.PageFactory(course=course, title="About", order=5)  # a menu before and after
    url = course.get_absolute_url()
    with time_machine.travel(utc(2027, 3, 15, 12, 59), tick=False):
        anonymous, member = Client(), signed_in(student)
        for client in (anonymous, member):
            client.get(url)
            response = client.get(url)
            assert response.get("X-Page-Cache") == "hit"
            assert not in_menu(response.content.decode())
            assert client.get(scheduled.get_absolute_url()).status_code == 404
    with time_machine.travel(utc(2027, 3, 15, 13, 0), tick=False):
        blog_scheduling.publish_due()
        for client in (anonymous, member):
            response = client.get(url)
            assert response.get("X-Page-Cache") == "miss"
            assert in_menu(response.content.decode())
            page = client.get(scheduled.get_absolute_url())
            assert page.status_code == 200 and "Scheduled" not in page.content.decode()
        assert scheduled.get_absolute_url() in course_pages(course)


def test_two_racing_publishers_publish_it_once_and_bump_the_course_once(course, scheduled):
    """The second worker listed the page before the first flipped it: its conditional
    UPDATE changes no row, so it bumps nothing."""
    now = utc(2027, 3, 15, 13, 1)
    before = course.common_version
    assert scheduling.publish_page_if_due(pk=scheduled.pk, now=now) is not None
    assert scheduling.publish_page_if_due(pk=scheduled.pk, now=now) is None
    assert scheduling.publish_due_pages(now=now) == []
    course.refresh_from_db()
    assert course.common_version == before + 1


def test_a_page_taken_back_to_draft_meanwhile_is_not_published(scheduled):
    Page.objects.filter(pk=scheduled.pk).update(status=Page.Status.DRAFT)
    assert scheduling.publish_page_if_due(pk=scheduled.pk, now=utc(2027, 3, 16)) is None
    assert Page.objects.get(pk=scheduled.pk).status == Page.Status.DRAFT


def test_closing_the_course_takes_its_scheduled_pages_back_to_drafts_like_its_posts(
    course, scheduled, instructor
):
    post = factories.PostFactory(
        course=course, author=instructor, status=Post.Status.SCHEDULED, published_at=NINE_ON_MONDAY
    )
    services.close_course(course=course)
    for row in (Page.objects.get(pk=scheduled.pk), Post.objects.get(pk=post.pk)):
        assert row.status == "draft" and row.published_at is None
    services.reopen_course(course=course)  # reopening publishes nothing by itself
    assert blog_scheduling.publish_due(now=utc(2027, 3, 16)) == {"posts": [], "pages": []}
    assert Page.objects.get(pk=scheduled.pk).status == Page.Status.DRAFT


def test_the_closing_page_says_what_waits_to_go_live_and_the_message_what_became_drafts(
    course, scheduled, instructor
):
    for n in range(2):
        factories.PostFactory(
            course=course, author=instructor, status=Post.Status.SCHEDULED,
            published_at=NINE_ON_MONDAY, title=f"Week {n}",
        )  # fmt: skip
    notice = factories.PostFactory(course=course, author=instructor, title="Notice")
    services.pin_post(post=notice, by=instructor)
    client = signed_in(instructor)
    url = reverse("blog:course_close", args=[course.slug])
    page = client.get(url).content.decode()
    assert "Scheduled and not yet live: 2 posts and 1 page." in page
    assert "Its pinned announcement ends" in page
    assert "not even if you reopen the course" in page
    response = client.post(url, follow=True)
    assert "What was scheduled (2 posts and 1 page) went back to drafts." in (
        response.content.decode()
    )
    assert not Post.objects.scheduled().exists() and not Page.objects.scheduled().exists()


def test_with_nothing_scheduled_the_closing_page_says_nothing_of_it(course, instructor):
    client = signed_in(instructor)
    url = reverse("blog:course_close", args=[course.slug])
    assert "Scheduled and not yet live" not in client.get(url).content.decode()
    response = client.post(url, follow=True).content.decode()
    assert "is closed: it is read-only now." in response and "What was scheduled" not in response


def test_a_page_of_a_closed_course_scheduled_behind_the_editor_s_back_waits(course, scheduled):
    """The listing still asks for open courses (a row written straight to the database)."""
    services.close_course(course=course)
    Page.objects.filter(pk=scheduled.pk).update(
        status=Page.Status.SCHEDULED, published_at=NINE_ON_MONDAY
    )
    assert scheduling.publish_due_pages(now=utc(2027, 3, 16)) == []


def test_a_run_with_nothing_due_is_one_query(scheduled, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert scheduling.publish_due_pages(now=utc(2027, 3, 15, 12, 59)) == []


# --- The editor ---


@pytest.fixture
def editor(instructor):
    return signed_in(instructor)


def page_data(**data):
    fields = {"title": "Syllabus", "slug": "", "body": "Four **essays**.", "order": "1",
              "visibility": "public", "action": "draft"}  # fmt: skip
    return {**fields, **data}


def edit_url(page):
    return reverse("coursepages:page_edit", args=[page.course.slug, page.slug])


def test_the_editor_schedules_shows_it_and_can_publish_it_now_or_take_it_back(course, instructor):
    with time_machine.travel(BEFORE_CHANGE, tick=False):
        client = signed_in(instructor)  # a session of then: one of now would have expired
        response = client.post(
            reverse("coursepages:page_create", args=[course.slug]),
            page_data(action="schedule", **{"schedule-publish_at": "2027-03-15T09:00"}),
        )
        page = Page.objects.get()
        assert response.status_code == 302 and response.url == edit_url(page)
        assert page.is_scheduled and page.published_at == utc(2027, 3, 15, 13, 0)
        html = client.get(response.url).content.decode()
        assert "Scheduled for Monday 15 March 2027, 09:00 (America/New_York)" in html
        assert 'value="2027-03-15T09:00"' in html
        assert "In the course's time zone, America/New_York." in html
        assert "Publish now" in html and "Back to draft" in html

        client.post(edit_url(page), page_data(action="draft"))
        page.refresh_from_db()
        assert page.status == Page.Status.DRAFT and page.published_at is None

        client.post(
            edit_url(page),
            page_data(action="schedule", **{"schedule-publish_at": "2027-03-13T09:00"}),
        )
        page.refresh_from_db()  # a Saturday, before the change of clocks: EST, UTC-5
        assert page.is_scheduled and page.published_at == utc(2027, 3, 13, 14, 0)

        response = client.post(edit_url(page), page_data(action="publish"))
        page.refresh_from_db()
        assert page.is_published and page.published_at == BEFORE_CHANGE  # now, not then
        assert response.url == page.get_absolute_url()


@pytest.mark.parametrize("typed, live_at", NINE_EITHER_SIDE, ids=NINE_EITHER_SIDE_IDS)
def test_nine_in_the_course_s_zone_goes_live_at_nine_on_either_side_of_the_clock_change(
    course, instructor, typed, live_at
):
    with time_machine.travel(BEFORE_CHANGE, tick=False):
        response = signed_in(instructor).post(
            reverse("coursepages:page_create", args=[course.slug]),
            page_data(action="schedule", **{"schedule-publish_at": typed}),
        )
    assert response.status_code == 302
    page = Page.objects.get()
    assert page.is_scheduled and page.published_at == live_at
    with time_machine.travel(live_at - timedelta(minutes=1), tick=False):
        assert blog_scheduling.publish_due()["pages"] == []  # 08:59 in New York
    with time_machine.travel(live_at, tick=False):
        assert blog_scheduling.publish_due()["pages"] == [page]
    assert Page.objects.get().is_published


@pytest.mark.parametrize(
    "typed, says",
    [
        ("next tuesday", "Enter a date and time"),
        ("", "Choose the date and time to publish it."),
        ("2027-03-09T09:00", "That time has passed (it is now 2027-03-10 07:00 in America"),
        (SKIPPED, "may not exist"),
        (REPEATED, "may be ambiguous"),
    ],
    ids=["not-a-date", "empty", "in-the-past", "skipped-by-the-clocks", "repeated-by-the-clocks"],
)
def test_a_bad_past_or_skipped_time_is_a_400_with_everything_kept(course, instructor, typed, says):
    with time_machine.travel(BEFORE_CHANGE, tick=False):
        client = signed_in(instructor)
        response = client.post(
            reverse("coursepages:page_create", args=[course.slug]),
            page_data(
                title="Kept title",
                body="Kept words.",
                action="schedule",
                **{"schedule-publish_at": typed},
            ),
        )
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html
    assert 'value="Kept title"' in html and "Kept words." in html
    if typed:
        assert f'value="{typed}"' in html
    assert not Page.objects.exists()


def test_a_published_page_is_not_scheduled_again(course, editor):
    page = factories.PageFactory(course=course, title="About")
    response = editor.post(
        edit_url(page), page_data(title="About", action="schedule",
                                  **{"schedule-publish_at": "2099-01-01T09:00"})
    )  # fmt: skip
    assert response.status_code == 403
    assert Page.objects.get(pk=page.pk).is_published


def test_those_who_do_not_write_pages_cannot_schedule_one(course, student, outsider):
    url = reverse("coursepages:page_create", args=[course.slug])
    data = page_data(action="schedule", **{"schedule-publish_at": "2099-01-01T09:00"})
    assert signed_in(student).post(url, data).status_code == 403
    assert signed_in(outsider).post(url, data).status_code == 403
    assert Client().post(url, data).status_code == 302  # to sign in
    assert not Page.objects.exists()


# --- Two workers racing (threads, each with its own database connection) ---


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_publish_each_page_once_and_bump_the_course_once_each(
    course, monkeypatch
):
    pages = [
        factories.PageFactory(
            course=course,
            title=f"Week {n}",
            status=Page.Status.SCHEDULED,
            published_at=NINE_ON_MONDAY,
        )
        for n in range(30)
    ]
    course.refresh_from_db()
    before = course.common_version
    first, second, next_run = race_two_workers(
        monkeypatch, scheduling, "publish_page_if_due", "pages", NINE_ON_MONDAY
    )
    assert not first & second  # no page published by both
    assert not (first | second) & next_run
    # A run that SQLite stopped half-way reports none of its pages (publish_due logs
    # the error), though those it flipped are published: the database says the rest.
    assert first | second | next_run <= {p.pk for p in pages}
    assert Page.objects.published().count() == 30
    course.refresh_from_db()
    assert course.common_version == before + 30  # one bump per page, by its one flip
