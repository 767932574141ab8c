"""The Qt-free HTTP client of the city server's API, as the app's sync engine uses it.

One ``SyncClient`` wraps one ``requests.Session``.  Only idempotent requests (GET, PUT) are
retried by ``urllib3``; a batch POST is made safe to repeat by the server instead (client-made
version ids).  Every answer is checked: only our server's JSON of the expected shape counts.
A 200 with an HTML page (a captive portal), a redirect, a body cut short or a JSON object of
another shape raises ``ClientError`` and never passes for success.  Each request carries the
device id and the protocol version; each answer's ``server_time`` updates the clock-skew
estimate (device clock minus server clock, taken at the middle of the request).  The A/B duty
routes of docs/duty.md are in ``sync.client.duty``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from sync.client.duty import DutyRequests
from sync.client.tls import tls_problem
from sync.contract import PROTOCOL_VERSION

__all__ = [
    "ClientError",
    "FailureKind",
    "PhotoState",
    "SyncClient",
    "Timeouts",
]

API = "/api/v1"
USER_AGENT = f"informant-app/0.1 (protocol {PROTOCOL_VERSION})"
DEVICE_HEADER = "X-Device-Id"
PROTOCOL_HEADER = "X-Protocol-Version"
#: The server's answer header saying it unpacks gzip request bodies.
ACCEPTS_GZIP_HEADER = "X-Accept-Request-Encoding"
#: The server's header with the SHA-256 of the answer body (after unpacking gzip).
BODY_DIGEST_HEADER = "X-Body-SHA256"
#: JSON request bodies at least this long go gzip-compressed to a server that accepts it.
GZIP_MIN_BYTES = 1024


class FailureKind(StrEnum):
    """Why a request failed; the values match ``SyncErrorKind`` where they overlap."""

    AUTH = "auth"  # 401, or the token belongs to another device
    NETWORK = "network"  # no route, refused, reset, timeout, a body cut short
    CAPTIVE_PORTAL = "captive_portal"  # an answer that is not our server's JSON
    SERVER = "server"  # 5xx
    PROTOCOL = "protocol"  # the server speaks another protocol version
    REQUEST = "request"  # our server refused this one request (4xx with its error body)
    TLS = "tls"  # the encrypted connection failed: certificate, name, clock, http/https


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and between bytes of an answer."""

    connect: float = 5.0
    read: float = 15.0  # under the 20 s the app waits for a round when it quits


