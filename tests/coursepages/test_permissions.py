"""docs/design.md's access table, the course pages' rows, cell by cell: through the
pages themselves (status codes) and through the predicates (Course.can_write_pages,
Page.can_read, Page.can_edit) and PageQuerySet.visible_to, which must agree."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from blog import services as blog_services
from blog.models import JOIN, SIGN_IN, Course
from coursepages.models import Page
from tests import factories

ACTORS = [
    "anonymous", "outsider", "student", "assistant", "instructor", "other_instructor", "staff",
]  # fmt: skip

READ_PUBLIC = dict.fromkeys(ACTORS, 200)
READ_MEMBERS = {
    "anonymous": 404, "outsider": 404, "student": 200, "assistant": 200, "instructor": 200,
    "other_instructor": 404, "staff": 200,
}  # fmt: skip
READ_DRAFT = {
    "anonymous": 404, "outsider": 404, "student": 404, "assistant": 200, "instructor": 200,
    "other_instructor": 404, "staff": 200,
}  # fmt: skip
# Write, edit, reorder, delete: the course's instructors and staff. A signed-in reader
# who may read the course is refused (403); anonymous readers are sent to sign in.
WRITE = {
    "anonymous": 302, "outsider": 403, "student": 403, "assistant": 403, "instructor": 200,
    "other_instructor": 403, "staff": 200,
}  # fmt: skip
# A closed course (docs/terms.md) is read-only: nobody writes its pages.
WRITE_CLOSED = {**dict.fromkeys(ACTORS, 403), "anonymous": 302}


def as_user(client, actors, who):
    user = actors[who]
    if user is not None:
        client.force_login(user)
    return user if user is not None else AnonymousUser()


def check_agree(page, user, expected_status):
    """The predicate and the queryset say what the page answered."""
    readable = expected_status == 200
    assert page.can_read(user) is readable
    assert Page.objects.visible_to(user).filter(pk=page.pk).exists() is readable


@pytest.mark.parametrize("who", ACTORS)
def test_a_public_page_of_a_public_course_is_read_by_everyone(client, actors, course, who):
    page = factories.PageFactory(course=course)
    user = as_user(client, actors, who)
    assert client.get(page.get_absolute_url()).status_code == READ_PUBLIC[who]
    check_agree(page, user, READ_PUBLIC[who])


@pytest.mark.parametrize("who", ACTORS)
def test_a_members_only_page_of_a_public_course_is_for_members(client, actors, course, who):
    page = factories.PageFactory(course=course, visibility="members")
    user = as_user(client, actors, who)
    assert client.get(page.get_absolute_url()).status_code == READ_MEMBERS[who]
    check_agree(page, user, READ_MEMBERS[who])


@pytest.mark.parametrize("who", ACTORS)
def test_a_public_page_of_a_members_only_course_is_for_members(client, actors, course, who):
    course.visibility = Course.Visibility.MEMBERS
    course.save()
    page = factories.PageFactory(course=course, visibility="public")
    user = as_user(client, actors, who)
    assert client.get(page.get_absolute_url()).status_code == READ_MEMBERS[who]
    check_agree(page, user, READ_MEMBERS[who])


@pytest.mark.parametrize("status", ["draft", "scheduled"])
@pytest.mark.parametrize("who", ACTORS)
def test_a_draft_or_scheduled_page_is_for_the_teaching_roles(client, actors, course, who, status):
    later = timezone.now() + timedelta(days=7) if status == "scheduled" else None
    page = factories.PageFactory(course=course, status=status, published_at=later)
    user = as_user(client, actors, who)
    assert client.get(page.get_absolute_url()).status_code == READ_DRAFT[who]
    check_agree(page, user, READ_DRAFT[who])


def write_urls(course, page):
    return [
        reverse("coursepages:page_list", args=[course.slug]),
        reverse("coursepages:page_create", args=[course.slug]),
        reverse("coursepages:page_edit", args=[course.slug, page.slug]),
        reverse("coursepages:page_delete", args=[course.slug, page.slug]),
    ]


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("who", ACTORS)
def test_only_instructors_and_staff_write_pages(client, actors, course, who, closed):
    page = factories.PageFactory(course=course)
    if closed:
        blog_services.close_course(course=course)
        course.refresh_from_db()
    user = as_user(client, actors, who)
    expected = (WRITE_CLOSED if closed else WRITE)[who]
    for url in write_urls(course, page):
        assert client.get(url).status_code == expected, url
    assert course.can_write_pages(user) is (expected == 200)
    assert page.can_edit(user) is (expected == 200)
    assert page.can_delete(user) is (expected == 200)


@pytest.mark.parametrize("who", ACTORS)
def test_a_refused_writer_changes_nothing_by_post(client, actors, course, who):
    page = factories.PageFactory(course=course, title="Syllabus")
    as_user(client, actors, who)
    edit = reverse("coursepages:page_edit", args=[course.slug, page.slug])
    data = {"title": "Hacked", "slug": "syllabus", "body": "x", "order": 0, "action": "update"}
    data["visibility"] = "public"
    response = client.post(edit, data)
    delete = client.post(reverse("coursepages:page_delete", args=[course.slug, page.slug]))
    if WRITE[who] == 200:
        assert response.status_code == 302 and delete.status_code == 302
        assert not Page.objects.filter(pk=page.pk).exists()
    else:
        assert response.status_code == WRITE[who] and delete.status_code == WRITE[who]
        assert Page.objects.get(pk=page.pk).title == "Syllabus"


def test_a_members_only_course_hides_its_pages_from_an_outsider_with_404(client, course, outsider):
    course.visibility = Course.Visibility.MEMBERS
    course.save()
    page = factories.PageFactory(course=course)
    client.force_login(outsider)
    for url in write_urls(course, page):
        assert client.get(url).status_code == 404, url


# --- Comments on a page (issue 26): as on a post, while the page allows them ---

# Posting on a page with comments on: everyone who reads it, guests and non-members held
# (the course takes guests' comments: its default); the course's members approved.
COMMENT_HELD = {
    "anonymous": True, "outsider": True, "student": False, "assistant": False,
    "instructor": False, "other_instructor": True, "staff": False,
}  # fmt: skip
LIKE_COMMENT = {  # 302: liked, back to the comment (without JavaScript)
    "anonymous": 403, "outsider": 403, "student": 302, "assistant": 302, "instructor": 302,
    "other_instructor": 403, "staff": 302,
}  # fmt: skip


def say_on(client, page, **extra):
    url = reverse("comments:page_comment", args=[page.course.slug, page.slug])
    data = {"body": "A question about the page.", "guest_name": "Vera",
            "guest_email": "vera@example.org", **extra}  # fmt: skip
    return client.post(url, data)


@pytest.mark.parametrize("who", ACTORS)
def test_who_comments_on_a_page_with_comments_on(client, actors, course, who):
    from comments.models import Comment

    page = factories.PageFactory(course=course, allows_comments=True)
    user = as_user(client, actors, who)
    assert page.can_comment(user)
    assert say_on(client, page).status_code == 302
    comment = Comment.objects.get(page=page)
    assert (comment.status == "pending") is COMMENT_HELD[who]


@pytest.mark.parametrize("who", ACTORS)
def test_nobody_comments_on_a_page_with_comments_off(client, actors, course, who):
    page = factories.PageFactory(course=course)
    user = as_user(client, actors, who)
    assert not page.can_comment(user)
    assert say_on(client, page).status_code == 403


@pytest.mark.parametrize("who", ACTORS)
def test_who_likes_a_pages_comments(client, actors, course, instructor, who):
    from comments import services

    page = factories.PageFactory(course=course, allows_comments=True)
    comment = services.post_comment(page=page, user=instructor, body="An answer.")
    user = as_user(client, actors, who)
    assert page.can_like(user) is (LIKE_COMMENT[who] == 302)
    response = client.post(reverse("comments:comment_like", args=[comment.pk]), {"liked": "1"})
    assert response.status_code == LIKE_COMMENT[who]


# Where the course takes no guests' comments, or reads as members only, a page's
# discussion is its members' (and staff's): Page.can_comment asks both the page's
# readers and the course's commenters.
COMMENT_MEMBERS = {
    "anonymous": False, "outsider": False, "student": True, "assistant": True,
    "instructor": True, "other_instructor": False, "staff": True,
}  # fmt: skip


@pytest.mark.parametrize("who", ACTORS)
def test_without_guests_only_members_comment_on_a_page(client, actors, course, who):
    Course.objects.filter(pk=course.pk).update(guest_comments=Course.GuestComments.OFF)
    page = factories.PageFactory(course=Course.objects.get(pk=course.pk), allows_comments=True)
    user = as_user(client, actors, who)
    assert page.can_comment(user) is COMMENT_MEMBERS[who]
    assert (say_on(client, page).status_code == 302) is COMMENT_MEMBERS[who]


@pytest.mark.parametrize("who", ACTORS)
def test_a_members_only_pages_discussion_is_its_readers(client, actors, course, who):
    page = factories.PageFactory(course=course, allows_comments=True, visibility="members")
    user = as_user(client, actors, who)
    assert page.can_comment(user) is COMMENT_MEMBERS[who]


# The step a reader lacks before liking a page's comments (the Like link's target).
STEP_TO_LIKE = {
    "anonymous": SIGN_IN, "outsider": JOIN, "student": "", "assistant": "",
    "instructor": "", "other_instructor": JOIN, "staff": "",
}  # fmt: skip


@pytest.mark.parametrize("allows_comments", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("who", ACTORS)
def test_the_step_to_like_a_pages_comments(client, actors, course, who, allows_comments):
    page = factories.PageFactory(course=course, allows_comments=allows_comments)
    user = as_user(client, actors, who) or AnonymousUser()
    assert page.step_to_like(user) == (STEP_TO_LIKE[who] if allows_comments else "")
