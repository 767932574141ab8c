"""Why an encrypted (TLS) connection failed, in words a township office can act on (Qt-free).

``tls_problem`` reads a ``requests`` failure and names one cause: a certificate nobody here
trusts (choose the city's CA certificate), a certificate for another name, an expired or not
yet valid certificate (check the PC's clock), a plain-HTTP server on an ``https://`` address,
an ``https`` server on an ``http://`` address, or another handshake failure.  The client turns
it into a ``ClientError`` of kind ``tls``; certificates are always verified, never skipped.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["TLS_CODES", "TlsProblem", "causes", "speaks_tls", "tls_problem"]

#: OpenSSL's verification results (``X509_V_ERR_*``) that mean "no trusted issuer".
_UNTRUSTED = frozenset({2, 18, 19, 20, 21, 27})
_NOT_YET_VALID, _EXPIRED = 9, 10
_HOSTNAME_MISMATCH = frozenset({62, 63, 64})
#: OpenSSL's reasons when the other end does not speak TLS at all (a plain-HTTP server).
_NOT_TLS_REASONS = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "HTTP_REQUEST",
        "RECORD_LAYER_FAILURE",
        "PACKET_LENGTH_TOO_LONG",
        "UNKNOWN_PROTOCOL",
    }
)
#: Seconds the probe of an ``http://`` address waits for a TLS handshake.
PROBE_TIMEOUT = 2.0


@dataclass(frozen=True)
class TlsProblem:
    """A TLS failure in plain words.

    Attributes:
        code: ``tls_untrusted``, ``tls_hostname``, ``tls_expired``, ``tls_not_yet_valid``,
            ``tls_not_https``, ``tls_https_needed`` or ``tls_failed``.
        zh: the message in Chinese.
        en: the message in English.
    """

    code: str
    zh: str
    en: str


_KEPT_ZH = "报告仍保存在本机，没有丢失。"
_KEPT_EN = "Reports stay on this computer; nothing is lost."

_MESSAGES: dict[str, tuple[str, str]] = {
    "tls_untrusted": (
        "服务器的证书不受信任（证书颁发机构未知，或是自签名证书）。如果市里使用自己的证书，"
        "请在设置页的第 1 步选择市里的 CA 证书文件。",
        "The server's certificate is not trusted (an unknown certificate authority, or a "
        "self-signed certificate). If the city uses its own certificates, choose the city's "
        "CA certificate file in step 1 of the set-up page.",
    ),
    "tls_hostname": (
        "服务器证书上的名称与地址 {host} 不符：请检查服务器地址是否写对（要用证书上的名称或"
        "IP 地址）。",
        "The server's certificate is not for {host}: check the server address (use the name "
        "or IP address the certificate was issued for).",
    ),
    "tls_expired": (
        "服务器的证书已过期，或本机的日期和时间不对：请先检查本机的时钟；如果时间正确，"
        "请告知市里更新服务器证书。",
        "The server's certificate has expired, or this computer's date and time are wrong: "
        "check this PC's clock first; if it is right, tell the city to renew the server's "
        "certificate.",
    ),
    "tls_not_yet_valid": (
        "服务器的证书尚未生效：很可能是本机的日期和时间不对，请检查本机的时钟。",
        "The server's certificate is not valid yet: this PC's date and time are probably "
        "wrong; check the clock.",
    ),
    "tls_not_https": (
        "该地址上的服务器不使用加密连接（https）：请把地址改为 http:// 开头，或向乡镇核对地址。",
        "The server at this address does not use an encrypted connection (https): write the "
        "address with http://, or check it with the township.",
    ),
    "tls_https_needed": (
        "该服务器只接受加密连接：请把地址改为 https:// 开头。",
        "This server only accepts encrypted connections: write the address with https://.",
    ),
    "tls_failed": (
        "无法与服务器建立加密连接（TLS 握手失败）：请检查地址，或告知市里。",
        "The encrypted connection to the server failed (TLS handshake): check the address, "
        "or tell the city.",
    ),
}
#: Every code ``tls_problem`` returns.
TLS_CODES = frozenset(_MESSAGES)


def _problem(code: str, host: str) -> TlsProblem:
    zh, en = _MESSAGES[code]
    return TlsProblem(
        code, f"{zh.format(host=host)}{_KEPT_ZH}", f"{en.format(host=host)} {_KEPT_EN}"
    )


def tls_problem(exc: BaseException, base_url: str, *, probe: bool = True) -> TlsProblem | None:
    """Return the TLS problem behind a failed request to ``base_url``, or ``None``.

    Args:
        exc: what ``requests`` raised.
        base_url: the server's address (its scheme and host are named in the message).
        probe: for an ``http://`` address whose connection was cut, try a TLS handshake to
            the same port (nothing else is sent) to say "write https://" when it answers.
    """
    parts = urlsplit(base_url)
    host = parts.hostname or base_url
    for cause in causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return _problem(_verify_code(cause.verify_code), host)
        if isinstance(cause, ssl.SSLError):
            reason = str(getattr(cause, "reason", "") or "")
            text = str(cause).upper()
            if reason in _NOT_TLS_REASONS or any(r in text for r in _NOT_TLS_REASONS):
                return _problem("tls_not_https", host)
            return _problem("tls_failed", host)
    if (
        parts.scheme == "http"
        and probe
        and _connection_cut(exc)
        and speaks_tls(host, parts.port or 80)
    ):
        return _problem("tls_https_needed", host)
    return None


def _verify_code(code: int | None) -> str:
    if code in _UNTRUSTED:
        return "tls_untrusted"
    if code == _EXPIRED:
        return "tls_expired"
    if code == _NOT_YET_VALID:
        return "tls_not_yet_valid"
    if code in _HOSTNAME_MISMATCH:
        return "tls_hostname"
    return "tls_failed"


def _connection_cut(exc: BaseException) -> bool:
    """Whether the connection was made and then cut (not refused, not timed out)."""
    chain = list(causes(exc))
    if any(
        isinstance(c, (ConnectionRefusedError, TimeoutError, socket.timeout, socket.gaierror))
        for c in chain
    ):
        return False
    names = {type(c).__name__ for c in chain}
    return bool(
        names
        & {
            "ConnectionResetError",
            "RemoteDisconnected",
            "BadStatusLine",
            "ProtocolError",
            "ConnectionAbortedError",
            "BrokenPipeError",
        }
    )


def speaks_tls(host: str, port: int, timeout: float = PROBE_TIMEOUT) -> bool:
    """Return whether ``host:port`` answers a TLS handshake (certificate checked or not).

    Only the handshake is tried; no request is sent, whatever the certificate.
    """
    context = ssl.create_default_context()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return True  # it speaks TLS; whether we trust it is the next request's business
    except (OSError, ValueError):
        return False


def causes(exc: BaseException) -> Iterator[BaseException]:
    """Yield ``exc`` and everything it wraps (causes, arguments, urllib3's ``reason``)."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        yield item
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
