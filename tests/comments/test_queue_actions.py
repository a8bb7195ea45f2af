"""The moderation queue acts on one comment in one click, and replies from the queue
(issue 27, item 8): plain POST forms that come back to the queue."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.test_permissions import ACTORS, MAY_MODERATE, act_as  # noqa: F401
from tests.factories import CommentFactory


def queue_url(course):
    return reverse("comments:moderation_queue", args=[course.slug])


@pytest.fixture
def held(post):
    return CommentFactory(
        post=post, author=None, guest_name="Vera Visitor", body="Is this allowed?", status="pending"
    )


def test_each_held_comment_has_its_own_approve_spam_and_remove(client, post, instructor, held):
    spam = CommentFactory(post=post, status="spam", body="Buy watches")
    client.force_login(instructor)
    html = client.get(queue_url(post.course)).content.decode()
    for comment in (held, spam):
        action = reverse("comments:comment_moderate", args=[comment.pk])
        assert f'<form method="post" action="{action}" class="d-flex flex-wrap gap-2 mt-3">' in html
    assert 'form="moderation-bulk"' in html  # the checkboxes still feed the bulk form
    assert html.count('name="action" value="approve"') == 3  # bulk bar + two rows
    assert html.count('name="action" value="spam"') == 2  # not on what is already spam


@pytest.mark.parametrize(
    "action, status", [("approve", "approved"), ("spam", "spam"), ("remove", "removed")]
)
def test_one_click_acts_on_one_comment_and_comes_back_to_the_queue(
    client, post, instructor, held, action, status
):
    other = CommentFactory(post=post, status="pending")
    client.force_login(instructor)
    url = queue_url(post.course) + "?page=1"
    response = client.post(
        reverse("comments:comment_moderate", args=[held.pk]), {"action": action, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    held.refresh_from_db()
    other.refresh_from_db()
    assert (held.status, other.status) == (status, "pending")


def test_approve_and_reply_from_the_queue(client, post, instructor, held):
    client.force_login(instructor)
    response = client.post(
        reverse("comments:comment_queue_reply", args=[held.pk]),
        {f"reply-{held.pk}-body": "Yes: cite it.", "next": queue_url(post.course)},
    )
    assert response.status_code == 302 and response["Location"] == queue_url(post.course)
    held.refresh_from_db()
    reply = Comment.objects.get(parent=held)
    assert held.status == "approved"
    assert (reply.author, reply.body, reply.status) == (instructor, "Yes: cite it.", "approved")
    client.logout()
    page = client.get(post.get_absolute_url()).content.decode()  # no stale cached page
    assert "Is this allowed?" in page and "Yes: cite it." in page


def test_an_empty_reply_comes_back_open_with_its_error_and_approves_nothing(
    client, post, instructor, held
):
    client.force_login(instructor)
    response = client.post(
        reverse("comments:comment_queue_reply", args=[held.pk]), {f"reply-{held.pk}-body": "  "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="mt-2" open>' in html
    assert "Please write something before posting." in html
    held.refresh_from_db()
    assert held.status == "pending" and not Comment.objects.filter(parent=held).exists()


def test_a_refused_reply_keeps_what_was_typed(client, post, instructor, held, settings):
    settings.COMMENT_FLOOD_INTERVAL = 60
    client.force_login(instructor)
    url = reverse("comments:comment_queue_reply", args=[held.pk])
    client.post(url, {f"reply-{held.pk}-body": "First words."})
    second = CommentFactory(post=post, status="pending")
    url = reverse("comments:comment_queue_reply", args=[second.pk])
    response = client.post(url, {f"reply-{second.pk}-body": "Second <words>."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Second &lt;words&gt;.</textarea>" in html
    assert "commenting too quickly" in html
    second.refresh_from_db()
    assert second.status == "pending"  # nothing half done


def test_a_removed_comment_takes_no_reply(client, post, instructor):
    removed = CommentFactory(post=post, status="removed")
    client.force_login(instructor)
    url = reverse("comments:comment_queue_reply", args=[removed.pk])
    assert client.post(url, {f"reply-{removed.pk}-body": "Hm."}).status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_reply_from_the_queue(client, act_as, post, held, actor):  # noqa: F811
    act_as(actor)
    response = client.post(
        reverse("comments:comment_queue_reply", args=[held.pk]), {f"reply-{held.pk}-body": "Hi."}
    )
    held.refresh_from_db()
    if actor in MAY_MODERATE:
        assert response.status_code == 302 and held.status == "approved"
    else:
        signed_out = actor in ("anonymous", "guest")  # sent to sign in; the rest refused
        assert response.status_code == (302 if signed_out else 403)
        assert held.status == "pending"


@pytest.mark.parametrize("size", [3, 40])
def test_queue_with_row_actions_runs_a_fixed_number_of_queries(
    client, course, post, instructor, size, django_assert_max_num_queries
):
    for n in range(size):
        Comment.objects.create(post=post, guest_name=f"G{n}", body=f"b{n}", status="pending")
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        response = client.get(queue_url(course))
    assert response.content.decode().count("Approve and reply</summary>") == size
