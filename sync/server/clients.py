"""Which address a request comes from, trusting ``X-Forwarded-For`` only from named proxies.

Behind a reverse proxy (nginx, a load balancer) every request's peer is the proxy, and the
real client is in ``X-Forwarded-For``.  Anyone can send that header, so it is read only when
the peer is one of ``CITY_TRUSTED_PROXIES`` (``city-server serve --trusted-proxy CIDR``); then
the client is the right-most address in the header that is not itself a trusted proxy.
Without the setting the header is ignored and the peer is the client.  The sign-in and set-up
code throttles count by this address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from fastapi import Request

from sync.server.settings import Settings

#: The longest address kept (an IPv6 address fits).
CLIENT_MAX = 64

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=32)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request: Request, settings: Settings) -> str:
    """Return the address a request comes from (see the module's note)."""
    peer = request.client.host if request.client else "unknown"
    networks = _networks(tuple(settings.trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer[:CLIENT_MAX]
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            return hop[:CLIENT_MAX]
    return peer[:CLIENT_MAX]
