"""Writing a response: its address follows the title it is published with, and
"Published!" says that it was submitted, and whether on time."""

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
