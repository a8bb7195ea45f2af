"""Who hears of a new comment or an award, in the app and by email, and who doesn't."""

from django.core import mail

from awards.services import grant_award
from comments.models import Comment
from notifications.models import Notification
from tests import factories
from tests.notifications.conftest import comment_on, recipients


def notified():
    """(recipient username, kind) of every notification, oldest first."""
    rows = Notification.objects.order_by("pk").values_list("recipient__username", "kind")
    return list(rows)


def test_a_comment_notifies_the_posts_author_and_nobody_else(
    client, post, classmate, instructor, django_capture_on_commit_callbacks
):
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        response = comment_on(client, post, "I disagree with the second paragraph.")
    new = Comment.objects.get()
    assert response.status_code == 302
    assert notified() == [("stu", "comment_on_post")]
    notification = Notification.objects.get()
    assert notification.actor_name == classmate.name
    assert notification.get_absolute_url() == f"{post.get_absolute_url()}#comment-{new.pk}"
    [message] = mail.outbox
    assert message.to == [post.author.email]
    assert message.subject == f"{classmate.name} commented on “A published post”"
    assert "I disagree with the second paragraph." in message.body
    assert f"{post.get_absolute_url()}#comment-{new.pk}" in message.body


def test_a_reply_notifies_the_parents_author_and_the_posts_author(
    client, post, classmate, instructor, django_capture_on_commit_callbacks
):
    parent = factories.CommentFactory(post=post, author=classmate)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Good point, and here is why.", parent=parent)
    assert sorted(notified()) == [("mate", "reply_to_comment"), ("stu", "comment_on_post")]
    assert sorted(recipients()) == sorted([classmate.email, post.author.email])
    reply_mail = next(m for m in mail.outbox if m.to == [classmate.email])
    assert reply_mail.subject == f"{instructor.name} replied to your comment on “A published post”"


def test_the_post_author_who_wrote_the_parent_hears_once(
    client, post, student, classmate, django_capture_on_commit_callbacks
):
    parent = factories.CommentFactory(post=post, author=student)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, parent=parent)
    assert notified() == [("stu", "reply_to_comment")]
    assert recipients() == [student.email]


def test_nobody_is_notified_of_their_own_comment_or_reply(
    client, post, student, django_capture_on_commit_callbacks
):
    client.force_login(student)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Thanks for reading, everyone.")
        comment_on(client, post, "And a postscript.", parent=Comment.objects.get())
    assert Comment.objects.count() == 2
    assert notified() == []
    assert mail.outbox == []


def test_the_notification_is_written_with_the_comment_and_emailed_after_commit(
    client, post, classmate, django_capture_on_commit_callbacks
):
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_on(client, post)
    assert notified() == [("stu", "comment_on_post")]  # in the comment's transaction
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert recipients() == [post.author.email]


def test_an_award_notifies_the_posts_author_once(
    post, instructor, django_capture_on_commit_callbacks
):
    award = factories.AwardFactory(course=post.course, name="Clear Argument")
    with django_capture_on_commit_callbacks(execute=True):
        grant_award(award=award, post=post, granted_by=instructor, citation="Crisp.")
    assert notified() == [("stu", "award_received")]
    notification = Notification.objects.get()
    assert notification.get_absolute_url() == post.get_absolute_url() + "#awards"
    assert notification.text == "Your post “A published post” received the Clear Argument award"
    [message] = mail.outbox
    assert message.to == [post.author.email]
    assert message.subject == "Your post “A published post” received the Clear Argument award"
    assert "Crisp." in message.body
    assert "/notifications/unsubscribe/" in message.body


def test_an_award_granted_to_ones_own_post_notifies_nobody(
    course, instructor, django_capture_on_commit_callbacks
):
    own_post = factories.PostFactory(course=course, author=instructor)
    award = factories.AwardFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        grant_award(award=award, post=own_post, granted_by=instructor)
    assert notified() == []
    assert mail.outbox == []


def test_a_user_without_an_email_address_is_notified_in_the_app_only(
    client, post, classmate, django_capture_on_commit_callbacks
):
    post.author.email = ""
    post.author.save()
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post)
    assert notified() == [("stu", "comment_on_post")]
    assert mail.outbox == []


def test_no_email_about_a_post_the_recipient_may_no_longer_read(
    client, post, student, classmate, django_capture_on_commit_callbacks
):
    post.course.visibility = "members"
    post.course.save()
    parent = factories.CommentFactory(post=post, author=factories.UserFactory(username="left"))
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, parent=parent)
    assert recipients() == [student.email]  # "left" is no member: in the app only
