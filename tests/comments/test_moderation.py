"""Moderation: buttons on the comment, the course queue with bulk actions, the admin."""

from django.urls import reverse

from comments.models import Comment
from comments.services import moderate_comments
from tests.factories import CommentFactory, CourseFactory, PostFactory


def test_moderator_sees_buttons_on_each_comment_and_readers_do_not(
    client, post, instructor, classmate
):
    comment = CommentFactory(post=post)
    moderate_url = reverse("comments:comment_moderate", args=[comment.pk])
    client.force_login(classmate)
    assert moderate_url not in client.get(post.get_absolute_url()).content.decode()
    client.force_login(instructor)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'formaction="{moderate_url}" name="action" value="spam"' in html
    assert f'formaction="{moderate_url}" name="action" value="remove"' in html


def test_moderator_marks_spam_from_the_post_and_lands_back_on_it(client, post, instructor):
    comment = CommentFactory(post=post, body="Buy cheap watches")
    client.force_login(instructor)
    response = client.post(
        reverse("comments:comment_moderate", args=[comment.pk]), {"action": "spam"}
    )
    comment.refresh_from_db()
    assert comment.status == "spam"
    assert response["Location"] == comment.get_absolute_url()
    client.logout()
    assert "Buy cheap watches" not in client.get(post.get_absolute_url()).content.decode()


def test_moderation_redirect_ignores_other_sites(client, post, instructor):
    comment = CommentFactory(post=post)
    client.force_login(instructor)
    response = client.post(
        reverse("comments:comment_moderate", args=[comment.pk]),
        {"action": "remove", "next": "https://evil.example/"},
    )
    assert response["Location"] == comment.get_absolute_url()


def test_queue_lists_pending_and_spam_of_this_course_only(client, post, instructor):
    pending = CommentFactory(post=post, author=None, guest_name="P", status="pending")
    spam = CommentFactory(post=post, status="spam", body="Spammy words")
    CommentFactory(post=post, body="Approved words")
    CommentFactory(post=PostFactory(course=CourseFactory()), status="pending", body="Elsewhere")
    client.force_login(instructor)
    html = client.get(reverse("comments:moderation_queue", args=[post.course.slug])).content
    html = html.decode()
    assert f'value="{pending.pk}"' in html and f'value="{spam.pk}"' in html
    assert "Approved words" not in html
    assert "Elsewhere" not in html


def test_bulk_approve_from_the_queue(client, post, instructor):
    held = [CommentFactory(post=post, status="pending") for _ in range(3)]
    client.force_login(instructor)
    response = client.post(
        reverse("comments:moderation_queue", args=[post.course.slug]),
        {"action": "approve", "comments": [c.pk for c in held[:2]]},
    )
    assert response.status_code == 302
    statuses = [Comment.objects.get(pk=c.pk).status for c in held]
    assert statuses == ["approved", "approved", "pending"]


def test_bulk_action_cannot_reach_another_courses_comments(client, post, instructor):
    foreign = CommentFactory(post=PostFactory(course=CourseFactory()), status="pending")
    client.force_login(instructor)
    response = client.post(
        reverse("comments:moderation_queue", args=[post.course.slug]),
        {"action": "approve", "comments": [foreign.pk]},
    )
    foreign.refresh_from_db()
    assert response.status_code == 200
    assert foreign.status == "pending"


def test_bulk_action_without_a_selection_says_so(client, post, instructor):
    CommentFactory(post=post, status="pending")
    client.force_login(instructor)
    response = client.post(
        reverse("comments:moderation_queue", args=[post.course.slug]), {"action": "remove"}
    )
    assert "Select at least one comment." in response.content.decode()


def test_course_page_links_the_queue_with_the_pending_count(client, post, instructor, student):
    CommentFactory(post=post, status="pending")
    CommentFactory(post=post, status="pending")
    client.force_login(instructor)
    html = client.get(post.course.get_absolute_url()).content.decode()
    assert reverse("comments:moderation_queue", args=[post.course.slug]) in html
    assert "2 pending" in html
    client.force_login(student)
    html = client.get(post.course.get_absolute_url()).content.decode()
    assert reverse("comments:moderation_queue", args=[post.course.slug]) not in html


def test_moderate_comments_changes_only_what_differs(post):
    a = CommentFactory(post=post, status="pending")
    CommentFactory(post=post, status="approved")
    assert moderate_comments(comments=Comment.objects.all(), action="approve") == 1
    a.refresh_from_db()
    assert a.status == "approved"


def test_admin_lists_comments_and_approves_in_bulk(client, post, staff):
    held = CommentFactory(post=post, status="pending")
    client.force_login(staff)
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [held.pk]},
    )
    held.refresh_from_db()
    assert held.status == "approved"
