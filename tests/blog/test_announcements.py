"""Pinned announcements (docs/design.md, Announcements): who pins, where they show, the
"new" mark per member through the member page cache, expiry without a write,
notifications, and constant query counts on the course page and home."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import AnnouncementSeen, Post, course_zone_of
from notifications.models import Notification, NotificationPreference
from tests import factories

NEW = "status-badge--new"


def signed_in(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def get(client, url, expect=None):
    response = client.get(url)
    assert response.status_code == 200
    if expect is not None:
        assert response.get("X-Page-Cache") == expect
    return response.content.decode()


def announcements_of(html):
    """The announcements box's HTML ("" when the page shows none)."""
    start = html.find('class="surface announcements')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def pin(post, by, until=None):
    return services.pin_post(post=post, by=by, until=until)


@pytest.fixture
def announcement(course, instructor):
    post = factories.PostFactory(course=course, author=instructor, title="Read the syllabus")
    return pin(post, instructor)


# --- Showing them ---


def test_members_see_a_pinned_post_at_the_top_of_the_course_page_marked_new(
    course, announcement, student
):
    box = announcements_of(get(signed_in(student), course.get_absolute_url()))
    assert "Read the syllabus" in box and NEW in box
    assert announcement.get_absolute_url() in box


def test_non_members_and_anonymous_readers_see_no_announcements_box(course, announcement, outsider):
    for client in (Client(), signed_in(outsider)):
        html = get(client, course.get_absolute_url())
        assert announcements_of(html) == ""
        assert "Read the syllabus" in html  # still a post in the stream


def test_home_lists_the_announcements_of_the_members_own_courses(course, announcement, student):
    other = factories.CourseFactory(title="Elsewhere")
    factories.PostFactory(course=other, title="Not yours", pinned_at=timezone.now())
    box = announcements_of(get(signed_in(student), "/"))
    assert "Read the syllabus" in box and "History 101" in box and NEW in box
    assert "Not yours" not in box


@pytest.mark.parametrize("role", ["instructor", "assistant", "student"])
def test_every_role_sees_it_new_on_the_course_page_and_home_whatever_the_cache(course, role):
    """Who teaches is a member too: instructors and teaching assistants get the box, and
    its "New" mark, on home and the course page, drawn or from the member cache."""
    prof = factories.MembershipFactory(course=course, role="instructor").user
    pin(factories.PostFactory(course=course, author=prof, title="Read the syllabus"), prof)
    drawer = factories.MembershipFactory(course=course, role=role).user
    reader = factories.MembershipFactory(course=course, role=role).user
    for url in (course.get_absolute_url(), "/"):
        for user, expect in ((drawer, "miss"), (reader, "hit")):
            box = announcements_of(get(signed_in(user), url, expect))
            assert "Read the syllabus" in box and NEW in box, (url, expect)


def test_site_staff_see_it_on_the_course_page_not_on_home_where_they_have_no_courses(
    course, announcement, staff
):
    client = signed_in(staff)
    assert "Read the syllabus" in announcements_of(get(client, course.get_absolute_url()))
    assert announcements_of(get(client, "/")) == ""


def test_who_pinned_it_and_who_wrote_it_see_it_without_the_new_mark(
    course, instructor, student, classmate
):
    post = factories.PostFactory(course=course, author=student, title="A model essay")
    pin(post, instructor)
    for user in (instructor, student):
        for url in (course.get_absolute_url(), "/"):
            box = announcements_of(get(signed_in(user), url))
            assert "A model essay" in box and NEW not in box, (user, url)
    assert NEW in announcements_of(get(signed_in(classmate), "/"))


def test_closing_the_course_ends_its_announcements(course, announcement, student):
    services.close_course(course=course)
    for url in (course.get_absolute_url(), "/"):
        assert announcements_of(get(signed_in(student), url)) == ""
    announcement.refresh_from_db()
    assert announcement.is_published and announcement.pinned_at is None


