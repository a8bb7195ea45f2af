"""Demo assignments for seed_demo: one past (graded, one response late), one upcoming
(with a rubric, one response in, one extension). All text written for this demo."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from assignments import services
from assignments.models import Assignment
from assignments.times import course_zone

PAST = {
    "title": "Week 6: Stagnation in everyday life",
    "prompt": (
        "Historians call the Brezhnev years *zastoi*, stagnation. Pick one everyday "
        "experience (a queue, a kitchen conversation, a holiday, a plan target) and "
        "show what it tells us about the period.\n\n"
        "- 600 to 900 words.\n"
        "- Quote at least two of this week's sources, and say where to find them.\n"
        "- End with one question for your classmates."
    ),
    "topic": "Stagnation",
    "points": 10,
}
UPCOMING = {
    "title": "Week 11: Perestroika, reform or revolution?",
    "prompt": (
        "Gorbachev spoke of *perestroika* as a reform of socialism; by 1991 the system "
        "was gone. Was it a reform that ran out of control, or a revolution that did not "
        "say its name? Take a side and defend it with one economic and one cultural "
        "source.\n\n"
        "The rubric below is how the response is graded."
    ),
    "topic": "Perestroika",
    "rubric": [
        ("Use of sources", [("Close reading", 4), ("Summary", 2), ("Missing", 0)]),
        ("Argument", [("Clear position", 6), ("Hedged", 3), ("No position", 0)]),
    ],
}
# Responses to the past assignment: author's post title, points, feedback.
PAST_RESPONSES = [
    (
        "Queues, kitchens and the meaning of stagnation",
        9,
        "The kitchen scene is exactly the evidence this week asked for. Next time, give "
        "the page number for the memoir you quote.",
    ),
    (
        "Samizdat as a network, not a genre",
        "8.5",
        "A strong frame. The network diagram in your head deserves a paragraph: who "
        "passed what to whom, and how do we know?",
    ),
    (
        "Reading the 1979 five-year plan as a map",
        7,
        "Submitted after the deadline, so marked late. The reading of the plan's "
        "targets is careful; the conclusion needs one more source.",
    ),
]
UPCOMING_RESPONSE = "The films that waited on the shelf"


def at_five(course, days):
    """17:00 in the course's zone, `days` from today (negative: in the past)."""
    tz = course_zone(course)
    day = timezone.localdate(timezone.now(), tz) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(17, 0)), tz)


def seed(ctx):
    course, users, posts, topics = ctx["course"], ctx["users"], ctx["posts"], ctx["topics"]
    instructor = users["hmarsh"]
    if Assignment.objects.filter(course=course, title=PAST["title"]).exists():
        return

    past = services.create_assignment(
        course=course,
        title=PAST["title"],
        prompt=PAST["prompt"],
        opens_at=at_five(course, -45),
        due_at=at_five(course, -25),
        cutoff_at=at_five(course, -14),
        points=PAST["points"],
        topic=topics[PAST["topic"]],
    )
    for title, points, feedback in PAST_RESPONSES:
        post = posts[title]
        submission = services.submit(assignment=past, post=post, when=post.published_at)
        services.add_feedback(post=post, author=instructor, body=feedback)
        services.grade(submission=submission, grader=instructor, points=points)
    farid_post = posts["Reading the 1979 five-year plan as a map"]
    services.add_feedback(
        post=farid_post,
        author=farid_post.author,
        body="Thank you. I had the flu that week; I will add the Gosplan report.",
    )

    upcoming = services.create_assignment(
        course=course,
        title=UPCOMING["title"],
        prompt=UPCOMING["prompt"],
        opens_at=at_five(course, -4),
        due_at=at_five(course, 5),
        cutoff_at=at_five(course, 12),
        topic=topics[UPCOMING["topic"]],
        rubric=UPCOMING["rubric"],
    )
    post = posts[UPCOMING_RESPONSE]
    submission = services.submit(assignment=upcoming, post=post, when=post.published_at)
    sources, argument = upcoming.criteria.all()
    services.grade(
        submission=submission,
        grader=instructor,
        levels=[sources.levels.get(label="Close reading"), argument.levels.get(label="Hedged")],
    )
    services.add_feedback(
        post=post,
        author=instructor,
        body="The shelved films are a fine case. Say plainly which side you are on.",
    )
    ben = users["ben"]
    services.grant_extension(
        assignment=upcoming, student=ben, due_at=at_five(course, 8), granted_by=instructor
    )
    draft = course.posts.filter(author=ben, status="draft").first()
    if draft is not None:
        services.choose_assignment(post=draft, assignment=upcoming)
    ctx["stdout"].write("Assignments: 2 (one past, one upcoming), with responses and grades.")
