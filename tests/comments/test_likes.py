"""Comment likes: toggling, counts from rows, the JSON answer and races."""

import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from blog.likes import likers_html
from comments.models import CommentLike
from comments.services import like_comment
from tests.factories import CommentFactory, CommentLikeFactory, MembershipFactory


def like_url(comment):
    return reverse("comments:comment_like", args=[comment.pk])


def test_like_without_javascript_redirects_to_the_comment(client, post, classmate):
    comment = CommentFactory(post=post)
    client.force_login(classmate)
    response = client.post(like_url(comment), {"liked": "1"})
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment.likes.count() == 1


def test_an_unpressed_like_sends_no_field_and_likes_a_pressed_one_unlikes(client, post, classmate):
    """Issue 34: a thread's 500 unpressed Likes carried name="liked" value="1"; a submit
    without the field is a like, so only a pressed Like names its field (liked=0)."""
    comment = CommentFactory(post=post)
    client.force_login(classmate)
    url = like_url(comment)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<button form="comment-actions" formaction="{url}" class="like-button">' in html
    client.post(url, {})  # what that button submits, with the shared form's token
    assert comment.likes.count() == 1
    html = client.get(post.get_absolute_url()).content.decode()
    pressed = f'formaction="{url}" name="liked" value="0" class="like-button is-liked"'
    assert pressed in html
    client.post(url, {"liked": "0"})
    assert comment.likes.count() == 0


def test_liking_twice_leaves_one_like(client, post, classmate):
    comment = CommentFactory(post=post)
    client.force_login(classmate)
    client.post(like_url(comment), {"liked": "1"})
    client.post(like_url(comment), {"liked": "1"})
    assert CommentLike.objects.filter(comment=comment).count() == 1


def test_unlike_removes_only_my_like(client, post, classmate, student):
    comment = CommentFactory(post=post)
    CommentLikeFactory(comment=comment, user=student)
    client.force_login(classmate)
    client.post(like_url(comment), {"liked": "1"})
    client.post(like_url(comment), {"liked": "0"})
    assert list(comment.likes.values_list("user", flat=True)) == [student.pk]


def test_json_answer_for_the_button(client, post, classmate, student):
    comment = CommentFactory(post=post)
    CommentLikeFactory(comment=comment, user=student)
    client.force_login(classmate)
    data = client.post(like_url(comment), {"liked": "1"}, HTTP_ACCEPT="application/json").json()
    assert data["liked"] is True
    assert data["count"] == 2
    assert data["label"] == "Unlike, 2 people like this"
    assert data["liked_by"] == "Liked by 2 people"
    assert data["likers"] == [student.name, classmate.name]
    data = client.post(like_url(comment), {"liked": "0"}, HTTP_ACCEPT="application/json").json()
    assert (data["liked"], data["count"], data["label"]) == (False, 1, "Like")
    assert data["liked_by"] == "Liked by 1 person"


def test_page_shows_state_count_and_names_to_members(client, post, classmate, student):
    comment = CommentFactory(post=post)
    CommentLikeFactory(comment=comment, user=student)
    CommentLikeFactory(comment=comment, user=classmate)
    client.force_login(classmate)
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-label="Unlike, 2 people like this"' in html
    assert "Liked by 2 people" in html
    # Each liker with their face, as on the post's own list (blog.likes.likers_html).
    assert likers_html([student]) in html


def test_readers_outside_the_course_see_only_the_count(client, post, student):
    comment = CommentFactory(post=post)
    CommentLikeFactory(comment=comment, user=student)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Liked by 1 person" in html
    assert f"{student.name}</li>" not in html
    assert "<p>Liked by 1 person</p>" in html  # static: styled by where it stands
    assert not re.search(r'<button[^>]* class="like-button', html)  # no Like button


def test_like_counts_come_from_rows(post, student, classmate):
    comment = CommentFactory(post=post)
    assert like_comment(comment=comment, user=student) == 1
    assert like_comment(comment=comment, user=student) == 1
    assert like_comment(comment=comment, user=classmate) == 2
    assert like_comment(comment=comment, user=student, liked=False) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_members_liking_at_once_make_twenty_likes(course):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    comment = CommentFactory(post__course=course)
    users = [MembershipFactory(course=course).user for _ in range(20)]
    barrier = threading.Barrier(len(users))
    errors = []

    def like(user):
        try:
            barrier.wait()
            like_comment(comment=comment, user=user)
            like_comment(comment=comment, user=user)  # and a double click
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=like, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CommentLike.objects.filter(comment=comment).count() == 20


@pytest.mark.django_db(transaction=True)
def test_one_member_racing_with_themself_ends_with_one_like(course):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    comment = CommentFactory(post__course=course)
    user = MembershipFactory(course=course).user
    barrier = threading.Barrier(10)
    errors = []

    def like():
        try:
            barrier.wait()
            like_comment(comment=comment, user=user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=like) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CommentLike.objects.filter(comment=comment).count() == 1


def test_a_cache_hit_names_each_pressed_like_with_its_own_count(client, post, classmate, student):
    """Pressed Likes' names are worded once per count and language (comments.threads
    ``liked_label``), so two comments with different counts, and a count that moves,
    each get their own words."""
    alone, popular = CommentFactory(post=post), CommentFactory(post=post)
    for member in MembershipFactory.create_batch(2, course=post.course):
        CommentLikeFactory(comment=popular, user=member.user)
    for comment in (alone, popular):
        CommentLikeFactory(comment=comment, user=classmate)
    client.force_login(classmate)
    client.get(post.get_absolute_url())  # drawn
    hit = client.get(post.get_absolute_url())
    content = hit.content.decode()
    assert hit["X-Page-Cache"] == "hit"
    assert content.count('aria-label="Unlike, 1 person likes this"') == 1
    assert content.count('aria-label="Unlike, 3 people like this"') == 1
    like_comment(comment=alone, user=student, liked=True)
    content = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-label="Unlike, 2 people like this"' in content
    assert 'aria-label="Unlike, 1 person likes this"' not in content


def card_of(html, comment):
    start = html.index(f'id="comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


@pytest.mark.parametrize("hit", [False, True], ids=["drawn", "cache hit"])
def test_a_comment_nobody_liked_carries_no_liked_by_line_and_its_like_is_named_by_its_text(
    client, post, classmate, student, hit
):
    """Issue 34: a member's card of a comment without likes had an empty, hidden "Liked
    by" block (comments.js makes it when the first like arrives) and a Like named
    "Like" twice, by its text and its aria-label."""
    quiet, liked = CommentFactory(post=post), CommentFactory(post=post)
    CommentLikeFactory(comment=liked, user=student)
    client.force_login(classmate)
    html = client.get(post.get_absolute_url()).content.decode()
    if hit:
        response = client.get(post.get_absolute_url())
        assert response["X-Page-Cache"] == "hit"
        html = response.content.decode()
    quiet_card, liked_card = card_of(html, quiet), card_of(html, liked)
    assert "liked-by" not in quiet_card and "<details" not in quiet_card
    assert '<details class="liked-by"><summary>Liked by 1 person</summary>' in liked_card
    for card in (quiet_card, liked_card):  # a like is still a button of the shared form
        assert 'form="comment-actions"' in card and 'class="like-button"' in card
        assert "aria-label=" not in card.split("<button", 1)[1].split(">", 1)[0]
        assert 'class="like-button">Like</button>' in card  # its text alone: no span
