"""A signed-in member's cache hits in process, through the WSGI handler as gunicorn
calls it (no test client): CPU time a request (``time.process_time``, median), its
queries, and optionally where the time goes (cProfile).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonplace_bench \\
        .venv/bin/python bench/member_hits.py [requests] [page ...]

Seeds `make bench`'s data (bench/pages.py) if it is missing. Pages: home, course, P7,
P500 (all four by default), each as bench-reader0 (a student; P500's author) with the
session cookie only, as wrk sends it. PROFILE=P7 prints cProfile's top functions for
that page; REDIS_URL set: Redis cache and sessions (production), else local memory.
CPU time is what a worker spends: other processes on the machine move it far less
than wall time, though they still do (compare runs made side by side, alternating).
LIKED=1: P500's like counts change before each timed request (the first hit after
a like, of every page). SETUP=0 skips the migrations, collectstatic and the seeding
check (as an earlier run left them). SAMPLE=P500: where that page's CPU time goes,
sampled (``sampled``). ANON=1: as an anonymous reader (no cookie), so
with LIKED=1 each request is an anonymous reader's first after a like. MISS=1: the
page cache is emptied before each timed request (this process's copies and the shared
cache: with REDIS_URL, its whole database), so each request draws the page as a miss
does (issue 34's "a drawn P500"; a member's miss draws the page with its holes, then
fills them).
DUMP=/tmp/x- writes each page's HTML (a hit) to /tmp/x-<page>.html.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pages as bench  # noqa: E402  (sets the bench's environment up, Django's)


def environ(path, cookie):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8150",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8150",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def get(app, path, cookie, dump=None):
    status = []

    def start_response(code, headers):
        status.append((code, headers))

    result = app(environ(path, cookie), start_response)
    if dump:
        body = b"".join(result)
        Path(dump).write_bytes(body)
        size = len(body)
    else:
        size = sum(len(chunk) for chunk in result)
    result.close()
    headers = dict(status[0][1])
    return status[0][0], size, headers.get("X-Page-Cache", "")


def time_holes():
    """HOLES=1: CPU time by kind of hole (summed over a page's holes of that kind)."""
    from collections import defaultdict

    from pagecache import skeleton

    spent = defaultdict(float)

    def timed(filler):
        def fill(filling, spec):
            begin = time.process_time()
            try:
                return filler(filling, spec)
            finally:
                name = spec[0] if spec[0] not in ("block", "part") else f"{spec[0]} {spec[-1]}"
                spent[name] += time.process_time() - begin

        return fill

    for filler in skeleton.HOLE_FILLERS:
        object.__setattr__(filler, "fill", timed(filler.fill))
    return spent


def a_like_on_p500(urls):
    """LIKED=1: before each timed request, P500's like counts change (as a like does:
    ``versions.likes_changed``), so each request is the first after a like."""
    from blog.models import Post
    from blog.versions import likes_changed

    slug = urls["P500"].rstrip("/").rsplit("/", 1)[1]
    post = Post.objects.get(course__slug=bench.COURSE, slug=slug)
    return lambda: likes_changed(post=post)


def a_miss():
    """MISS=1: before each timed request, the page cache is empty (a miss)."""
    from django.core.cache import cache

    from pagecache.store import recent_pages

    recent_pages.clear()
    cache.clear()


def main():
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection

    args = sys.argv[1:]
    count = int(args.pop(0)) if args and args[0].isdigit() else 300
    if os.environ.get("SETUP", "1") != "0":
        call_command("migrate", verbosity=0)
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", verbosity=0, interactive=False)
        bench.seed()
    urls = bench.pages()
    names = args or list(urls)
    cookie = "" if os.environ.get("ANON") else bench.member_session()
    app = WSGIHandler()
    profiled = os.environ.get("PROFILE", "")
    holes = time_holes() if os.environ.get("HOLES") else None
    liked = a_like_on_p500(urls) if os.environ.get("LIKED") else None
    if os.environ.get("MISS"):
        liked = a_miss
    backend = "Redis" if settings.REDIS_URL else "local memory"
    reader = "anonymous" if os.environ.get("ANON") else "member"
    kind = "misses (drawn)" if os.environ.get("MISS") else "hits"
    print(f"{reader} {kind} in process, {backend}, {count} requests each, CPU time (median)")
    print(f"{'page':<10}{'ms':>8}{'wall ms':>9}{'SQL':>5}{'KB':>8}  cache")
    for name in names:
        path = urls[name]
        for _ in range(20):
            code, size, state = get(app, path, cookie)
        assert code.startswith("200"), code
        queries = []

        def record(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        if liked:  # the counted request is one of the timed kind (after a like, a miss)
            liked()
        dump = os.environ.get("DUMP") and f"{os.environ['DUMP']}{name}.html"
        with connection.execute_wrapper(record):
            code, size, state = get(app, path, cookie, dump=dump)
        cpu, wall = [], []
        for _ in range(count):
            if liked:
                liked()
            c, w = time.process_time(), time.perf_counter()
            get(app, path, cookie)
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        print(
            f"{name:<10}{statistics.median(cpu):>8.2f}{statistics.median(wall):>9.2f}"
            f"{len(queries):>5}{size / 1024:>8.0f}  {state}"
        )
        if holes is not None:
            for hole, seconds in sorted(holes.items(), key=lambda kv: -kv[1]):
                print(f"    {hole:<50}{seconds / (count + 21) * 1000:>8.3f} ms")
            holes.clear()
        if os.environ.get("SQL"):
            for sql in queries:
                print("   ", sql[:300])
        if profiled == name:
            prof = cProfile.Profile(time.process_time)  # CPU time: immune to the load
            prof.enable()
            for _ in range(count):
                if liked:
                    liked()
                get(app, path, cookie)
            prof.disable()
            stats = pstats.Stats(prof)
            stats.sort_stats(os.environ.get("SORT", "cumulative"))
            if os.environ.get("CALLEES"):
                stats.print_callees(os.environ["CALLEES"])
            else:
                stats.print_stats(int(os.environ.get("TOP", "60")))
        if os.environ.get("SAMPLE") == name:
            sampled(lambda path=path: get(app, path, cookie), count, liked)


def sampled(request, count, before=None):
    """SAMPLE=<page>: where the CPU time goes, by sampling. Every 0.5 ms of this process's
    CPU time (SIGPROF) the stack is counted; printed: each function's share of the
    samples with it on the stack (inclusive) and at the top (self). cProfile's hooks
    cost more than what they measure on a drawn page (ten times its time) and weigh
    most the functions called most; sampling costs a few percent."""
    import collections
    import signal

    inclusive, own, total = collections.Counter(), collections.Counter(), [0]

    def take(signum, frame):
        total[0] += 1
        seen = set()
        own[where(frame)] += 1
        while frame is not None:
            seen.add(where(frame))
            frame = frame.f_back
        inclusive.update(seen)

    def where(frame):
        code = frame.f_code
        path = code.co_filename.removeprefix(f"{bench.ROOT}/")
        return f"{path}:{code.co_firstlineno}({code.co_name})"

    signal.signal(signal.SIGPROF, take)
    for _ in range(count):
        if before:
            before()
        signal.setitimer(signal.ITIMER_PROF, 0.0005, 0.0005)
        request()
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    top = int(os.environ.get("TOP", "40"))
    for title, counts in (("inclusive", inclusive), ("self", own)):
        print(f"  {title}, of {total[0]} samples")
        for function, n in counts.most_common(top):
            print(f"  {100 * n / total[0]:6.1f}%  {function}")


if __name__ == "__main__":
    main()
