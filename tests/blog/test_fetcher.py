"""The one fetcher (blog/fetcher.py): what it refuses, before connecting and on every
redirect, and the limits it keeps. Every request goes to a local fake server."""

import time

import pytest

from blog import fetcher
from blog.fetcher import FetchError, fetch
from tests.blog.fakeweb import Answer

MB = 1024 * 1024


def refused(url, **kwargs):
    with pytest.raises(FetchError) as info:
        fetch(url, max_bytes=MB, **kwargs)
    return info.value.code


def test_fetches_from_the_allowed_local_server_without_cookies_or_credentials(fake_web):
    url = fake_web.route("/hello", body=b"hello", content_type="text/plain; charset=utf-8")
    answer = fetch(url, max_bytes=MB)
    assert (answer.body, answer.content_type) == (b"hello", "text/plain")
    (_path, headers), *_ = fake_web.requests
    names = {name.lower() for name in headers}
    assert not names & {"cookie", "authorization", "proxy-authorization"}
    assert headers["Host"] == f"127.0.0.1:{fake_web.port}"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3/",
        "http://10.0.0.1/",
        "http://10.255.1.2/x",
        "http://172.16.0.1/",
        "http://172.31.255.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0177.0.0.1/",  # octal
        "http://0x7f.0.0.1/",  # hexadecimal
        "http://017700000001/",  # octal, whole
        "http://localhost/",  # a name that resolves to 127.0.0.1
        "https://localhost/",
        "http://100.64.0.1/",  # shared (carrier-grade NAT)
        "http://224.0.0.1/",  # multicast
        "http://[ff02::1]/",
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",
        "http://192.0.2.1/",  # documentation (TEST-NET-1)
    ],
)
def test_refuses_addresses_that_are_not_public(url):
    assert refused(url) == "private"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://127.0.0.1/", "scheme"),
        ("gopher://127.0.0.1:70/", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("http://user:secret@127.0.0.1/", "auth"),
        ("http://127.0.0.1:8080/", "port"),
        ("http://10.0.0.1:22/", "port"),
        ("http://127.0.0.1:99999/", "invalid"),
        ("http:///nohost", "invalid"),
    ],
)
def test_refuses_other_schemes_credentials_and_ports(url, code):
    assert refused(url) == code


def test_the_test_allowlist_admits_only_the_literal_address_and_port(fake_web, other_web):
    fake_web.route("/ok", body=b"ok")
    assert fetch(fake_web.url("/ok"), max_bytes=MB).body == b"ok"
    assert refused(f"http://localhost:{fake_web.port}/ok") == "port"
    assert refused(other_web.url("/ok")) == "port"
    assert other_web.requests == []


def test_production_allows_no_local_address(settings):
    from config import settings as production

    assert production.WEB_FETCH_ALLOWED_ADDRESSES == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://localhost/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(fake_web, target):
    url = fake_web.redirect("/go", target)
    with pytest.raises(FetchError) as info:
        fetch(url, max_bytes=MB)
    assert info.value.code in {"private", "scheme"}
    assert fake_web.paths() == ["/go"]


def test_a_redirect_to_a_local_server_that_is_not_allowed_never_reaches_it(fake_web, other_web):
    other_web.route("/secret", body=b"secret")
    url = fake_web.redirect("/go", other_web.url("/secret"))
    with pytest.raises(FetchError):
        fetch(url, max_bytes=MB)
    assert other_web.requests == []


def test_follows_three_redirects_and_refuses_a_fourth(fake_web):
    fake_web.route("/end", body=b"here")
    fake_web.redirect("/r3", fake_web.url("/end"), status=301)
    fake_web.redirect("/r2", "/r3", status=307)  # relative Location
    fake_web.redirect("/r1", fake_web.url("/r2"), status=308)
    fake_web.redirect("/r0", fake_web.url("/r1"))
    answer = fetch(fake_web.url("/r1"), max_bytes=MB)
    assert (answer.body, answer.url) == (b"here", fake_web.url("/end"))
    with pytest.raises(FetchError) as info:
        fetch(fake_web.url("/r0"), max_bytes=MB)
    assert info.value.code == "redirects"


def test_an_answer_declared_too_large_is_refused_unread(fake_web):
    url = fake_web.route("/big", body=b"x" * (MB + 1))
    assert refused(url) == "too_large"


def test_an_answer_too_large_without_a_declared_length_is_cut_off_while_streaming(fake_web):
    url = fake_web.route("/big", Answer(body=b"x" * (3 * MB), length=False))
    assert refused(url) == "too_large"


def test_a_server_that_dribbles_bytes_is_cut_off_at_the_deadline(fake_web):
    url = fake_web.route("/slow", Answer(body=b"x" * 200, dribble=0.05))
    started = time.monotonic()
    assert refused(url, deadline=0.6) == "timeout"
    assert time.monotonic() - started < 2.0


def test_a_server_that_goes_silent_times_out(fake_web, monkeypatch):
    monkeypatch.setattr(fetcher, "READ_TIMEOUT", 0.3)
    url = fake_web.route("/silent", Answer(body=b"late", stall=3))
    started = time.monotonic()
    assert refused(url) == "timeout"
    assert time.monotonic() - started < 2.0


def test_an_error_status_is_a_failure(fake_web):
    assert refused(fake_web.route("/gone", status=404, body=b"no")) == "http"


def test_an_unreachable_server_is_a_failure(fake_web, settings):
    fake_web.stop()
    assert refused(fake_web.url("/")) in {"unreachable", "timeout"}


def test_tests_never_reach_the_internet():
    # tests/conftest.py: host names other than localhost are not looked up in tests.
    assert refused("https://www.youtube.com/oembed?url=x") == "dns"
