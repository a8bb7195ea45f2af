"""Search over many posts on PostgreSQL: median time of a few queries.

    psql -h 127.0.0.1 -U postgres -d test -c 'CREATE DATABASE commonplace_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonplace_bench \\
        .venv/bin/python bench/search_bench.py [posts]

Migrates the database, seeds it up to `posts` (default 10,000; issue 34 asks for
100,000) posts in 8 courses with
topics, bodies of 120-600 words drawn from a history-seminar vocabulary with a
Zipf-like spread), then times each query, signed out (and two signed in as a member
of every course), twice: the queries alone (the ranked ids and one page of results, as
the view asks; the count is the number of ranked ids) and the whole search page through
the test client. Each is run WARM_UP times first, so that psycopg has prepared its
statements and PostgreSQL has had the chance to switch them to a generic plan (it may,
from the sixth run of a prepared statement, when it expects that to be no slower).
Prints the median of RUNS runs: the wall clock of the queries alone (`query ms`), of
the page's SQL as the app sees it (`sql ms`: time around each statement's execution,
round trips and rows included) and of the whole page (`page ms`: what a reader waits
for, less the network); this process's CPU time for the page and the database's
execution time of its statements, from EXPLAIN ANALYZE (on a busy machine these two
say more than the wall clock); the number of SQL queries, how the newest matches of
the words are found (the GIN index, the index of adjacent words for a phrase, or a
walk down published_at), and at the end how many times the ranked-ids statements were
planned for their values (custom) or once for all (generic). The load average is
printed before and after: wall clocks on a loaded machine measure the load too.

The searches: words in most posts (common), words in a few (rare: the seed adds them
to every 1,000th and 10,000th post), phrases, a word no post holds, signed out and as
a member of every course. DJANGO_DEBUG=0 runs production's settings (DEBUG off,
bench/pages.py's environment, collectstatic first); REDIS_URL set, production's
cache and sessions (Redis) instead of local memory.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PRODUCTION = os.environ.get("DJANGO_DEBUG") == "0"
if PRODUCTION:  # production's settings, as `make bench` runs them (sets Django up)
    from bench import pages  # noqa: F401
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per request

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from blog.models import Course, Membership, Post, Topic  # noqa: E402
from blog.search import newest_matches  # noqa: E402

POSTS = 10_000  # the default; the first argument asks for another count
BATCH = 10_000  # posts built in memory at a time
RUNS = 15
WARM_UP = 12
# Words only a few posts hold: (word, every how many posts, from which post).
RARE_WORDS = [("zhdanovshchina", 1000, 5), ("ehrenburg", 10_000, 3)]  # public courses
QUERIES = [
    "thaw",  # a common word (in about half of the posts) that names a topic
    "soviet poetry",
    '"iron curtain"',
    '"soviet union" poetry',
    "history",  # a common word (in 57 % of the posts) that names no topic
    "time people",  # two common words (about 60 % each)
    '"time people"',  # a phrase of two common words (about 1 %)
    "zhdanovshchina",  # a rare word (one post in 1,000)
    "ehrenburg poetry",  # a rarer word (one in 10,000) and a common one
    "the class",  # a stop word and a word no post holds
    "xylophone",  # a word no post holds
    "samizdat -film",
    "khrushchev speech",
    "zhivago nobel prize",
    "thaw",  # again, after the others have run the same statements
]
# Signed in, members-only course included.
MEMBER_QUERIES = ["thaw", "history", '"iron curtain"', "zhdanovshchina", "xylophone"]

VOCABULARY_TEXT = """
the of and to in a is that was for as with by on it this his were be from at which
are or had not their but they an have one all its been has more when who would
there into what about after other than some these them time only also new first
over most people years state war political history government power world during
between such both those many after under while against country social public
soviet union moscow thaw stalin khrushchev secret speech congress party central
committee poetry poet novel writer censorship samizdat tamizdat underground press
iron curtain cold war berlin wall budapest prague spring dissident trial sinyavsky
daniel pasternak zhivago nobel prize solzhenitsyn gulag archipelago ivan denisovich
akhmatova requiem mandelstam tsvetaeva yevtushenko babi yar voznesensky stadium
reading crowd audience jazz film cinema cranes flying ballad soldier tarkovsky
rehabilitation camps return prisoners amnesty memory archive letters diary memoir
journal novy mir tvardovsky editor manuscript typewriter copies readers circle
kitchen conversations generation sixties youth festival sputnik gagarin space race
cuban missile crisis detente brezhnev stagnation reform economy collective farms
virgin lands housing khrushchyovka apartments everyday life consumer culture
television radio voice america bbc jamming broadcasts listeners translation
intelligentsia science academy physicists lyricists debate freedom truth lies
propaganda newspaper pravda izvestia headline editorial criticism self
"""
VOCABULARY = VOCABULARY_TEXT.split()


def words(rng, n):
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    return rng.choices(VOCABULARY, weights=weights, k=n)


def seed(posts):
    """Up to `posts` posts, once, then their stored search vectors (bulk_create skips
    save(), which fills them; without them every search would match nothing and look
    fast). A larger count adds to what an earlier run seeded."""
    seeded = Post.objects.filter(course__slug__startswith="bench-")
    have = seeded.count()
    for start in range(have, posts, BATCH):
        create_posts(start, min(start + BATCH, posts))
        seeded.filter(search_vector=None).refresh_search_vectors()
        print(f"seeded {min(start + BATCH, posts)} posts", flush=True)
    added = add_rare_words()
    if have < posts or added:
        with connection.cursor() as cursor:  # as autovacuum would: index-only scans need it
            cursor.execute("VACUUM ANALYZE")


def add_rare_words():
    """RARE_WORDS at the end of their posts' bodies, once; how many posts changed."""
    changed = 0
    with connection.cursor() as cursor:
        for word, every, first in RARE_WORDS:
            cursor.execute(
                "UPDATE blog_post SET body = body || ' ' || %s,"
                " body_html = body_html || '<p>' || %s || '</p>', search_vector = NULL"
                " WHERE slug ~ '^bench-post-[0-9]+$'"
                " AND substring(slug FROM 12)::int %% %s = %s AND body NOT LIKE %s",
                [word, word, every, first, f"% {word}"],
            )
            changed += cursor.rowcount
    Post.objects.filter(search_vector=None).refresh_search_vectors()
    return changed


