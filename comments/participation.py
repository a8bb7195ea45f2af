"""Comments' figures on the participation page (registered in comments/hooks.py)."""

from django.db.models import Count, Max, Q

from blog.participation import in_period, per_user
from comments.models import Comment, CommentLike

# Comments that count as written: not withdrawn or removed, and not spam.
COUNTED = [Comment.Status.APPROVED, Comment.Status.PENDING]


def course_comments(course, start, end):
    return Comment.objects.for_course(course).filter(
        in_period("created", start, end), status__in=COUNTED, author__isnull=False
    )


def course_comment_likes(course, start, end):
    on_course = Q(comment__post__course=course) | Q(comment__page__course=course)
    return CommentLike.objects.filter(on_course).filter(in_period("created", start, end))


def comments_written(course, start, end):
    return per_user(course_comments(course, start, end), "author", Count("pk"))


def last_comment(course, start, end):
    return per_user(course_comments(course, start, end), "author", Max("created"))


def comment_likes_given(course, start, end):
    return per_user(course_comment_likes(course, start, end), "user", Count("pk"))


def comment_likes_received(course, start, end):
    likes = course_comment_likes(course, start, end).filter(comment__author__isnull=False)
    return per_user(likes, "comment__author", Count("pk"))


def last_comment_like(course, start, end):
    return per_user(course_comment_likes(course, start, end), "user", Max("created"))
