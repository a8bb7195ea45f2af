"""Guests who tick "Notify me of follow-up comments by email" hear of new comments in
their thread, once a moderator has approved their own comment, until they unsubscribe."""

from django.conf import settings
from django.core import mail

from comments.models import Comment
from notifications.models import GuestSubscription
from tests import factories
from tests.notifications.conftest import comment_on, moderate, recipients, unsubscribe_path

LABEL = "Notify me of follow-up comments by email"


def test_the_checkbox_is_offered_to_guests_only(client, post, classmate):
    assert LABEL in client.get(post.get_absolute_url()).content.decode()
    client.force_login(classmate)
    assert LABEL not in client.get(post.get_absolute_url()).content.decode()


def test_ticking_the_box_follows_the_thread_of_the_guests_comment(client, post, guest):
    comment_on(client, post, "First thoughts.", notify="on", **guest)
    own = Comment.objects.get()
    subscription = GuestSubscription.objects.get()
    assert (subscription.email, subscription.root, subscription.comment) == (
        "gwen@example.org",
        own,
        own,
    )


def test_a_guests_reply_follows_the_thread_from_its_top(client, post, classmate, guest):
    top = factories.CommentFactory(post=post, author=classmate)
    middle = factories.CommentFactory(post=post, author=classmate, parent=top)
    comment_on(client, post, "Deep in the thread.", parent=middle, notify="on", **guest)
    assert GuestSubscription.objects.get().root == top


def test_without_the_tick_nothing_is_followed(client, post, guest):
    comment_on(client, post, "Just passing.", **guest)
    assert not GuestSubscription.objects.exists()


def test_a_follower_hears_of_new_comments_in_the_thread(
    client, post, classmate, django_capture_on_commit_callbacks
):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Replying to the guest.", parent=subscription.comment)
    reply = Comment.objects.get(author=classmate)
    guest_mail = next(m for m in mail.outbox if m.to == ["gwen@example.org"])
    assert guest_mail.subject == "New comment on “A published post”"
    assert "Replying to the guest." in guest_mail.body
    assert reply.get_absolute_url() in guest_mail.body
    header = guest_mail.extra_headers["List-Unsubscribe"]
    assert header == f"<https://{settings.SITE_DOMAIN}{unsubscribe_path(guest_mail)}>"


def test_a_follower_is_not_emailed_until_their_own_comment_is_approved(
    client, post, classmate, instructor, guest, django_capture_on_commit_callbacks
):
    top = factories.CommentFactory(post=post, author=classmate)
    comment_on(client, post, "Guest joins in.", parent=top, notify="on", **guest)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Instructor adds a note.", parent=top)
    assert "gwen@example.org" not in recipients()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, Comment.objects.get(status="pending"))
        comment_on(client, post, "And another note.", parent=top)
    assert recipients().count("gwen@example.org") == 1


def test_a_follower_is_not_emailed_about_their_own_comments_or_other_threads(
    client, post, classmate, instructor, guest, django_capture_on_commit_callbacks
):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    other_thread = factories.CommentFactory(post=post, author=classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Gwen again.", parent=subscription.comment, **guest)
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, Comment.objects.get(status="pending"))
        comment_on(client, post, "Elsewhere on the page.", parent=other_thread)
    assert "gwen@example.org" not in recipients()


def test_a_guest_unsubscribes_with_the_link_and_hears_no_more(
    client, post, classmate, django_capture_on_commit_callbacks
):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "One.", parent=subscription.comment)
    [guest_mail] = [m for m in mail.outbox if m.to == ["gwen@example.org"]]
    link = unsubscribe_path(guest_mail)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "“A published post”" in page.content.decode()
    assert GuestSubscription.objects.exists()  # a link checker's visit changes nothing
    done = client.post(link)
    assert done.status_code == 200
    assert "You’re unsubscribed" in done.content.decode()
    assert not GuestSubscription.objects.exists()
    mail.outbox.clear()
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Two.", parent=subscription.comment)
    assert "gwen@example.org" not in recipients()


def test_a_tampered_guest_link_is_refused(client, post):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    token = subscription.unsubscribe_token
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for method in (client.get, client.post):
        response = method(f"/notifications/unsubscribe/guest/{tampered}/")
        assert response.status_code == 400
        assert "This unsubscribe link isn’t valid" in response.content.decode()
    assert GuestSubscription.objects.exists()


def test_a_follower_is_not_emailed_once_the_course_is_for_members_only(
    client, post, classmate, django_capture_on_commit_callbacks
):
    subscription = factories.GuestSubscriptionFactory(comment__post=post)
    post.course.visibility = "members"
    post.course.save()
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Members only now.", parent=subscription.comment)
    assert "gwen@example.org" not in recipients()