def create_posts(start, stop):
    rng = random.Random(8 + start)
    User = get_user_model()
    authors = [
        User.objects.get_or_create(
            username=f"bench{n}", defaults={"email": f"bench{n}@example.edu"}
        )[0]
        for n in range(40)
    ]
    courses = [
        Course.objects.get_or_create(
            slug=f"bench-{n}",
            defaults={
                "title": f"Bench course {n}",
                "visibility": "members" if n == 7 else "public",
            },
        )[0]
        for n in range(8)
    ]
    Membership.objects.bulk_create(
        [Membership(course=c, user=a) for c in courses for a in authors], ignore_conflicts=True
    )
    topic_names = ["Week 1", "Week 2", "1953: Thaw", "Samizdat", "Poetry", "Film", "Cold War"]
    topics = {
        c.pk: [
            Topic.objects.get_or_create(course=c, slug=f"t{i}", name=name)[0]
            for i, name in enumerate(topic_names)
        ]
        for c in courses
    }
    now = timezone.now()
    posts = []
    for n in range(start, stop):
        course = courses[n % len(courses)]
        title = " ".join(words(rng, rng.randint(3, 8))).capitalize()
        paragraphs = [" ".join(words(rng, rng.randint(40, 120))) for _ in range(rng.randint(3, 5))]
        body = "\n\n".join(paragraphs)
        posts.append(
            Post(
                course=course,
                author=authors[n % len(authors)],
                title=title,
                slug=f"bench-post-{n}",
                status="published" if n % 20 else "draft",
                published_at=now - timezone.timedelta(hours=n),
                body=body,
                body_html="".join(f"<p>{p}</p>" for p in paragraphs),
            )
        )
    created = Post.objects.bulk_create(posts, batch_size=1000)
    Through = Post.topics.through
    Through.objects.bulk_create(
        [
            Through(post_id=post.pk, topic_id=topic.pk)
            for post in created
            for topic in rng.sample(topics[post.course_id], 2)
        ],
        batch_size=5000,
    )