def test_opening_the_post_removes_the_new_mark_for_that_member_only(
    course, announcement, student, classmate
):
    me, them = signed_in(student), signed_in(classmate)
    get(me, course.get_absolute_url(), "miss")
    get(them, course.get_absolute_url(), "hit")
    get(me, "/")
    get(me, announcement.get_absolute_url())
    assert AnnouncementSeen.objects.filter(post=announcement, user=student).exists()
    mine = announcements_of(get(me, course.get_absolute_url(), "hit"))
    theirs = announcements_of(get(them, course.get_absolute_url(), "hit"))
    assert "Read the syllabus" in mine and NEW not in mine
    assert NEW in theirs
    assert NEW not in announcements_of(get(me, "/"))


def test_a_post_page_served_from_the_cache_still_records_the_opening(
    course, announcement, instructor, student, classmate
):
    get(signed_in(classmate), announcement.get_absolute_url(), "miss")
    get(signed_in(student), announcement.get_absolute_url(), "hit")
    assert set(AnnouncementSeen.objects.values_list("user", flat=True)) == {
        instructor.pk,  # who pinned it (and wrote it)
        student.pk,
        classmate.pk,
    }


def test_opening_it_twice_keeps_one_record(announcement, student):
    client = signed_in(student)
    get(client, announcement.get_absolute_url())
    get(client, announcement.get_absolute_url())
    assert AnnouncementSeen.objects.filter(post=announcement, user=student).count() == 1


