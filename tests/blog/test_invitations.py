"""Inviting people by email into a course (issue 27, item 13): a sign-up link tied to
the course and a role, expiring, single use; accepting it after sign-up or sign-in adds
the membership. Who may invite = who may manage the roster (``course.can_manage``)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import Invitation, Membership
from tests import factories

ACTORS = ["anonymous", "outsider", "student", "other_instructor", "instructor", "staff"]
MAY_INVITE = {"instructor", "staff"}  # course.can_manage: the roster's people


@pytest.fixture
def other_instructor(db):
    return factories.MembershipFactory(role="instructor").user


@pytest.fixture
def actors(course, student, instructor, staff, outsider, other_instructor):
    return {
        "anonymous": None,
        "outsider": outsider,
        "student": student,
        "other_instructor": other_instructor,
        "instructor": instructor,
        "staff": staff,
    }


def roster(course):
    return reverse("blog:course_roster", args=[course.slug])


def invite(client, course, emails, role="student", capture=None):
    url = reverse("blog:invitation_create", args=[course.slug])
    if capture is None:
        return client.post(url, {"emails": emails, "role": role})
    with capture(execute=True):
        return client.post(url, {"emails": emails, "role": role})


def link_in(message):
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


def path_of(link):
    return link.split("testserver", 1)[1]


def open_invitation(course, email="new@example.edu", role="student", invited_by=None):
    """(invitation, the path of the link emailed for it), sent through the service."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.invite_people(
            course=course, emails=[email], role=role, invited_by=invited_by,
            site_url="http://testserver/",
        )  # fmt: skip
    invitation = Invitation.objects.get(course=course, email=email, accepted_at=None)
    return invitation, path_of(link_in(mail.outbox[-1]))


# --- Who may invite and cancel ---


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_invite(client, course, actors, actor, django_capture_on_commit_callbacks):
    if actors[actor]:
        client.force_login(actors[actor])
    response = invite(client, course, "new@example.edu", capture=django_capture_on_commit_callbacks)
    invited = Invitation.objects.filter(email="new@example.edu").exists()
    if actor in MAY_INVITE:
        assert response.status_code == 302 and invited
        assert len(mail.outbox) == 1
    else:
        expected = 302 if actor == "anonymous" else 403
        assert response.status_code == expected and not invited
        assert not mail.outbox


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_cancel_an_invitation(client, course, actors, actor):
    invitation, _ = open_invitation(course)
    if actors[actor]:
        client.force_login(actors[actor])
    url = reverse("blog:invitation_cancel", args=[course.slug, invitation.pk])
    response = client.post(url)
    cancelled = not Invitation.objects.filter(pk=invitation.pk).exists()
    assert cancelled is (actor in MAY_INVITE)
    if actor not in MAY_INVITE:
        assert response.status_code == (302 if actor == "anonymous" else 403)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_roster_offers_invitations_to_those_who_manage_it(client, course, actors, actor):
    if actors[actor]:
        client.force_login(actors[actor])
    response = client.get(roster(course))
    if actor in MAY_INVITE:
        assert "Invite by email" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


# --- Sending ---


