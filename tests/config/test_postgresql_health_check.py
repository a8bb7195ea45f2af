"""config.postgresql: a kept connection's health check asks the server only when the
server has sent something since (docs/decisions.md, "A health check without a round
trip")."""

import time

import pytest
from django.db import connection, connections

from tests.helpers import cursors_opened

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


def test_a_quiet_connection_is_usable_without_a_round_trip():
    connection.ensure_connection()
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert cursors_opened(connection.is_usable) == (True, 0)


def test_a_connection_the_server_ended_is_found_and_replaced():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    for _ in range(100):  # the server's FATAL message and the closed socket arrive
        if not connection.is_usable():
            break
        time.sleep(0.02)
    assert not connection.is_usable()
    connection.health_check_done = False  # a new request: Django checks before its query
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
