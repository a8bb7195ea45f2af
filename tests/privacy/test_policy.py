"""The course's erasure policy: set by its instructors in the course settings."""

from django.urls import reverse

SETTINGS = {"title": "History 101", "visibility": "public", "guest_comments": "off",
            "thread_depth": 5}  # fmt: skip


def settings_url(course):
    return reverse("blog:course_settings", kwargs={"course_slug": course.slug})


def test_a_course_keeps_a_former_members_posts_by_default(course):
    assert course.erasure_policy == "keep"


def test_instructor_sets_the_erasure_policy_and_every_page_of_the_course_changes(
    client, course, instructor
):
    before = (course.pages_version, course.common_version)
    client.force_login(instructor)
    page = client.get(settings_url(course)).content.decode()
    assert 'name="erasure_policy"' in page
    response = client.post(settings_url(course), {**SETTINGS, "erasure_policy": "remove"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.erasure_policy == "remove"
    assert (course.pages_version, course.common_version) > before


def test_settings_without_the_policy_keep_it(client, course, instructor):
    course.erasure_policy = "remove"
    course.save()
    client.force_login(instructor)
    client.post(settings_url(course), SETTINGS)
    course.refresh_from_db()
    assert course.erasure_policy == "remove"


def test_an_unknown_policy_is_a_form_error(client, course, instructor):
    client.force_login(instructor)
    response = client.post(settings_url(course), {**SETTINGS, "erasure_policy": "shred"})
    assert response.status_code == 400  # a rejected settings form: 4xx, as typed
    assert "Select a valid choice" in response.content.decode()


def test_a_student_cannot_change_the_policy(client, course, student):
    client.force_login(student)
    response = client.post(settings_url(course), {**SETTINGS, "erasure_policy": "remove"})
    assert response.status_code == 403
    course.refresh_from_db()
    assert course.erasure_policy == "keep"
