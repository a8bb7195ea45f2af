"""What awards adds to other apps' pages, through blog's and accounts' extension points.

Each function loads everything its template shows in a fixed number of queries.
"""

from django.db.models import Exists, OuterRef, Prefetch

from awards.models import AwardGrant
from blog.models import Post


def post_page_awards(request, post):
    """The post page's banners (one query) and whether to offer "Grant an award"."""
    grants = post.award_grants.select_related("award", "granted_by").order_by("granted_at", "pk")
    return {
        "award_grants": list(grants),
        "can_grant_awards": post.course.can_grant_awards(request.user),
    }


def with_award_badges(queryset):
    """Card loader: post.award_badges, the post's grants with their awards (one query)."""
    return queryset.prefetch_related(
        Prefetch(
            "award_grants",
            queryset=AwardGrant.objects.select_related("award").order_by("granted_at", "pk"),
            to_attr="award_badges",
        )
    )


def is_awarded():
    """Post ranking: awarded posts first among home's recent posts (an EXISTS in the
    query that lists them; granting and revoking bump the post's pages)."""
    return Exists(AwardGrant.objects.filter(post=OuterRef("pk")))


def profile_awards_section(request, profile_user):
    """The awards profile_user's posts received, on posts the viewer may read."""
    posts = Post.objects.published().by(profile_user).visible_to(request.user)
    grants = list(
        AwardGrant.objects.filter(post__in=posts)
        .select_related("award", "post__course")
        .order_by("-granted_at", "-pk")
    )
    if not grants:
        return None
    return {"template": "awards/_profile_awards.html", "grants": grants}


def if_awarding(request, course):
    """Shown (with no context of its own) to those who may define the course's awards."""
    return {} if course.can_grant_awards(request.user) else None
