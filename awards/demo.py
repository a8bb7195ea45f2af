"""Demo awards for seed_demo: two awards in the demo course, granted to two posts.
All text written for this demo."""

from datetime import timedelta

from django.utils import timezone

from awards.models import Award, AwardGrant

AWARDS = [
    {
        "slug": "comrades-corner",
        "name": "Comrade's Corner",
        "emoji": "🤝",
        "colour": "#9b2226",
        "description": (
            "For the post that got the whole class talking: it asked a real question, "
            "answered its commenters and made the discussion better than the post."
        ),
    },
    {
        "slug": "best-use-of-sources",
        "name": "Best Use of Sources",
        "emoji": "📜",
        "symbol": "quill",
        "colour": "#1f5c4d",
        "description": (
            "For a post that reads its sources closely, quotes them fairly and tells the "
            "reader exactly where to find them."
        ),
    },
]

# award slug, post title, citation, days ago
GRANTS = [
    (
        "best-use-of-sources",
        "What the Secret Speech did not say",
        "Anya reads the speech for its silences, and every claim points to a page. "
        "A model of how to argue from a primary source without overreaching.",
        20,
    ),
    ("comrades-corner", "Samizdat as a network, not a genre", "", 9),
]


def seed(ctx):
    course, instructor = ctx["course"], ctx["users"]["hmarsh"]
    awards = {}
    for data in AWARDS:
        award, _ = Award.objects.get_or_create(
            course=course, slug=data["slug"], defaults={**data, "course": course}
        )
        awards[award.slug] = award
    now = timezone.now()
    for slug, title, citation, days_ago in GRANTS:
        AwardGrant.objects.get_or_create(
            award=awards[slug],
            post=ctx["posts"][title],
            defaults={
                "granted_by": instructor,
                "citation": citation,
                "granted_at": now - timedelta(days=days_ago),
            },
        )
    ctx["awards"] = awards
