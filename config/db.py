"""Query pieces that every app uses the same way."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(related, field):
    """A subquery: how many rows of ``related`` (a queryset) point through ``field`` at
    the outer query's row; 0 when none do.

    A subquery rather than ``Count`` on a join, so that two counts on one queryset
    (likes and comments on a post card) don't multiply each other.
    """
    counted = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
