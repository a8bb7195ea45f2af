"""Query budgets: the post page and the cards do not grow with what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import PostLike
from comments.models import Comment, CommentLike
from tests.factories import MembershipFactory, PostFactory, UserFactory


def make_discussion(post, count):
    """count comments in threads up to five deep, by several people, with likes."""
    people = [MembershipFactory(course=post.course).user for _ in range(6)]
    guest = {"author": None, "guest_name": "A guest", "guest_website": "https://g.example"}
    made = []
    for n in range(count):
        parent = made[n - 1] if n % 5 else None
        who = guest if n % 7 == 3 else {"author": people[n % len(people)]}
        status = "pending" if n % 11 == 5 else "approved"
        made.append(Comment(post=post, parent=parent, body=f"Comment {n}", status=status, **who))
        if parent is None:
            Comment.objects.bulk_create(made[-1:])
        else:
            made[-1].save()
    likes = [CommentLike(comment=c, user=people[n % 6]) for n, c in enumerate(made[::2])]
    CommentLike.objects.bulk_create(likes)
    PostLike.objects.bulk_create([PostLike(post=post, user=u) for u in people])
    return people


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "instructor"])
def test_post_page_runs_the_same_queries_with_5_and_500_comments(
    client, course, instructor, viewer, django_assert_max_num_queries
):
    client.get(PostFactory(course=course).get_absolute_url())  # warm per-process caches
    counts = []
    for size in (5, 500):
        post = PostFactory(course=course)
        people = make_discussion(post, size)
        if viewer == "member":
            client.force_login(people[0])
        elif viewer == "instructor":
            client.force_login(instructor)
        counts.append(count_queries(client, post.get_absolute_url()))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(14):
        client.get(post.get_absolute_url())


@pytest.mark.parametrize("size", [5, 500])
def test_post_page_query_budget(client, course, size, django_assert_max_num_queries):
    post = PostFactory(course=course)
    people = make_discussion(post, size)
    client.force_login(people[0])
    with django_assert_max_num_queries(14):
        response = client.get(post.get_absolute_url())
    assert response.content.decode().count('<li class="comment"') >= size * 0.9


@pytest.mark.parametrize("count", [2, 20])
def test_cards_show_comment_and_like_counts_in_a_fixed_number_of_queries(
    client, course, student, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_discussion(PostFactory(course=course), 3)
    client.force_login(student)
    with django_assert_max_num_queries(12):
        html = client.get(course.get_absolute_url()).content.decode()
    assert "3 comments" in html
    assert "6 likes" in html


def test_card_counts_stay_right_beside_each_other(client, course, student):
    """Two counts over different joins must not multiply each other."""
    post = PostFactory(course=course)
    for n in range(3):
        Comment.objects.create(post=post, author=student, body=f"c{n}")
    for _ in range(4):
        PostLike.objects.create(post=post, user=UserFactory())
    Comment.objects.create(post=post, author=student, body="held", status="pending")
    html = client.get(course.get_absolute_url()).content.decode()
    assert "3 comments" in html
    assert "4 likes" in html


def test_moderation_queue_query_count_is_constant(
    client, course, instructor, django_assert_max_num_queries
):
    post = PostFactory(course=course)
    for n in range(40):
        Comment.objects.create(post=post, guest_name=f"G{n}", body=f"b{n}", status="pending")
    client.force_login(instructor)
    with django_assert_max_num_queries(10):
        client.get(reverse("comments:moderation_queue", args=[course.slug]))
