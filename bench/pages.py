"""Pages under load: gunicorn (production's deploy/gunicorn.conf.py, 4 sync workers, DEBUG
off) and wrk on PostgreSQL, side by side with a bare Django view (20 KB of fixed HTML)
as the floor. `make bench` runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonplace_bench \\
        .venv/bin/python bench/pages.py

Seeds issue 13's data shape once (course "bench": 100 published posts of about 1.9 KB,
one hour apart; the two oldest carry 500 and 7 approved guest comments in threads at
most 5 deep, 0-3 likes each from 20 student members), then:

1. an in-process profile of P7 and P500 (test client, cProfile), signed out and in,
   each from the page cache (anonymous or member) and rendered;
2. gunicorn on PORT (default 8131) and wrk -t2 -cCONNECTIONS for DURATION per page,
   pages alternating, ROUNDS rounds; the median req/s, p50 and p99 of the rounds and
   the ratio to the bare view;
3. the workers' resident memory after the load.

Environment: PORT, DURATION (5s), ROUNDS (3), CONNECTIONS (16), WORKERS (4),
REDIS_URL (unset: local-memory cache in each worker), GUNICORN_ARGS (more options after
production's, e.g. "--max-requests 0"); while working on one page,
PAGES="P7 member,P500 anonymous" loads only those (and the bare view) and PROFILE=0
skips step 1.
"""

import cProfile
import os
import pstats
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "bench-not-secret-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
}
os.environ.update(BENCH_ENV)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonplace_bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from blog.models import Course, Membership, Post, Role  # noqa: E402
from comments.models import Comment, CommentLike  # noqa: E402

PORT = int(os.environ.get("PORT", "8131"))
DURATION = os.environ.get("DURATION", "5s")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
WORKERS = int(os.environ.get("WORKERS", "4"))
# More of gunicorn's options after production's (deploy/gunicorn.conf.py), e.g.
# GUNICORN_ARGS="--max-requests 0" to see a worker's memory without its replacement.
GUNICORN_ARGS = os.environ.get("GUNICORN_ARGS", "").split()
COURSE = "bench"
READERS = 20

PARAGRAPH = (
    "In the spring of 1956 the reading rooms filled again. Students who had grown up "
    "on the certainties of the late Stalin years now passed typed copies of poems from "
    "hand to hand, argued about the secret speech in kitchens and dormitories, and "
    "wrote to the editors of Novy Mir as though a letter might change what was printed. "
    "The thaw was never a single event but a weather: warm days, then frost again, and "
    "every writer learned to read the sky. Our seminar asks what this did to the way "
    "people talked in public and in private, and which words moved between the two. "
    "Paragraph {n} of post {post} keeps the text long enough to look like real work."
)


def seed():
    """Issue 13's data shape, once (course "bench")."""
    if Course.objects.filter(slug=COURSE).exists():
        return
    rng = random.Random(13)
    course = Course.objects.create(
        title="The Thaw: Soviet Culture 1953-1968", slug=COURSE, visibility="public"
    )
    teacher = User.objects.create(username="bench-teacher", first_name="Ada", last_name="Teach")
    readers = [
        User.objects.create(
            username=f"bench-reader{n}",
            first_name=f"Reader{n}",
            last_name="Student",
            email=f"reader{n}@example.edu",
        )
        for n in range(READERS)
    ]
    Membership.objects.create(course=course, user=teacher, role=Role.INSTRUCTOR)
    Membership.objects.bulk_create(Membership(course=course, user=u) for u in readers)
    start = timezone.now() - timedelta(hours=200)
    posts = []
    for n in range(100):
        body = "\n\n".join(PARAGRAPH.format(n=p + 1, post=n) for p in range(3))
        post = Post(
            course=course,
            author=readers[n % READERS],
            title=f"Reading notes {n}: voices of the thaw",
            slug=f"notes-{n}",
            body=body,
            status=Post.Status.PUBLISHED,
            published_at=start + timedelta(hours=n),
        )
        post.save()
        posts.append(post)
    for post, count in ((posts[0], 500), (posts[1], 7)):
        seed_thread(post, count, readers, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed_thread(post, count, readers, rng):
    """Comment 0 is top level; then each is top level with probability 0.3, otherwise a
    reply to an earlier comment shallower than 5, drawn uniformly."""
    depth, comments = {}, []
    created = post.published_at + timedelta(minutes=5)
    for n in range(count):
        parent = None
        if n and rng.random() >= 0.3:
            shallow = [c for c in comments if depth[c.pk] < 5]
            parent = rng.choice(shallow) if shallow else None
        body = f"Comment {n}: I agree with the point about *private* speech; see page {n % 90}."
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            guest_name=f"Guest {n % 37}",
            guest_email=f"guest{n % 37}@example.org",
            body=body,
            status=Comment.Status.APPROVED,
            created=created + timedelta(minutes=n),
        )
        depth[comment.pk] = depth[parent.pk] + 1 if parent else 1
        comments.append(comment)
    likes = [
        CommentLike(comment=c, user=u)
        for c in comments
        for u in rng.sample(readers, rng.randint(0, 3))
    ]
    CommentLike.objects.bulk_create(likes)


