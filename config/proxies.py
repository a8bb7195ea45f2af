"""Who the client is, behind a proxy.

Behind nginx every request comes from nginx's address, so per-address limits (allauth's
sign-in, sign-up and password reset rate limits, the guest comment flood control) would
count every reader as one. nginx adds the address it saw to ``X-Forwarded-For``; that
header is trusted only as far as it was written by a proxy listed in
``settings.TRUSTED_PROXIES`` (addresses or networks; empty: trust no header). Reading from
the right, each hop that is a trusted proxy vouches for the one before it; the first
address that is not a trusted proxy is the client. Whatever a client wrote itself into
the header sits further left and is never read.

``client_ip(request)`` is the one answer: allauth asks it through
``accounts.adapters.AccountAdapter.get_client_ip``, the comment views directly.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's address as text ("" when the connection has none)."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while is_trusted_proxy(peer) and hops:
        forwarded = _address(hops.pop())
        if forwarded is None:  # garbage where a proxy should have written: stop here
            break
        peer = forwarded
    return str(peer)
