"""References' figures on the participation page (registered in references/hooks.py):
how many references a student's published posts have, and how many of them are
incomplete (no date, or a web page without its URL)."""

from django.db.models import Count

from blog.models import Post
from blog.participation import in_period, per_user
from references.models import INCOMPLETE, Reference

INCOMPLETE_LABEL = "References missing a date or web URL"


def _cited(course, start, end):
    return Reference.objects.filter(post__course=course, post__status=Post.Status.PUBLISHED).filter(
        in_period("post__published_at", start, end)
    )


def references(course, start, end):
    return per_user(_cited(course, start, end), "post__author", Count("pk"))


def incomplete_references(course, start, end):
    incomplete = _cited(course, start, end).incomplete()
    return per_user(incomplete, "post__author", Count("pk"))


def reference_figures(post_ids):
    """Beside each response on an assignment's page: "3 (1 missing a date or web URL)".
    One query."""
    rows = (
        Reference.objects.filter(post_id__in=post_ids)
        .order_by()
        .values("post_id")
        .annotate(
            total=Count("pk"),
            incomplete=Count("pk", filter=INCOMPLETE),
        )
    )
    figures = {}
    for row in rows:
        text = str(row["total"])
        if row["incomplete"]:
            text += f" ({row['incomplete']} missing a date or web URL)"
        figures[row["post_id"]] = text
    return {post_id: figures.get(post_id, "0") for post_id in post_ids}
