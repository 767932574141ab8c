"""Is the city server there?  ``GET /health`` once, and why not when it is not (Qt-free).

The set-up page's "Test connection" runs ``check_server`` on the network thread.  The answer
names one cause a person can act on: a bad address, a host name nobody knows, a computer that
refuses the port, no answer in time, something else answering (a network sign-in page), or
our server answering with trouble of its own, or an encrypted connection that failed (a
certificate not trusted, for another name, expired or not yet valid; http and https mixed
up).  ``normalize_server_url`` also reads an address typed without ``http://``.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from sync.client.api import ClientError, FailureKind, SyncClient, Timeouts
from sync.client.tls import causes as exception_causes
from sync.contract import PROTOCOL_VERSION

#: A host name or an IPv4/IPv6 address (no other scripts: a typo more often than a name).
_HOST = re.compile(r"[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+")
#: Short waits: a person is looking at the button.
CHECK_TIMEOUTS = Timeouts(connect=5.0, read=10.0)


class ServerCheckKind(StrEnum):
    """The outcome of a connection test."""

    REACHABLE = "reachable"
    BAD_ADDRESS = "bad_address"
    UNKNOWN_HOST = "unknown_host"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    NOT_OUR_SERVER = "not_our_server"
    SERVER_ERROR = "server_error"
    UNREACHABLE = "unreachable"
    TLS_UNTRUSTED = "tls_untrusted"  # unknown CA or self-signed: choose the city's CA
    TLS_HOSTNAME = "tls_hostname"  # the certificate is for another name
    TLS_EXPIRED = "tls_expired"  # expired, or this PC's clock is wrong
    TLS_NOT_YET_VALID = "tls_not_yet_valid"  # not valid yet: this PC's clock is wrong
    TLS_NOT_HTTPS = "tls_not_https"  # a plain-HTTP server on an https:// address
    HTTPS_NEEDED = "tls_https_needed"  # an https server on an http:// address
    TLS_FAILED = "tls_failed"  # another handshake failure

    @property
    def is_tls(self) -> bool:
        """Whether the encrypted connection failed."""
        return self.value.startswith("tls_")


@dataclass(frozen=True)
class ServerCheck:
    """What a connection test found.

    Attributes:
        url: the address tested (normalized; as typed when it is not an address).
        kind: the outcome.
        server_version: the server's release, when it answered.
        protocol_version: the server's protocol version, when it answered.
        detail: a technical detail in English (for the log and a tooltip).
    """

    url: str
    kind: ServerCheckKind
    server_version: str | None = None
    protocol_version: int | None = None
    detail: str = ""

    @property
    def reachable(self) -> bool:
        """Whether our server answered."""
        return self.kind is ServerCheckKind.REACHABLE

    @property
    def compatible(self) -> bool:
        """Whether the server speaks this app's protocol version."""
        return self.protocol_version in (None, PROTOCOL_VERSION)


def normalize_server_url(text: str) -> str | None:
    """Return ``text`` as a server address (``http://`` added when missing), or ``None``.

    ``192.168.1.10:8765`` becomes ``http://192.168.1.10:8765``; a trailing ``/`` goes.
    """
    typed = text.strip()
    if not typed or any(c.isspace() for c in typed):
        return None
    if "://" not in typed:
        if typed.lower().startswith(("http:", "https:")):
            return None
        typed = "http://" + typed
    try:
        parts = urlsplit(typed)
        _port = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not _HOST.fullmatch(parts.hostname)
    ):
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def check_server(
    url_text: str,
    timeouts: Timeouts | None = None,
    *,
    ca_bundle: str | os.PathLike[str] | None = None,
) -> ServerCheck:
    """Ask ``url_text``'s ``/health`` once (no retries) and say what answered.

    Args:
        url_text: the address as typed.
        timeouts: the waits (short ones by default: a person is looking).
        ca_bundle: the city's CA certificate to trust (``trust.installed_ca_bundle``), or
            ``None`` for the usual authorities.
    """
    url = normalize_server_url(url_text)
    if url is None:
        return ServerCheck(url_text.strip(), ServerCheckKind.BAD_ADDRESS)
    client = SyncClient(
        url,
        device_id="server-check",
        timeouts=timeouts or CHECK_TIMEOUTS,
        retries=0,
        ca_bundle=ca_bundle,
        probe_tls=True,
    )
    try:
        data = client.health()
    except ClientError as exc:
        return ServerCheck(url, _kind_of(exc), detail=exc.en)
    finally:
        client.close()
    return ServerCheck(
        url,
        ServerCheckKind.REACHABLE,
        server_version=data.server_version or None,
        protocol_version=data.protocol_version,
    )


#: What a network failure wraps, most telling first (urllib3's ``NewConnectionError`` is a
#: ``ConnectTimeoutError`` even when the port refused, so refusals come before timeouts).
_CAUSES: tuple[tuple[ServerCheckKind, tuple[type[BaseException], ...]], ...] = (
    (ServerCheckKind.REFUSED, (ConnectionRefusedError,)),
    (ServerCheckKind.UNKNOWN_HOST, (urllib3.exceptions.NameResolutionError, socket.gaierror)),
    (
        ServerCheckKind.BAD_ADDRESS,
        (requests.exceptions.InvalidURL, urllib3.exceptions.LocationParseError),
    ),
    (ServerCheckKind.TIMEOUT, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)),
)


def _kind_of(exc: ClientError) -> ServerCheckKind:
    if exc.kind is FailureKind.SERVER:
        return ServerCheckKind.SERVER_ERROR
    if exc.kind is FailureKind.TLS:
        try:
            return ServerCheckKind(exc.code)
        except ValueError:
            return ServerCheckKind.TLS_FAILED
    if exc.kind is not FailureKind.NETWORK:
        return ServerCheckKind.NOT_OUR_SERVER  # a portal's page, or another server's JSON
    causes = list(exception_causes(exc))
    for kind, types in _CAUSES:
        if any(isinstance(cause, types) for cause in causes):
            return kind
    return ServerCheckKind.UNREACHABLE
