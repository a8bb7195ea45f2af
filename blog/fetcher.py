"""The one way the site fetches something from the web: at save time, for an embed's
oEmbed answer and thumbnail and for an image from the web (blog/embeds.py).

What it refuses is written down in docs/decisions.md ("Embeds and images from the web"):

- only http and https, on ports 80 and 443, with no user name or password in the URL;
- any host whose addresses (every one DNS gives) are not public: private, loopback,
  link-local, multicast, reserved, unspecified (0.0.0.0) and shared addresses, in IPv4
  and IPv6 (an IPv4-mapped IPv6 address is checked as the IPv4 one). It then connects
  to the address it checked, never resolving again, so DNS can't answer one address
  for the check and another for the connection;
- the same, again, for every redirect, of which it follows at most 3;
- answers larger than `max_bytes` (counted as they stream, whatever Content-Length
  says), servers slower than the connect and read timeouts or the total deadline.

It sends no cookies and no credentials. ``settings.WEB_FETCH_ALLOWED_ADDRESSES`` lists
"127.0.0.1:<port>" entries the tests' local fake servers use; it is empty in
production and only ever lets through the literal address 127.0.0.1 on that port.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
DEADLINE = 10.0
MAX_REDIRECTS = 3
CHUNK = 64 * 1024
USER_AGENT = "Commonplace/1.0 (course blog; fetches once when a post is saved)"


class FetchError(Exception):
    """Why a fetch was refused or failed, in words for the author (str(error))."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


def fetch(url, *, max_bytes, accept="*/*", deadline=None):
    """GET `url` under the rules above; returns Fetched or raises FetchError."""
    deadline_at = time.monotonic() + (DEADLINE if deadline is None else deadline)
    for _hop in range(MAX_REDIRECTS + 1):
        response_or_location = _get_once(url, max_bytes=max_bytes, accept=accept, until=deadline_at)
        if isinstance(response_or_location, Fetched):
            return response_or_location
        url = urljoin(url, response_or_location)
    raise FetchError(f"it redirected more than {MAX_REDIRECTS} times", code="redirects")


def check_url(url):
    """(host, port, [checked addresses]) for `url`, or FetchError: the scheme, port and
    every address DNS gives are checked."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("its address is not valid", code="invalid") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError("only http and https addresses can be fetched", code="scheme")
    if parts.username is not None or parts.password is not None:
        raise FetchError("addresses with a user name or password are not fetched", code="auth")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("its address has no host", code="invalid")
    port = port or (443 if parts.scheme == "https" else 80)
    if f"{host}:{port}" in settings.WEB_FETCH_ALLOWED_ADDRESSES and host == "127.0.0.1":
        return host, port, ["127.0.0.1"]  # a test's local server, never in production
    if port not in (80, 443):
        raise FetchError("only the standard ports 80 and 443 are fetched", code="port")
    try:
        infos = resolve(host, port)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"the host {host} was not found", code="dns") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses or not all(is_public_address(address) for address in addresses):
        raise FetchError(f"{host} is not a public address on the internet", code="private")
    return host, port, addresses


def resolve(host, port):
    """DNS's answers for `host` (getaddrinfo tuples); the tests replace it with one that
    answers only numeric addresses and localhost, so they never reach the internet."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def is_public_address(address):
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
    )


def _get_once(url, *, max_bytes, accept, until):
    """Fetched, or the Location of a redirect."""
    host, port, addresses = check_url(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _Connection(host, port, address=addresses[0], tls=parts.scheme == "https")
    connection.until = until
    # The total deadline holds even against a server that dribbles bytes: at the
    # deadline the socket is shut, which ends any read blocked on it.
    timer = threading.Timer(max(0.0, until - time.monotonic()), connection.shut)
    timer.daemon = True
    timer.start()
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            if not location:
                raise FetchError("it redirected nowhere", code="http")
            return location
        if response.status != 200:
            raise FetchError(f"the server answered {response.status}", code="http")
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(_too_large(max_bytes), code="too_large")
        body = bytearray()
        while chunk := response.read1(CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(_too_large(max_bytes), code="too_large")
            if time.monotonic() > until:
                raise FetchError("the server was too slow", code="timeout")
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return Fetched(url=url, content_type=content_type, body=bytes(body))
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError("the server was too slow", code="timeout") from None
    except (OSError, http.client.HTTPException, ValueError):
        if time.monotonic() >= until:
            raise FetchError("the server was too slow", code="timeout") from None
        raise FetchError("the server could not be reached", code="unreachable") from None
    finally:
        timer.cancel()
        connection.close()


def _too_large(max_bytes):
    return f"it is larger than {max_bytes // (1024 * 1024) or 1} MB"


class _Connection(http.client.HTTPConnection):
    """An HTTP(S) connection to an address already checked: Host, TLS's server name and
    the certificate check use the host name; the socket goes to `address`."""

    def __init__(self, host, port, *, address, tls):
        super().__init__(host, port, timeout=READ_TIMEOUT)
        self.address, self.tls = address, tls

    def connect(self):
        sock = socket.create_connection((self.address, self.port), timeout=CONNECT_TIMEOUT)
        sock.settimeout(min(READ_TIMEOUT, max(0.01, self.until - time.monotonic())))
        if self.tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock

    def shut(self):
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
