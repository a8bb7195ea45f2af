"""One place for each rule: roles, the instructors of a course, the search column."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Post
from tests import factories


def writes_to_posts(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE")) and "blog_post" in q["sql"]
    ]


def test_saving_a_post_writes_its_row_once(course, student):
    post = Post(course=course, author=student, title="Thaw", body="Words.")
    with CaptureQueriesContext(connection) as created:
        post.save()
    post.title = "Thaw, again"
    with CaptureQueriesContext(connection) as updated:
        post.save()
    assert len(writes_to_posts(created.captured_queries)) == 1
    assert len(writes_to_posts(updated.captured_queries)) == 1


def test_course_instructors_are_its_instructor_members(course, instructor, student):
    assert list(course.instructors()) == [instructor]


def test_instructor_who_makes_themself_a_student_lands_on_the_course_page(
    client, course, instructor
):
    """The role cached for this request is refreshed by the service that changed it."""
    factories.MembershipFactory(course=course, role="instructor")  # someone stays in charge
    own = course.memberships.get(user=instructor)
    client.force_login(instructor)
    url = reverse("blog:membership_role", args=[course.slug, own.pk])
    response = client.post(url, {"role": "student"})
    assert response.url == course.get_absolute_url()
