"""A held comment notifies the course's instructors only; approval lets the usual
notifications go out, once."""

from django.core import mail
from django.urls import reverse

from comments.models import Comment
from notifications.models import Notification
from tests import factories
from tests.notifications.conftest import comment_on, moderate, recipients


def kinds():
    return sorted(Notification.objects.values_list("recipient__username", "kind"))


def test_a_held_guest_comment_notifies_only_this_courses_instructors(
    client, post, instructor, classmate, other_instructor, guest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = comment_on(client, post, "A visitor's view.", **guest)
    held = Comment.objects.get()
    assert response.status_code == 302
    assert held.status == "pending"
    assert kinds() == [("prof", "comment_pending")]
    notification = Notification.objects.get()
    assert notification.text == "A comment by Gwen Guest on “A published post” awaits moderation"
    assert notification.get_absolute_url().endswith(f"#comment-{held.pk}")
    [message] = mail.outbox
    assert message.to == [instructor.email]
    assert message.subject == "A comment on “A published post” awaits moderation"
    assert reverse("comments:moderation_queue", args=[post.course.slug]) in message.body


def test_a_non_members_held_comment_is_not_announced_to_the_post_author(
    client, post, instructor, outsider, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post)
    assert kinds() == [("prof", "comment_pending")]
    assert recipients() == [instructor.email]


def test_approval_sends_the_usual_notifications_and_settles_the_pending_one(
    client, post, instructor, classmate, guest, django_capture_on_commit_callbacks
):
    parent = factories.CommentFactory(post=post, author=classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "A guest replies.", parent=parent, **guest)
    held = Comment.objects.get(status="pending")
    mail.outbox.clear()
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, held)
    assert kinds() == [
        ("mate", "reply_to_comment"),
        ("prof", "comment_pending"),
        ("stu", "comment_on_post"),
    ]
    assert Notification.objects.get(kind="comment_pending").is_read
    assert sorted(recipients()) == sorted([classmate.email, post.author.email])
    assert "Gwen Guest replied to your comment" in next(
        m.subject for m in mail.outbox if m.to == [classmate.email]
    )


def test_bulk_approval_from_the_queue_notifies_each_comments_people(
    client, post, instructor, guest, django_capture_on_commit_callbacks
):
    factories.CommentFactory(post=post, author=None, status="pending", **guest)
    factories.CommentFactory(post=post, author=None, status="spam", guest_name="Sam")
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("comments:moderation_queue", args=[post.course.slug]),
            {"action": "approve", "comments": list(Comment.objects.values_list("pk", flat=True))},
        )
    assert kinds() == [("stu", "comment_on_post"), ("stu", "comment_on_post")]
    assert recipients() == [post.author.email, post.author.email]


def test_spam_and_removal_notify_nobody(
    client, post, instructor, guest, django_capture_on_commit_callbacks
):
    held = factories.CommentFactory(post=post, author=None, status="pending", **guest)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, held, "spam")
        moderate(client, held, "remove")
    assert kinds() == []
    assert mail.outbox == []


def test_approving_again_after_spam_does_not_notify_twice(
    client, post, instructor, guest, django_capture_on_commit_callbacks
):
    held = factories.CommentFactory(post=post, author=None, status="pending", **guest)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, held, "approve")
        moderate(client, held, "spam")
        moderate(client, held, "approve")
    assert kinds() == [("stu", "comment_on_post")]
    assert recipients() == [post.author.email]
