"""Import a WordPress export of 1,000 posts and 20,000 comments; time it.

    psql -h 127.0.0.1 -U postgres -d test -c 'CREATE DATABASE commonplace_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonplace_bench \\
        .venv/bin/python bench/import_bench.py [posts] [comments per post]

Writes a WXR 1.2 file (Gutenberg and classic bodies with headings, lists, links,
[caption] and unknown shortcodes; 40 authors; 20 comments a post, threaded up to
four deep, a few held or spam, some with HTML; categories and tags), migrates the
database, imports the file into a new course and prints the time of each phase, then
imports it again (the idempotent path: everything updated, nothing added). Target
(issue 15): under 60 s on PostgreSQL on the 2-core machine.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from blog.models import Course, Post  # noqa: E402
from comments.models import Comment  # noqa: E402
from imports.models import ImportRun  # noqa: E402
from imports.services import import_export  # noqa: E402

WORDS = (  # noqa: SIM905
    "thaw soviet poetry samizdat censorship congress secret speech khrushchev stalin "
    "moscow leningrad writers union novel film journal reform amnesty gulag return "
    "youth festival jazz sputnik virgin lands housing kitchen debate archive letter"
).split()
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench blog</title><link>https://bench.example.edu</link>
<wp:wxr_version>1.2</wp:wxr_version>
"""


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def body(rng, n):
    if n % 2:
        return (
            f"<!-- wp:paragraph --><p>{words(rng, 60)} <strong>{words(rng, 3)}</strong></p>"
            f"<!-- /wp:paragraph --><!-- wp:more --><!--more--><!-- /wp:more -->"
            f"<!-- wp:heading --><h2>{words(rng, 4)}</h2><!-- /wp:heading -->"
            f"<!-- wp:list --><ul><li>{words(rng, 6)}</li><li>{words(rng, 6)}</li></ul>"
            f'<!-- /wp:list --><p>{words(rng, 80)} <a href="https://example.org/{n}">'
            f"{words(rng, 2)}</a></p>"
        )
    return (
        f"{words(rng, 50)}\n{words(rng, 20)}\n\n{words(rng, 70)}\n\n"
        f'[caption id="attachment_{n}" width="300"]<img src="https://bench.example.edu/'
        f'wp-content/uploads/2017/03/p{n}.jpg" alt="{words(rng, 2)}"> {words(rng, 4)}'
        f"[/caption]\n\n[footnote]{words(rng, 5)}[/footnote] {words(rng, 40)}"
    )


def comment_xml(rng, post_n, k, comment_id, parent_id):
    status = rng.choices(["1", "0", "spam"], weights=[90, 7, 3])[0]
    text = words(rng, rng.randint(10, 60))
    if k % 5 == 0:
        text = f"<em>{words(rng, 3)}</em> {text} <a href='https://example.org/'>link</a>"
    email = f"reader{rng.randint(1, 400)}@example.net"
    return (
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {email[6:9]}]]></wp:comment_author>"
        f"<wp:comment_author_email>{email}</wp:comment_author_email>"
        f"<wp:comment_author_url>https://example.net/{k}</wp:comment_author_url>"
        f"<wp:comment_date_gmt>2017-03-{1 + post_n % 28:02d} 1{k % 10}:00:00"
        f"</wp:comment_date_gmt><wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>{status}</wp:comment_approved>"
        f"<wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{parent_id}</wp:comment_parent>"
        f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
    )


def write_export(path, posts, per_post):
    rng = random.Random(15)
    with open(path, "w") as out:
        out.write(HEAD)
        for a in range(40):
            out.write(
                f"<wp:author><wp:author_id>{a + 1}</wp:author_id><wp:author_login>student{a}"
                f"</wp:author_login><wp:author_email>student{a}@example.edu</wp:author_email>"
                f"<wp:author_display_name>Student {a}</wp:author_display_name></wp:author>\n"
            )
        comment_id = 1
        for n in range(1, posts + 1):
            out.write(
                f"<item><title>Post {n}: {words(rng, 4)}</title>"
                f"<link>https://bench.example.edu/2017/03/{n % 28 + 1:02d}/post-{n}/</link>"
                f"<dc:creator>student{n % 40}</dc:creator>"
                f'<guid isPermaLink="false">https://bench.example.edu/?p={n}</guid>'
                f"<content:encoded><![CDATA[{body(rng, n)}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt>2017-03-{n % 28 + 1:02d} 10:00:00</wp:post_date_gmt>"
                f"<wp:post_name>post-{n}</wp:post_name>"
                f"<wp:status>{'draft' if n % 25 == 0 else 'publish'}</wp:status>"
                f"<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="week-{n % 12}">Week {n % 12}</category>'
                f'<category domain="post_tag" nicename="{WORDS[n % len(WORDS)]}">'
                f"{WORDS[n % len(WORDS)]}</category>"
            )
            first = comment_id
            for k in range(per_post):
                # a quarter top level, the rest replies to a recent comment (depth up to 4)
                parent = 0 if k % 4 == 0 else first + rng.randint(max(0, k - 3), k - 1)
                out.write(comment_xml(rng, n, k, comment_id, parent))
                comment_id += 1
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def main():
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    per_post = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "export.xml")
        start = time.perf_counter()
        write_export(path, posts, per_post)
        print(f"export: {path.stat().st_size / 1e6:.1f} MB written in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        course = Course.objects.create(title=f"Import bench {time.time():.0f}")
        for label in ("first import", "re-import"):
            run = ImportRun.objects.create(course=course)
            start, cpu = time.perf_counter(), time.process_time()
            report = import_export(course=course, source=path, run=run)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU in Python, load average "
                f"{os.getloadavg()[0]:.1f} · posts {dict(report['posts'])} · comments "
                f"created {report['comments']['created']}, updated "
                f"{report['comments']['updated']}"
            )
        posts_n = Post.objects.filter(course=course).count()
        comments_n = Comment.objects.filter(post__course=course).count()
        filled = Post.objects.filter(course=course, search_vector__isnull=False).count()
        print(f"in the database: {posts_n} posts, {comments_n} comments, "
              f"{filled} search documents")  # fmt: skip


if __name__ == "__main__":
    main()
