"""Close a course (docs/terms.md; blog.services.close_course, blog/terms.py): it becomes
read-only, each write path refuses with words saying it ended, grading, feedback and
exports go on, every page says so at once (page caches included), and reopening gives
everything back."""

import pytest
from django.urls import reverse

from assignments import services as assignment_services
from assignments.models import Feedback, Grade
from blog import services
from blog.models import Course, Membership, Post, PostLike
from comments.models import Comment, CommentLike
from tests import factories
from tests.assignments.conftest import at

ENDED = "History 101 ended on"


@pytest.fixture
def world(course, student, classmate, instructor, staff):
    """An open course with a post by the student, a comment by the classmate, a draft of
    the instructor's and an assignment the student answered."""
    Course.objects.filter(pk=course.pk).update(time_zone="Europe/London")
    course.refresh_from_db()
    post = factories.PostFactory(course=course, author=student, title="A published post")
    comment = factories.CommentFactory(post=post, author=classmate)
    draft = factories.PostFactory(
        course=course, author=instructor, status="draft", published_at=None, title="Notes"
    )
    assignment = assignment_services.create_assignment(
        course=course, title="Essay", prompt="Write.", opens_at=at(2026, 1, 5, 9),
        due_at=at(2026, 1, 19, 17), points=10,
    )  # fmt: skip
    submission = assignment_services.submit(assignment=assignment, post=post)
    return {
        "course": course, "post": post, "comment": comment, "draft": draft,
        "assignment": assignment, "submission": submission, "student": student,
        "classmate": classmate, "instructor": instructor, "staff": staff,
    }  # fmt: skip


def attempt(client, world, path):
    """Try one write path; give the response and whether it wrote anything."""
    course, post, comment = world["course"], world["post"], world["comment"]
    student, classmate = world["student"], world["classmate"]
    if path == "join":
        client.force_login(factories.UserFactory(username="newcomer"))
        response = client.post(reverse("blog:course_join"), {"code": course.join_code})
        return response, Membership.objects.filter(user__username="newcomer").exists()
    if path == "guest_comment":
        data = {"body": "A guest's words", "guest_name": "Vera", "guest_email": "v@example.org"}
        url = reverse("comments:comment_create", args=[course.slug, post.slug])
        return client.post(url, data), Comment.objects.filter(guest_name="Vera").exists()
    if path == "publish":  # the instructor's own draft
        client.force_login(world["instructor"])
        draft = world["draft"]
        url = reverse("blog:post_edit", args=[course.slug, draft.slug])
        response = client.post(url, {"title": "Notes", "body": "Live now", "action": "publish"})
        return response, Post.objects.get(pk=draft.pk).is_published
    client.force_login(classmate if path in {"edit_comment", "delete_comment"} else student)
    if path == "post_create":
        url = reverse("blog:post_create", args=[course.slug])
        response = client.post(url, {"title": "New", "body": "Words", "action": "draft"})
        return response, Post.objects.filter(title="New").exists()
    if path == "post_edit":
        url = reverse("blog:post_edit", args=[course.slug, post.slug])
        response = client.post(url, {"title": "Changed", "body": "Words", "action": "update"})
        return response, Post.objects.filter(title="Changed").exists()
    if path == "post_delete":
        url = reverse("blog:post_delete", args=[course.slug, post.slug])
        return client.post(url), not Post.objects.filter(pk=post.pk).exists()
    if path == "comment":
        url = reverse("comments:comment_create", args=[course.slug, post.slug])
        response = client.post(url, {"body": "Yet more words"})
        return response, Comment.objects.filter(body="Yet more words").exists()
    if path == "reply":
        url = reverse("comments:comment_create", args=[course.slug, post.slug])
        response = client.post(url, {"body": "A reply", "parent": comment.pk})
        return response, Comment.objects.filter(parent=comment).exists()
    if path == "reply_page":
        return client.get(reverse("comments:comment_reply", args=[comment.pk])), False
    if path == "edit_comment":
        url = reverse("comments:comment_edit", args=[comment.pk])
        response = client.post(url, {"body": "Edited words"})
        return response, Comment.objects.filter(body="Edited words").exists()
    if path == "delete_comment":
        url = reverse("comments:comment_delete", args=[comment.pk])
        return client.post(url), Comment.objects.get(pk=comment.pk).is_removed
    if path == "like_post":
        url = reverse("blog:post_like", args=[course.slug, post.slug])
        return client.post(url, {"liked": "1"}), PostLike.objects.exists()
    if path == "like_comment":
        url = reverse("comments:comment_like", args=[comment.pk])
        return client.post(url, {"liked": "1"}), CommentLike.objects.exists()
    if path == "submit":
        assignment = world["assignment"]
        new = assignment_services.create_assignment(
            course=course, title="Second", prompt="Again.", opens_at=assignment.opens_at,
            due_at=assignment.due_at,
        )  # fmt: skip
        url = reverse("assignments:assignment_respond", args=[course.slug, new.slug])
        return client.post(url), new.submissions.exists()
    if path == "feedback_by_author":
        url = reverse("assignments:feedback_add", args=[course.slug, post.slug])
        return client.post(url, {"body": "A question"}), Feedback.objects.exists()
    raise AssertionError(path)


