"""The teaching assistant role (docs/design.md, "Who may do what"): one of the course's
teachers, who moderates, gives feedback and grades, but doesn't run the course."""

import pytest
from django.core import mail
from django.urls import reverse

from blog.models import Membership, Post, Role
from notifications.models import Notification
from tests import factories


@pytest.fixture
def assistant(course):
    return factories.MembershipFactory(
        course=course, role=Role.ASSISTANT, user=factories.UserFactory(username="tara")
    ).user


def test_the_roster_lists_instructors_then_assistants_then_students(course, instructor):
    factories.MembershipFactory(course=course, user=factories.UserFactory(username="aaron"))
    factories.MembershipFactory(
        course=course, role=Role.ASSISTANT, user=factories.UserFactory(username="zelda")
    )
    roles = list(Membership.objects.for_course(course).by_name().values_list("role", flat=True))
    assert roles == [Role.INSTRUCTOR, Role.ASSISTANT, Role.STUDENT]


def test_an_instructor_makes_a_student_a_teaching_assistant_from_the_roster(
    client, course, instructor, student
):
    client.force_login(instructor)
    membership = Membership.objects.get(course=course, user=student)
    response = client.post(
        reverse("blog:membership_role", args=[course.slug, membership.pk]),
        {"role": "assistant"},
        follow=True,
    )
    assert "is now a teaching assistant." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ASSISTANT
    roster = client.get(reverse("blog:course_roster", args=[course.slug])).content.decode()
    assert '<option value="assistant" selected>Teaching assistant</option>' in roster


def test_an_assistant_moderates_and_grades_but_does_not_run_the_course(client, course, assistant):
    client.force_login(assistant)
    assert client.get(reverse("comments:moderation_queue", args=[course.slug])).status_code == 200
    gradebook = reverse("assignments:course_gradebook", args=[course.slug])
    assert client.get(gradebook).status_code == 200
    for name in ("blog:course_settings", "blog:course_roster"):
        assert client.get(reverse(name, args=[course.slug])).status_code == 403
    assert client.get(reverse("awards:award_create", args=[course.slug])).status_code == 403


def test_an_assistant_reads_instructors_only_posts_and_drafts(course, assistant, student):
    hidden = factories.PostFactory(course=course, author=student, visibility="instructors")
    draft = factories.PostFactory(course=course, author=student, status="draft", published_at=None)
    assert hidden.can_read(assistant) and draft.can_read(assistant)
    assert set(Post.objects.visible_to(assistant)) >= {hidden, draft}


def test_a_held_comment_and_an_authors_feedback_reach_the_assistant(
    course, post, instructor, assistant
):
    from django.contrib.auth.models import AnonymousUser

    from assignments import services as assignment_services
    from comments import services as comment_services

    comment_services.post_comment(
        post=post,
        user=AnonymousUser(),
        body="From outside",
        guest_name="Vera",
        guest_email="v@e.org",
    )
    pending = Notification.objects.filter(kind=Notification.Kind.COMMENT_PENDING)
    assert set(pending.values_list("recipient", flat=True)) == {instructor.pk, assistant.pk}
    assignment_services.add_feedback(post=post, author=post.author, body="A question for you")
    heard = Notification.objects.filter(kind=Notification.Kind.FEEDBACK)
    assert set(heard.values_list("recipient", flat=True)) == {instructor.pk, assistant.pk}


def test_an_invitation_as_teaching_assistant_says_so(
    client, course, instructor, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("blog:invitation_create", args=[course.slug]),
            {"emails": "ta@example.org", "role": "assistant"},
        )
    assert "as a teaching assistant." in " ".join(mail.outbox[0].body.split())
