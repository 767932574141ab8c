"""Storing a pushed batch of report versions: one result per item, one transaction per batch.

Per item, in order of the checks:

- ``rejected`` (``bad_item``, ``contract_error``, ``content_too_large``,
  ``village_not_permitted``, ``validation_failed``, ``report_village_mismatch``,
  ``village_retired``): nothing is stored.  ``content_too_large``: a part of the version (or
  the whole canonical JSON) is above its limit in ``sync.contract.report.LIMITS``; the issue
  names the field.  ``village_retired``: a new report on a village code that a division import
  retired (the later versions of a report already on the server are still taken).  Blocking issues
  are the contract's errors plus every warning the content carries no note for (the app
  would not submit those either).
- ``quota`` (``quota_exceeded``): the account has had its quota of versions or bytes accepted
  in the last 24 hours (``Quota``; counted in SQL on ``ix_versions_user_received``); nothing
  is stored, and the device keeps the version queued and sends it again later.
- ``duplicate``: this ``version_uuid`` is stored with the same canonical content.
- ``rejected`` with ``version_id_reused``: the ``version_uuid`` is stored with other content.
- ``rejected`` with ``cumulative_fell``: rule 9 against the village's approved figures
  (``sync.server.services.figure_rules``); nothing is stored.
- ``accepted``: stored, and the report's current version now points at it.  A new version
  starts ``pending`` in the township's review, also after a return or an approval.
- ``conflict``: stored and flagged, but its parent is not the report's current version (or a
  first version arrived for a report that already has another); the pointer stays.

Idempotency rests on the primary key of ``report_versions``: the rows go in with
``INSERT … ON CONFLICT DO NOTHING RETURNING version_uuid`` (one multi-row statement), and only
versions that were not inserted are compared by their stored ``content_hash``.  The current
pointer moves by compare-and-swap: ``UPDATE reports SET current_version_uuid = new WHERE
current_version_uuid = parent``.  Each stored version gets its filing role (``A``,
``B_acting`` with the A it stood in for, or ``B_while_A_on_duty``) by
``sync.contract.duty.filing_role`` at the filing moment, from the roster and absences of the
batch's villages, read once per batch.  Rows are inserted in key order so that concurrent batches
lock them in the same order; a deadlock or serialization failure retries the whole batch.

Filing times: the stored ``submitted_at`` is the claim bounded by the receipt and the device's
clock skew measured at this push (``sync.contract.filing_time.correct_filing_time``); a
corrected claim is kept in ``device_submitted_at`` with the reason in ``time_flag``.  The
content (and its hash) keeps the claim as the device sent it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import LargeBinary, cast, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sync.contract import (
    LIMITS,
    ContentTooLargeError,
    ContractError,
    DivisionTable,
    Issue,
    ReportContent,
    Severity,
    ValidationContext,
    blocking_issues,
    canonical_json,
    size_error,
    validate,
)
from sync.contract.duty import FilingRole, filing_role, on_duty_at
from sync.contract.filing_time import FilingTime, correct_filing_time
from sync.server.db import Database, utc_now
from sync.server.dialect import insert_ignore
from sync.server.jurisdiction import Caller
from sync.server.models import (
    Change,
    ChangeKind,
    Device,
    Report,
    ReportVersion,
    VersionPhoto,
    VersionStatus,
)
from sync.server.services.duty_inputs import load_duty
from sync.server.services.events import register_from_versions
from sync.server.services.figure_rules import figure_refusals

log = logging.getLogger(__name__)

_UUID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_ATTEMPTS = 5
#: The rolling window of the per-account quota.
QUOTA_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Quota:
    """What one account may have accepted per rolling ``QUOTA_WINDOW`` (settings)."""

    versions: int
    content_bytes: int


@dataclass
class ItemResult:
    """The server's answer for one pushed version."""

    version_uuid: str | None
    status: str
    code: str
    message_zh: str
    message_en: str
    issues: list[dict[str, str]] = field(default_factory=list)


def _result(
    version_uuid: str | None,
    status: str,
    code: str,
    zh: str,
    en: str,
    issues: list[Issue] | None = None,
) -> ItemResult:
    return ItemResult(version_uuid, status, code, zh, en, [i.to_dict() for i in issues or []])