WRITE_PATHS = [
    "post_create", "post_edit", "post_delete", "publish", "comment", "reply", "reply_page",
    "guest_comment", "edit_comment", "delete_comment", "like_post", "like_comment", "submit",
    "feedback_by_author",
]  # fmt: skip


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_every_write_path_is_refused_on_a_closed_course_with_its_reason(client, world, path):
    services.close_course(course=world["course"])
    response, wrote = attempt(client, world, path)
    assert response.status_code == 403
    assert ENDED in response.content.decode()
    assert not wrote


def test_joining_a_closed_course_is_a_form_error_that_says_why(client, world):
    services.close_course(course=world["course"])
    response, joined = attempt(client, world, "join")
    assert response.status_code == 200 and not joined
    assert f"{ENDED}" in response.content.decode() and "takes no new members" in (
        response.content.decode()
    )
    assert 'value="' + world["course"].join_code + '"' in response.content.decode()


@pytest.mark.parametrize("path", ["join", *WRITE_PATHS])
def test_reopening_gives_every_write_path_back(client, world, path):
    services.close_course(course=world["course"])
    services.reopen_course(course=world["course"])
    response, wrote = attempt(client, world, path)
    assert response.status_code in (200, 201, 302)
    assert wrote or path == "reply_page"


def test_grading_feedback_and_exports_still_work_on_a_closed_course(client, world):
    course, submission = world["course"], world["submission"]
    services.close_course(course=course)
    client.force_login(world["instructor"])
    response = client.post(submission.get_absolute_url(), {"points": "7"})
    assert response.status_code == 302 and Grade.objects.get().points == 7
    url = reverse("assignments:feedback_add", args=[course.slug, world["post"].slug])
    assert client.post(url, {"body": "Well argued."}).status_code == 302
    assert Feedback.objects.filter(body="Well argued.").exists()
    csv = client.get(reverse("assignments:gradebook_csv", args=[course.slug, "canvas"]))
    assert csv.status_code == 200 and b"Essay" in csv.content
    gradebook = client.get(reverse("assignments:course_gradebook", args=[course.slug]))
    assert gradebook.status_code == 200
    client.force_login(world["student"])  # the author still reads the feedback
    assert "Well argued." in client.get(world["post"].get_absolute_url()).content.decode()


def test_instructors_still_edit_and_unpublish_on_a_closed_course(client, world):
    course, post = world["course"], world["post"]
    services.close_course(course=course)
    client.force_login(world["instructor"])
    url = reverse("blog:post_edit", args=[course.slug, post.slug])
    data = {"title": "Retitled", "body": "Words", "action": "update"}
    assert client.post(url, data).status_code == 302
    assert Post.objects.get(pk=post.pk).title == "Retitled"
    client.post(reverse("blog:post_unpublish", args=[course.slug, post.slug]))
    assert not Post.objects.get(pk=post.pk).is_published


