"""Whether a server address sends passwords and reports unencrypted over the network.

``http://`` to this computer itself (``localhost``, ``127.x.x.x``, ``::1``) never leaves it;
to any other host, anyone on the way (the village's Wi-Fi, the township's LAN, the carrier)
can read the password and the reports.  It is allowed (a village behind a trusted LAN may
need it) but said: on the set-up page and by ``informant-app login``.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_plain_http_remote(url: str) -> bool:
    """Return whether ``url`` is plain ``http://`` to a host other than this computer.

    An address without a scheme counts as ``http://`` (``normalize_server_url`` adds it).
    ``https://``, an empty or unreadable address, and loopback hosts give ``False``.
    """
    text = url.strip()
    if not text:
        return False
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme.lower() != "http" or not host:
        return False
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name (or a number that is not an address) reaches over the network
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_loopback