def _rejected(
    version_uuid: str | None, code: str, zh: str, en: str, issues: list[Issue] | None = None
) -> ItemResult:
    return _result(version_uuid, "rejected", code, zh, en, issues)


ACCEPTED = ("accepted", "accepted", "已接收", "accepted")
DUPLICATE = ("duplicate", "duplicate", "此前已接收（重复提交）", "already received (duplicate)")
QUOTA = (
    "quota",
    "quota_exceeded",
    "本账号今天提交的报告已达上限，报告仍在本机排队，稍后会自动重新发送",
    "this account has reached its daily limit of reports; the report stays queued on the "
    "device and is sent again later",
)
CONFLICT = (
    "conflict",
    "conflict",
    "已保存，但与服务器上的最新版本冲突，需要处理",
    "stored, but it conflicts with the report's current version on the server",
)


@dataclass
class Candidate:
    """A version that passed the checks and is about to be stored."""

    index: int
    version_uuid: str
    parent: str | None
    version_no: int
    content: ReportContent
    content_json: str
    content_hash: str
    retired_village: bool = False


@dataclass(frozen=True)
class BatchOutcome:
    """The results of a batch, in item order, and the server time of receipt."""

    server_time: datetime
    results: list[ItemResult]


def _parse_item(
    index: int,
    raw: object,
    caller: Caller,
    divisions: DivisionTable,
    now: datetime,
    skew: float | None = None,
) -> Candidate | ItemResult:
    if not isinstance(raw, dict):
        return _rejected(None, "bad_item", "条目必须是 JSON 对象", "an item must be an object")
    version_uuid = raw.get("version_uuid")
    if not isinstance(version_uuid, str) or not _UUID_RE.fullmatch(version_uuid):
        return _rejected(
            None,
            "bad_item",
            "版本编号（version_uuid）缺失或格式不正确",
            "version_uuid is missing or malformed",
        )
    parent = raw.get("parent_version_uuid")
    version_no = raw.get("version_no", 1)
    if parent is not None and (
        not isinstance(parent, str) or not _UUID_RE.fullmatch(parent) or parent == version_uuid
    ):
        return _rejected(
            version_uuid, "bad_item", "上一版本编号格式不正确", "parent_version_uuid is malformed"
        )
    if (
        isinstance(version_no, bool)
        or not isinstance(version_no, int)
        or not (1 <= version_no < 2**31)
    ):
        return _rejected(
            version_uuid, "bad_item", "版本号必须是正整数", "version_no must be a positive integer"
        )
    try:
        content = ReportContent.from_dict(raw.get("content"))
        too_large = size_error(content)
        if too_large is not None:
            raise too_large
    except ContentTooLargeError as exc:
        issue = Issue("R0", Severity.ERROR, exc.field, exc.zh, exc.en)
        return _rejected(
            version_uuid,
            "content_too_large",
            f"报告内容超出大小限制：{exc.zh}",
            f"the report content is above its size limit: {exc.en}",
            [issue],
        )
    except ContractError as exc:
        issue = Issue("contract", Severity.ERROR, exc.field, exc.zh, exc.en)
        return _rejected(
            version_uuid,
            "contract_error",
            f"报告内容不符合规范：{exc.zh}",
            f"the report content does not fit the contract: {exc.en}",
            [issue],
        )
    if not caller.can_push_for(content.village_code):
        issue = Issue(
            "R0",
            Severity.ERROR,
            "village_code",
            "该村（社区）不在您的岗位范围内",
            "this village is not one of your posts",
        )
        return _rejected(version_uuid, "village_not_permitted", issue.zh, issue.en, [issue])
    ctx = ValidationContext(divisions=divisions, now=now, clock_skew_seconds=skew)
    issues = validate(content, ctx)
    blocking = blocking_issues(issues, content.notes)
    if blocking:
        return _rejected(
            version_uuid,
            "validation_failed",
            f"报告未通过审核规则（{len(blocking)} 处问题）",
            f"the report fails the rules ({len(blocking)} issues)",
            blocking,
        )
    canonical = canonical_json(content)
    division = divisions.get(content.village_code)
    return Candidate(
        index,
        version_uuid,
        parent,
        version_no,
        content,
        canonical.decode("utf-8"),
        hashlib.sha256(canonical).hexdigest(),
        retired_village=division is not None and division.retired,
    )


