"""Readers who may not like or comment as themselves yet are shown how to (issue 17,
items 8 and 9): a Like on the post and one line on the thread for everyone (issue 34),
and why a comment is held."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.comments.conftest import post_comment
from tests.factories import CommentFactory


def page(client, post):
    return client.get(post.get_absolute_url()).content.decode()


def like_links(html):
    """(href, accessible name) of each Like link (the post's)."""
    return re.findall(r'<a class="like-button[^"]*" href="([^"]*)" aria-label="([^"]*)"', html)


def like_steps(html):
    """(href, text) of the thread's line for readers who must sign in or join to like."""
    return re.findall(
        r'<p class="like-step" data-archive="omit"><a href="([^"]*)">([^<]*)</a>', html
    )


def test_an_anonymous_reader_is_led_to_sign_in_and_back(client, post):
    comment = CommentFactory(post=post)
    html = page(client, post)
    login = reverse("account_login")
    back = quote(post.get_absolute_url())
    assert like_links(html) == [
        (f"{login}?next={back}%23post-likes", "Like: sign in to like this post"),
    ]
    # the thread's one line, back to the thread
    assert like_steps(html) == [(f"{login}?next={back}%23comments", "Sign in to like comments")]
    thread = html.split('class="comment-list"')[1].split('id="comment-actions"')[0]
    assert "<button" not in thread  # no button that would POST and get a 403
    like = reverse("comments:comment_like", args=[comment.pk])
    response = client.get(like)  # a comment's Like URL, followed: on to sign in, and back
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={back}%23comment-{comment.pk}"


def test_a_thread_leads_to_sign_in_once_not_on_every_card(client, post):
    """One line at the top of the thread instead of a Like on each card that leads to
    sign in (500 links of one name: 500 tab stops, a sixth of a long thread's bytes)."""
    comments = CommentFactory.create_batch(3, post=post)
    html = page(client, post)
    assert len(like_steps(html)) == 1
    assert html.count('class="like-button"') == 1  # the post's
    for comment in comments:
        assert reverse("comments:comment_like", args=[comment.pk]) not in html
    assert html.index('class="like-step"') < html.index('class="comment-list"')


def test_following_a_comments_like_changes_nothing(client, post, outsider, classmate):
    comment = CommentFactory(post=post)
    like = reverse("comments:comment_like", args=[comment.pk])
    client.force_login(outsider)
    assert client.get(like)["Location"] == reverse("blog:course_join")
    client.force_login(classmate)
    assert client.get(like)["Location"] == comment.get_absolute_url()
    assert not comment.likes.exists()


def test_a_signed_in_non_member_is_told_how_to_join(client, post, outsider):
    CommentFactory(post=post)
    client.force_login(outsider)
    html = page(client, post)
    join = reverse("blog:course_join")
    assert like_links(html) == [(join, "Like: join this course to like its posts")]
    assert like_steps(html) == [(join, "Join this course to like its comments")]
    assert "ask an instructor for the course's join code" in html
    assert f'<a href="{join}">Join a course</a>' in html


def test_members_get_the_real_like_buttons_and_no_prompt(client, post, classmate):
    CommentFactory(post=post)
    client.force_login(classmate)
    html = page(client, post)
    assert like_links(html) == [] and like_steps(html) == []
    assert len(re.findall(r'<button[^>]* class="like-button"', html)) == 2


def test_no_like_prompt_on_held_comments_or_drafts(client, post, course, student):
    CommentFactory(post=post, status="pending", author=None, guest_name="G")
    html = page(client, post)
    assert [label for _, label in like_links(html)] == ["Like: sign in to like this post"]
    assert like_steps(html) == []  # nothing on the thread to like
    from tests.factories import PostFactory

    draft = PostFactory(course=course, author=student, status="draft")
    client.force_login(student)
    assert like_links(page(client, draft)) == []


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_form_and_the_held_comment_say_why_it_is_held(
    client, post, outsider, guest_data, signed_in
):
    who = "guests" if not signed_in else "people outside the course"
    reason = f"Comments from {who} are held until an instructor approves them."
    if signed_in:
        client.force_login(outsider)
        data = {"body": "A thought from outside."}
    else:
        data = guest_data
    assert reason in page(client, post)  # before writing
    assert post_comment(client, post, **data).status_code == 302
    html = page(client, post)
    assert f'<p class="comment__notice">Your comment is awaiting moderation. {reason}</p>' in html


def test_members_are_not_told_their_comments_are_held(client, post, classmate):
    client.force_login(classmate)
    assert "are held until" not in page(client, post)


def test_where_only_members_comment_a_non_member_is_told_how_to_join(client, post, outsider):
    post.course.guest_comments = "off"
    post.course.save()
    client.force_login(outsider)
    html = page(client, post)
    assert "Only members of this course can comment here. To join, ask an instructor" in html
    assert f'<a href="{reverse("blog:course_join")}">Join a course</a> page.</p>' in html
