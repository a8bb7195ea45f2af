"""What assignments add to blog's pages: the editor's assignment choice and the
submission rule, the private part of the post page, the home page's "What's due",
the course page links and the participation columns."""

import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments import services
from assignments.models import Submission
from tests import factories
from tests.assignments.conftest import ACTORS, ALLOWED, at


def editor_data(assignment=None, action="publish", **extra):
    return {
        "title": "My answer on the Thaw",
        "body": "Khrushchev's speech *changed* the question.",
        "assignment-assignment": assignment.pk if assignment else "",
        "action": action,
        **extra,
    }


def write(client, course, user=None, **data):
    if user is not None:  # signed in at the travelled-to time (sessions expire)
        client.force_login(user)
    return client.post(reverse("blog:post_create", args=[course.slug]), editor_data(**data))


@pytest.mark.parametrize(
    ("moment", "late"), [(at(2027, 3, 12, 16, 59), False), (at(2027, 3, 14, 9), True)]
)
def test_publishing_from_the_editor_submits(client, student, assignment, moment, late):
    with time_machine.travel(moment, tick=False):
        response = write(client, assignment.course, student, assignment=assignment)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert submission.submitted_at == moment and submission.is_late is late
    assert submission.snapshot.body == "Khrushchev's speech *changed* the question."


def test_after_the_cutoff_publishing_is_refused_and_the_draft_kept(client, student, assignment):
    with time_machine.travel(at(2027, 3, 20, 9), tick=False):
        response = write(client, assignment.course, student, assignment=assignment)
        page = client.get(response["Location"])
    post = student.posts.get()
    assert post.status == "draft" and post.body.startswith("Khrushchev")
    assert not post.submission.is_submitted
    text = page.content.decode()
    assert "no longer accepts responses" in text and "saved as a draft" in text


def test_the_editor_lists_open_assignments(client, student, assignment):
    with time_machine.travel(at(2027, 3, 2, 9), tick=False):
        client.force_login(student)
        page = client.get(reverse("blog:post_create", args=[assignment.course.slug]))
    assert "This post answers" in page.content.decode()
    assert assignment.title in page.content.decode()


def test_a_course_without_assignments_has_no_assignment_choice(client, student, course):
    client.force_login(student)
    page = client.get(reverse("blog:post_create", args=[course.slug]))
    assert "This post answers" not in page.content.decode()


def test_an_ordinary_post_still_publishes(client, student, assignment):
    with time_machine.travel(at(2027, 3, 20, 9), tick=False):
        write(client, assignment.course, student)
    assert student.posts.get().status == "published"
    assert not Submission.objects.exists()


@pytest.fixture
def submission(assignment, post):
    with time_machine.travel(at(2027, 3, 10, 12), tick=False):
        return services.submit(assignment=assignment, post=post)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_sees_the_feedback_on_the_post_page(client, actors, submission, actor):
    services.add_feedback(post=submission.post, author=submission.post.author, body="Hidden")
    client.force_login(actors[actor])
    response = client.get(submission.post.get_absolute_url())
    allowed = actor in ALLOWED["see_feedback"]
    assert response.status_code == 200
    assert ('id="feedback"' in response.content.decode()) is allowed
    assert ("Hidden" in response.content.decode()) is allowed


def test_student_sees_grade_and_feedback_on_their_post(client, instructor, submission):
    services.grade(submission=submission, grader=instructor, points=9)
    services.add_feedback(post=submission.post, author=instructor, body="Strong *close* reading.")
    client.force_login(submission.post.author)
    content = client.get(submission.post.get_absolute_url()).content.decode()
    assert "Strong <em>close</em> reading." in content
    assert "9 / 10" in content


def test_whats_due_on_the_students_home_page(client, student, course, assignment):
    services.create_assignment(
        course=course, title="Past and missing", prompt="x",
        opens_at=at(2027, 2, 1, 9), due_at=at(2027, 3, 5, 17), cutoff_at=at(2027, 3, 6, 17),
    )  # fmt: skip
    client.cookies["tz"] = "America%2FNew_York"  # as static/js/site.js sets it
    with time_machine.travel(at(2027, 3, 8, 10), tick=False):  # a Monday
        client.force_login(student)
        content = client.get(reverse("home")).content.decode()
    assert "What's due" in content
    assert "Due Friday, 17:00 (GMT); Friday, 12:00 your time (EST)" in content
    assert "Missing" in content and "Past and missing" in content


