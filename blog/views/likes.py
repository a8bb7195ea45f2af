"""The post's Like: its button and "Liked by", for the page and for a reader's hole, and
the like itself."""

from django.views.decorators.http import require_POST

from blog import services
from blog.likes import like_response, likes_summary
from blog.models import PostLike
from blog.shortcuts import (
    denied,
    readable_course_or_404,
    readable_post_or_404,
)


def post_likes_viewer_context(request, post):
    """What ``{% per_viewer "post_like" %}`` needs to draw this reader's Like button
    again: whether they like the post came with it (``with_viewer_like``), no query."""
    user = request.user
    can_like = post.can_like(user)
    return {
        "post": post,
        "course": post.course,
        "post_likes": likes_summary(count=post.like_count, liked=post.viewer_liked),
        "can_like_post": can_like,
        "like_step": "" if can_like else post.step_to_like(user),
    }


def post_likes_context(request, post):
    """The post's like button and "Liked by N people": one query."""
    user = request.user
    likes = PostLike.objects.filter(post=post)
    if not user.is_authenticated and hasattr(post, "like_count"):  # counted with the post
        summary = likes_summary(count=post.like_count, liked=False, likers=None)
        return {"post_likes": summary, "can_like_post": False, "like_step": post.step_to_like(user)}
    if post.course.can_see_likers(user):
        likers = [like.user for like in likes.select_related("user")]
        user_ids = [liker.pk for liker in likers]
    else:
        likers, user_ids = None, list(likes.values_list("user_id", flat=True))
    summary = likes_summary(count=len(user_ids), liked=user.pk in user_ids, likers=likers)
    can_like = post.can_like(user)
    return {
        "post_likes": summary,
        "can_like_post": can_like,
        "like_step": "" if can_like else post.step_to_like(user),
    }


@require_POST
def post_like(request, course_slug, post_slug):
    """Like (liked=1) or unlike (liked=0) a post. Signed-in course members only."""
    course = readable_course_or_404(request, course_slug)
    post = readable_post_or_404(request, course, post_slug)
    if not post.can_like(request.user):
        raise denied(course, "Only members of this course can like its posts.")
    liked = request.POST.get("liked", "1") != "0"
    services.like_post(post=post, user=request.user, liked=liked)
    summary = post_likes_context(request, post)["post_likes"]
    return like_response(request, summary=summary, next_url=f"{post.get_absolute_url()}#post-likes")