def count_queries(func):
    calls = []

    def counter(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        func()
    return len(calls)


def median_ms(func):
    for _ in range(WARM_UP):
        func()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_medians(page):
    """Medians of RUNS runs of `page`, in ms: wall clock, this process's CPU time, and
    the wall clock spent in its SQL statements (time around each execution, as the
    app sees it: round trips and the rows' transfer included)."""
    in_sql = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[-1] += time.perf_counter() - start

    walls, cpus = [], []
    for _ in range(WARM_UP):
        page()
    with connection.execute_wrapper(timed):
        for _ in range(RUNS):
            in_sql.append(0.0)
            wall, cpu = time.perf_counter(), time.process_time()
            page()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
    return tuple(statistics.median(times) * 1000 for times in (walls, cpus, in_sql))


def load_average():
    return Path("/proc/loadavg").read_text().split()[:3]


def statement_ms(func):
    """The database's own time for the statements `func` runs (EXPLAIN ANALYZE's
    execution time, summed; median of RUNS): unlike the wall clock, it leaves out the
    time this process waits for a core on a busy machine."""
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        func()
    runs = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            total = 0.0
            for sql, params in statements:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF) {sql}", params)
                total += float(cursor.fetchall()[-1][0].split()[-2])
            runs.append(total)
    return statistics.median(runs)


def main():
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    if PRODUCTION:
        call_command("collectstatic", verbosity=0, interactive=False)
    seed(int(sys.argv[1]) if len(sys.argv) > 1 else POSTS)
    anonymous = AnonymousUser()
    member = get_user_model().objects.get(username="bench0")  # of all 8 courses
    url = reverse("blog:search")
    empty = Post.objects.filter(search_vector=None).count()
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"{Post.objects.count()} posts ({empty} without a search vector); "
        f"median of {RUNS} runs after {WARM_UP}; DEBUG {settings.DEBUG}, cache {cache}; "
        f"load average {' '.join(load_average())}"
    )
    print(
        f"{'query':<28}{'results':>8}{'query ms':>9}{'sql ms':>7}{'page ms':>8}{'cpu ms':>7}"
        f"{'db ms':>6}{'SQL':>4}  words from"
    )
    searches = [(text, anonymous) for text in QUERIES] + [(text, member) for text in MEMBER_QUERIES]
    for text, user in searches:
        readable = Post.objects.visible_to(user).published()
        client = Client(HTTP_HOST="localhost")
        if user.is_authenticated:
            client.force_login(user)
        found = readable.search(text)

        def queries(text=text, readable=readable):  # what the view asks: ranked ids, page 1
            ids = readable.search(text).ranked_ids[:10]
            return ids and list(Post.objects.ranked_rows(ids, text).with_results())

        def page(text=text, client=client):
            assert client.get(url, {"q": text}).status_code == 200

        sql = count_queries(page)
        label = f"{text} (member)" if user.is_authenticated else text
        wall, cpu, in_sql = page_medians(page)
        print(
            f"{label:<28}{found.match_count:>8}{median_ms(queries):>9.1f}{in_sql:>7.1f}"
            f"{wall:>8.1f}{cpu:>7.1f}{statement_ms(page):>6.1f}{sql:>4}  "
            f"{words_plan(readable, text)}"
        )
    print("ranked-ids statements (generic plans, custom plans):", plan_counts())
    print("load average after:", " ".join(load_average()))


def words_plan(readable, text):
    """Where the newest matches of the words come from, in a plan for this text."""
    plan = newest_matches(readable, text).explain()
    parts = plan.split("Limit")  # before issue 34, the first half of a UNION
    words = parts[2] if len(parts) > 2 else plan
    if "blog_post_search_pairs_gin" in words:
        return "adjacent words index"
    if "blog_post_search_vector_gin" in words:
        return "GIN index"
    return "walk down published_at" if "published_at" in words else "?"


def plan_counts():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%ts_rank(%"],
        )
        return cursor.fetchall()


if __name__ == "__main__":
    main()
