"""config.postgresql: timestamps are read by psycopg's own loader, as Django's own
loader reads them (the same values, labelled with the same UTC)."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg import pq

from config.postgresql.base import TimestamptzLoader

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]

VALUES = (
    "SELECT '2026-11-29 14:51:06.726030+00'::timestamptz,"
    " '2026-01-01 12:00:00+05:30'::timestamptz, '1999-12-31 23:59:59.5-08'::timestamptz,"
    " '0044-03-15 12:00:00+00'::timestamptz, NULL::timestamptz"
)


def read(zone=None, *, djangos=False):
    """The VALUES row, read with the connection's session time zone set to ``zone``
    (None: as Django set it), by Django's own loader if ``djangos``."""
    with connection.cursor() as cursor:
        if zone:
            cursor.execute("SELECT set_config('TimeZone', %s, false)", [zone])
        if djangos:
            register_tzloader(datetime.UTC, cursor.cursor)
        cursor.execute(VALUES)
        row = cursor.fetchone()
        loader = cursor.cursor._tx.get_loader(1184, pq.Format.TEXT)
        if zone:
            cursor.execute("SELECT set_config('TimeZone', 'UTC', false)")
    return row, loader


def test_timestamps_are_read_by_psycopgs_loader_as_djangos_reads_them():
    ours, loader = read()
    djangos, django_loader = read(djangos=True)
    assert isinstance(loader, TimestamptzLoader) and not isinstance(
        django_loader, TimestamptzLoader
    )
    assert loader.load == loader.parse  # psycopg's own, not a call of ours a value
    assert ours == djangos
    assert [value.tzinfo for value in ours[:4]] == [datetime.UTC] * 4
    assert ours[1] == datetime.datetime(2026, 1, 1, 6, 30, tzinfo=datetime.UTC)


def test_a_session_in_another_time_zone_reads_as_djangos_loader_reads_it():
    ours, loader = read("Europe/Paris")
    djangos, _ = read("Europe/Paris", djangos=True)
    assert loader.load != loader.parse
    assert ours == djangos
    assert [value.tzinfo for value in ours[:4]] == [datetime.UTC] * 4
