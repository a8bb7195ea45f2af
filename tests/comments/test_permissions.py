"""docs/design.md's access table for comments, likes and moderation, through the client.

Actors: anonymous (no details), guest (signed out, fills in name and email),
non-member (signed in, in no role here: a third-party sign-in is this), member
student, post author, teaching assistant and instructor of this course, instructor of
another course, staff.
"""

import pytest
from django.urls import reverse

from comments.models import Comment, CommentLike
from tests import factories
from tests.comments.conftest import create_url
from tests.factories import CommentFactory, MembershipFactory

ACTORS = [
    "anonymous",
    "guest",
    "non_member",
    "student",
    "post_author",
    "assistant",
    "instructor",
    "other_instructor",
    "staff",
]


@pytest.fixture
def act_as(client, request, post, classmate, instructor, staff, outsider):
    """Sign the client in as the named actor; returns the user (None when signed out)."""

    def sign_in(actor):
        users = {
            "non_member": outsider,
            "student": classmate,
            "post_author": post.author,
            "assistant": MembershipFactory(
                course=post.course, role="assistant", user=factories.UserFactory(username="ta")
            ).user,
            "instructor": instructor,
            "other_instructor": request.getfixturevalue("other_instructor"),
            "staff": staff,
        }
        user = users.get(actor)
        if user is not None:
            client.force_login(user)
        return user

    return sign_in


def comment_data(actor, guest_data, body="My view on this post."):
    return {**guest_data, "body": body} if actor == "guest" else {"body": body}


