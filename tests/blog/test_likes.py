"""Post likes: the button, "Liked by N people", who liked, JSON and races."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from blog.likes import button_label, liked_by, likers_html
from blog.models import PostLike
from blog.services import like_post
from tests.factories import MembershipFactory, PostFactory, PostLikeFactory


def like_url(post):
    return reverse("blog:post_like", args=[post.course.slug, post.slug])


@pytest.mark.parametrize(
    ("count", "liked", "label", "line"),
    [
        (0, False, "Like", ""),
        (1, True, "Unlike, 1 person likes this", "Liked by 1 person"),
        (3, True, "Unlike, 3 people like this", "Liked by 3 people"),
        (3, False, "Like", "Liked by 3 people"),
    ],
)
def test_button_words(count, liked, label, line):
    assert button_label(count, liked) == label
    assert liked_by(count) == line


def test_member_likes_a_post_without_javascript(client, post, classmate):
    client.force_login(classmate)
    response = client.post(like_url(post), {"liked": "1"})
    assert response["Location"] == f"{post.get_absolute_url()}#post-likes"
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-label="Unlike, 1 person likes this"' in html
    assert "Liked by 1 person" in html


def test_liking_twice_ends_with_one_like(client, post, classmate):
    client.force_login(classmate)
    client.post(like_url(post), {"liked": "1"})
    client.post(like_url(post), {"liked": "1"})
    assert PostLike.objects.filter(post=post).count() == 1


def test_unlike(client, post, classmate):
    PostLikeFactory(post=post, user=classmate)
    client.force_login(classmate)
    client.post(like_url(post), {"liked": "0"})
    assert not PostLike.objects.exists()
    assert 'aria-label="Like"' in client.get(post.get_absolute_url()).content.decode()


def test_json_answer_updates_the_button_in_place(client, post, classmate, student):
    PostLikeFactory(post=post, user=student)
    client.force_login(classmate)
    response = client.post(like_url(post), {"liked": "1"}, HTTP_ACCEPT="application/json")
    assert response.json() == {
        "count": 2,
        "liked": True,
        "label": "Unlike, 2 people like this",
        "liked_by": "Liked by 2 people",
        "likers": [student.name, classmate.name],
        "likers_html": likers_html([student, classmate]),
    }


def test_members_see_who_liked_and_others_only_the_count(client, post, classmate, outsider):
    PostLikeFactory(post=post, user=classmate)
    PostLikeFactory(post=post, user=post.author)
    client.force_login(classmate)
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<details class="liked-by"><summary>Liked by 2 people</summary><ul><li>' in html
    assert f"{post.author.name}</li>" in html
    client.force_login(outsider)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Liked by 2 people" in html
    assert f"{post.author.name}</li>" not in html
    assert '<p class="liked-by">Liked by 2 people</p>' in html
    assert "<button" not in html.split('id="post-likes"')[1].split("</section>")[0]


def test_like_by_a_guest_or_non_member_is_forbidden(client, post, outsider):
    assert client.post(like_url(post), HTTP_ACCEPT="application/json").status_code == 403
    client.force_login(outsider)
    assert client.post(like_url(post)).status_code == 403
    assert not PostLike.objects.exists()


def test_liking_needs_post(client, post, classmate):
    client.force_login(classmate)
    assert client.get(like_url(post)).status_code == 405


def test_a_draft_cannot_be_liked(client, post, instructor):
    post.status = "draft"
    post.save()
    client.force_login(instructor)
    assert client.post(like_url(post)).status_code == 403


def test_like_post_service_counts_rows(post, student, classmate):
    assert like_post(post=post, user=student) == 1
    assert like_post(post=post, user=student) == 1
    assert like_post(post=post, user=classmate) == 2
    assert like_post(post=post, user=classmate, liked=False) == 1


def test_post_predicates(post, classmate, outsider, instructor, staff):
    assert post.can_like(classmate) and post.can_like(instructor) and post.can_like(staff)
    assert not post.can_like(outsider)
    assert post.can_comment(outsider)  # guests allowed (held for moderation)
    post.course.guest_comments = "off"
    assert not post.can_comment(outsider)
    assert post.course.holds_comments_of(outsider)
    assert not post.course.holds_comments_of(classmate)


@pytest.mark.django_db(transaction=True)
def test_twenty_members_liking_a_post_at_once_make_twenty_likes(course):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    post = PostFactory(course=course)
    users = [MembershipFactory(course=course).user for _ in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def like(user):
        try:
            barrier.wait()
            like_post(post=post, user=user)
            like_post(post=post, user=user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=like, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PostLike.objects.filter(post=post).count() == 20