class ClientError(Exception):
    """A request that did not get the answer it needs.

    Attributes:
        kind: the failure class (what the sync engine reacts to).
        code: our server's error code (``offset_mismatch``…), or a client-made one.
        zh: a message in Chinese.
        en: a message in English.
        status: the HTTP status, when an answer came.
        extra: further keys of the server's error object (``received``, ``limit``…).
    """

    def __init__(
        self,
        kind: FailureKind,
        code: str,
        zh: str,
        en: str,
        *,
        status: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{kind.value}/{code}: {en}")
        self.kind = kind
        self.code = code
        self.zh = zh
        self.en = en
        self.status = status
        self.extra: dict[str, Any] = dict(extra or {})


@dataclass(frozen=True)
class PhotoState:
    """How much of a photo the server holds."""

    sha256: str
    size: int | None
    received: int
    complete: bool


@dataclass
class _Timing:
    """The clock readings of the last answer that carried a server time."""

    server_time: datetime | None = None
    skew_seconds: float | None = None
    samples: list[float] = field(default_factory=list)


def _network(en_detail: str) -> ClientError:
    return ClientError(
        FailureKind.NETWORK,
        "network",
        "无法连接服务器（网络不通、超时或连接中断）",
        f"the server cannot be reached ({en_detail})",
    )


def _transport_error(exc: BaseException, base_url: str, probe: bool) -> ClientError:
    """Return the ``ClientError`` of a request that got no answer (TLS trouble named)."""
    tls = tls_problem(exc, base_url, probe=probe)
    if tls is not None:
        return ClientError(FailureKind.TLS, tls.code, tls.zh, tls.en)
    return _network(type(exc).__name__)


def _damaged() -> ClientError:
    """An answer whose bytes were changed on the way: a network matter, tried again later."""
    return ClientError(
        FailureKind.NETWORK,
        "damaged_answer",
        "服务器的回复在传输中损坏，稍后自动重试",
        "the server's answer was damaged on the way; it will be tried again",
    )


def _not_ours(en_detail: str, status: int | None) -> ClientError:
    return ClientError(
        FailureKind.CAPTIVE_PORTAL,
        "not_our_server",
        "收到的不是本系统服务器的应答（可能需要先登录上网认证页面），报告未计为已发送",
        f"the answer is not from our server ({en_detail}); a network sign-in "
        "page may be in the way. Nothing was counted as sent.",
        status=status,
    )


def parse_server_time(value: object) -> datetime:
    """Parse an ISO-8601 time with a zone from the server; ``ValueError`` otherwise."""
    if not isinstance(value, str):
        raise ValueError("server_time is not text")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("server_time has no zone")
    return parsed.astimezone(UTC)


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{key} missing or of the wrong type")
    return value


def _check_login(data: Mapping[str, Any]) -> None:
    _need(data, "token", str)
    _check_me(data)


def _check_me(data: Mapping[str, Any]) -> None:
    user = _need(data, "user", dict)
    for key in ("username", "display_name", "role", "jurisdiction_code"):
        _need(user, key, str)
    for post in _need(user, "posts", list):
        if not isinstance(post, dict):
            raise ValueError("post is not an object")
        for key in ("division_code", "level", "post_role"):
            _need(post, key, str)
    parse_server_time(data.get("server_time"))


def _check_batch(count: int) -> Callable[[Mapping[str, Any]], None]:
    def check(data: Mapping[str, Any]) -> None:
        parse_server_time(data.get("server_time"))
        results = _need(data, "results", list)
        if len(results) != count:
            raise ValueError(f"{len(results)} results for {count} items")
        for r in results:
            if not isinstance(r, dict) or r.get("status") not in (
                "accepted",
                "duplicate",
                "conflict",
                "rejected",
            ):
                raise ValueError("a result without a known status")

    return check


def _check_photo(data: Mapping[str, Any]) -> None:
    _need(data, "sha256", str)
    _need(data, "received", int)
    _need(data, "complete", bool)


def _check_changes(data: Mapping[str, Any]) -> None:
    _need(data, "cursor", str)
    _need(data, "has_more", bool)
    for change in _need(data, "changes", list):
        if not isinstance(change, dict) or not isinstance(change.get("kind"), str):
            raise ValueError("a change without a kind")
        if change["kind"] == "report_version":
            _check_content(change)


def _check_content(change: Mapping[str, Any]) -> None:
    """Refuse a pulled version whose content does not match its hash.

    A small page travels without gzip (and its CRC): a byte changed on the way could still
    parse.  The whole page is refused and fetched again, so nothing wrong is stored and the
    cursor does not move past the change.
    """
    content, digest = change.get("content"), change.get("content_hash")
    if content is None and digest is None:
        return
    if not isinstance(content, dict) or not isinstance(digest, str):
        raise ValueError("a report version without its content or hash")
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != digest:
        raise ValueError("a report version whose content does not match its hash")
    parse_server_time(change.get("server_received_at"))


def _check_decision_batch(count: int) -> Callable[[Mapping[str, Any]], None]:
    def check(data: Mapping[str, Any]) -> None:
        _check_batch(count)(data)
        for r in data["results"]:
            if not isinstance(r.get("applied", False), bool):
                raise ValueError("a decision result without applied")

    return check


def _check_history(data: Mapping[str, Any]) -> None:
    _need(data, "report_uuid", str)
    _need(data, "review_status", str)
    parse_server_time(data.get("server_time"))
    for event in _need(data, "events", list):
        if not isinstance(event, dict):
            raise ValueError("a history event is not an object")
        for key in ("kind", "version_uuid", "by"):
            _need(event, key, str)
        parse_server_time(event.get("server_time"))


def _check_township_report(data: Mapping[str, Any]) -> None:
    for key in ("township_code", "township_name", "event_uuid", "stage"):
        _need(data, key, str)
    for key in ("village_sum", "total", "check"):
        _need(data, key, dict)
    for key in ("villages", "adjustments"):
        for item in _need(data, key, list):
            if not isinstance(item, dict):
                raise ValueError(f"an item of {key} is not an object")
    parse_server_time(data.get("server_time"))


def _check_adjustment(data: Mapping[str, Any]) -> None:
    _need(data, "status", str)
    _need(data, "adjustment", dict)
    parse_server_time(data.get("server_time"))


def _check_submission(data: Mapping[str, Any]) -> None:
    _need(data, "status", str)
    report = _need(data, "report", dict)
    _need(report, "submission_uuid", str)
    _need(report, "figures", dict)
    parse_server_time(data.get("server_time"))


def _check_completeness(data: Mapping[str, Any]) -> None:
    _need(data, "township_code", str)
    for village in _need(data, "villages", list):
        if not isinstance(village, dict):
            raise ValueError("a village is not an object")
        _need(village, "village_code", str)
        _need(village, "reported", bool)
    parse_server_time(data.get("server_time"))


def _check_health(data: Mapping[str, Any]) -> None:
    _need(data, "status", str)
    _need(data, "protocol_version", int)


def _check_setup_code(data: Mapping[str, Any]) -> None:
    for key in ("username", "code", "text"):
        _need(data, key, str)
    parse_server_time(data.get("expires_at"))
    parse_server_time(data.get("server_time"))


def _check_logout(data: Mapping[str, Any]) -> None:
    _need(data, "revoked", bool)


class SyncClient(DutyRequests):
    """Requests to one city server on behalf of one device.

    The A/B duty requests (roster, absences, handovers, event openings, deadlines) come from
    ``DutyRequests`` (``sync/client/duty.py``).

    Args:
        base_url: the server's address, e.g. ``http://127.0.0.1:8765``.
        device_id: this installation's id (sent with every request).
        token: the bearer token, when signed in.
        timeouts: connect and read timeouts.
        retries: how often an idempotent request is retried by urllib3.
        clock: the device clock (UTC); injectable for tests of clock skew.
        ca_bundle: a PEM file of the certificates to trust for ``https`` (a city's own CA)
            instead of the system's; ``None`` trusts the usual authorities.  Certificates
            are always verified.
        probe_tls: when a connection to an ``http://`` address is cut, try a TLS handshake
            to say "write https://" (for a person waiting on one request: the set-up test
            and sign-in; not for sync rounds, which must not add connections).
    """

    def __init__(
        self,
        base_url: str,
        *,
        device_id: str,
        token: str | None = None,
        timeouts: Timeouts | None = None,
        retries: int = 2,
        clock: Callable[[], datetime] | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        probe_tls: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.token = token
        self.timeouts = timeouts or Timeouts()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._timing = _Timing()
        #: Whether the last request got an answer in our server's JSON (an error body counts).
        self.reached_server = False
        #: Whether the server said it unpacks gzip request bodies (on its last answer).
        self.server_accepts_gzip = False
        self.session = requests.Session()
        self.session.trust_env = False  # no system proxy between a village PC and its server
        self.session.verify = os.fspath(ca_bundle) if ca_bundle is not None else True
        self.probe_tls = probe_tls
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            other=0,
            backoff_factor=0.3,
            backoff_max=5.0,
            status_forcelist=(502, 503, 504),
            allowed_methods=frozenset({"GET", "PUT", "HEAD"}),
            raise_on_status=False,
            raise_on_redirect=False,
            redirect=0,
            respect_retry_after_header=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update(
            {
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                DEVICE_HEADER: device_id,
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            }
        )

    def close(self) -> None:
        """Close the connections."""
        self.session.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- timing -------------------------------------------------------------------------

    @property
    def server_time(self) -> datetime | None:
        """The server time of the last answer that carried one."""
        return self._timing.server_time

    @property
    def clock_skew_seconds(self) -> float | None:
        """Device clock minus server clock, the median of this client's samples."""
        samples = sorted(self._timing.samples)
        if not samples:
            return None
        return samples[len(samples) // 2]

    def _record_time(self, data: Mapping[str, Any], sent: datetime, got: datetime) -> None:
        try:
            server = parse_server_time(data.get("server_time"))
        except ValueError:
            return
        middle = sent + (got - sent) / 2
        self._timing.server_time = server
        self._timing.skew_seconds = (middle - server).total_seconds()
        self._timing.samples.append(self._timing.skew_seconds)

    # --- the requests -------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /health``: the server answers (no sign-in needed)."""
        return self._call("GET", "/health", check=_check_health, auth=False)

    def login(self, username: str, password: str, device_name: str = "") -> dict[str, Any]:
        """``POST /auth/login``; keeps the returned token for later requests."""
        data = self._call(
            "POST",
            f"{API}/auth/login",
            check=_check_login,
            auth=False,
            json_body={
                "username": username,
                "password": password,
                "device_id": self.device_id,
                "device_name": device_name,
            },
        )
        self.token = str(data["token"])
        return data

    def provision(self, code: str, device_name: str = "") -> dict[str, Any]:
        """``POST /auth/provision``: sign in with a one-time set-up code; keeps the token.

        The answer is the sign-in's (checked the same way).
        """
        data = self._call(
            "POST",
            f"{API}/auth/provision",
            check=_check_login,
            auth=False,
            json_body={"code": code, "device_id": self.device_id, "device_name": device_name},
        )
        self.token = str(data["token"])
        return data

    def issue_setup_code(self, username: str) -> dict[str, Any]:
        """``POST /provisioning``: a one-time set-up code for an account the caller manages."""
        return self._call(
            "POST", f"{API}/provisioning", check=_check_setup_code, json_body={"username": username}
        )

    def logout(self) -> None:
        """``POST /auth/logout``: revoke this device's token."""
        self._call("POST", f"{API}/auth/logout", check=_check_logout)

    def me(self) -> dict[str, Any]:
        """``GET /me``: the account, its posts and the server time."""
        return self._call("GET", f"{API}/me", check=_check_me)

    def push_batch(self, items: list[dict[str, Any]], device_time: datetime) -> dict[str, Any]:
        """``POST /reports/batch``: one result per item, in order (checked)."""
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "device_id": self.device_id,
            "device_time": _wire_time(device_time),
            "items": items,
        }
        return self._call(
            "POST", f"{API}/reports/batch", check=_check_batch(len(items)), json_body=body
        )

    def photo_state(self, sha256: str) -> PhotoState:
        """``GET /photos/{sha256}``: how much has arrived."""
        data = self._call("GET", f"{API}/photos/{quote(sha256)}", check=_check_photo)
        return _photo(data)

    def put_photo_chunk(self, sha256: str, offset: int, size: int, chunk: bytes) -> PhotoState:
        """``PUT /photos/{sha256}?offset=&size=``: append ``chunk`` at ``offset``."""
        data = self._call(
            "PUT",
            f"{API}/photos/{quote(sha256)}",
            check=_check_photo,
            params={"offset": offset, "size": size},
            raw_body=chunk,
        )
        return _photo(data)

    def changes(self, cursor: str | None, limit: int = 500) -> dict[str, Any]:
        """``GET /changes``: the next page after ``cursor``."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._call("GET", f"{API}/changes", check=_check_changes, params=params)

    # --- township review ---------------------------------------------------------------

    def push_decisions(self, items: list[dict[str, Any]], device_time: datetime) -> dict[str, Any]:
        """``POST /decisions/batch``: one result per decision, in order (checked)."""
        body = {
            "protocol_version": PROTOCOL_VERSION,
            "device_id": self.device_id,
            "device_time": _wire_time(device_time),
            "items": items,
        }
        return self._call(
            "POST",
            f"{API}/decisions/batch",
            check=_check_decision_batch(len(items)),
            json_body=body,
        )

    def report_history(self, report_uuid: str) -> dict[str, Any]:
        """``GET /reports/{uuid}/history``: every change of the report's state."""
        return self._call(
            "GET", f"{API}/reports/{quote(report_uuid, safe='')}/history", check=_check_history
        )

    def township_report(self, township_code: str, event_uuid: str, stage: str) -> dict[str, Any]:
        """``GET /townships/{code}/reports/{event}/{stage}``: the live township report."""
        return self._call(
            "GET", _township_path(township_code, event_uuid, stage), check=_check_township_report
        )

    def add_township_adjustment(
        self,
        township_code: str,
        event_uuid: str,
        stage: str,
        *,
        adjustment_uuid: str,
        field_name: str,
        delta: int | float | str,
        reason: str,
    ) -> dict[str, Any]:
        """``POST …/adjustments``: one explicit adjustment with its reason (idempotent by id)."""
        body = {
            "adjustment_uuid": adjustment_uuid,
            "field": field_name,
            "delta": delta,
            "reason": reason,
        }
        return self._call(
            "POST",
            _township_path(township_code, event_uuid, stage) + "/adjustments",
            check=_check_adjustment,
            json_body=body,
        )

    def submit_township_report(
        self,
        township_code: str,
        event_uuid: str,
        stage: str,
        *,
        submission_uuid: str,
        figures: Mapping[str, int | float | str],
    ) -> dict[str, Any]:
        """``POST …/submit``: submit the total the reviewer saw (409 when it no longer adds up)."""
        body = {"submission_uuid": submission_uuid, "figures": dict(figures)}
        return self._call(
            "POST",
            _township_path(township_code, event_uuid, stage) + "/submit",
            check=_check_submission,
            json_body=body,
        )

    def township_completeness(
        self, township_code: str, event_uuid: str | None = None, day: str | None = None
    ) -> dict[str, Any]:
        """``GET /townships/{code}/completeness``: which villages reported (event and/or day)."""
        params = {k: v for k, v in (("event_uuid", event_uuid), ("day", day)) if v}
        return self._call(
            "GET",
            f"{API}/townships/{quote(township_code, safe='')}/completeness",
            check=_check_completeness,
            params=params,
        )

    # --- the one place that talks HTTP --------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        check: Callable[[Mapping[str, Any]], None],
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        if auth:
            if not self.token:
                raise ClientError(FailureKind.AUTH, "not_signed_in", "请先登录", "please sign in")
            headers["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = raw_body
        if json_body is not None:
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
            if self.server_accepts_gzip and len(data) >= GZIP_MIN_BYTES:
                data = gzip.compress(data, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
        elif raw_body is not None:
            headers["Content-Type"] = "application/octet-stream"
        sent = self._clock()
        self.reached_server = False
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                params=params,
                data=data,
                headers=headers,
                timeout=(self.timeouts.connect, self.timeouts.read),
                allow_redirects=False,
            )
            body = response.content  # the whole body, or an exception if it is cut short
        except requests.exceptions.RequestException as exc:
            raise _transport_error(exc, self.base_url, self.probe_tls) from exc
        got = self._clock()
        digest = response.headers.get(BODY_DIGEST_HEADER)
        if digest is not None and hashlib.sha256(body).hexdigest() != digest.strip().lower():
            raise _damaged()
        self.server_accepts_gzip = "gzip" in response.headers.get(ACCEPTS_GZIP_HEADER, "").lower()
        parsed = _parse(response, body)
        if response.status_code >= 400:
            error = _error(response.status_code, parsed)
            self.reached_server = error.code != "not_our_server"
            raise error
        if not 200 <= response.status_code < 300:
            raise _not_ours(f"HTTP {response.status_code}", response.status_code)
        try:
            check(parsed)
        except (ValueError, TypeError) as exc:
            raise _not_ours(f"unexpected shape: {exc}", response.status_code) from exc
        self.reached_server = True
        self._record_time(parsed, sent, got)
        return parsed


def _parse(response: requests.Response, body: bytes) -> dict[str, Any]:
    """Return the JSON object of an answer, or raise the right ``ClientError``."""
    status = response.status_code
    if 300 <= status < 400:
        raise _not_ours(f"redirect {status} to {response.headers.get('Location', '?')}", status)
    ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        if status >= 500:
            raise ClientError(
                FailureKind.SERVER,
                f"http_{status}",
                "服务器暂时出错，稍后自动重试",
                f"the server failed (HTTP {status}); will retry",
                status=status,
            )
        raise _not_ours(f"HTTP {status} with {ctype or 'no content type'}", status)
    try:
        parsed = json.loads(body)
    except ValueError as exc:  # said JSON but is not: cut short on the way
        raise _network("the answer was cut short") from exc
    if not isinstance(parsed, dict):
        raise _not_ours("JSON that is not an object", status)
    return parsed


def _error(status: int, parsed: Mapping[str, Any]) -> ClientError:
    """Return the ``ClientError`` of an error answer (``{"error": {code, zh, en}}``)."""
    err = parsed.get("error")
    if not (
        isinstance(err, dict) and all(isinstance(err.get(k), str) for k in ("code", "zh", "en"))
    ):
        if status >= 500:
            return ClientError(
                FailureKind.SERVER,
                f"http_{status}",
                "服务器暂时出错，稍后自动重试",
                f"the server failed (HTTP {status}); will retry",
                status=status,
            )
        return _not_ours(f"HTTP {status} without our error body", status)
    code, zh, en = err["code"], err["zh"], err["en"]
    extra = {k: v for k, v in err.items() if k not in ("code", "zh", "en")}
    if status == 401 or code == "device_mismatch":
        kind = FailureKind.AUTH
    elif status >= 500:
        kind = FailureKind.SERVER
    elif code == "protocol_mismatch":
        kind = FailureKind.PROTOCOL
    else:
        kind = FailureKind.REQUEST
    return ClientError(kind, code, zh, en, status=status, extra=extra)


def _wire_time(value: datetime) -> str:
    """Return a time as the wire's ISO-8601 UTC text (``…Z``)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _township_path(township_code: str, event_uuid: str, stage: str) -> str:
    parts = (quote(p, safe="") for p in (township_code, event_uuid, stage))
    code, event, stage_part = parts
    return f"{API}/townships/{code}/reports/{event}/{stage_part}"


def _photo(data: Mapping[str, Any]) -> PhotoState:
    size = data.get("size")
    return PhotoState(
        str(data["sha256"]),
        size if isinstance(size, int) else None,
        int(data["received"]),
        bool(data["complete"]),
    )
