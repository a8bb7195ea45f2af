"""References' figures on the participation page (registered in references/hooks.py):
how many references a student's published posts have, and how many of them lack a URL
or a date."""

from django.db.models import Count, Q

from blog.models import Post
from blog.participation import in_period, per_user
from references.models import Reference


def _cited(course, start, end):
    return Reference.objects.filter(post__course=course, post__status=Post.Status.PUBLISHED).filter(
        in_period("post__published_at", start, end)
    )


def references(course, start, end):
    return per_user(_cited(course, start, end), "post__author", Count("pk"))


def incomplete_references(course, start, end):
    incomplete = _cited(course, start, end).lacking_url_or_date()
    return per_user(incomplete, "post__author", Count("pk"))


def reference_figures(post_ids):
    """Beside each response on an assignment's page: "3 (1 lacking a URL or date)".
    One query."""
    rows = (
        Reference.objects.filter(post_id__in=post_ids)
        .order_by()
        .values("post_id")
        .annotate(
            total=Count("pk"),
            incomplete=Count("pk", filter=Q(url="", doi="") | Q(issued="")),
        )
    )
    figures = {}
    for row in rows:
        text = str(row["total"])
        if row["incomplete"]:
            text += f" ({row['incomplete']} lacking a URL or date)"
        figures[row["post_id"]] = text
    return {post_id: figures.get(post_id, "0") for post_id in post_ids}
