"""docs/design.md's access table for courses and posts, row by row.

Actors: anonymous, a signed-in non-member ("guest commenter" has no account, so
on the site they are anonymous), a member student, the post's author, a teaching
assistant and an instructor of this course, an instructor of another course, and staff.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.models import STAFF, Course, Post, Role
from tests import factories

ACTORS = [
    "anonymous",
    "outsider",
    "student",
    "author",
    "assistant",
    "instructor",
    "other_instructor",
    "staff",
]


@pytest.fixture
def actors(course, student, instructor, staff, outsider):
    author = factories.MembershipFactory(
        course=course, user=factories.UserFactory(username="writer")
    ).user
    other_course = factories.CourseFactory(slug="other")
    other_instructor = factories.MembershipFactory(
        course=other_course, role="instructor", user=factories.UserFactory(username="otherprof")
    ).user
    assistant = factories.MembershipFactory(
        course=course, role="assistant", user=factories.UserFactory(username="ta")
    ).user
    return {
        "anonymous": None,
        "outsider": outsider,
        "student": student,
        "author": author,
        "assistant": assistant,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "staff": staff,
    }


def as_user(client, actors, who):
    user = actors[who]
    if user is not None:
        client.force_login(user)
    return user


def anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- Reading -----------------------------------------------------------------

READ_PUBLIC = dict.fromkeys(ACTORS, 200)
READ_MEMBERS_ONLY = {
    "anonymous": 404,
    "outsider": 404,
    "student": 200,
    "author": 200,
    "assistant": 200,
    "instructor": 200,
    "other_instructor": 404,
    "staff": 200,
}
READ_DRAFT = {
    "anonymous": 404,
    "outsider": 404,
    "student": 404,
    "author": 200,
    "assistant": 200,
    "instructor": 200,
    "other_instructor": 404,
    "staff": 200,
}


@pytest.mark.parametrize("who", ACTORS)
def test_published_post_in_public_course_is_readable_by_everyone(client, actors, course, who):
    post = factories.PostFactory(course=course, author=actors["author"])
    as_user(client, actors, who)
    assert client.get(post.get_absolute_url()).status_code == READ_PUBLIC[who]


@pytest.mark.parametrize("who", ACTORS)
def test_members_only_course_and_its_posts_are_hidden_from_non_members(client, actors, course, who):
    course.visibility = Course.Visibility.MEMBERS
    course.save()
    post = factories.PostFactory(course=course, author=actors["author"])
    as_user(client, actors, who)
    assert client.get(post.get_absolute_url()).status_code == READ_MEMBERS_ONLY[who]
    assert client.get(course.get_absolute_url()).status_code == READ_MEMBERS_ONLY[who]


@pytest.mark.parametrize("status", ["draft", "scheduled"])
@pytest.mark.parametrize("who", ACTORS)
def test_draft_is_visible_only_to_author_instructors_and_staff(client, actors, course, who, status):
    """ "read a draft or a scheduled post": a scheduled post is read like a draft."""
    later = timezone.now() + timedelta(days=7) if status == "scheduled" else None
    post = factories.PostFactory(
        course=course, author=actors["author"], status=status, published_at=later
    )
    as_user(client, actors, who)
    assert client.get(post.get_absolute_url()).status_code == READ_DRAFT[who]
    assert post.can_read(actors.get(who) or AnonymousUser()) is (READ_DRAFT[who] == 200)


# --- Writing, editing, deleting ---------------------------------------------

WRITE = {
    "anonymous": 302,  # to the login page
    "outsider": 403,
    "student": 200,
    "author": 200,
    "assistant": 200,
    "instructor": 200,
    "other_instructor": 403,
    "staff": 200,
}
EDIT = {
    "anonymous": 302,
    "outsider": 403,
    "student": 403,
    "author": 200,
    "assistant": 200,
    "instructor": 200,
    "other_instructor": 403,
    "staff": 200,
}
DELETE = {
    "anonymous": 302,
    "outsider": 403,
    "student": 403,
    "author": 200,
    "assistant": 403,
    "instructor": 403,
    "other_instructor": 403,
    "staff": 200,
}
# A closed course (docs/terms.md) is read-only: nobody writes a post; its instructors
# (and staff) still edit and unpublish; only staff still delete.
WRITE_CLOSED = {**dict.fromkeys(ACTORS, 403), "anonymous": 302}
EDIT_CLOSED = {**EDIT, "author": 403}
DELETE_CLOSED = {**DELETE, "author": 403}
CLOSED = [pytest.param(False, id="open"), pytest.param(True, id="closed")]


def close(course, closed):
    if closed:
        services.close_course(course=course)


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_write_a_post_in_the_course(client, actors, course, who, closed):
    close(course, closed)
    as_user(client, actors, who)
    response = client.get(reverse("blog:post_create", args=[course.slug]))
    assert response.status_code == (WRITE_CLOSED if closed else WRITE)[who]


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_edit_a_post(client, actors, course, who, closed):
    post = factories.PostFactory(course=course, author=actors["author"])
    close(course, closed)
    as_user(client, actors, who)
    url = reverse("blog:post_edit", args=[course.slug, post.slug])
    assert client.get(url).status_code == (EDIT_CLOSED if closed else EDIT)[who]


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_delete_a_post(client, actors, course, who, closed):
    post = factories.PostFactory(course=course, author=actors["author"])
    close(course, closed)
    table = DELETE_CLOSED if closed else DELETE
    as_user(client, actors, who)
    url = reverse("blog:post_delete", args=[course.slug, post.slug])
    assert client.get(url).status_code == table[who]
    client.post(url)
    assert Post.objects.filter(pk=post.pk).exists() == (table[who] != 200)


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_unpublish_a_post(client, actors, course, who, closed):
    post = factories.PostFactory(course=course, author=actors["author"])
    close(course, closed)
    table = EDIT_CLOSED if closed else EDIT
    as_user(client, actors, who)
    response = client.post(reverse("blog:post_unpublish", args=[course.slug, post.slug]))
    post.refresh_from_db()
    assert post.is_published == (table[who] != 200)
    if table[who] == 403:
        assert response.status_code == 403


# Pinning a post as an announcement, and unpinning it: instructors and staff, in an
# open course (nothing new is announced in a closed one).
PIN = {
    "anonymous": 302,
    "outsider": 403,
    "student": 403,
    "author": 403,
    "assistant": 403,  # announcements are the instructors'
    "instructor": 200,
    "other_instructor": 403,
    "staff": 200,
}
PIN_CLOSED = {**dict.fromkeys(ACTORS, 403), "anonymous": 302}


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_may_pin_a_post_as_an_announcement(client, actors, course, who, closed):
    post = factories.PostFactory(course=course, author=actors["author"])
    close(course, closed)
    table = PIN_CLOSED if closed else PIN
    user = as_user(client, actors, who)
    assert post.can_pin(user or anonymous_user()) == (table[who] == 200)
    assert course.can_pin(user or anonymous_user()) == (table[who] == 200)
    url = reverse("blog:post_pin", args=[course.slug, post.slug])
    assert client.get(url).status_code == table[who]
    response = client.post(url, {"until": ""})
    post.refresh_from_db()
    assert (post.pinned_at is not None) == (table[who] == 200)
    assert response.status_code == (302 if table[who] == 200 else table[who])


@pytest.mark.parametrize("who", ACTORS)
def test_who_may_unpin_an_announcement(client, actors, course, instructor, who):
    post = factories.PostFactory(course=course, author=actors["author"])
    services.pin_post(post=post, by=instructor)
    as_user(client, actors, who)
    client.post(reverse("blog:post_unpin", args=[course.slug, post.slug]))
    post.refresh_from_db()
    assert (post.pinned_at is None) == (PIN[who] == 200)


# Who gets the announcements box on the course page (and the course's on their home):
# every member, whatever their role, and staff; open or closed alike.
SEES_ANNOUNCEMENTS = {**dict.fromkeys(ACTORS, True), "anonymous": False, "outsider": False}
SEES_ANNOUNCEMENTS["other_instructor"] = False


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("who", ACTORS)
def test_who_sees_the_announcements_box(client, actors, course, instructor, who, closed):
    post = factories.PostFactory(course=course, author=instructor, title="Read this first")
    services.pin_post(post=post, by=instructor)
    close(course, closed)
    user = as_user(client, actors, who)
    assert course.sees_announcements(user or anonymous_user()) is SEES_ANNOUNCEMENTS[who]
    html = client.get(course.get_absolute_url()).content.decode()
    assert ('id="announcements-title"' in html) is (SEES_ANNOUNCEMENTS[who] and not closed)


# --- Predicates, directly ---------------------------------------------------


@pytest.mark.parametrize(
    "who, role",
    [
        ("anonymous", None),
        ("outsider", None),
        ("student", "student"),
        ("assistant", "assistant"),
        ("instructor", "instructor"),
        ("other_instructor", None),
        ("staff", STAFF),
    ],
)
def test_role_of(actors, course, who, role):
    user = actors[who] or anonymous_user()
    assert course.role_of(user) == role


@pytest.mark.parametrize(
    "who, moderate, run",
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("student", False, False),
        ("author", False, False),
        ("assistant", True, False),  # moderates; runs nothing
        ("instructor", True, True),
        ("other_instructor", False, False),
        ("staff", True, True),
    ],
)
def test_moderation_is_for_teachers_and_awards_for_instructors_and_staff(
    actors, course, who, moderate, run
):
    user = actors[who] or anonymous_user()
    assert course.can_moderate(user) is moderate
    assert course.can_manage_posts(user) is moderate
    assert course.teaches(user) is moderate
    assert course.can_grant_awards(user) is run
    assert course.can_manage(user) is run
    assert course.can_import(user) is run  # docs/design.md: import a WordPress export


@pytest.mark.parametrize(
    "who, may_join",
    [
        ("anonymous", False),  # signs in first
        ("outsider", True),
        ("student", False),  # already a member
        ("author", False),
        ("assistant", False),
        ("instructor", False),
        ("other_instructor", True),
        ("staff", False),  # staff belong everywhere already
    ],
)
def test_who_may_join_a_course(actors, course, who, may_join):
    user = actors[who] or anonymous_user()
    assert course.can_join(user) is may_join


@pytest.mark.parametrize("who", ACTORS)
def test_nobody_joins_a_closed_course(actors, course, who):
    services.close_course(course=course)
    user = actors[who] or anonymous_user()
    assert course.can_join(user) is False


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize(
    "who, may",
    [
        ("anonymous", False),
        ("outsider", False),
        ("student", False),
        ("author", False),
        ("assistant", False),
        ("instructor", True),
        ("other_instructor", False),
        ("staff", True),
    ],
)
def test_closing_reopening_and_copying_belong_to_instructors_and_staff(
    actors, course, who, may, closed
):
    close(course, closed)
    user = actors[who] or anonymous_user()
    assert course.can_close(user) is may
    assert course.can_copy(user) is may


@pytest.mark.parametrize(
    "who, member",
    [
        ("anonymous", False),
        ("outsider", False),
        ("student", True),
        ("author", True),
        ("assistant", True),
        ("instructor", True),
        ("other_instructor", False),
        ("staff", True),
    ],
)
def test_a_closed_course_takes_part_in_nothing_but_members_still_see_who_liked(
    actors, course, who, member
):
    user = actors[who] or anonymous_user()
    post = factories.PostFactory(course=course, author=actors["author"])
    assert course.can_participate(user) is member
    assert course.can_write_post(user) is member
    services.close_course(course=course)
    assert course.can_participate(user) is False
    assert course.can_write_post(user) is False
    assert course.can_comment(user) is False  # the course takes guest comments when open
    assert post.can_like(user) is False
    assert post.can_publish(user) is False
    assert course.can_see_likers(user) is member
    assert course.holds_comments_of(user) is not member
    assert course.step_to_participate(user) == ""
    assert post.can_read(user) is True
    assert post.can_see_feedback(user) is (who in ("author", "assistant", "instructor", "staff"))
    assert post.can_write_feedback(user) is (who in ("assistant", "instructor", "staff"))
    assert course.can_grade(user) is (who in ("assistant", "instructor", "staff"))


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize(
    "who, step, held",
    [
        ("anonymous", "sign_in", True),
        ("outsider", "join", True),
        ("student", "", False),
        ("assistant", "", False),
        ("instructor", "", False),
        ("other_instructor", "join", True),
        ("staff", "", False),
    ],
)
def test_the_step_to_take_part_and_whose_comments_are_held(actors, course, who, step, held, closed):
    close(course, closed)
    user = actors[who] or anonymous_user()
    assert course.step_to_participate(user) == ("" if closed else step)
    assert course.holds_comments_of(user) is held


def test_an_open_course_is_not_closed_and_has_no_closing_day(course):
    assert not course.is_closed and course.closed_on is None
    services.close_course(course=course)
    assert course.is_closed and course.closed_on is not None


def test_reopening_gives_everything_back(actors, course):
    author = actors["author"]
    post = factories.PostFactory(course=course, author=author)
    services.close_course(course=course)
    services.reopen_course(course=course)
    assert course.can_write_post(author) and course.can_participate(author)
    assert post.can_edit(author) and post.can_publish(author) and post.can_delete(author)
    assert post.can_write_feedback(author) and post.can_like(author)
    assert course.can_join(actors["outsider"]) and course.can_comment(anonymous_user())


def test_an_authors_draft_stays_readable_to_them_in_a_closed_course(actors, course):
    draft = factories.PostFactory(course=course, author=actors["author"], status="draft")
    services.close_course(course=course)
    assert draft.can_read(actors["author"]) and not draft.can_edit(actors["author"])


def test_role_of_asks_the_database_once_per_request(course, student, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            course.role_of(student)
            course.can_moderate(student)
            course.can_write_post(student)


def test_anonymous_readers_have_no_role_and_cost_no_query(course, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert course.role_of(anonymous_user()) is None
        assert course.role_of(None) is None


def test_a_remembered_role_is_the_one_role_of_answers(course, outsider, django_assert_num_queries):
    course.remember_role(outsider, Role.INSTRUCTOR)  # as if loaded with the page's rows
    with django_assert_num_queries(0):
        assert course.role_of(outsider) == Role.INSTRUCTOR


def test_a_role_changed_in_the_request_is_not_answered_from_the_cache(course, outsider):
    assert course.role_of(outsider) is None
    services.join_course(course=course, user=outsider)  # same user object, same request
    assert course.role_of(outsider) == Role.STUDENT


def test_roles_are_per_course(course, instructor):
    other = factories.CourseFactory()
    assert course.can_moderate(instructor)
    assert not other.can_moderate(instructor)
    assert not other.can_write_post(instructor)


@pytest.mark.parametrize(
    "who, can_create",
    [("anonymous", False), ("student", False), ("instructor", False), ("staff", True)],
)
def test_who_may_create_a_course(actors, who, can_create):
    assert Course.can_create(actors[who] or anonymous_user()) is can_create


def test_instructors_group_may_create_courses(db):
    from django.contrib.auth.models import Group

    teacher = factories.UserFactory()
    teacher.groups.add(Group.objects.get(name="Instructors"))
    assert Course.can_create(teacher)


# --- Lists respect visibility ------------------------------------------------


def test_members_only_posts_never_appear_in_lists_for_non_members(client, outsider, db):
    hidden = factories.CourseFactory(visibility="members")
    factories.PostFactory(course=hidden, title="Secret seminar notes")
    factories.PostFactory(title="Open notes")
    client.force_login(outsider)
    home = client.get(reverse("home")).content.decode()
    assert "Open notes" in home
    assert "Secret seminar notes" not in home
    profile_owner = hidden.posts.get().author
    profile = client.get(profile_owner.get_absolute_url()).content.decode()
    assert "Secret seminar notes" not in profile


def test_visible_to_lists_exactly_what_each_actor_may_read(actors, course):
    author = actors["author"]
    published = factories.PostFactory(course=course, author=author)
    draft = factories.PostFactory(course=course, author=author, status="draft", published_at=None)
    hidden_course = factories.CourseFactory(visibility="members")
    hidden = factories.PostFactory(course=hidden_course)

    def visible(who):
        return set(Post.objects.visible_to(actors[who] or anonymous_user()))

    assert visible("anonymous") == {published}
    assert visible("student") == {published}
    assert visible("author") == {published, draft}
    assert visible("instructor") == {published, draft}
    assert visible("staff") >= {published, draft, hidden}