# --- The banner, and the page caches --------------------------------------------


def banner(client, url):
    return "This course ended on" in client.get(url).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "student"])
def test_every_course_page_says_it_ended_at_once_and_stops_saying_it_when_reopened(
    client, world, reader
):
    course, post = world["course"], world["post"]
    if reader == "student":
        client.force_login(world["student"])
    pages = [
        course.get_absolute_url(),
        post.get_absolute_url(),
        reverse("blog:author_posts", args=[course.slug, world["student"].username]),
    ]
    assert not any(banner(client, url) for url in pages)  # now cached
    assert "Leave a reply" in client.get(post.get_absolute_url()).content.decode()
    services.close_course(course=course)
    assert all(banner(client, url) for url in pages)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Leave a reply" not in html and 'name="body"' not in html
    services.reopen_course(course=course)
    assert not any(banner(client, url) for url in pages)
    assert "Leave a reply" in client.get(post.get_absolute_url()).content.decode()


def test_closing_bumps_the_course_versions_in_its_transaction(world):
    course = world["course"]
    before = Course.objects.values_list("pages_version", "common_version").get(pk=course.pk)
    services.close_course(course=course)
    after = Course.objects.values_list("pages_version", "common_version").get(pk=course.pk)
    assert after == (before[0] + 1, before[1] + 1)
    services.close_course(course=course)  # closing again changes nothing
    assert Course.objects.values_list("pages_version", "common_version").get(pk=course.pk) == after


def test_the_banner_gives_the_day_in_the_course_zone(client, world, time_machine):
    course = world["course"]
    Course.objects.filter(pk=course.pk).update(time_zone="Pacific/Auckland")
    course.refresh_from_db()
    time_machine.move_to(at(2027, 1, 15, 20))  # 16 January in Auckland
    services.close_course(course=course)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "This course ended on 16 January 2027." in html


# --- Close and reopen: the pages ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("outsider", 403), ("student", 403), ("instructor", 200), ("staff", 200)],
)
def test_who_may_close_and_reopen(client, world, outsider, who, status):
    course = world["course"]
    user = {"anonymous": None, "outsider": outsider}.get(who, world.get(who))
    if user:
        client.force_login(user)
    close_url = reverse("blog:course_close", args=[course.slug])
    assert client.get(reverse("blog:course_term", args=[course.slug])).status_code == status
    assert client.get(close_url).status_code == status
    response = client.post(close_url)
    course.refresh_from_db()
    assert course.is_closed == (status == 200)
    if status == 200:
        assert response["Location"] == reverse("blog:course_term", args=[course.slug])
    services.close_course(course=course)
    client.post(reverse("blog:course_reopen", args=[course.slug]))
    course.refresh_from_db()
    assert course.is_closed != (status == 200)


def test_a_members_only_course_is_not_found_by_non_members(client, private_course, outsider):
    client.force_login(outsider)
    for name in ("course_term", "course_close", "course_copy"):
        assert client.get(reverse(f"blog:{name}", args=[private_course.slug])).status_code == 404
    assert client.post(reverse("blog:course_reopen", args=[private_course.slug])).status_code == 404


def test_closing_is_a_confirmed_post_and_reopening_one_more(client, world):
    course = world["course"]
    client.force_login(world["instructor"])
    page = client.get(reverse("blog:course_close", args=[course.slug])).content.decode()
    assert "Close “History 101”?" in page and 'method="post"' in page
    course.refresh_from_db()
    assert not course.is_closed  # asking is not closing
    client.post(reverse("blog:course_close", args=[course.slug]))
    term = client.get(reverse("blog:course_term", args=[course.slug])).content.decode()
    assert "Reopen the course" in term
    client.post(reverse("blog:course_reopen", args=[course.slug]))
    course.refresh_from_db()
    assert not course.is_closed


def test_reopen_answers_only_post(client, world):
    client.force_login(world["instructor"])
    url = reverse("blog:course_reopen", args=[world["course"].slug])
    assert client.get(url).status_code == 405
