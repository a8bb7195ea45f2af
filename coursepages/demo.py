"""Demo pages for seed_demo: the course's Syllabus and Schedule, a week under the
Schedule, in its menu, and the next week's page scheduled for Monday at 09:00 (the
instructors see it marked; the menu shows it from then). The Syllabus has comments on,
with a short thread of questions about it. All text written for this demo."""

from datetime import timedelta

from django.utils import timezone

from blog.demo import next_monday_at_nine
from comments.demo import date_like
from comments.models import Comment, CommentLike
from coursepages import services
from coursepages.models import Page

SYLLABUS = """HIST 247 follows the Soviet Union from Stalin's death in March 1953 to the
end of 1991: the Thaw, the long Brezhnev years, and the reforms that ended the state
they meant to save.

# What you will do

- **Write a weekly post** of 400–700 words on the readings, by Sunday at 20:00. Take a
  position, quote your sources and say where you found them.
- **Answer two classmates** each week, by Tuesday. Disagree well: quote them fairly first.
- **One longer essay** (2,500 words) on a question of your own, due in week 12.

# How it is graded

| Part | Share |
|---|---|
| Weekly posts | 40% |
| Replies to classmates | 20% |
| Essay | 40% |

Our main textbook for the first weeks is Taubman's biography of Khrushchev
[@taubman2003]; the rest of the readings are in the course reader.

# Office hours

Tuesdays 14:00–16:00, History building room 312, or by appointment.
"""

SCHEDULE = """Each week has a theme, a set of readings in the reader, and a post due on
Sunday. The weeks below open as we reach them.

1. **The succession** (weeks 1–2): Beria, Malenkov and the collective leadership.
2. **The Secret Speech** (weeks 3–4): what was said in February 1956, and to whom.
3. **The Thaw in culture** (weeks 5–6): *Novy Mir*, the Youth Festival, Pasternak.
4. **Stagnation** (weeks 7–9): stability of cadres, the second economy, dissent.
5. **Perestroika** (weeks 10–13): glasnost, the republics, August 1991.
"""

WEEK_ONE = """**Readings:** the reader, pp. 1–38 (the March 1953 announcements and the
Beria file).

**Question for your post:** why did Stalin's heirs agree so quickly that the terror had
to stop, and what did each of them fear most?
"""

WEEK_TWO = """**Readings:** the reader, pp. 39–81 (the Secret Speech, and three accounts
of how it was read out in factories and party cells).

**Question for your post:** who was the speech written for, and who heard it first?
"""

# Questions about the syllabus: (key, parent key, author, days after the page, text).
SYLLABUS_THREAD = [
    ("a", None, "ben", 2, "Do quotations count toward the 400–700 words? Some of the "
     "speeches we read are long, and it is hard to argue with them without quoting."),
    ("b", "a", "hmarsh", 2, "They count. Quote the lines you argue with and cite the rest "
     "by page: a post that is mostly quotation leaves you no room for your own position."),
    ("c", None, "anya", 5, "Can the essay grow out of one of our weekly posts, or should "
     "it be a new question?"),
    ("d", "c", "hmarsh", 6, "Growing out of a post is welcome; many good essays start "
     "that way. Name the post in your proposal, and expect to go well beyond it."),
    ("e", "d", "elena", 6, "That helps, thank you. I will bring my proposal to office "
     "hours on Tuesday."),
]  # fmt: skip
SYLLABUS_LIKES = {"b": ["anya", "elena"], "d": ["anya", "ben", "dmitri"]}

PAGES = [  # title, slug, order, parent's slug, body
    ("Syllabus", "syllabus", 1, None, SYLLABUS),
    ("Schedule", "schedule", 2, None, SCHEDULE),
    ("Week 1: The succession", "week-1", 1, "schedule", WEEK_ONE),
]


def seed(ctx):
    course = ctx["course"]
    author = ctx["users"]["hmarsh"]
    made = {page.slug: page for page in Page.objects.for_course(course)}
    for title, slug, order, parent, body in PAGES:
        if slug in made:
            continue
        page = Page(course=course, author=author)
        made[slug] = services.save_page(
            page=page, action="publish", title=title, slug=slug, body=body.strip(),
            parent=made.get(parent), order=order, visibility="public",
        )  # fmt: skip
        Page.objects.filter(pk=page.pk).update(published_at=timezone.now() - timedelta(days=60))
    discuss_syllabus(ctx, made["syllabus"])
    if "week-2" not in made:  # opens on Monday at 09:00 in the course's zone
        page = Page(course=course, author=author)
        services.save_page(
            page=page, action="schedule", publish_at=next_monday_at_nine(course, timezone.now()),
            title="Week 2: The Secret Speech", slug="week-2", body=WEEK_TWO.strip(),
            parent=made.get("schedule"), order=2, visibility="public",
        )  # fmt: skip


def discuss_syllabus(ctx, page):
    """Comments on for the Syllabus, and its thread (once: a page with comments is left
    alone)."""
    if not page.allows_comments:
        Page.objects.filter(pk=page.pk).update(allows_comments=True)
    if Comment.objects.filter(page=page).exists():
        return
    users, made = ctx["users"], {}
    start = Page.objects.values_list("published_at", flat=True).get(pk=page.pk)
    for key, parent, author, days, text in SYLLABUS_THREAD:
        made[key] = Comment.objects.create(
            page=page,
            parent=made.get(parent),
            author=users[author],
            body=text,
            created=start + timedelta(days=days, hours=len(made)),
        )
    for key, likers in SYLLABUS_LIKES.items():
        for n, name in enumerate(likers):
            like, _ = CommentLike.objects.get_or_create(comment=made[key], user=users[name])
            date_like(like, made[key].created, n)  # hours after the comment, as the posts'
