"""deploy/gunicorn.conf.py is the one gunicorn configuration: production's unit, the local
cluster and `make bench` all run with it (docs/deploy.md), so the bench measures what
runs."""

from pathlib import Path

from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy/gunicorn.conf.py"


def loaded(monkeypatch, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace = {"__file__": str(CONF)}
    exec(compile(CONF.read_text(), str(CONF), "exec"), namespace)  # noqa: S102 (our file)
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_the_settings_production_runs(monkeypatch):
    config = loaded(monkeypatch, WEB_CONCURRENCY="3")
    assert config.workers == 3 and config.worker_class_str == "sync"
    assert config.preload_app and config.timeout == 30
    assert config.max_requests == 20000 and 0 < config.max_requests_jitter < 20000
    assert config.backlog >= 200  # a class of 200 queues, it is not refused
    assert config.control_socket_disable  # two app servers on a host would share its path


def test_production_the_cluster_and_the_bench_run_with_it():
    for path in (
        "deploy/systemd/commonplace-web@.service",
        "deploy/cluster.sh",
        "bench/pages.py",
    ):
        assert "deploy/gunicorn.conf.py" in (ROOT / path).read_text(), path


def test_the_master_loads_the_views_and_freezes_them_before_the_workers_fork(monkeypatch):
    import gc
    import sys
    from types import SimpleNamespace

    from django.db import connections

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    config = loaded(monkeypatch)
    try:
        config.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
        assert gc.get_freeze_count() > 0  # the preloaded app, never scanned by a worker
        assert "blog.views.reading" in sys.modules  # the URLconf's views, shared
        assert closed  # no worker inherits the master's database socket
    finally:
        gc.unfreeze()


def test_without_preloading_the_master_has_nothing_to_freeze(monkeypatch):
    import gc
    from types import SimpleNamespace

    config = loaded(monkeypatch)
    config.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
    assert gc.get_freeze_count() == 0


def test_a_worker_collects_after_a_request_that_made_many_objects(monkeypatch):
    """A drawn page's objects in reference cycles are collected after its request, not
    left beside the next drawing until a full collection comes (issue 34, target 5);
    a request that made few objects (a cache hit) costs no collection."""
    import gc
    from types import SimpleNamespace

    config = loaded(monkeypatch)
    collected = []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(args) or 0)
    worker = SimpleNamespace(nr=1)

    config.pre_request(worker, None)
    config.post_request(worker, None, {}, None)
    assert collected == []  # nothing made: no collection

    class Node:
        def __init__(self):
            self.me = self  # a cycle, as a comment with its author's file makes

    config.pre_request(worker, None)
    kept = [Node() for _ in range(10 * 700)]  # ten of the youngest collections at least
    config.post_request(worker, None, {}, None)
    assert collected == [()]
    del kept


def test_a_worker_freezes_what_it_built_once_at_its_thousandth_request(monkeypatch):
    import gc
    from types import SimpleNamespace

    config = loaded(monkeypatch)
    frozen_before = gc.get_freeze_count()
    try:
        for nr in (999, 1000, 1001):
            worker = SimpleNamespace(nr=nr)
            config.pre_request(worker, None)
            config.post_request(worker, None, {}, None)
            assert (gc.get_freeze_count() > frozen_before) == (nr >= 1000), nr
    finally:
        gc.unfreeze()
