"""Time the comment thread of a post with 500 comments: build (one query plus Python)
and render (one pass over the flat list). Printed, not asserted.

    .venv/bin/python bench/comment_tree.py [comments] [repeats]

Runs on an in-memory SQLite database of its own; docs/design.md's target is under
0.1 ms per comment, 50 ms for 500.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production-like templates (no debug annotations), with throwaway secrets.
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from accounts.models import User  # noqa: E402
from blog.models import Course, Membership, Post  # noqa: E402
from comments.models import Comment, CommentLike  # noqa: E402
from comments.views import post_discussion_context  # noqa: E402


def make_thread(count):
    rng = random.Random(7)
    course = Course.objects.create(title="Bench", slug="bench")
    people = [
        User.objects.create(username=f"u{n}", first_name=f"Student{n}", last_name="Bench")
        for n in range(30)
    ]
    Membership.objects.bulk_create(Membership(course=course, user=u) for u in people)
    Membership.objects.filter(user=people[0]).update(role="instructor")
    post = Post(course=course, author=people[1], title="A long discussion", body="Text.")
    post.publish()
    post.save()
    comments = []
    for n in range(count):
        parent = rng.choice(comments[-20:]) if comments and rng.random() < 0.7 else None
        comments.append(
            Comment.objects.create(
                post=post,
                parent=parent,
                author=rng.choice(people),
                body=f"Comment {n}: a *reasonable* paragraph about the reading, with a "
                f"[link](https://example.org/{n}) and some `code`.",
            )
        )
    likes = {(rng.choice(comments).pk, rng.choice(people).pk) for _ in range(count)}
    CommentLike.objects.bulk_create(CommentLike(comment_id=c, user_id=u) for c, u in likes)
    return post, people[2]


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    return request


def timed(func, repeats):
    """Median milliseconds of CPU time in this process (time.process_time): on a
    shared, busy machine, wall time measures the neighbours as much as the code."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        func()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    call_command("migrate", verbosity=0)
    post, reader = make_thread(count)
    post = Post.objects.select_related("author", "course").get(pk=post.pk)

    def context():
        return {"post": post, "course": post.course, "user": reader}

    def build():
        return post_discussion_context(request_for(reader), post)

    ctx = context() | build()
    request = request_for(reader)

    def render_thread():
        return render_to_string("comments/_thread.html", ctx, request)

    def render_discussion():
        return render_to_string("comments/_discussion.html", ctx, request)

    render_discussion()  # warm the template cache
    build_ms = timed(build, repeats)
    thread_ms = timed(render_thread, repeats)
    section_ms = timed(render_discussion, repeats)
    total = build_ms + thread_ms
    print(f"comments: {count}, median CPU time of {repeats} runs, a course member's view")
    print(f"  build (queries + tree):        {build_ms:7.2f} ms")
    print(f"  render the thread (one pass):  {thread_ms:7.2f} ms")
    print(f"  build + render:                {total:7.2f} ms = {total / count:.3f} ms per comment")
    print(f"  (whole section with the reply form: {section_ms:.2f} ms to render)")


if __name__ == "__main__":
    main()
