"""Awards' figure on the participation page (registered in awards/hooks.py)."""

from django.db.models import Count

from awards.models import AwardGrant
from blog.models import Post
from blog.participation import in_period, per_user


def awards_received(course, start, end):
    """Grants in the period to the student's published posts in the course."""
    grants = AwardGrant.objects.filter(
        post__course=course, post__status=Post.Status.PUBLISHED, award__course=course
    ).filter(in_period("granted_at", start, end))
    return per_user(grants, "post__author", Count("pk"))