# actor: status of the new comment when guests are allowed ("moderated"), or the HTTP
# status when they are not.
COMMENT_WITH_GUESTS = {
    "anonymous": 400,  # the form comes back asking for name and email
    "guest": "pending",
    "non_member": "pending",
    "student": "approved",
    "post_author": "approved",
    "assistant": "approved",
    "instructor": "approved",
    "other_instructor": "pending",
    "staff": "approved",
}
COMMENT_WITHOUT_GUESTS = {
    "anonymous": 403,
    "guest": 403,
    "non_member": 403,
    "student": "approved",
    "post_author": "approved",
    "assistant": "approved",
    "instructor": "approved",
    "other_instructor": 403,
    "staff": "approved",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_comment_when_guests_are_moderated(client, act_as, post, guest_data, actor):
    act_as(actor)
    data = comment_data(actor, guest_data) if actor != "anonymous" else {"body": "Hi"}
    response = client.post(create_url(post), data)
    expected = COMMENT_WITH_GUESTS[actor]
    if isinstance(expected, int):
        assert response.status_code == expected
        assert not Comment.objects.exists()
        assert "This field is required." in response.content.decode()
    else:
        assert response.status_code == 302
        assert Comment.objects.get().status == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_comment_when_guests_are_off(client, act_as, post, guest_data, actor):
    post.course.guest_comments = "off"
    post.course.save()
    act_as(actor)
    response = client.post(create_url(post), comment_data(actor, guest_data))
    expected = COMMENT_WITHOUT_GUESTS[actor]
    if isinstance(expected, int):
        assert response.status_code == expected
        assert not Comment.objects.exists()
    else:
        assert Comment.objects.get().status == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_members_only_course_hides_its_posts_and_comments_from_outsiders(
    client, act_as, post, guest_data, actor
):
    post.course.visibility = "members"
    post.course.save()
    act_as(actor)
    response = client.post(create_url(post), comment_data(actor, guest_data))
    if actor in ("anonymous", "guest", "non_member", "other_instructor"):
        assert response.status_code == 404
    else:
        assert Comment.objects.get().status == "approved"


MAY_LIKE = {"student", "post_author", "assistant", "instructor", "staff"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_like_a_comment(client, act_as, post, actor):
    comment = CommentFactory(post=post)
    user = act_as(actor)
    response = client.post(reverse("comments:comment_like", args=[comment.pk]))
    if actor in MAY_LIKE:
        assert response.status_code == 302
        assert CommentLike.objects.get().user == user
    else:
        assert response.status_code == 403
        assert not CommentLike.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_like_a_post(client, act_as, post, actor):
    act_as(actor)
    response = client.post(reverse("blog:post_like", args=[post.course.slug, post.slug]))
    assert response.status_code == (302 if actor in MAY_LIKE else 403)
    assert post.likes.count() == (1 if actor in MAY_LIKE else 0)


MAY_MODERATE = {"assistant", "instructor", "staff"}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_moderate_a_comment(client, act_as, post, actor):
    comment = CommentFactory(post=post, status="pending", author=None, guest_name="G")
    act_as(actor)
    response = client.post(
        reverse("comments:comment_moderate", args=[comment.pk]), {"action": "approve"}
    )
    comment.refresh_from_db()
    if actor in MAY_MODERATE:
        assert response.status_code == 302
        assert comment.status == "approved"
    elif actor in ("anonymous", "guest"):  # signed out: to log in
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert comment.status == "pending"
    else:
        assert response.status_code == 403
        assert comment.status == "pending"


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_open_the_moderation_queue(client, act_as, post, actor):
    act_as(actor)
    response = client.get(reverse("comments:moderation_queue", args=[post.course.slug]))
    if actor in ("anonymous", "guest"):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (200 if actor in MAY_MODERATE else 403)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_edit_and_delete_another_members_comment(client, act_as, post, actor):
    someone = MembershipFactory(course=post.course).user
    comment = CommentFactory(post=post, author=someone, body="Original words")
    act_as(actor)
    edit = client.post(reverse("comments:comment_edit", args=[comment.pk]), {"body": "Changed"})
    delete = client.post(reverse("comments:comment_delete", args=[comment.pk]))
    comment.refresh_from_db()
    expected = 302 if actor in ("anonymous", "guest") else 403  # signed out: to log in
    assert edit.status_code == expected
    assert delete.status_code == expected
    assert comment.body == "Original words"
    assert comment.status == "approved"


def test_a_non_member_cannot_edit_their_own_held_comment(client, post, outsider):
    comment = CommentFactory(post=post, author=outsider, status="pending")
    client.force_login(outsider)
    response = client.post(reverse("comments:comment_edit", args=[comment.pk]), {"body": "x"})
    assert response.status_code == 403


def test_staff_edits_their_own_comment(client, post, staff):
    comment = CommentFactory(post=post, author=staff)
    client.force_login(staff)
    client.post(reverse("comments:comment_edit", args=[comment.pk]), {"body": "Better"})
    comment.refresh_from_db()
    assert comment.body == "Better"


def test_nobody_comments_on_a_draft(client, post, instructor):
    post.status = "draft"
    post.save()
    client.force_login(post.author)
    assert client.post(create_url(post), {"body": "On my own draft"}).status_code == 403
    client.force_login(instructor)
    assert client.post(create_url(post), {"body": "On a draft"}).status_code == 403
    assert not Comment.objects.exists()


def test_drafts_are_not_found_by_people_who_cannot_read_them(client, post, classmate):
    post.status = "draft"
    post.save()
    client.force_login(classmate)
    assert client.post(create_url(post), {"body": "Hello?"}).status_code == 404


def test_spam_and_removed_comments_are_not_found_by_readers(client, post, classmate):
    spam = CommentFactory(post=post, status="spam")
    client.force_login(classmate)
    assert client.get(reverse("comments:comment_reply", args=[spam.pk])).status_code == 404
    assert client.post(reverse("comments:comment_like", args=[spam.pk])).status_code == 404


def test_in_a_course_without_guest_comments_members_reply_and_readers_do_not(
    course, post, classmate
):
    from django.contrib.auth.models import AnonymousUser

    course.guest_comments = "off"
    course.save()
    comment = CommentFactory(post=post, author=post.author)
    comment = Comment.objects.select_related("post__course").get(pk=comment.pk)
    assert comment.can_reply(classmate) is True
    assert comment.can_reply(AnonymousUser()) is False


def test_comment_visibility_edges(course, post, classmate, outsider, private_course):
    """Mutants of can_view and can_see_likers that survived before: a member of a
    members-only course sees its comments; a member (not an outsider) sees who liked;
    a held comment by one guest is not shown to a reader who doesn't hold its id."""
    from django.contrib.auth.models import AnonymousUser

    member = MembershipFactory(course=private_course).user
    hidden_post = factories.PostFactory(course=private_course, author=member)
    comment = CommentFactory(post=hidden_post, author=member)
    comment = Comment.objects.select_related("post__course").get(pk=comment.pk)
    assert comment.can_view(member) is True
    assert comment.can_view(outsider) is False
    assert course.can_see_likers(classmate) is True
    assert course.can_see_likers(outsider) is False
    held = CommentFactory(
        post=post, author=None, guest_name="G", guest_email="g@example.org", status="pending"
    )
    held = Comment.objects.select_related("post__course").get(pk=held.pk)
    assert held.can_view(AnonymousUser(), guest_comment_ids=[held.pk]) is True
    assert held.can_view(AnonymousUser(), guest_comment_ids=[]) is False
