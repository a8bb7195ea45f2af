"""Behind a proxy, per-address limits count the client, not the proxy: X-Forwarded-For is
read only as far as the configured proxies (settings.TRUSTED_PROXIES) wrote it."""

from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.proxies import client_ip
from tests.factories import UserFactory

NGINX = "127.0.0.1"
PASSWORD = "pass-word-123"
START = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "expected"),
    [
        ([], NGINX, "203.0.113.5", NGINX),  # no proxy configured: the header is ignored
        ([NGINX], NGINX, "203.0.113.5", "203.0.113.5"),
        ([NGINX], NGINX, "", NGINX),  # a trusted proxy that sent no header
        ([NGINX], NGINX, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own, ignored
        ([NGINX], "198.51.100.7", "203.0.113.5", "198.51.100.7"),  # not from the proxy
        (["10.0.0.0/8", NGINX], NGINX, "203.0.113.5, 10.1.2.3", "203.0.113.5"),  # two proxies
        ([NGINX], NGINX, "203.0.113.5, not-an-address", NGINX),  # garbage stops the walk
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_configured_proxies(
    settings, proxies, peer, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def behind_nginx(address):
    """A client whose requests reach the app through nginx on this host."""
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=address)


def sign_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.django_db
def test_ten_failed_sign_ins_from_one_client_behind_the_proxy_lock_out_only_that_client(
    settings, time_machine
):
    settings.TRUSTED_PROXIES = [NGINX]
    time_machine.move_to(START, tick=False)
    UserFactory(username="ana", password=PASSWORD)
    attacker = behind_nginx("203.0.113.66")
    for n in range(10):
        assert sign_in(attacker, f"name{n}", "wrong").status_code == 200
    assert sign_in(attacker, "someone", "wrong").status_code == 429

    assert sign_in(behind_nginx("198.51.100.20"), "ana", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_client_cannot_escape_the_limit_by_writing_forwarded_for_itself(settings, time_machine):
    settings.TRUSTED_PROXIES = [NGINX]
    time_machine.move_to(START, tick=False)
    for n in range(10):
        # Through nginx, which appends the real peer: whatever the client wrote is ignored.
        spoofer = behind_nginx(f"10.0.0.{n}, 203.0.113.66")
        assert sign_in(spoofer, f"name{n}", "wrong").status_code == 200
    assert sign_in(behind_nginx("10.0.0.99, 203.0.113.66"), "x", "wrong").status_code == 429
    # Straight to the app server, not through a trusted proxy: the header counts for nothing.
    direct = Client(REMOTE_ADDR="203.0.113.70")
    for n in range(10):
        forged = sign_in(
            Client(REMOTE_ADDR="203.0.113.70", HTTP_X_FORWARDED_FOR=f"10.1.0.{n}"), f"n{n}", "w"
        )
        assert forged.status_code == 200
    assert sign_in(direct, "x", "wrong").status_code == 429