def test_invitation_email_carries_a_link_tied_to_the_course_and_role(
    client, course, instructor, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    response = invite(
        client, course, "Ada <ada@example.edu>, bo@example.edu", role="instructor",
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert response["Location"] == roster(course) + "#invitations"
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.edu", "bo@example.edu"]
    message = mail.outbox[0]
    assert course.title in message.subject
    assert "as an instructor" in message.body
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(email=message.to[0])
    assert invitation.role == "instructor" and invitation.course == course
    assert token not in invitation.token_hash  # only the hash is stored
    assert invitation.expires_at == invitation.created + timedelta(days=14)
    html = client.get(roster(course)).content.decode()
    assert "ada@example.edu" in html and "Waiting for an answer" in html


def test_inviting_again_sends_a_new_link_and_the_old_one_stops(client, course):
    first, old_path = open_invitation(course)
    second, new_path = open_invitation(course)
    assert first.pk == second.pk and old_path != new_path
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200


def test_members_are_not_invited(client, course, instructor, student):
    student.email = "Stu@Example.edu"
    student.save()
    client.force_login(instructor)
    response = invite(client, course, "stu@example.edu")
    assert not Invitation.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Already members, not invited: stu@example.edu" in m for m in messages)


@pytest.mark.parametrize(
    "emails, message",
    [("", "This field is required."), ("not-an-email, ok@example.edu", "Not an email address")],
)
def test_bad_addresses_are_a_form_error_that_keeps_the_text(
    client, course, instructor, emails, message
):
    client.force_login(instructor)
    response = invite(client, course, emails)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert emails in html.replace("&lt;", "<").replace("&gt;", ">")
    assert not Invitation.objects.exists()


# --- Accepting ---


def test_a_signed_in_person_joins_with_one_click(client, course, outsider):
    invitation, path = open_invitation(course, role="instructor")
    client.force_login(outsider)
    page = client.get(path)
    assert page.status_code == 200
    assert f"Join {course.title}" in page.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()  # a GET changes nothing
    before = course.common_version
    response = client.post(path)
    assert response["Location"] == course.get_absolute_url()
    assert Membership.objects.get(course=course, user=outsider).role == "instructor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider and invitation.is_used
    course.refresh_from_db()
    assert course.common_version > before  # members and roles show on the course's pages
    assert client.get(path)["Location"] == course.get_absolute_url()  # a second click


def test_signing_up_from_the_link_joins_the_course(
    client, course, django_capture_on_commit_callbacks
):
    _, path = open_invitation(course)
    page = client.get(path).content.decode()
    signup = reverse("account_signup") + "?next=" + path.replace("/", "%2F")
    assert f'href="{signup}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup") + f"?next={path}",
            {
                "username": "newcomer",
                "email": "newcomer@example.edu",
                "password1": "a-Long-passphrase-42",
                "password2": "a-Long-passphrase-42",
                "next": path,
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert Membership.objects.get(course=course, user=user).role == "student"
    assert client.get(path)["Location"] == course.get_absolute_url()
    # The session holds nothing left over (the member page cache needs that).
    assert "invitation_token" not in client.session


def test_signing_in_from_the_link_joins_the_course(client, course, outsider):
    outsider.set_password("a-Long-passphrase-42")
    outsider.save()
    _, path = open_invitation(course)
    client.get(path)
    response = client.post(
        reverse("account_login"),
        {"login": outsider.username, "password": "a-Long-passphrase-42", "next": path},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(course=course, user=outsider).exists()


def test_a_used_link_gives_a_clear_page(client, course, outsider, user):
    _, path = open_invitation(course)
    client.force_login(outsider)
    client.post(path)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation has already been used" in response.content.decode()
    assert client.post(path).status_code == 410
    assert not Membership.objects.filter(user=user).exists()


def test_an_expired_link_gives_a_clear_page(client, course, outsider, time_machine):
    invitation, path = open_invitation(course)
    time_machine.move_to(invitation.expires_at + timedelta(seconds=1))
    client.force_login(outsider)
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    client.post(path)
    assert not Membership.objects.filter(user=outsider).exists()


def test_an_unknown_or_cancelled_link_gives_a_clear_page(client, course, instructor):
    invitation, path = open_invitation(course)
    assert client.get("/invitations/made-up-token/").status_code == 404
    client.force_login(instructor)
    client.post(reverse("blog:invitation_cancel", args=[course.slug, invitation.pk]))
    response = client.get(path)
    assert response.status_code == 404
    assert "This invitation link isn’t valid" in response.content.decode()


def test_a_member_who_accepts_keeps_their_role(client, course, student):
    _, path = open_invitation(course, role="instructor")
    client.force_login(student)
    client.post(path)
    assert Membership.objects.get(course=course, user=student).role == "student"


def test_accept_invitation_refuses_twice(course, outsider, user):
    from django.core.exceptions import ValidationError

    invitation, _ = open_invitation(course)
    services.accept_invitation(invitation=invitation, user=outsider)
    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=user)
    assert refused.value.code == "used"


def test_expired_invitations_leave_the_roster(client, course, instructor, time_machine):
    invitation, _ = open_invitation(course)
    client.force_login(instructor)
    assert invitation.email in client.get(roster(course)).content.decode()
    time_machine.move_to(timezone.now() + timedelta(days=15))
    assert invitation.email not in client.get(roster(course)).content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_roster_with_invitations_runs_a_fixed_number_of_queries(
    client, course, instructor, size, django_assert_max_num_queries
):
    for n in range(size):
        factories.MembershipFactory(course=course)
        open_invitation(course, email=f"person{n}@example.edu", invited_by=instructor)
    client.force_login(instructor)
    with django_assert_max_num_queries(9):
        response = client.get(roster(course))
    assert response.content.decode().count("the invitation to person") == size