def pages():
    course = Course.objects.get(slug=COURSE)
    oldest = list(Post.objects.filter(course=course).order_by("published_at")[:2])
    return {
        "home": "/",
        "course": course.get_absolute_url(),
        "P7": oldest[1].get_absolute_url(),
        "P500": oldest[0].get_absolute_url(),
    }


def member_session():
    """A signed-in student member's cookies (the session in the configured session
    store), as a browser holds them after signing in through the form: the session and
    the CSRF cookie (issue 34's method). Without the CSRF cookie every page would make
    the reader a new CSRF secret and set it again."""
    client = Client()
    client.force_login(User.objects.get(username="bench-reader0"))
    client.get("/")  # the first page a member sees sets the CSRF cookie
    names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)


# --- In process ---


def profile(urls):
    reader = User.objects.get(username="bench-reader0")
    print("\nIn-process profile (test client, median of 15 requests after a warm-up)")
    print(f"{'page':<28}{'ms':>8}{'SQL':>5}{'SQL ms':>8}{'template ms':>13}{'thread ms':>11}")
    for signed_in, cached in ((False, True), (False, False), (True, True), (True, False)):
        client = Client()
        if signed_in:
            client.force_login(reader)
        for name in ("P7", "P500"):
            with override_settings(PAGE_CACHE_SECONDS=300 if cached else 0):
                profile_page(client, name, urls[name], signed_in, cached)
    print("(SQL, template and thread times are cProfile's, so inflated; compare the shares)")


