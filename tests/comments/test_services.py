"""comments.services.post_comment takes plain values (the importer calls it too)."""

from django.contrib.auth.models import AnonymousUser

from comments import services
from comments.models import Comment
from tests import factories


def test_member_comment_from_plain_values_is_approved(post, classmate):
    comment = services.post_comment(post=post, user=classmate, body="Well put.")
    assert comment.author == classmate
    assert comment.status == Comment.Status.APPROVED
    assert "Well put." in comment.body_html


def test_guest_comment_from_plain_values_is_held(post):
    comment = services.post_comment(
        post=post,
        user=AnonymousUser(),
        body="A visitor's thought.",
        guest_name="Vera",
        guest_email="vera@example.org",
    )
    assert (comment.guest_name, comment.status) == ("Vera", Comment.Status.PENDING)


def test_a_too_deep_reply_hangs_under_the_deepest_allowed_ancestor(post, classmate):
    post.course.thread_depth = 2
    post.course.save()
    top = factories.CommentFactory(post=post)
    reply = factories.CommentFactory(post=post, parent=top)
    comment = services.post_comment(post=post, user=classmate, body="Deep.", parent_id=reply.pk)
    assert comment.parent_id == top.pk