def ingest_batch(
    db: Database,
    caller: Caller,
    items: list[Any],
    device_time: datetime | None,
    divisions: DivisionTable,
    now: datetime | None = None,
    quota: Quota | None = None,
) -> BatchOutcome:
    """Check and store a batch of pushed versions; return one result per item.

    ``now`` is the server's time of receipt (default: the clock); ``quota`` bounds what the
    caller may have accepted per rolling day (``None``: no quota, e.g. the history import).
    """
    received = now or utc_now()
    skew = (device_time - received).total_seconds() if device_time is not None else None
    results: list[ItemResult | None] = [None] * len(items)
    candidates: list[Candidate] = []
    first_of: dict[str, Candidate] = {}
    repeats: list[Candidate] = []
    for index, raw in enumerate(items):
        parsed = _parse_item(index, raw, caller, divisions, device_time or received, skew)
        if isinstance(parsed, ItemResult):
            results[index] = parsed
        elif parsed.version_uuid in first_of:
            repeats.append(parsed)  # the same version twice in one batch
        else:
            first_of[parsed.version_uuid] = parsed
            candidates.append(parsed)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with db.writing() as session:
                stored = _store(session, caller, candidates, received, device_time, skew, quota)
            break
        except OperationalError as exc:
            if attempt == MAX_ATTEMPTS or not _retryable(exc):
                raise
            log.info("batch retried after %s (attempt %d)", type(exc.orig).__name__, attempt)
    for index, result in stored.items():
        results[index] = result
    for repeat in repeats:
        first = first_of[repeat.version_uuid]
        same = repeat.content_hash == first.content_hash
        results[repeat.index] = (
            _result(repeat.version_uuid, *DUPLICATE) if same else _reused(repeat.version_uuid)
        )
    return BatchOutcome(received, [r for r in results if r is not None])


