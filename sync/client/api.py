"""The Qt-free HTTP client of the city server's API, as the app's sync engine uses it.

One ``SyncClient`` wraps one ``requests.Session``.  Only idempotent requests (GET, PUT) are
retried by ``urllib3``; a batch POST is made safe to repeat by the server instead (client-made
version ids).  Every answer is decoded into its type of ``sync.contract.wire``: only our
server's JSON of that shape counts.
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
from typing import Any, TypeVar
from urllib.parse import quote

import msgspec
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from sync.client.admin import AdminRequests
from sync.client.duty import DutyRequests
from sync.client.events import EventRequests
from sync.client.register import RegisterRequests
from sync.client.summary import SummaryRequests
from sync.client.tls import tls_problem
from sync.client.unit_reports import UnitReportRequests
from sync.contract import PROTOCOL_VERSION
from sync.contract.wire.account import (
    Health,
    Login,
    LoginRequest,
    Logout,
    Me,
    ProvisionRequest,
    SetupCode,
    SetupCodeRequest,
)
from sync.contract.wire.base import Wire, as_object
from sync.contract.wire.divisions import Divisions
from sync.contract.wire.feed import Change, ChangesPage, ReportVersionChange, UnreadChange
from sync.contract.wire.reports import (
    CHUNK_DIGEST_HEADER,
    BatchRequest,
    BatchResult,
    PhotoUpload,
    chunk_digest,
)
from sync.contract.wire.review import DecisionBatchRequest, DecisionBatchResult, History
from sync.contract.wire.township import (
    AdjustmentRequest,
    AdjustmentResult,
    Completeness,
    SubmitRequest,
    SubmitResult,
    TownshipReport,
)

__all__ = [
    "ClientError",
    "FailureKind",
    "PhotoState",
    "SyncClient",
    "Timeouts",
]

API = "/api/v1"
#: The routes whose answers carry ``X-Account-Revision`` (keys of ``SyncClient.revisions``).
ME_PATH, PUSH_PATH, CHANGES_PATH = f"{API}/me", f"{API}/reports/batch", f"{API}/changes"
USER_AGENT = f"informant-app/0.1 (protocol {PROTOCOL_VERSION})"
DEVICE_HEADER = "X-Device-Id"
PROTOCOL_HEADER = "X-Protocol-Version"
#: The server's answer header saying it unpacks gzip request bodies.
ACCEPTS_GZIP_HEADER = "X-Accept-Request-Encoding"
#: The server's header with the SHA-256 of the answer body (after unpacking gzip).
BODY_DIGEST_HEADER = "X-Body-SHA256"
#: The server's header (on ``GET /me`` and the version push) fingerprinting what ``/me`` answers.
ACCOUNT_REVISION_HEADER = "X-Account-Revision"
T = TypeVar("T", bound=Wire)

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
        #: Seconds the server asked to wait (``Retry-After`` of a busy answer), if it did.
        self.retry_after: float | None = None


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


def _check_count(count: int) -> Callable[[BatchResult | DecisionBatchResult], None]:
    """Return a check that a batch answer has one result per item sent."""

    def check(data: BatchResult | DecisionBatchResult) -> None:
        if len(data.results) != count:
            raise ValueError(f"{len(data.results)} results for {count} items")

    return check


class _RawChanges(Wire, frozen=True, kw_only=True):
    """A page of the feed before its changes are typed one by one (each kept as its bytes)."""

    changes: list[msgspec.Raw]
    cursor: str
    has_more: bool


class _Head(msgspec.Struct, frozen=True):
    """What a change's bytes say before it is typed: its kind and, for a version, its content.

    ``content`` stays the bytes the server sent (its canonical JSON text, spliced in as
    stored), so that checking its hash needs no serialising; the rest is skipped unread.
    """

    kind: object = None
    content: msgspec.Raw = msgspec.Raw()
    content_hash: object = None


_HEAD = msgspec.json.Decoder(_Head)
_CHANGE = msgspec.json.Decoder(Change)


def _read_change(raw: msgspec.Raw) -> tuple[Change | UnreadChange, str | None]:
    """Return a change typed by its kind (or an ``UnreadChange`` the core skips), and its text.

    The text is a report version's content in canonical JSON (``None`` for other kinds),
    checked against its ``content_hash``.  A report version whose content does not match its
    hash refuses the whole page (``ValueError``): a small page travels without gzip (and its
    CRC), so a byte changed on the way could still parse.  The page is fetched again, nothing
    wrong is stored and the cursor does not move past the change.  A change that is not an
    object, or has no kind, refuses the page too.
    """
    try:
        head = _HEAD.decode(raw)
    except msgspec.ValidationError as exc:
        raise ValueError(f"a change that is not an object: {exc}") from None
    kind = head.kind
    if not isinstance(kind, str):
        raise ValueError("a change without a kind")
    text = _checked_content(head) if kind == "report_version" else None
    try:
        return _CHANGE.decode(raw), text
    except msgspec.ValidationError as exc:
        return UnreadChange(kind=kind, raw=msgspec.json.decode(raw), problem=str(exc)), text


def _checked_content(head: _Head) -> str:
    """Return a pulled version's content as canonical JSON text, checked against its hash.

    The bytes as sent are the canonical text whenever their SHA-256 is the hash (the server
    hashed the text it stores and sends); only content sent in another spelling is parsed
    and written in canonical form to be checked.  Raises ``ValueError`` for a version
    without its content or hash, or whose content does not match its hash.
    """
    content, digest = head.content, head.content_hash
    if not content or not isinstance(digest, str):
        raise ValueError("a report version without its content or hash")
    sent = bytes(content)
    if sent.startswith(b"{") and hashlib.sha256(sent).hexdigest() == digest:
        return sent.decode("utf-8")
    data = msgspec.json.decode(sent)
    if not isinstance(data, dict):
        raise ValueError("a report version without its content or hash")
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != digest:
        raise ValueError("a report version whose content does not match its hash")
    return canonical


class SyncClient(
    DutyRequests,
    AdminRequests,
    RegisterRequests,
    UnitReportRequests,
    SummaryRequests,
    EventRequests,
):
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
        #: The last ``X-Account-Revision`` per route (``ME_PATH``, ``PUSH_PATH``,
        #: ``CHANGES_PATH``): a fingerprint of what ``/me`` answers, as each answer read it
        #: (the push and the pull may be on the wire at once).
        self.revisions: dict[str, str] = {}
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
            # Not 503: a busy server says when to come back (Retry-After); asking again
            # at once is what turns a busy server into an overloaded one.
            status_forcelist=(502, 504),
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

    def _record_time(self, stamp: object, sent: datetime, got: datetime) -> None:
        """Take an answer's ``server_time`` (decoded, or its text) as a clock sample."""
        try:
            if isinstance(stamp, datetime) and stamp.tzinfo is not None:
                server = stamp.astimezone(UTC)
            else:
                server = parse_server_time(stamp)
        except ValueError:
            return
        middle = sent + (got - sent) / 2
        self._timing.server_time = server
        self._timing.skew_seconds = (middle - server).total_seconds()
        self._timing.samples.append(self._timing.skew_seconds)

    # --- the requests -------------------------------------------------------------------

    def health(self) -> Health:
        """``GET /health``: the server answers (no sign-in needed)."""
        return self._call("GET", "/health", answer=Health, auth=False)

    def login(self, username: str, password: str, device_name: str = "") -> Login:
        """``POST /auth/login``; keeps the returned token for later requests."""
        body = LoginRequest(
            username=username,
            password=password,
            device_id=self.device_id,
            device_name=device_name,
        )
        data = self._call(
            "POST", f"{API}/auth/login", answer=Login, auth=False, json_body=as_object(body)
        )
        self.token = data.token
        return data

    def provision(self, code: str, device_name: str = "") -> Login:
        """``POST /auth/provision``: sign in with a one-time set-up code; keeps the token.

        The answer is the sign-in's.
        """
        body = ProvisionRequest(code=code, device_id=self.device_id, device_name=device_name)
        data = self._call(
            "POST", f"{API}/auth/provision", answer=Login, auth=False, json_body=as_object(body)
        )
        self.token = data.token
        return data

    def issue_setup_code(self, username: str) -> SetupCode:
        """``POST /provisioning``: a one-time set-up code for an account the caller manages."""
        body = SetupCodeRequest(username=username)
        return self._call(
            "POST", f"{API}/provisioning", answer=SetupCode, json_body=as_object(body)
        )

    def logout(self) -> None:
        """``POST /auth/logout``: revoke this device's token."""
        self._call("POST", f"{API}/auth/logout", answer=Logout)

    def me(self) -> Me:
        """``GET /me``: the account, its posts and the server time."""
        return self._call("GET", ME_PATH, answer=Me)

    def divisions(self, under: str | None = None) -> Divisions:
        """``GET /divisions``: the division table (``under`` a code: its subtree and ancestors)."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/divisions", answer=Divisions, params=params)

    def push_batch(self, items: list[dict[str, Any]], device_time: datetime) -> BatchResult:
        """``POST /reports/batch``: one result per item, in order (checked)."""
        body = BatchRequest(
            protocol_version=PROTOCOL_VERSION,
            device_id=self.device_id,
            device_time=device_time.astimezone(UTC),
            items=items,
        )
        return self._call(
            "POST",
            PUSH_PATH,
            answer=BatchResult,
            check=_check_count(len(items)),
            json_body=as_object(body),
        )

    def photo_state(self, sha256: str) -> PhotoState:
        """``GET /photos/{sha256}``: how much has arrived."""
        data = self._call("GET", f"{API}/photos/{quote(sha256)}", answer=PhotoUpload)
        return _photo(data)

    def put_photo_chunk(self, sha256: str, offset: int, size: int, chunk: bytes) -> PhotoState:
        """``PUT /photos/{sha256}?offset=&size=``: append ``chunk`` at ``offset``.

        The chunk's SHA-256 goes along (``Content-Digest``): a chunk damaged on the way is
        refused alone (``ClientError`` ``chunk_corrupt``) and can be sent again.
        """
        data = self._call(
            "PUT",
            f"{API}/photos/{quote(sha256)}",
            answer=PhotoUpload,
            params={"offset": offset, "size": size},
            raw_body=chunk,
            headers={CHUNK_DIGEST_HEADER: chunk_digest(chunk)},
        )
        return _photo(data)

    def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        """``GET /changes``: the next page after ``cursor``, each change typed by its kind.

        A change of an unknown kind, or one that does not fit its type, comes as an
        ``UnreadChange``; a report version whose content does not match its hash refuses
        the whole page (``ClientError``, fetched again at the next round).  Each version's
        content also comes as the canonical JSON text that was checked (``texts``).
        """
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        raw = self._call("GET", CHANGES_PATH, answer=_RawChanges, params=params)
        changes: list[Change | UnreadChange] = []
        texts: dict[str, str] = {}
        try:
            for item in raw.changes:
                change, text = _read_change(item)
                changes.append(change)
                if text is not None and isinstance(change, ReportVersionChange):
                    texts[change.version_uuid] = text
        except ValueError as exc:
            raise _not_ours(f"unexpected shape: {exc}", 200) from exc
        return ChangesPage(changes=changes, cursor=raw.cursor, has_more=raw.has_more, texts=texts)

    # --- township review ---------------------------------------------------------------

    def push_decisions(
        self, items: list[dict[str, Any]], device_time: datetime
    ) -> DecisionBatchResult:
        """``POST /decisions/batch``: one result per decision, in order (checked)."""
        body = DecisionBatchRequest(
            protocol_version=PROTOCOL_VERSION,
            device_id=self.device_id,
            device_time=device_time.astimezone(UTC),
            items=items,
        )
        return self._call(
            "POST",
            f"{API}/decisions/batch",
            answer=DecisionBatchResult,
            check=_check_count(len(items)),
            json_body=as_object(body),
        )

    def report_history(self, report_uuid: str) -> History:
        """``GET /reports/{uuid}/history``: every change of the report's state."""
        return self._call(
            "GET", f"{API}/reports/{quote(report_uuid, safe='')}/history", answer=History
        )

    def township_report(self, township_code: str, event_uuid: str, stage: str) -> TownshipReport:
        """``GET /townships/{code}/reports/{event}/{stage}``: the live township report."""
        return self._call(
            "GET", _township_path(township_code, event_uuid, stage), answer=TownshipReport
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
    ) -> AdjustmentResult:
        """``POST …/adjustments``: one explicit adjustment with its reason (idempotent by id)."""
        body = AdjustmentRequest(
            adjustment_uuid=adjustment_uuid, field=field_name, delta=delta, reason=reason
        )
        return self._call(
            "POST",
            _township_path(township_code, event_uuid, stage) + "/adjustments",
            answer=AdjustmentResult,
            json_body=as_object(body),
        )

    def submit_township_report(
        self,
        township_code: str,
        event_uuid: str,
        stage: str,
        *,
        submission_uuid: str,
        figures: Mapping[str, int | float | str],
    ) -> SubmitResult:
        """``POST …/submit``: submit the total the reviewer saw (409 when it no longer adds up)."""
        body = SubmitRequest(submission_uuid=submission_uuid, figures=dict(figures))
        return self._call(
            "POST",
            _township_path(township_code, event_uuid, stage) + "/submit",
            answer=SubmitResult,
            json_body=as_object(body),
        )

    def township_completeness(
        self, township_code: str, event_uuid: str | None = None, day: str | None = None
    ) -> Completeness:
        """``GET /townships/{code}/completeness``: which villages reported (event and/or day)."""
        params = {k: v for k, v in (("event_uuid", event_uuid), ("day", day)) if v}
        return self._call(
            "GET",
            f"{API}/townships/{quote(township_code, safe='')}/completeness",
            answer=Completeness,
            params=params,
        )

    # --- the one place that talks HTTP --------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send one request; return its answer decoded into ``answer`` (then ``check``-ed).

        ``headers`` are added to the request's (e.g. a chunk's ``Content-Digest``).  An answer
        that is not our server's JSON of ``answer``'s shape raises ``ClientError``
        (``captive_portal``/``not_our_server``): it never passes for success.
        """
        headers = dict(headers or {})
        if auth:
            if not self.token:
                raise ClientError(FailureKind.AUTH, "not_signed_in", "请先登录", "please sign in")
            headers["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = raw_body
        if json_body is not None:
            data = msgspec.json.encode(json_body)  # compact UTF-8 (as ensure_ascii=False)
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
                stream=True,
            )
            with response:  # the connection goes back to the pool once the body is read
                # The whole body, or an exception if it is cut short; in large reads (a page
                # is read and unzipped in a few steps, not in hundreds of 10 KB ones, each
                # taking the interpreter lock back from the thread applying the last page).
                body = b"".join(response.iter_content(READ_BYTES))
        except requests.exceptions.RequestException as exc:
            raise _transport_error(exc, self.base_url, self.probe_tls) from exc
        got = self._clock()
        digest = response.headers.get(BODY_DIGEST_HEADER)
        if digest is not None and hashlib.sha256(body).hexdigest() != digest.strip().lower():
            raise _damaged()
        self.server_accepts_gzip = "gzip" in response.headers.get(ACCEPTS_GZIP_HEADER, "").lower()
        status = response.status_code
        if not 200 <= status < 300 or _content_type(response) != "application/json":
            parsed = _parse(response, body)  # raises for a redirect or an answer not JSON
            if status >= 400:
                error = _error(status, parsed)
                self.reached_server = error.code != "not_our_server"
                error.retry_after = _retry_after(response)
                raise error
            raise _not_ours(f"HTTP {status}", status)
        # A success is decoded once, straight into its type (no generic JSON parse first).
        try:
            typed = msgspec.json.decode(body, type=answer)
            if check is not None:
                check(typed)
            stamp = getattr(typed, "server_time", None)
            if stamp is None:
                stamp = msgspec.json.decode(body, type=_Stamp).server_time
        except msgspec.ValidationError as exc:
            raise _not_ours(f"unexpected shape: {exc}", status) from exc
        except msgspec.DecodeError as exc:  # said JSON but is not: cut short on the way
            raise _network("the answer was cut short") from exc
        except (ValueError, TypeError) as exc:  # a check that failed
            raise _not_ours(f"unexpected shape: {exc}", status) from exc
        self.reached_server = True
        self._record_time(stamp, sent, got)
        revision = response.headers.get(ACCOUNT_REVISION_HEADER)
        if revision:
            self.revisions[path] = revision
        return typed


#: Bytes an answer is read in at a time (``requests`` reads 10 KB at a time by default).
READ_BYTES = 1 << 20


class _Stamp(msgspec.Struct):
    """The ``server_time`` of an answer whose type does not name it (the rest is skipped)."""

    server_time: object = None


def _content_type(response: requests.Response) -> str:
    """Return an answer's media type, lower case, without parameters."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


#: The longest wait a ``Retry-After`` is followed for (a larger one is cut to this).
RETRY_AFTER_CAP_SECONDS = 300.0


def _retry_after(response: requests.Response) -> float | None:
    """Return the seconds of the answer's ``Retry-After`` (seconds form), capped; else None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value.isdigit():
        return None  # absent, or the HTTP-date form (our server never sends it)
    return min(float(value), RETRY_AFTER_CAP_SECONDS)


def _parse(response: requests.Response, body: bytes) -> dict[str, Any]:
    """Return the JSON object of an answer, or raise the right ``ClientError``."""
    status = response.status_code
    if 300 <= status < 400:
        raise _not_ours(f"redirect {status} to {response.headers.get('Location', '?')}", status)
    ctype = _content_type(response)
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


def _township_path(township_code: str, event_uuid: str, stage: str) -> str:
    parts = (quote(p, safe="") for p in (township_code, event_uuid, stage))
    code, event, stage_part = parts
    return f"{API}/townships/{code}/reports/{event}/{stage_part}"


def _photo(data: PhotoUpload) -> PhotoState:
    return PhotoState(data.sha256, data.size, data.received, data.complete)