def test_whats_due_shows_each_reader_their_own_zone_from_the_member_page_cache(
    student, course, assignment
):
    """The zone cookie keeps nobody from the cached home page: "What's due" is a hole,
    filled for each reader with their own cookie."""
    other = factories.MembershipFactory(course=course).user
    pages = {}
    with time_machine.travel(at(2027, 3, 8, 10), tick=False):  # a Monday
        for user, zone in ((student, "America%2FNew_York"), (other, "Asia%2FTokyo")):
            client = Client()
            client.cookies["tz"] = zone  # as static/js/site.js sets it
            client.force_login(user)
            client.get(reverse("home"))
            response = client.get(reverse("home"))
            pages[zone] = (response["X-Page-Cache"], response.content.decode())
    assert [hit for hit, _ in pages.values()] == ["hit", "hit"]
    assert "Friday, 12:00 your time (EST)" in pages["America%2FNew_York"][1]
    tokyo = pages["Asia%2FTokyo"][1]
    assert "your time (JST)" in tokyo and "(EST)" not in tokyo


def test_whats_due_leaves_out_what_is_submitted(client, student, assignment):
    post = factories.PostFactory(course=assignment.course, author=student)
    with time_machine.travel(at(2027, 3, 8, 10), tick=False):
        services.submit(assignment=assignment, post=post)
        client.force_login(student)
        content = client.get(reverse("home")).content.decode()
    assert "What's due" not in content


def test_course_page_links_for_members_and_instructors(client, course, student, instructor):
    client.force_login(student)
    content = client.get(course.get_absolute_url()).content.decode()
    assert reverse("assignments:assignment_list", args=[course.slug]) in content
    assert reverse("assignments:course_gradebook", args=[course.slug]) not in content
    client.force_login(instructor)
    content = client.get(course.get_absolute_url()).content.decode()
    assert reverse("assignments:course_gradebook", args=[course.slug]) in content


def test_participation_has_a_column_per_assignment(client, instructor, submission):
    client.force_login(instructor)
    course = submission.assignment.course
    response = client.get(
        reverse("blog:course_participation", args=[course.slug]), {"period": "term"}
    )
    headers = [h["label"] for h in response.context["headers"]]
    assert "Submitted: The Thaw in three documents" in headers
    row = next(r for r in response.context["table"].rows if r.user == submission.student)
    key = f"assignment-{submission.assignment_id}"
    assert row.values[key] == submission.submitted_at


def feedback_token(content):
    """The CSRF token of the page's feedback form."""
    form = content[content.index('id="feedback"') :]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_the_authors_private_part_is_kept_without_a_query_until_feedback_arrives(post):
    """A post without feedback costs its author's hits no query for the thread (the
    post's row says it has none) and no template (the part is kept); each response's
    form carries that reader's own CSRF token; the first feedback shows at once."""
    readers = []
    for _ in range(2):  # two sessions of the author: two CSRF secrets
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(post.author)
        reader.get(post.get_absolute_url())  # the first draws the page
        readers.append(reader)
    with CaptureQueriesContext(connection) as queries:
        hit = readers[0].get(post.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert not [q for q in queries if 'FROM "assignments_feedback"' in q["sql"].split("EXISTS")[0]]
    assert "No feedback yet." in hit.content.decode()
    pages = [reader.get(post.get_absolute_url()).content.decode() for reader in readers]
    url = reverse("assignments:feedback_add", args=[post.course.slug, post.slug])
    for reader, content in zip(readers, pages, strict=True):
        body = "Is the second part *too* long?"
        sent = reader.post(url, {"body": body, "csrfmiddlewaretoken": feedback_token(content)})
        assert sent.status_code == 302  # not 403: the token is this reader's
    content = readers[1].get(post.get_absolute_url()).content.decode()
    assert content.count("Is the second part <em>too</em> long?") == 2
    assert "No feedback yet." not in content