def _retryable(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in ("40P01", "40001")


def _reused(version_uuid: str) -> ItemResult:
    return _rejected(
        version_uuid,
        "version_id_reused",
        "此版本编号已用于不同的内容，请用新的版本编号提交",
        "this version_uuid is already stored with different content; "
        "send the change under a new version_uuid",
    )


def _store(
    session: Session,
    caller: Caller,
    candidates: list[Candidate],
    received: datetime,
    device_time: datetime | None,
    skew: float | None,
    quota: Quota | None = None,
) -> dict[int, ItemResult]:
    """Store the candidates in the session's transaction; return results by item index."""
    out: dict[int, ItemResult] = {}
    conn = session.connection()
    report_ids = sorted({c.content.report_uuid for c in candidates})
    villages: dict[str, str] = {}
    for chunk in _chunks(report_ids, 500):
        villages.update(
            conn.execute(
                select(Report.report_uuid, Report.village_code).where(Report.report_uuid.in_(chunk))
            ).all()
        )
    fresh: list[Candidate] = []
    for c in candidates:
        known = villages.get(c.content.report_uuid)
        if known is not None and known != c.content.village_code:
            out[c.index] = _rejected(
                c.version_uuid,
                "report_village_mismatch",
                "报告编号已属于另一个村（社区）的报告",
                "this report_uuid belongs to a report of another village",
            )
        elif known is None and c.retired_village:
            out[c.index] = _rejected(
                c.version_uuid,
                "village_retired",
                f"村（社区）代码 {c.content.village_code} 已在区划调整中撤销，不能再新建报告；"
                "请选择现行的村（社区）",
                f"the village code {c.content.village_code} was retired by a division update "
                "and takes no new reports; choose a current village",
            )
        else:
            fresh.append(c)
    refused = figure_refusals(session, [(c.version_uuid, c.content) for c in fresh])
    for c in fresh:
        if c.version_uuid in refused:
            out[c.index] = _rejected(c.version_uuid, *refused[c.version_uuid])
    fresh = [c for c in fresh if c.version_uuid not in refused]
    if quota is not None:
        over = _over_quota(session, caller, fresh, received, quota)
        for c in fresh:
            if c.version_uuid in over:
                out[c.index] = _result(c.version_uuid, *QUOTA)
        fresh = [c for c in fresh if c.version_uuid not in over]
    times = {
        c.version_uuid: correct_filing_time(c.content.submitted_at, received, skew) for c in fresh
    }
    roles = _filing_roles(session, caller, fresh, received, times)
    rows = [
        {
            **_version_row(c, caller, received, device_time, skew, times[c.version_uuid]),
            **roles[c.version_uuid],
        }
        for c in fresh
    ]
    rows.sort(key=lambda r: str(r["version_uuid"]))
    inserted: set[str] = set()
    stmt = insert_ignore(session, ReportVersion, ["version_uuid"]).returning(
        ReportVersion.version_uuid
    )
    for chunk in _chunks(rows, 500):
        inserted.update(conn.execute(stmt, chunk).scalars().all())
    old = [c for c in fresh if c.version_uuid not in inserted]
    if old:
        hashes: dict[str, str] = {}
        for uuid_chunk in _chunks([c.version_uuid for c in old], 500):
            hashes.update(
                conn.execute(
                    select(ReportVersion.version_uuid, ReportVersion.content_hash).where(
                        ReportVersion.version_uuid.in_(uuid_chunk)
                    )
                ).all()
            )
        for c in old:
            same = hashes.get(c.version_uuid) == c.content_hash
            out[c.index] = _result(c.version_uuid, *DUPLICATE) if same else _reused(c.version_uuid)
    new = [c for c in fresh if c.version_uuid in inserted]
    conflicts = _move_pointers(session, new, received)
    for c in new:
        out[c.index] = _result(
            c.version_uuid, *(CONFLICT if c.version_uuid in conflicts else ACCEPTED)
        )
    if conflicts:
        for uuid_chunk in _chunks(sorted(conflicts), 500):
            conn.execute(
                update(ReportVersion)
                .where(ReportVersion.version_uuid.in_(uuid_chunk))
                .values(status=VersionStatus.CONFLICT.value)
            )
    photo_rows = [
        {"version_uuid": c.version_uuid, "sha256": p.sha256, "village_code": c.content.village_code}
        for c in new
        for p in {p.sha256: p for p in c.content.photos}.values()
    ]
    if photo_rows:
        conn.execute(insert_ignore(session, VersionPhoto, ["version_uuid", "sha256"]), photo_rows)
    if new:
        # The first version naming an unknown event opens it, for its village (issue 16).
        register_from_versions(session, [c.content for c in new], caller.user_id, received)
        conn.execute(
            insert(Change),
            [
                {
                    "kind": ChangeKind.REPORT_VERSION.value,
                    "division_code": c.content.village_code,
                    "ref": c.version_uuid,
                    "created_at": received,
                }
                for c in new
            ],
        )
    conn.execute(
        update(Device)
        .where(Device.id == caller.device_pk)
        .values(last_seen_at=received, clock_skew_seconds=skew)
    )
    return out


def _over_quota(
    session: Session, caller: Caller, fresh: list[Candidate], received: datetime, quota: Quota
) -> set[str]:
    """Return the new versions beyond the caller's quota (those already stored never count).

    What the account had accepted in the window is counted on ``ix_versions_user_received``;
    its bytes are summed only when the count leaves the byte quota in reach (stored versions
    are at most ``LIMITS.content_bytes`` each); the batch's new versions then count in item
    order.
    """
    conn = session.connection()
    since = received - QUOTA_WINDOW
    window = (ReportVersion.user_id == caller.user_id, ReportVersion.server_received_at > since)
    lengths = {c.version_uuid: len(c.content_json.encode("utf-8")) for c in fresh}
    # The count alone (on the index) settles it when even versions of the largest size could
    # not reach the byte quota: no content is read, however much the account stored lately.
    count = int(conn.execute(select(func.count()).where(*window)).scalar_one())
    ceiling = (count + len(fresh)) * LIMITS.content_bytes
    if count + len(fresh) <= quota.versions and ceiling <= quota.content_bytes:
        return set()
    octets = (
        func.length(cast(ReportVersion.content_json, LargeBinary))
        if conn.dialect.name == "sqlite"
        else func.octet_length(ReportVersion.content_json)
    )
    count, size = conn.execute(
        select(func.count(), func.coalesce(func.sum(octets), 0)).where(*window)
    ).one()
    count, size = int(count), int(size)
    if count + len(fresh) <= quota.versions and size + sum(lengths.values()) <= quota.content_bytes:
        return set()  # the usual case: one statement
    known: set[str] = set()  # versions already stored (a resend) are answered, never counted
    for chunk in _chunks([c.version_uuid for c in fresh], 500):
        known.update(
            conn.execute(
                select(ReportVersion.version_uuid).where(ReportVersion.version_uuid.in_(chunk))
            ).scalars()
        )
    over: set[str] = set()
    for c in fresh:
        if c.version_uuid in known:
            continue
        length = lengths[c.version_uuid]
        if count + 1 > quota.versions or size + length > quota.content_bytes:
            over.add(c.version_uuid)
        else:
            count, size = count + 1, size + length
    return over


def _filing_roles(
    session: Session,
    caller: Caller,
    fresh: list[Candidate],
    received: datetime,
    times: dict[str, FilingTime],
) -> dict[str, dict[str, Any]]:
    """Return ``filing_role`` and ``acting_for_user_id`` of each candidate, by version id."""
    duty = load_duty(session, {c.content.village_code for c in fresh})
    out: dict[str, dict[str, Any]] = {}
    for c in fresh:
        post = duty.posts.get(c.content.village_code)
        role, acting_for = None, None
        if post is not None:
            at = times[c.version_uuid].submitted_at or received
            role = filing_role(post.holdings, post.absences, caller.username, at)
            if role is FilingRole.B_ACTING:
                a = on_duty_at(post.holdings, post.absences, at).acting_for
                acting_for = duty.people[a].user_id if a in duty.people else None
        out[c.version_uuid] = {
            "filing_role": role.value if role else None,
            "acting_for_user_id": acting_for,
        }
    return out


def _move_pointers(session: Session, new: list[Candidate], now: datetime) -> set[str]:
    """Create reports and move current pointers; return the version ids that conflict."""
    conn = session.connection()
    conflicts: set[str] = set()
    firsts: dict[str, Candidate] = {}
    for c in new:
        if c.parent is None:
            if c.content.report_uuid in firsts:
                conflicts.add(c.version_uuid)  # a second first version in the same batch
            else:
                firsts[c.content.report_uuid] = c
    if firsts:
        rows = [
            {
                "report_uuid": r,
                "village_code": c.content.village_code,
                "event_uuid": c.content.event_uuid,
                "first_version_uuid": c.version_uuid,
                "current_version_uuid": c.version_uuid,
                "created_at": now,
                "updated_at": now,
            }
            for r, c in sorted(firsts.items())
        ]
        stmt = insert_ignore(session, Report, ["report_uuid"]).returning(Report.report_uuid)
        created: set[str] = set()
        for chunk in _chunks(rows, 500):
            created.update(conn.execute(stmt, chunk).scalars().all())
        conflicts.update(c.version_uuid for r, c in firsts.items() if r not in created)
    for c in new:
        if c.parent is None:
            continue
        moved = conn.execute(
            update(Report)
            .where(
                Report.report_uuid == c.content.report_uuid, Report.current_version_uuid == c.parent
            )
            .values(current_version_uuid=c.version_uuid, updated_at=now)
        ).rowcount
        if moved != 1:
            conflicts.add(c.version_uuid)
    return conflicts


def _version_row(
    c: Candidate,
    caller: Caller,
    received: datetime,
    device_time: datetime | None,
    skew: float | None,
    filed: FilingTime,
) -> dict[str, Any]:
    return {
        "version_uuid": c.version_uuid,
        "report_uuid": c.content.report_uuid,
        "parent_version_uuid": c.parent,
        "version_no": c.version_no,
        "village_code": c.content.village_code,
        "event_uuid": c.content.event_uuid,
        "stage": c.content.stage.value,
        "status": VersionStatus.ACCEPTED.value,
        "content_json": c.content_json,
        "content_hash": c.content_hash,
        "submitted_at": filed.submitted_at,
        "device_submitted_at": filed.device_submitted_at,
        "time_flag": filed.flag.value if filed.flag is not None else None,
        "device_time": device_time,
        "server_received_at": received,
        "clock_skew_seconds": skew,
        "user_id": caller.user_id,
        "device_pk": caller.device_pk,
        "post_role": caller.post_role_on(c.content.village_code),
    }


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def content_of(row: ReportVersion) -> dict[str, Any]:
    """Return the stored content of a version as JSON data."""
    data: dict[str, Any] = json.loads(row.content_json)
    return data
