"""Services take plain values, so commands, admin actions and tests call them directly."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from blog import services
from blog.models import Post, Role
from blog.shortcuts import (
    managed_course_or_403,
    readable_course_or_404,
    readable_post_or_404,
    writable_course_or_403,
)
from tests import factories


def test_create_course_from_plain_values_makes_its_creator_instructor(user):
    course = services.create_course(instructor=user, title="Thaw Culture", thread_depth=3)
    assert course.slug == "thaw-culture"
    assert course.thread_depth == 3
    assert course.role_of(user) == Role.INSTRUCTOR


def test_save_post_from_plain_values_publishes_with_new_topics(course, student):
    topic = factories.TopicFactory(course=course, name="Week 4")
    post = services.save_post(
        post=Post(course=course, author=student),
        action="publish",
        title="Samizdat",
        body="Typed *by hand*.",
        topics=[topic],
        new_topics=["Poetry"],
    )
    post.refresh_from_db()
    assert post.is_published and post.published_at is not None
    assert "<em>by hand</em>" in post.body_html
    assert sorted(t.name for t in post.topics.all()) == ["Poetry", "Week 4"]


def test_save_post_refuses_a_field_it_does_not_set(course, student):
    with pytest.raises(TypeError, match="author"):
        services.save_post(post=Post(course=course, author=student), title="T", author=None)


def test_save_post_refuses_an_unknown_action(course, student):
    with pytest.raises(ValueError):
        services.save_post(post=Post(course=course, author=student), action="shout", title="T")


def test_a_refused_publish_is_saved_as_a_draft_and_any_other_action_changes_nothing():
    assert services.action_when_refused(action="publish") == "draft"
    for action in ("update", "draft", "unpublish"):
        assert services.action_when_refused(action=action) is None


def test_a_new_join_code_replaces_the_old_and_bumps_the_course_pages(course):
    old_code, old_versions = course.join_code, (course.pages_version, course.common_version)
    services.regenerate_join_code(course=course)
    course.refresh_from_db()
    assert course.join_code != old_code
    assert (course.pages_version, course.common_version) == tuple(v + 1 for v in old_versions)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_managed_course_or_403_lets_instructors_in(course, instructor):
    assert managed_course_or_403(_request(instructor), course.slug) == course


def test_managed_course_or_403_refuses_students(course, student):
    with pytest.raises(PermissionDenied):
        managed_course_or_403(_request(student), course.slug)


def test_writable_course_or_403_lets_members_write_and_refuses_others(course, student, outsider):
    assert writable_course_or_403(_request(student), course.slug) == course
    with pytest.raises(PermissionDenied):
        writable_course_or_403(_request(outsider), course.slug)


def test_writable_course_or_403_hides_a_private_course_from_outsiders(private_course, outsider):
    with pytest.raises(Http404):
        writable_course_or_403(_request(outsider), private_course.slug)


def test_managed_course_or_403_hides_a_private_course_from_outsiders(private_course, outsider):
    with pytest.raises(Http404):
        managed_course_or_403(_request(outsider), private_course.slug)


def test_readable_post_or_404_hides_a_draft_from_classmates(course, student, classmate):
    draft = factories.PostFactory(course=course, author=student, status="draft")
    with pytest.raises(Http404):
        readable_post_or_404(_request(classmate), course, draft.slug)
    assert readable_post_or_404(_request(student), course, draft.slug) == draft


def test_readable_course_or_404_hides_a_private_course(private_course, outsider):
    with pytest.raises(Http404):
        readable_course_or_404(_request(outsider), private_course.slug)
