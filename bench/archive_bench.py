"""Archive a course of 200 posts and 5,000 comments as a static site; time it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonplace_bench \\
        .venv/bin/python bench/archive_bench.py [posts] [comments]

Migrates the database, seeds a public course (40 students, 8 topics, threaded comments
up to five deep, a few held; an award granted to a few posts; posts over eight months),
then builds its public archive twice (terms.archive.Build, as the task and
``manage.py archive_course`` do) and prints each build's time, the pages and files, the
zip's size, and whether the two zips are byte-identical. Target (issue 32): under 60 s
on the 2-core machine.
"""

import logging
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from awards.models import Award, AwardGrant  # noqa: E402
from blog.models import Course, Membership, Post, Topic  # noqa: E402
from comments.models import Comment  # noqa: E402
from terms.archive import Build  # noqa: E402

SLUG = "archive-bench"
START = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def seed(posts, comments):
    User = get_user_model()
    Course.objects.filter(slug=SLUG).delete()
    course = Course.objects.create(title="Archive bench", slug=SLUG, visibility="public")
    people = [
        User.objects.get_or_create(
            username=f"bench-student-{n}", defaults={"first_name": "Student", "last_name": f"{n}"}
        )[0]
        for n in range(41)
    ]
    teacher, students = people[0], people[1:]
    Membership.objects.create(course=course, user=teacher, role="instructor")
    Membership.objects.bulk_create(
        [Membership(course=course, user=user, role="student") for user in students]
    )
    topics = [
        Topic.objects.create(course=course, name=f"Week {n}", slug=f"week-{n}") for n in range(8)
    ]
    made = []
    for n in range(posts):
        post = Post.objects.create(
            course=course, author=students[n % 40], title=f"Essay {n} on the thaw",
            status="published", published_at=START + timedelta(hours=29 * n),
            body=f"Essay {n}. " + "Words of the essay, *some* of them emphasised. " * 40,
        )  # fmt: skip
        post.topics.add(topics[n % 8])
        made.append(post)
    per_post = comments // posts
    for n, post in enumerate(made):
        parent = None
        for c in range(per_post):
            comment = Comment.objects.create(
                post=post, author=students[(n + c + 1) % 40], body="A reply with *emphasis* and a [link](https://example.org/).",
                parent=parent if c % 5 else None, status="pending" if c == 7 else "approved",
            )  # fmt: skip
            parent = comment if comment.status == "approved" else parent
    award = Award.objects.create(course=course, name="Best essay", slug="best-essay")
    for post in made[::20]:
        AwardGrant.objects.create(award=award, post=post, granted_by=teacher, citation="Bold.")
    return course


def main():
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    comments = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    logging.disable(logging.INFO)  # one request line per page drawn
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    course = seed(posts, comments)
    print(f"seeded {posts} posts, {Comment.objects.filter(post__course=course).count()} comments "
          f"in {time.monotonic() - started:.1f} s")  # fmt: skip
    zips = []
    for attempt in (1, 2):
        build = Build(course)
        started = time.monotonic()
        out = Path(tempfile.gettempdir(), f"{SLUG}-{attempt}.zip")
        with out.open("wb") as zipped:
            count = build.write(zipped)
        seconds = time.monotonic() - started
        zips.append(out.read_bytes())
        print(f"build {attempt}: {seconds:.1f} s, {len(build.pages)} pages, {count} files, "
              f"{len(zips[-1]) / 1e6:.1f} MB ({out})")  # fmt: skip
    print("byte-identical:", zips[0] == zips[1])


if __name__ == "__main__":
    main()
