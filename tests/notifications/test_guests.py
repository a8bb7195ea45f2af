"""Commenters who tick "Notify me of follow-up comments by email" (guests, and signed-in
people by their address) hear of new comments on the post, once their own comment is
approved, until they unsubscribe."""

from django.conf import settings
from django.core import mail

from comments.models import Comment
from notifications.models import GuestSubscription
from tests import factories
from tests.notifications.conftest import comment_on, moderate, recipients, unsubscribe_path

LABEL = "Notify me of follow-up comments by email"


def test_the_checkbox_is_offered_to_guests_and_signed_in_commenters(client, post, classmate):
    assert LABEL in client.get(post.get_absolute_url()).content.decode()
    client.force_login(classmate)
    assert LABEL in client.get(post.get_absolute_url()).content.decode()


def test_ticking_the_box_follows_the_whole_post(client, post, guest):
    comment_on(client, post, "First thoughts.", notify="on", **guest)
    own = Comment.objects.get()
    subscription = GuestSubscription.objects.get()
    assert (subscription.email, subscription.post, subscription.root, subscription.comment) == (
        "gwen@example.org",
        post,
        None,
        own,
    )


def test_a_guests_reply_follows_the_whole_post_too(client, post, classmate, guest):
    top = factories.CommentFactory(post=post, author=classmate)
    middle = factories.CommentFactory(post=post, author=classmate, parent=top)
    comment_on(client, post, "Deep in the thread.", parent=middle, notify="on", **guest)
    subscription = GuestSubscription.objects.get()
    assert (subscription.post, subscription.root) == (post, None)


def test_a_follower_hears_of_comments_in_every_thread_of_the_post(
    client, post, classmate, instructor, guest, django_capture_on_commit_callbacks
):
    comment_on(client, post, "Gwen starts a thread.", notify="on", **guest)
    client.force_login(instructor)
    other_thread = factories.CommentFactory(post=post, author=classmate)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, Comment.objects.get(status="pending"))
        comment_on(client, post, "Elsewhere on the page.", parent=other_thread)
        comment_on(client, post, "A new thread.")
    assert recipients().count("gwen@example.org") == 2


def test_a_signed_in_commenter_who_ticks_the_box_follows_the_post_by_email(
    client, post, classmate, instructor, django_capture_on_commit_callbacks
):
    classmate.email = "Mate@Example.edu"
    classmate.save()
    client.force_login(classmate)
    comment_on(client, post, "I'd like to hear more.", notify="on")
    subscription = GuestSubscription.objects.get()
    assert (subscription.email, subscription.root, subscription.subscriber) == (
        "mate@example.edu",
        None,
        classmate,
    )
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "A separate remark from the instructor.")
    [follow_up] = [m for m in mail.outbox if m.to == ["mate@example.edu"]]
    assert "A separate remark from the instructor." in follow_up.body
    # The link in it works for them too.
    mail.outbox.clear()
    assert client.post(unsubscribe_path(follow_up)).status_code == 200
    assert not GuestSubscription.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "Another remark.")
    assert "mate@example.edu" not in recipients()


def test_a_following_member_already_notified_of_a_comment_gets_one_email(
    client, post, student, classmate, django_capture_on_commit_callbacks
):
    client.force_login(student)  # the post's author
    comment_on(client, post, "Thanks for reading!", notify="on")
    client.force_login(classmate)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "A question for the author.")
    assert recipients().count(student.email) == 1


def test_a_member_follows_a_members_only_course_where_guests_are_not_emailed(
    client, post, student, classmate, django_capture_on_commit_callbacks
):
    post.course.visibility = "members"
    post.course.save()
    client.force_login(classmate)
    comment_on(client, post, "Following this one.", notify="on")
    client.force_login(student)
    with django_capture_on_commit_callbacks(execute=True):
        comment_on(client, post, "The author answers.")
    assert classmate.email in recipients()


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
