"""What badges adds to other apps' pages (badges/hooks.py): links to a student's own
credentials, on their awarded post and on their profile. Each is private to the
student, so the post page's is a per-viewer part (a hole in cached pages)."""

from django.db.models import Exists, OuterRef

from badges.models import Credential


def own_credentials(user):
    return Credential.objects.filter(
        recipient=user, revoked_at__isnull=True, grant__isnull=False
    ).select_related("grant__award")


def with_credential_flag(posts, reader):
    """Post page loader: whether the post holds any live credential, joined to the
    post's one query, so the author of a post without awards pays no query for it."""
    live = Credential.objects.filter(grant__post=OuterRef("pk"), revoked_at__isnull=True)
    return posts.annotate(has_badge_credentials=Exists(live))


def post_credentials(request, post):
    """The post page's part: the author's credentials for this post's awards (one
    query, and none when the post page's query found none), for the author only."""
    if not request.user.is_authenticated or request.user.pk != post.author_id:
        return None
    if getattr(post, "has_badge_credentials", True) is False:
        return None
    found = list(own_credentials(request.user).filter(grant__post=post).order_by("grant__pk"))
    return {"badge_credentials": found} if found else None


def profile_credentials_section(request, profile_user):
    """On one's own profile: every Open Badge credential one holds."""
    if not request.user.is_authenticated or request.user.pk != profile_user.pk:
        return None
    found = list(
        own_credentials(profile_user)
        .select_related("grant__post__course")
        .order_by("-grant__granted_at", "-pk")
    )
    if not found:
        return None
    return {"template": "badges/_profile_credentials.html", "credentials": found}
