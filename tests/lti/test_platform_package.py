"""Launches from an LMS nobody on this project wrote (lti1p3platform, tests/lti/lms.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from blog.models import Membership, Role
from lti.models import Context, Identity
from tests.lti.conftest import launch_through

pytestmark = pytest.mark.django_db


def set_up_course(lms):
    """An instructor's first launch, creating the course for the LMS course."""
    client = Client()
    response = launch_through(client, lms, user_id="teacher-1", role="instructor")
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(response["Location"], {"action": "create"})
    return Context.objects.get(platform=lms.platform).course


def test_instructor_launch_sets_up_the_course(package_lms):
    course = set_up_course(package_lms)
    assert course.title == "History 210"
    teacher = Identity.objects.get(sub="teacher-1").user
    assert teacher.display_name == "Grace Hopper"
    assert course.role_of(teacher) == Role.INSTRUCTOR


def test_learner_launch_joins_as_a_student(package_lms, client):
    course = set_up_course(package_lms)
    response = launch_through(client, package_lms, user_id="student-1", role="learner")
    assert response["Location"] == course.get_absolute_url()
    student = Identity.objects.get(sub="student-1").user
    assert Membership.objects.get(course=course, user=student).role == Role.STUDENT


def test_teaching_assistant_launch_is_not_an_instructor(package_lms, client):
    course = set_up_course(package_lms)
    launch_through(client, package_lms, user_id="ta-1", role="assistant")
    membership = Membership.objects.get(course=course, user__lti_identities__sub="ta-1")
    assert membership.role == Role.ASSISTANT


def test_framed_launch_hands_off_to_a_tab(package_lms, client):
    course = set_up_course(package_lms)
    response = launch_through(
        client, package_lms, user_id="student-2", role="learner", document_target="iframe"
    )
    assert response.status_code == 200
    opened = client.get(reverse("lti:handoff_open", args=[response.context["handoff"].token]))
    assert opened["Location"] == course.get_absolute_url()


def test_student_before_setup_is_told_the_course_is_not_set_up(package_lms, client):
    response = launch_through(client, package_lms, user_id="student-1", role="learner")
    assert response.status_code == 409
    assert not Identity.objects.exists()
