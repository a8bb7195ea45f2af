"""What the scheduled-publishing tests share (tests/blog/test_scheduling.py,
tests/coursepages/test_scheduling.py): pinned times around New York's spring change of
clocks, a course in that zone, and two workers racing the publishers."""

import threading
from datetime import UTC, datetime

from django.db import connection
from django.test import Client

from blog import scheduling
from tests import factories

# The clocks in New York go forward at 02:00 on Sunday 14 March 2027 (EST to EDT), and
# back at 02:00 on Sunday 7 November 2027 (01:00 to 02:00 happens twice).
BEFORE_CHANGE = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
SKIPPED = "2027-03-14T02:30"  # no such time in New York
REPEATED = "2027-11-07T01:30"  # twice in New York: EDT, then EST

# 09:00 in New York on Monday 15 March 2027 (EDT), the items' time in these tests.
NINE_ON_MONDAY = datetime(2027, 3, 15, 13, 0, tzinfo=UTC)

# 09:00 in New York, typed in the editor on either side of the spring change.
NINE_EITHER_SIDE = [
    ("2027-03-13T09:00", datetime(2027, 3, 13, 14, 0, tzinfo=UTC)),  # Saturday: EST, UTC-5
    ("2027-03-14T09:00", datetime(2027, 3, 14, 13, 0, tzinfo=UTC)),  # Sunday: EDT, UTC-4
]
NINE_EITHER_SIDE_IDS = ["before-the-change", "after-the-change"]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def new_york_course():
    return factories.CourseFactory(
        title="History 101", slug="history-101", time_zone="America/New_York"
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def race_two_workers(monkeypatch, module, flip_name, key, now):
    """Two threads (each with its own database connection) run every publisher at `now`
    at once, and each has listed what is due before either flips a row with
    ``module.<flip_name>`` (a real race); then one more run, as the next minute's.
    Returns the pks each of the three published under `key`.

    The next run publishes something only on SQLite: its in-memory test database
    refuses a second writer at once ("database table is locked") instead of waiting,
    and the publisher leaves what failed for its next run, as it would in production
    (a run stopped half-way reports none of what it published before the error).
    On PostgreSQL the second writer waits for the row lock, so the two workers publish
    everything between them."""
    listed = threading.Barrier(2, timeout=30)
    flip = getattr(module, flip_name)
    waited = threading.local()

    def flip_after_both_listed(**kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            listed.wait()
        return flip(**kwargs)

    monkeypatch.setattr(module, flip_name, flip_after_both_listed)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            start.wait()
            results.append({row.pk for row in scheduling.publish_due(now=now)[key]})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert listed.n_waiting == 0 and not listed.broken  # both got to the flips
    monkeypatch.setattr(module, flip_name, flip)
    next_run = {row.pk for row in scheduling.publish_due(now=now)[key]}
    if connection.vendor != "sqlite":
        assert next_run == set()
    return [*results, next_run]
