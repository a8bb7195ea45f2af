"""Writing a response: its address follows the title it is published with, and
"Published!" says that it was submitted, and whether on time."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from assignments import services
from tests import factories
from tests.assignments.conftest import at


def respond(client, student, assignment):
    """ "Write your response": the student's draft, titled after the assignment."""
    client.force_login(student)
    client.post(
        reverse("assignments:assignment_respond", args=[assignment.course.slug, assignment.slug])
    )
    return student.posts.get()


def publish(client, post, title="Kitchens and queues"):
    url = reverse("blog:post_edit", args=[post.course.slug, post.slug])
    data = {
        "title": title,
        "body": "The queue is the period's *classroom*.",
        "assignment-assignment": post.submission.assignment_id,
        "action": "publish",
    }
    return client.post(url, data)


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_response_published_under_a_new_title_takes_that_title_as_its_address(
    client, student, assignment
):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        post = respond(client, student, assignment)
        assert post.slug == "response-the-thaw-in-three-documents"
        response = publish(client, post)
    post.refresh_from_db()
    assert post.is_published and post.slug == "kitchens-and-queues"
    assert response["Location"] == post.get_absolute_url()


def test_the_first_publication_keeps_the_address_unique_in_the_course(
    client, course, student, classmate, assignment
):
    factories.PostFactory(course=course, author=classmate, title="Kitchens and queues")
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        publish(client, respond(client, student, assignment))
    assert student.posts.get().slug == "kitchens-and-queues-2"


def test_once_published_the_address_stays_when_the_title_changes(client, student, assignment):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        post = respond(client, student, assignment)
        publish(client, post)
        post.refresh_from_db()
        url = reverse("blog:post_edit", args=[post.course.slug, post.slug])
        client.post(url, {"title": "Another title", "body": "Changed.", "action": "update"})
    post.refresh_from_db()
    assert post.title == "Another title" and post.slug == "kitchens-and-queues"


@pytest.mark.parametrize(
    ("moment", "extended", "words"),
    [
        (
            at(2027, 3, 10, 12),
            False,
            "It is also submitted to “The Thaw in three documents”, on time (due",
        ),
        (
            at(2027, 3, 14, 12),
            False,
            "It is also submitted to “The Thaw in three documents”, late: it was due",
        ),
        (
            at(2027, 3, 14, 12),
            True,
            "It is also submitted to “The Thaw in three documents”, on time with your "
            "extension (due",
        ),
    ],
)
def test_published_says_it_was_submitted_and_whether_on_time(
    client, student, assignment, moment, extended, words
):
    if extended:
        services.grant_extension(assignment=assignment, student=student, due_at=at(2027, 3, 16, 17))
    with time_machine.travel(moment, tick=False):
        response = publish(client, respond(client, student, assignment))
    [message] = said(response)
    assert message.startswith("Published! Your post is live in the course.")
    assert words in message


def test_an_ordinary_post_says_only_published(client, course, student, assignment):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        client.force_login(student)  # at the travelled-to time: sessions expire
        response = client.post(
            reverse("blog:post_create", args=[course.slug]),
            {"title": "Not an answer", "body": "Text.", "action": "publish"},
        )
    assert said(response) == ["Published! Your post is live in the course."]


# --- A scheduled response (blog/scheduling.py): submitted when it goes live ---


def schedule(client, post, typed):
    url = reverse("blog:post_edit", args=[post.course.slug, post.slug])
    data = {
        "title": "Kitchens and queues",
        "body": "The queue is the period's *classroom*.",
        "assignment-assignment": post.submission.assignment_id,
        "action": "schedule",
        "schedule-publish_at": typed,
    }
    return client.post(url, data)


@pytest.mark.parametrize(
    ("typed", "live_at", "late", "words"),
    [
        ("2027-03-12T16:00", at(2027, 3, 12, 16), False, "when it goes live, on time (due"),
        ("2027-03-13T09:00", at(2027, 3, 13, 9), True, "late: it goes live after the due time"),
    ],
    ids=["before-the-due-time", "after-it"],
)
def test_a_scheduled_response_is_submitted_when_it_goes_live_at_that_time(
    client, student, assignment, typed, live_at, late, words
):
    from blog import scheduling

    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        post = respond(client, student, assignment)
        response = schedule(client, post, typed)
    [message] = said(response)
    assert message.startswith("Scheduled: it goes live") and words in message
    post.refresh_from_db()
    assert post.is_scheduled and post.submission.submitted_at is None  # not yet
    with time_machine.travel(live_at - timedelta(seconds=1), tick=False):
        scheduling.publish_due()
    post.submission.refresh_from_db()
    assert post.submission.submitted_at is None  # scheduled before the due time is not enough
    with time_machine.travel(live_at + timedelta(seconds=20), tick=False):
        scheduling.publish_due()
    post.submission.refresh_from_db()
    assert post.submission.submitted_at == live_at  # its publish time
    assert post.submission.is_late is late
    assert post.submission.snapshot is not None


def test_a_response_scheduled_past_the_cut_off_is_refused_with_the_reason(
    client, student, assignment
):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        post = respond(client, student, assignment)
        response = schedule(client, post, "2027-03-20T09:00")
    assert response.status_code == 200
    assert "no longer accepts responses" in response.content.decode()
    post.refresh_from_db()
    assert post.status == "draft"