def profile_page(client, name, url, signed_in, cached):
    client.get(url)
    times = []
    for _ in range(15):
        begin = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - begin) * 1000)
    queries = count_queries(client, url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        client.get(url)
    prof.disable()
    stats = pstats.Stats(prof).stats
    sql = cumulative(stats, "execute", "backends/utils.py") / 5
    template = cumulative(stats, "render", "django/template/base.py", line_max=200) / 5
    thread = cumulative(stats, "load_thread", "threads.py") / 5
    who = ("member, " if signed_in else "anonymous, ") + ("cache" if cached else "render")
    label = f"{name} {who}"
    print(
        f"{label:<28}{statistics.median(times):>8.1f}{len(queries):>5}"
        f"{sql:>8.1f}{template:>13.1f}{thread:>11.1f}"
    )


def count_queries(client, url):
    queries = []

    def record(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        client.get(url)
    return queries


def cumulative(stats, function, file_part, line_max=None):
    best = 0.0
    for (filename, line, name), (_, _, _, ct, _) in stats.items():
        if name == function and file_part in filename and (line_max is None or line < line_max):
            best = max(best, ct * 1000)
    return best


# --- Under load ---


def start_gunicorn(redis_url=""):
    """gunicorn on PORT with the local-memory cache, or with Redis at ``redis_url``
    (production's configuration: pages, sessions and locks in Redis)."""
    log = open(ROOT / "bench/results/gunicorn.log", "a")  # noqa: SIM115
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--config",
            str(ROOT / "deploy/gunicorn.conf.py"),  # production's settings
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            *GUNICORN_ARGS,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start: see bench/results/gunicorn.log")


def stop_gunicorn(master):
    os.killpg(master.pid, signal.SIGTERM)
    master.wait(timeout=30)


def drain():
    """Wait until the workers have finished the last run's queued requests (a slow
    page leaves up to CONNECTIONS of them), so that they don't count against the next."""
    for _ in range(100):
        begin = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=30).read()
        if time.perf_counter() - begin < 0.05:
            return
        time.sleep(0.2)


def wrk(path, cookie, connections=None, script=None, master=None):
    """(req/s, p50 ms, p99 ms, errors): errors are non-2xx/3xx answers and socket errors.
    With CPU=1 and gunicorn's ``master``, a fifth: (requests, seconds of CPU the workers
    spent, seconds wrk spent) during the run (``cpu_shares``)."""
    workers = workers_cpu(master) if CPU and master else None
    client = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        "wrk", "-t2", f"-c{connections or CONNECTIONS}", f"-d{DURATION}", "--latency",
        "--timeout", "10s",
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        errors += int(bad.group(1))
        print(f"  ! {path}: {bad.group(1)} responses were not 2xx/3xx")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
        print(f"  ! {path}: socket errors: {sockets.group(0)}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if workers is None:
        return rps, latency(out, "50%"), latency(out, "99%"), errors
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    now = workers_cpu(master)
    spent = None  # a worker replaced during the run took its CPU time with it
    if now[1] == workers[1]:
        spent = (
            int(re.search(r"(\d+) requests in", out).group(1)),
            now[0] - workers[0],
            after.ru_utime + after.ru_stime - client.ru_utime - client.ru_stime,
        )
    return rps, latency(out, "50%"), latency(out, "99%"), errors, spent


# CPU=1: each page's CPU time a request, of gunicorn's workers and of wrk (which share
# the machine's cores), beside req/s: other processes on a shared machine move req/s
# far more than the CPU a request costs (run with GUNICORN_ARGS="--max-requests 0": a
# replaced worker's time is lost).
CPU = os.environ.get("CPU", "") == "1"
TICKS = os.sysconf("SC_CLK_TCK")


def workers_cpu(master):
    """Seconds of CPU (user and system) spent so far by gunicorn's workers, and the
    set of their pids."""
    pids = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS, frozenset(pids)


def cpu_shares(results):
    """CPU=1: µs of CPU a request (workers, wrk, both; medians of the rounds) and the
    bare view's total over the page's: the share of the bare view a machine whose cores
    the two fill would give the page."""
    rows = {}
    for name, runs in results.items():
        # Rounds during which a worker was replaced (max_requests) don't count.
        per = [(w / n * 1e6, c / n * 1e6) for n, w, c in (r[4] for r in runs if r[4])]
        if per:
            rows[name] = tuple(statistics.median(side) for side in zip(*per, strict=True))
    bare = sum(rows.get("bare", (0, 0)))
    print(f"{'CPU a request, µs':<20}{'workers':>9}{'wrk':>9}{'total':>9}{'of bare':>9}")
    for name in results:
        if name not in rows or not bare:
            print(f"{name:<20}{'(a worker was replaced in every round)':>36}")
            continue
        server, client = rows[name]
        total = server + client
        print(f"{name:<20}{server:>9.0f}{client:>9.0f}{total:>9.0f}{bare / total * 100:>8.1f}%")


def latency(out, percentile):
    value, unit = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def worker_rss(master):
    """Each worker's resident memory in MiB, and how many of them were replaced since
    ``worker_pids`` was first asked (gunicorn's max_requests)."""
    children = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    pids = set(children[0::2])
    first = getattr(master, "first_pids", pids)
    rss = [int(kb) / 1024 for kb in children[1::2]]
    pss = [proportional_mib(pid) for pid in children[0::2]]
    return rss, len(pids - first), getattr(master, "warm_rss", None), pss


def proportional_mib(pid):
    """A worker's proportional set size in MiB: its private pages, and each page it
    shares with the master and the other workers divided among them. RSS counts the
    shared ones whole in every worker; PSS, summed over the processes, is what the host
    pays (None where /proc has no smaps_rollup)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def note_workers(master):
    """Remember the workers that start the load and their memory then (for
    ``worker_rss``: how many were replaced, how much they grew)."""
    master.first_pids = set()  # every worker counts as replaced while this runs
    master.warm_rss = worker_rss(master)[0]
    master.first_pids = set(
        subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(master.pid)], capture_output=True, text=True
        ).stdout.split()
    )


def load(urls, redis_url=""):
    """Today's table: each page alone, signed out and in. Returns the bare view's
    median req/s (the busy and class scenarios' floor)."""
    cookie = member_session()
    runs = [("bare", "/bench/bare/", "")]
    runs += [(f"{name} anonymous", path, "") for name, path in urls.items()]
    runs += [(f"{name} member", path, cookie) for name, path in urls.items()]
    chosen = {name.strip() for name in os.environ.get("PAGES", "").split(",") if name.strip()}
    if chosen:
        runs = [run for run in runs if run[0] == "bare" or run[0] in chosen]
    results = {name: [] for name, _, _ in runs}
    master = start_gunicorn(redis_url)
    try:
        warm(runs)
        note_workers(master)
        for round_ in range(ROUNDS):
            print(f"round {round_ + 1} of {ROUNDS} ...", flush=True)
            for name, path, cookie_header in runs:
                drain()
                results[name].append(wrk(path, cookie_header, master=master))
        rss = worker_rss(master)
    finally:
        stop_gunicorn(master)
    bare = statistics.median(r[0] for r in results["bare"])
    print(
        f"\nwrk -t2 -c{CONNECTIONS} -d{DURATION} x {ROUNDS} rounds, {WORKERS} workers, "
        f"{backend_name(redis_url)}; medians of the rounds"
    )
    print(f"{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}{'errors':>8}")
    for name, rows in results.items():
        rps = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows)
        p99 = statistics.median(r[2] for r in rows)
        errors = sum(r[3] for r in rows)
        print(f"{name:<20}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}{rps / bare * 100:>8.1f}%{errors:>8}")
    if CPU:
        cpu_shares(results)
    print_rss(rss)
    return bare


def warm(runs):
    """Fill every worker's caches before measuring."""
    for _name, path, cookie_header in runs:
        subprocess.run(
            [
                "wrk",
                "-t1",
                "-c4",
                "-d1s",
                *(["-H", f"Cookie: {cookie_header}"] * bool(cookie_header)),
                f"http://127.0.0.1:{PORT}{path}",
            ],
            capture_output=True,
            check=True,
        )


def print_rss(measured):
    rss, replaced, warm, pss = measured
    if rss:
        print(
            f"worker RSS after the load: median {statistics.median(rss):.1f} MiB, "
            f"max {max(rss):.1f} MiB ({', '.join(f'{m:.1f}' for m in sorted(rss))}); "
            f"{replaced} worker(s) replaced during it (max_requests)"
            + (f"; after the warm-up: median {statistics.median(warm):.1f} MiB" if warm else "")
        )
    pss = [m for m in pss if m is not None]
    if pss:
        print(
            f"worker PSS after the load (shared pages divided among the processes): "
            f"median {statistics.median(pss):.1f} MiB, max {max(pss):.1f} MiB"
        )


def backend_name(redis_url):
    return "Redis cache and sessions (production)" if redis_url else "local-memory cache"


def measure_bare(redis_url):
    master = start_gunicorn(redis_url)
    try:
        warm([("bare", "/bench/bare/", "")])
        return statistics.median(wrk("/bench/bare/", "")[0] for _ in range(ROUNDS))
    finally:
        stop_gunicorn(master)


# --- A busy thread and a whole class: readers while students write ---

LIKES_PER_SECOND = float(os.environ.get("LIKES_PER_SECOND", "5"))
COMMENT_EVERY = float(os.environ.get("COMMENT_EVERY", "10"))
WRITERS = 5
CLASS_CONNECTIONS = int(os.environ.get("CLASS_CONNECTIONS", "200"))


class Writers:
    """Five students (bench-reader1..5) like and unlike P500's comments, LIKES_PER_SECOND
    in all, and one of them comments on P500 every COMMENT_EVERY seconds, through the
    site's own forms (session cookie, CSRF token), until stopped."""

    def __init__(self, urls):
        import threading

        self.urls = urls
        self.stop = threading.Event()
        self.likes = self.comments = self.errors = 0
        self.failures = []  # (path, status, the answer's start) of each error, for the log
        slug = urls["P500"].rstrip("/").rsplit("/", 1)[1]
        post = Post.objects.get(course__slug=COURSE, slug=slug)
        self.comment_ids = list(
            Comment.objects.filter(post=post).order_by("pk").values_list("pk", flat=True)
        )
        self.students = [
            User.objects.get(username=f"bench-reader{n}") for n in range(1, WRITERS + 1)
        ]
        self.threads = [
            threading.Thread(target=self.write, args=(n,), daemon=True)
            for n in range(len(self.students))
        ]

    def __enter__(self):
        # Each student's session and CSRF token, from a small page, before the clock runs.
        self.sessions = []
        for student in self.students:
            cookie = session_of(student)
            token, csrf_cookie = csrf_of(self.urls["P7"], cookie)
            self.sessions.append((token, f"{cookie}; csrftoken={csrf_cookie}"))
        drain()
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
        self.seconds = time.monotonic() - self.started

    def write(self, n):
        rng = random.Random(n)
        token, cookies = self.sessions[n]
        interval = WRITERS / LIKES_PER_SECOND
        next_like = time.monotonic() + rng.random() * interval
        # The students take turns to comment, one comment every COMMENT_EVERY seconds in
        # all: each of them every WRITERS x COMMENT_EVERY (50 s), well apart for the
        # site's flood control (COMMENT_FLOOD_INTERVAL, 15 s a member). One student
        # commenting every 10 s had 2 of 4 comments refused (400) in every busy run.
        next_comment = time.monotonic() + COMMENT_EVERY * (n + 1)
        k = 0
        while not self.stop.is_set():
            now = time.monotonic()
            if now >= next_comment:
                k += 1
                path = comment_create_path(self.urls["P500"])
                body = f"Comment from the busy bench, {k} at {time.time():.0f}."
                self.post(path, cookies, {"csrfmiddlewaretoken": token, "body": body})
                self.comments += 1
                next_comment += COMMENT_EVERY * WRITERS
            elif now >= next_like:
                pk = rng.choice(self.comment_ids)
                liked = rng.choice(("0", "1"))
                data = {"csrfmiddlewaretoken": token, "liked": liked}
                self.post(f"/comments/{pk}/like/", cookies, data, json=True)
                self.likes += 1
                next_like += interval
            else:
                self.stop.wait(min(next_like, next_comment) - now)

    def post(self, path, cookies, data, json=False):
        from urllib.parse import urlencode

        headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
        if json:
            headers["Accept"] = "application/json"
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}", data=urlencode(data).encode(), headers=headers
        )
        try:
            with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            if error.code >= 400:
                self.errors += 1
                self.failures.append((path, error.code, said(error.read().decode())))
        except OSError as error:
            self.errors += 1
            self.failures.append((path, None, repr(error)))

    def summary(self):
        for path, status, start in self.failures:
            print(f"  ! write {path}: {status or 'no answer'} {start!r}")
        return (
            f"writes: {self.likes} likes and unlikes ({self.likes / self.seconds:.1f}/s), "
            f"{self.comments} comments, {self.errors} errors"
        )


