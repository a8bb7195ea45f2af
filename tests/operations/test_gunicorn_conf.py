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
