"""gunicorn's settings for an app server: one file for production
(deploy/systemd/commonplace-web@.service), the local cluster (deploy/cluster.sh) and
`make bench` (bench/pages.py), so the benchmark measures what runs.

    gunicorn config.wsgi -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001

The command line wins over this file (the bind address, the bench's --workers).
docs/deploy.md says why each value is what it is; docs/decisions.md ("Worker memory
under a class") how they were measured.
"""

import ctypes
import ctypes.util
import os

# Sync workers: a request holds its worker, start to end, and the page cache keeps each
# one's recent pages (pagecache.store.RecentPages). About two a core in all on the host.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "sync"
# The app is imported once, in the master, before the workers fork: a worker that is
# replaced (below) starts in a millisecond instead of importing Django again, and the
# workers share the imported code's pages until they write to them. New code therefore
# needs a restart, not a HUP (docs/deploy.md, Deploying a new version, does restart).
preload_app = True
# Every storage call ends within 10 s (docs/deploy.md); nginx gives up at 30 s.
timeout = 30
graceful_timeout = 20
# A worker is replaced after about 20,000 requests, at different moments (jitter), so
# whatever a long-lived process keeps (a malloc arena's high-water mark, a cache that
# grew) is given back now and then; it bounds memory, it does not explain it. Not
# sooner: a new worker starts cold (compiled queries, recent pages, kept blocks), and at
# 2,000 `make bench` saw each worker replaced every few seconds and the bare view lose
# a third of its throughput, its p99 going from 13 to 310 ms (docs/decisions.md).
max_requests = 20000
max_requests_jitter = 2000
# Connections waiting for a free worker: a class of 200 arriving at once must queue,
# not be refused (the kernel caps it at net.core.somaxconn).
backlog = 2048
# The only proxy in front is nginx on the same host (X-Forwarded-Proto, -For).
forwarded_allow_ips = "127.0.0.1"
# No control socket (gunicornc): nothing here uses it, and its default path
# ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl) is one per user, so two app servers
# on one host (deploy/cluster.sh, make bench beside a cluster) would take it from
# each other.
control_socket_disable = True


def _fixed_mmap_threshold(size=128 * 1024):
    """glibc's malloc serves blocks of ``size`` and more from mmap, returned to the
    system when freed. By default the threshold rises with each such block freed, after
    which a drawn page's large strings (a 300-500 KB P500) come from the heap and leave
    it fragmented: about 2 MiB more a worker after a busy thread. Set here, in the
    master before it forks, so every worker inherits it (what MALLOC_MMAP_THRESHOLD_
    in the environment does); a no-op where the C library is not glibc."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, size)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


_fixed_mmap_threshold()


def when_ready(server):
    """In the master, after the app is preloaded and before the first worker forks:
    load the URLconf (every view module; otherwise each worker imports them on its
    first request, about 4 MiB each of its own), then collect and freeze what is there.
    Frozen objects are never scanned by the collector again, so a worker's collections
    neither write to (and copy) the master's pages nor wait for the whole app's objects
    to add up before a full collection frees a drawn page's cycles. ``ps``'s RSS counts
    the pages a worker shares with the master as its own, so it hardly moves; a
    worker's private memory (PSS) falls by about 14 MiB (bench/README.md, 2026-12-07)."""
    if not server.cfg.preload_app:
        return  # nothing is loaded in the master to share
    import gc

    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    connections.close_all()  # a worker opens its own; none may be inherited
    gc.collect()
    gc.freeze()


# A worker's own collections (below): a request that made at least this many of the
# collector's youngest collections (one every 700 container objects made and kept) drew
# something big, and after this many requests a worker's own long-lived objects are there.
HEAVY_REQUEST_COLLECTIONS = 5
WORKER_FREEZE_AFTER = 1000
_youngest = {"before": 0}


def _young_collections():
    import gc

    return gc.get_stats()[0]["collections"]


def pre_request(worker, req):
    _youngest["before"] = _young_collections()


def post_request(worker, req, environ, resp):
    """In a worker, after the answer went out: when the request drew a big page (P500's
    500 comments, each model row with its author, their rendered bodies: thousands of
    objects in reference cycles), collect them now, so the next drawing reuses their
    memory instead of growing the worker beside them; a full collection would come only
    after many more (about 3 MiB a worker under a busy thread, issue 34 target 5). And
    once, at its WORKER_FREEZE_AFTER-th request, freeze what the worker has built for
    good (its templates, its URL maps, the modules it imported), as the master froze
    what it loaded: each of those collections then scans a drawn page's objects, not
    the whole worker (about 2 ms instead of 7)."""
    import gc

    if worker.nr == WORKER_FREEZE_AFTER:
        gc.collect()
        gc.freeze()
    elif _young_collections() - _youngest["before"] >= HEAVY_REQUEST_COLLECTIONS:
        gc.collect()
