"""Demo credentials for seed_demo: the demo's awards get criteria, their grants their
credential rows (the demo grants without grant_award). All text written for this demo."""

from awards.models import AwardGrant
from badges import services

CRITERIA = {
    "comrades-corner": (
        "The post asks a question the class can argue about, its author answers at "
        "least three commenters in the thread, and the discussion brings in a source or "
        "an idea the post itself did not have."
    ),
    "best-use-of-sources": (
        "Every claim about the past rests on a source the reader can find (author, "
        "title and page); quotations are fair to their context; and the post says what "
        "its sources cannot tell us."
    ),
}


def seed(ctx):
    for slug, award in ctx.get("awards", {}).items():
        if slug in CRITERIA and not award.criteria:
            award.criteria = CRITERIA[slug]
            award.save(update_fields=["criteria"])
    grants = list(AwardGrant.objects.filter(award__in=ctx.get("awards", {}).values()))
    services.ensure_credentials(grants=grants)