def test_an_expired_pin_disappears_from_cached_pages_without_a_write(
    course, instructor, student, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    post = factories.PostFactory(course=course, author=instructor, title="Quiz on Friday")
    pin(post, instructor, until=timezone.now() + timedelta(hours=1))
    client = signed_in(student)
    assert "Quiz on Friday" in announcements_of(get(client, course.get_absolute_url(), "miss"))
    assert "Quiz on Friday" in announcements_of(get(client, "/"))
    time_machine.shift(timedelta(hours=2))
    assert announcements_of(get(client, course.get_absolute_url(), "hit")) == ""
    assert announcements_of(get(client, "/")) == ""
    assert not Post.objects.get(pk=post.pk).is_pinned


def test_unpinning_removes_it_everywhere(course, announcement, instructor, student):
    client = signed_in(student)
    get(client, course.get_absolute_url())
    services.unpin_post(post=announcement)
    assert announcements_of(get(client, course.get_absolute_url())) == ""
    assert announcements_of(get(client, "/")) == ""


def test_unpublishing_an_announcement_unpins_it(course, announcement, student):
    services.unpublish_post(post=announcement)
    assert announcements_of(get(signed_in(student), course.get_absolute_url())) == ""
    announcement.refresh_from_db()
    assert announcement.pinned_at is None and announcement.pinned_until is None
    announcement.publish()
    announcement.save()
    assert announcements_of(get(signed_in(student), course.get_absolute_url())) == ""


def test_a_draft_with_a_pin_in_the_database_is_not_shown(course, instructor, student):
    factories.PostFactory(
        course=course, author=instructor, status="draft", pinned_at=timezone.now()
    )
    assert announcements_of(get(signed_in(student), course.get_absolute_url())) == ""
    assert not Post.objects.pinned_now().exists()


def test_an_instructors_only_post_is_announced_to_instructors_alone(course, instructor, student):
    post = factories.PostFactory(
        course=course, author=instructor, title="For teachers", visibility="instructors"
    )
    pin(post, instructor)
    assert announcements_of(get(signed_in(student), course.get_absolute_url())) == ""
    assert "For teachers" in announcements_of(get(signed_in(instructor), course.get_absolute_url()))
    assert not Notification.objects.filter(post=post).exists()  # the instructor pinned it


def test_the_newest_pin_comes_first(course, instructor, student, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    first = factories.PostFactory(course=course, author=instructor, title="First pinned")
    second = factories.PostFactory(course=course, author=instructor, title="Second pinned")
    pin(first, instructor)
    time_machine.shift(timedelta(minutes=1))
    pin(second, instructor)
    box = announcements_of(get(signed_in(student), course.get_absolute_url()))
    assert box.index("Second pinned") < box.index("First pinned")


# --- Pinning: the form, the services ---


def test_an_instructor_pins_a_post_until_a_time_in_the_course_zone(course, instructor, post):
    course.time_zone = "America/New_York"
    course.save()
    client = signed_in(instructor)
    url = reverse("blog:post_pin", args=[course.slug, post.slug])
    assert "Pin as an announcement" in get(client, post.get_absolute_url())
    until = (timezone.now() + timedelta(days=3)).astimezone(course_zone_of(course))
    response = client.post(url, {"until": until.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert post.is_pinned
    assert post.pinned_until == until.replace(second=0, microsecond=0)
    page = get(client, post.get_absolute_url())
    assert "Unpin" in page
    assert f"{until:%H:%M} {until.tzname()}" in page  # said in the course's zone


def test_a_time_in_the_past_is_refused_and_kept_as_typed(course, instructor, post):
    response = signed_in(instructor).post(
        reverse("blog:post_pin", args=[course.slug, post.slug]), {"until": "2001-02-03T04:05"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a time in the future." in html and 'value="2001-02-03T04:05"' in html
    post.refresh_from_db()
    assert post.pinned_at is None


def test_nonsense_for_a_time_is_a_clear_400(course, instructor, post):
    response = signed_in(instructor).post(
        reverse("blog:post_pin", args=[course.slug, post.slug]), {"until": "next tuesday"}
    )
    assert response.status_code == 400
    assert "Enter a date and time" in response.content.decode()


def test_a_draft_cannot_be_pinned(course, instructor, student):
    draft = factories.PostFactory(course=course, author=student, status="draft")
    url = reverse("blog:post_pin", args=[course.slug, draft.slug])
    assert signed_in(instructor).post(url, {"until": ""}).status_code == 403


def test_unpin_takes_a_post_only(course, instructor, announcement):
    url = reverse("blog:post_unpin", args=[course.slug, announcement.slug])
    assert signed_in(instructor).get(url).status_code == 405
    assert signed_in(instructor).post(url).status_code == 302
    announcement.refresh_from_db()
    assert announcement.pinned_at is None


def test_changing_the_expiry_of_a_live_pin_keeps_it_seen_and_notifies_nobody(
    announcement, instructor, student
):
    get(signed_in(student), announcement.get_absolute_url())
    before = Notification.objects.count()
    pin(announcement, instructor, until=timezone.now() + timedelta(days=1))
    assert AnnouncementSeen.objects.filter(post=announcement, user=student).count() == 1
    assert Notification.objects.count() == before


def test_pinning_again_makes_it_new_again(course, announcement, instructor, student):
    get(signed_in(student), announcement.get_absolute_url())
    services.unpin_post(post=announcement)
    pin(announcement, instructor)
    assert NEW in announcements_of(get(signed_in(student), course.get_absolute_url()))


# --- Notifications ---


def test_members_are_notified_and_emailed_but_not_the_one_who_pinned(
    course, instructor, student, classmate, outsider, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=classmate, email_announcement=False)
    post = factories.PostFactory(course=course, author=student, title="Field trip")
    with django_capture_on_commit_callbacks(execute=True):
        pin(post, instructor)
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.ANNOUNCEMENT).values_list(
            "recipient", flat=True
        )
    )
    assert notified == {student.pk, classmate.pk}
    assert [m.to for m in mail.outbox] == [[student.email]]  # classmate turned email off
    assert "Field trip" in mail.outbox[0].subject and "History 101" in mail.outbox[0].subject
    assert post.get_absolute_url() in mail.outbox[0].body
    text = Notification.objects.filter(recipient=student).get().text
    assert "pinned an announcement in History 101" in text


def test_the_email_switch_is_on_the_preferences_page(student):
    html = get(signed_in(student), reverse("notifications:preferences"))
    assert 'name="email_announcement"' in html


# --- Query counts: constant with 0, 1 and 3 announcements ---


@pytest.mark.parametrize("count", [0, 1, 3])
def test_course_page_and_home_queries_do_not_grow_with_announcements(
    course, instructor, student, classmate, count, django_assert_max_num_queries
):
    for n in range(count):
        post = factories.PostFactory(course=course, author=instructor, title=f"Notice {n}")
        pin(post, instructor)
    drawer, reader = signed_in(student), signed_in(classmate)
    # Drawn: the page's own queries (its stream's cards and the course menu included),
    # plus the announcements.
    with django_assert_max_num_queries(11):
        get(drawer, course.get_absolute_url(), "miss")
    # Hit: session, user with the bell, course with role and whether a pin is live, and
    # (only when one is) the announcements with the reader's "seen".
    with django_assert_max_num_queries(4 if count else 3):
        html = get(reader, course.get_absolute_url(), "hit")
    assert announcements_of(html).count(NEW) == count
    with django_assert_max_num_queries(10):
        get(drawer, "/", "miss")
    # Hit: session, user with the bell, the listed courses (with whether a pin is live),
    # the reader's panels, and (only when a pin is live) the announcements.
    with django_assert_max_num_queries(6 if count else 5):
        html = get(reader, "/", "hit")
    assert announcements_of(html).count(NEW) == count


# --- The member page cache: each reader's own announcements, whoever drew the copy ---


def test_every_reader_gets_their_own_announcements_whoever_drew_the_cached_copy(
    course, announcement, instructor, student, classmate, staff, outsider, stopped_clock
):
    from itertools import product

    from django.core.cache import cache
    from django.test import override_settings

    from pagecache.store import recent_pages

    get(signed_in(student), announcement.get_absolute_url())  # seen by student only
    readers = {
        "anonymous": None,
        "student": student,
        "classmate": classmate,
        "instructor": instructor,
        "staff": staff,
        "outsider": outsider,
    }
    for url in (course.get_absolute_url(), "/"):
        with override_settings(PAGE_CACHE_SECONDS=0):
            expected = {name: get(signed_in(user), url) for name, user in readers.items()}
        assert NEW in announcements_of(expected["classmate"])
        assert NEW not in announcements_of(expected["student"])
        for first, then in product(readers, readers):
            cache.clear()
            recent_pages.clear()
            get(signed_in(readers[first]), url)
            html = get(signed_in(readers[then]), url)
            assert announcements_of(html) == announcements_of(expected[then]), (url, first, then)


def test_opening_an_announcement_from_the_cache_costs_one_query_more(
    announcement, student, classmate, django_assert_max_num_queries
):
    get(signed_in(classmate), announcement.get_absolute_url(), "miss")
    reader = signed_in(student)
    # session, user with the bell, the post with the reader's role, the "seen" INSERT
    with django_assert_max_num_queries(4):
        get(reader, announcement.get_absolute_url(), "hit")
    assert AnnouncementSeen.objects.filter(user=student).exists()


def test_whether_a_course_has_a_live_pin_comes_with_its_row_by_the_databases_clock(
    course, instructor, student
):
    from blog.models import Course

    def has_announcements():
        return Course.objects.with_viewer_role(student).get(pk=course.pk).has_announcements

    assert has_announcements() is False
    post = factories.PostFactory(course=course, author=instructor)
    pin(post, instructor, until=timezone.now() + timedelta(hours=1))
    assert has_announcements() is True
    Post.objects.filter(pk=post.pk).update(pinned_until=timezone.now() - timedelta(seconds=5))
    assert has_announcements() is False
