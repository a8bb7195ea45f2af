"""The private iCalendar feed, the 24-hour reminders and the feedback notifications."""

import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from assignments import services
from assignments.models import CalendarFeed, DueReminder
from notifications.models import Notification
from tests import factories
from tests.assignments.conftest import at


def test_calendar_feed_is_private_per_person_and_has_their_extension(
    client, assignment, student, classmate, instructor
):
    services.grant_extension(assignment=assignment, student=student, due_at=at(2027, 3, 15, 17))
    client.force_login(student)
    page = client.get(reverse("assignments:calendar_subscribe", args=[assignment.course.slug]))
    feed = CalendarFeed.objects.get(user=student)
    assert feed.token in page.content.decode()
    client.logout()  # calendar apps send no cookies: the token is the key
    response = client.get(feed.get_absolute_url())
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Due: The Thaw in three documents"]
    assert events[0].decoded("dtstart") == at(2027, 3, 15, 17)
    mate = services.calendar_feed(course=assignment.course, user=classmate)
    assert mate.token != feed.token
    mate_events = Calendar.from_ical(client.get(mate.get_absolute_url()).content).walk("VEVENT")
    assert mate_events[0].decoded("dtstart") == at(2027, 3, 12, 17)


def test_calendar_token_can_be_replaced_and_stops_when_membership_ends(client, assignment, student):
    old = services.calendar_feed(course=assignment.course, user=student)
    client.force_login(student)
    client.post(reverse("assignments:calendar_subscribe", args=[assignment.course.slug]))
    assert client.get(old.get_absolute_url()).status_code == 404
    new = CalendarFeed.objects.get(user=student)
    assert client.get(new.get_absolute_url()).status_code == 200
    assignment.course.memberships.filter(user=student).delete()
    assert client.get(new.get_absolute_url()).status_code == 404
    assert client.get("/assignments/calendar/not-a-token.ics").status_code == 404


def test_a_deactivated_persons_calendar_is_no_longer_served(client, assignment, student):
    feed = services.calendar_feed(course=assignment.course, user=student)
    assert client.get(feed.get_absolute_url()).status_code == 200
    student.is_active = False
    student.save(update_fields=["is_active"])
    assert client.get(feed.get_absolute_url()).status_code == 404


@pytest.fixture
def class_of_three(course, assignment):
    done, pending, extended = (factories.MembershipFactory(course=course).user for _ in "abc")
    with time_machine.travel(at(2027, 3, 10, 9), tick=False):
        post = factories.PostFactory(course=course, author=done)
        services.submit(assignment=assignment, post=post)
    services.grant_extension(assignment=assignment, student=extended, due_at=at(2027, 3, 19, 12))
    return done, pending, extended


def test_reminders_go_once_to_those_who_have_not_submitted(
    class_of_three, django_capture_on_commit_callbacks
):
    done, pending, extended = class_of_three
    with time_machine.travel(at(2027, 3, 11, 16), tick=False):  # 25 h before: too early
        call_command("send_due_reminders", stdout=io.StringIO())
    assert not mail.outbox
    with (
        time_machine.travel(at(2027, 3, 11, 17, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first, again = io.StringIO(), io.StringIO()
        call_command("send_due_reminders", stdout=first)
        call_command("send_due_reminders", stdout=again)
    assert (first.getvalue(), again.getvalue()) == ("Sent 1 reminder.\n", "Sent 0 reminders.\n")
    assert [m.to for m in mail.outbox] == [[pending.email]]
    assert "Due Tomorrow, 17:00 (GMT)" in mail.outbox[0].subject
    with (
        time_machine.travel(at(2027, 3, 18, 13), tick=False),  # the extension's turn
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_due_reminders()
    assert [m.to for m in mail.outbox][1:] == [[extended.email]]
    assert DueReminder.objects.count() == 2


def test_feedback_notifies_the_other_side_only(
    post, instructor, classmate, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_feedback(post=post, author=instructor, body="Secret words for you")
    assert [m.to for m in mail.outbox] == [[post.author.email]]
    assert "Secret words" not in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.add_feedback(post=post, author=post.author, body="Thanks")
    assert [m.to for m in mail.outbox][1:] == [[instructor.email]]
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {post.author.username, instructor.username}
    assert classmate.email not in {a for m in mail.outbox for a in m.to}


def test_feedback_is_in_no_feed_or_search(client, post, instructor):
    services.add_feedback(post=post, author=instructor, body="Zanzibar quintessence")
    course = post.course
    for url in (
        reverse("blog:course_feed_rss", args=[course.slug]),
        reverse("blog:course_feed_atom", args=[course.slug]),
        reverse("blog:site_feed_rss"),
        post.get_absolute_url(),
    ):
        assert b"Zanzibar" not in client.get(url).content, url
    found = client.get(reverse("blog:search"), {"q": "Zanzibar"}).context["page_obj"]
    assert len(found) == 0


def test_the_calendar_page_offers_a_webcal_link_that_opens_the_calendar_app(
    client, assignment, student
):
    client.force_login(student)
    page = client.get(reverse("assignments:calendar_subscribe", args=[assignment.course.slug]))
    feed = CalendarFeed.objects.get(user=student)
    content = page.content.decode()
    assert f'href="webcal://testserver{feed.get_absolute_url()}"' in content
    assert f"http://testserver{feed.get_absolute_url()}</code>" in content  # to copy