def said(html):
    """What an error page told the writer: its form's error messages, else its title."""
    messages = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert)[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', html
    )
    title = re.search(r"<title>([^<]*)</title>", html)
    return "; ".join(messages) or (title.group(1) if title else html[:200])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session_of(user):
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def csrf_of(path, cookie):
    """(form token, csrftoken cookie) from a page the reader reads."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (our server)
        html = answer.read().decode()
        set_cookie = " ".join(answer.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return token, re.search(r"csrftoken=([^;]+)", set_cookie).group(1)


def comment_create_path(post_path):
    from django.urls import reverse

    course_slug, post_slug = post_path.strip("/").split("/")[-2:]
    return reverse("comments:comment_create", args=[course_slug, post_slug])


def busy(urls, bare, redis_url=""):
    """Issue 34's busy thread: P500 anonymous, P500 and P7 for a member while the
    writers write."""
    cookie = member_session()
    runs = [
        ("P500 anonymous", urls["P500"], "", ">= 30 %"),
        ("P500 member", urls["P500"], cookie, ">= 8 %"),
        ("P7 member", urls["P7"], cookie, ">= 20 %"),
    ]
    results = {name: [] for name, *_ in runs}
    master = start_gunicorn(redis_url)
    try:
        warm([run[:3] for run in runs])
        note_workers(master)
        with Writers(urls) as writers:
            for round_ in range(ROUNDS):
                print(f"busy: round {round_ + 1} of {ROUNDS} ...", flush=True)
                for name, path, cookie_header, _ in runs:
                    results[name].append(wrk(path, cookie_header))
        rss = worker_rss(master)
    finally:
        stop_gunicorn(master)
    print(
        f"\nbusy thread, {backend_name(redis_url)}: five students like and unlike P500's "
        f"comments ({LIKES_PER_SECOND:g} a second in all), a comment every "
        f"{COMMENT_EVERY:g} s; wrk -t2 -c{CONNECTIONS} -d{DURATION} x {ROUNDS}"
    )
    print(
        f"{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}{'errors':>8}"
        "   target (p99 < 250 ms, no error)"
    )
    for name, *_, target in runs:
        rows = results[name]
        rps = statistics.median(r[0] for r in rows)
        p50 = statistics.median(r[1] for r in rows)
        p99 = statistics.median(r[2] for r in rows)
        errors = sum(r[3] for r in rows)
        print(
            f"{name:<20}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}{rps / bare * 100:>8.1f}%{errors:>8}"
            f"   {target}"
        )
    print(writers.summary())
    print_rss(rss)


CLASS_SCRIPT = """-- A class: each request the next of the four pages, as the next of the students.
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local n = 0
request = function()
  n = n + 1
  local headers = {}
  headers["Cookie"] = cookies[(n %% #cookies) + 1]
  return wrk.format("GET", paths[(n %% #paths) + 1], headers)
end
"""


def whole_class(urls, bare, redis_url=""):
    """Issue 34's class: CLASS_CONNECTIONS connections of signed-in students over home,
    course, P7 and P500, while the writers write."""
    master = start_gunicorn(redis_url)
    rows = []
    try:
        cookies = class_cookies(urls)
        script = ROOT / "bench/results/class.lua"
        script.write_text(
            CLASS_SCRIPT
            % {
                "paths": ", ".join(f'"{path}"' for path in urls.values()),
                "cookies": ", ".join(f'"{cookie}"' for cookie in cookies),
            }
        )
        warm([(name, path, cookies[0]) for name, path in urls.items()])
        note_workers(master)
        with Writers(urls) as writers:
            for round_ in range(ROUNDS):
                print(f"class: round {round_ + 1} of {ROUNDS} ...", flush=True)
                rows.append(wrk("/", "", connections=CLASS_CONNECTIONS, script=script))
        rss = worker_rss(master)
    finally:
        stop_gunicorn(master)
    rps = statistics.median(r[0] for r in rows)
    p50 = statistics.median(r[1] for r in rows)
    p99 = statistics.median(r[2] for r in rows)
    errors = sum(r[3] for r in rows)
    print(
        f"\na class, {backend_name(redis_url)}: {CLASS_CONNECTIONS} connections of "
        f"{READERS} signed-in students over home, course, P7 and P500 with the busy "
        f"thread's writes; wrk -t2 -d{DURATION} x {ROUNDS}"
    )
    print(f"{'':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}{'errors':>8}")
    print(
        f"{'class mix':<20}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}{rps / bare * 100:>8.1f}%{errors:>8}"
        "   target: p99 < 500 ms, no error"
    )
    print(writers.summary())
    print_rss(rss)


def class_cookies(urls):
    """Each student's cookies as their browser sends them after signing in: the session
    and the CSRF cookie (without it every hit made them a new CSRF secret and set the
    cookie again, which a browser does on its first page only)."""
    cookies = []
    for n in range(READERS):
        session = session_of(User.objects.get(username=f"bench-reader{n}"))
        cookies.append(f"{session}; csrftoken={csrf_of(urls['P7'], session)[1]}")
    return cookies


def flush_redis(redis_url):
    """Start the Redis pass from an empty cache (the bench's own database number)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def ensure_database():
    """Create the bench's database where it has never run (a new machine)."""
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    server = {
        "host": db["HOST"] or None, "port": db["PORT"] or None,
        "user": db["USER"] or None, "password": db["PASSWORD"] or None,
    }  # fmt: skip
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if found.fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"created database {db['NAME']}")


def main():
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL database (see the docstring).")
    ensure_database()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens
    (ROOT / "bench/results").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    seed()
    urls = pages()
    print(f"database {connection.settings_dict['NAME']}")
    print("pages: " + ", ".join(f"{k} {v}" for k, v in urls.items()))
    if os.environ.get("PROFILE", "1") != "0":
        profile(urls)
    scenarios = os.environ.get("SCENARIOS", "pages,busy,class").split(",")
    for redis_url in backends():
        print(f"\n=== {backend_name(redis_url)} ===", flush=True)
        if redis_url:
            flush_redis(redis_url)
        bare = load(urls, redis_url) if "pages" in scenarios else measure_bare(redis_url)
        if "busy" in scenarios:
            busy(urls, bare, redis_url)
        if "class" in scenarios:
            whole_class(urls, bare, redis_url)


def backends():
    """The passes: BACKENDS ("local,redis" by default when REDIS_URL is set, else
    "local"); the Redis pass uses REDIS_URL (production's configuration)."""
    redis_url = os.environ.get("REDIS_URL", "")
    names = os.environ.get("BACKENDS", "local,redis" if redis_url else "local").split(",")
    if "redis" in names and not redis_url:
        sys.exit("BACKENDS names redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/12)")
    return ["" if name == "local" else redis_url for name in names]


if __name__ == "__main__":
    main()
