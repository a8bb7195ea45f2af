"""Awards' figure on the participation page (see blog.extensions)."""

from django.db.models import Count

from awards.models import AwardGrant
from blog.extensions import register_participation_column
from blog.models import Post
from blog.participation import in_period, per_user


def awards_received(course, start, end):
    """Grants in the period to the student's published posts in the course."""
    grants = AwardGrant.objects.filter(
        post__course=course, post__status=Post.Status.PUBLISHED, award__course=course
    ).filter(in_period("granted_at", start, end))
    return per_user(grants, "post__author", Count("pk"))


def register_columns():
    register_participation_column("awards_received", "Awards received", awards_received, order=50)
