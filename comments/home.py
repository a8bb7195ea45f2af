"""The home page's "New on your posts" panel: recent comments on the reader's posts
and replies to their comments, by other people, on posts they may read."""

from django.db.models import Q

from blog.models import Post
from comments.models import Comment

HOME_ACTIVITY_LIMIT = 5


def home_activity(request, obj=None):
    user = request.user
    if not user.is_authenticated:
        return None
    comments = (
        Comment.objects.approved()
        .filter(Q(post__author=user) | Q(parent__author=user))
        .filter(post__in=Post.objects.published().visible_to(user))
        .exclude(author=user)
        .select_related("post__course", "author", "parent")
        .order_by("-created")[:HOME_ACTIVITY_LIMIT]
    )
    comments = list(comments)
    for comment in comments:
        comment.replies_to_viewer = bool(comment.parent and comment.parent.author_id == user.pk)
    return {"home_comments": comments}
