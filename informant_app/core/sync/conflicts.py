"""Conflicts: two versions of one report made from the same parent, and their resolution.

The server keeps both versions and flags the later one; the pull records the pair
(``sync_conflicts``).  Resolving picks, field by field, which side's value wins and submits
the result as a new version whose parent is the server's current version; it is queued and
pushed like any other version.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.duty import record_filing
from informant_app.core.store.models import (
    ConflictRow,
    EventRow,
    OutboxRow,
    PhotoRow,
    ReportVersionRow,
    ServerVersionRow,
    VersionPhotoRow,
    VersionSyncRow,
)
from informant_app.core.store.report_store import (
    ReportStore,
    log_state,
    read_previous_figures,
    signer,
    validation_context,
)
from informant_app.core.store.sync_state import now_utc, read_account
from informant_app.core.store.types import ReportState
from informant_app.core.sync.pull import server_current
from informant_app.core.sync.types import Conflict, ConflictSide
from sync.contract import (
    ContractError,
    Issue,
    ReportContent,
    blocking_issues,
    canonical_json,
    content_hash,
    parse_time,
    utc_now,
    validate,
)
from sync.contract.report import CONTENT_KEYS

#: Content keys that are not the informant's choice (identity, time of filing).
NOT_CHOSEN = frozenset({"report_uuid", "submitted_at", "figures"})
SETTLED = ("received", "conflict", "error")


class ResolutionRefusedError(Exception):
    """The chosen combination fails the rules (e.g. totals that no longer add up).

    Attributes:
        issues: the blocking issues.
        zh: the message in Chinese.
        en: the message in English.
    """

    def __init__(self, issues: list[Issue] | None = None, zh: str = "", en: str = "") -> None:
        self.issues = list(issues or [])
        self.zh = zh or "所选组合未通过审核规则：" + "；".join(i.zh for i in self.issues)
        self.en = en or "the chosen values fail the rules: " + "; ".join(i.en for i in self.issues)
        super().__init__(self.en)

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


def differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the content keys whose values differ; figures as ``figures.<name>``."""
    keys = [k for k in sorted(CONTENT_KEYS - NOT_CHOSEN) if a.get(k) != b.get(k)]
    fa, fb = a.get("figures") or {}, b.get("figures") or {}
    keys += [f"figures.{n}" for n in sorted(set(fa) | set(fb)) if fa.get(n) != fb.get(n)]
    return tuple(keys)


def _side(row: ServerVersionRow) -> ConflictSide:
    content = json.loads(row.content)
    submitted: datetime | None = None
    try:
        if content.get("submitted_at"):
            submitted = parse_time(content["submitted_at"], "submitted_at")
    except ContractError:
        submitted = None
    return ConflictSide(
        version_uuid=row.version_uuid,
        version_no=row.version_no,
        filed_by=row.submitted_by,
        submitted_at=submitted,
        content=content,
    )


def _server_version(s: Session, version_uuid: str) -> ServerVersionRow | None:
    return s.scalars(
        select(ServerVersionRow).where(ServerVersionRow.version_uuid == version_uuid)
    ).first()


def open_conflicts(store: ReportStore) -> list[Conflict]:
    """Return the conflicts waiting to be resolved on this device, oldest first."""
    with Session(store.engine) as s:
        account = read_account(s)
        me = account.username if account is not None else None
        rows = s.scalars(
            select(ConflictRow)
            .where(ConflictRow.resolved_at.is_(None))
            .order_by(ConflictRow.detected_at, ConflictRow.conflict_version_uuid)
        )
        out = []
        for row in rows:
            main = _server_version(s, row.main_version_uuid)
            other = _server_version(s, row.conflict_version_uuid)
            if main is None or other is None:
                continue
            ours, theirs = (other, main) if other.submitted_by == me else (main, other)
            a, b = _side(ours), _side(theirs)
            out.append(
                Conflict(
                    report_uuid=row.report_uuid,
                    ours=a,
                    theirs=b,
                    differing_fields=differing_fields(a.content, b.content),
                )
            )
        return out


def _content_of(s: Session, version_uuid: str) -> dict[str, Any]:
    row = _server_version(s, version_uuid)
    if row is not None:
        data: dict[str, Any] = json.loads(row.content)
        return data
    local = s.get(ReportVersionRow, version_uuid)
    if local is None or local.state == "draft":
        raise KeyError(version_uuid)
    data = json.loads(local.content)
    return data


def merge(
    base: Mapping[str, Any], choices: Mapping[str, str], sources: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """Return ``base`` with each chosen field taken from the chosen version's content."""
    merged = json.loads(json.dumps(base))
    figures = dict(merged.get("figures") or {})
    for field, version_uuid in choices.items():
        source = sources[version_uuid]
        if field.startswith("figures."):
            name = field.removeprefix("figures.")
            value = (source.get("figures") or {}).get(name)
            if value is None:
                figures.pop(name, None)
            else:
                figures[name] = value
        elif field in CONTENT_KEYS and field not in NOT_CHOSEN:
            merged[field] = source.get(field)
        else:
            raise ValueError(f"not a field one can choose: {field}")
    merged["figures"] = figures
    return dict(merged)


def _checked(
    s: Session, data: dict[str, Any], notes_pool: list[Mapping[str, Any]], now: datetime
) -> ReportContent:
    """Return the merged content, adding either side's note for a warning that needs one."""
    content = ReportContent.from_dict(data)
    previous = read_previous_figures(
        s, content.event_uuid, content.village_code, content.report_uuid
    )
    context = validation_context(s, content, now, previous)
    blocking = blocking_issues(validate(content, context), content.notes)
    if blocking:
        notes = dict(content.notes)
        for pool in notes_pool:
            for key, text in (pool.get("notes") or {}).items():
                notes.setdefault(key, text)
        data = {**data, "notes": notes}
        content = ReportContent.from_dict(data)
        blocking = blocking_issues(validate(content, context), content.notes)
    if blocking:
        raise ResolutionRefusedError(blocking)
    return content


def resolve(store: ReportStore, report_uuid: str, choices: Mapping[str, str]) -> str:
    """Resolve the report's open conflicts with ``choices``; return the new version's id.

    Fields not in ``choices`` keep the server's current value.

    Raises:
        KeyError: the report has no open conflict here.
        ValueError: a choice names an unknown field or version, or the report has a draft
            or an unsent version on this device.
        ResolutionRefusedError: the combination fails the rules.
    """
    with store.write_session() as s, s.begin():
        conflicts = s.scalars(
            select(ConflictRow).where(
                ConflictRow.report_uuid == report_uuid, ConflictRow.resolved_at.is_(None)
            )
        ).all()
        if not conflicts:
            raise KeyError(report_uuid)
        current = server_current(s, report_uuid)
        if current is None:
            raise KeyError(report_uuid)
        involved = {
            current.version_uuid,
            *(c.main_version_uuid for c in conflicts),
            *(c.conflict_version_uuid for c in conflicts),
        }
        unknown = set(choices.values()) - involved
        if unknown:
            raise ValueError(f"not a version of this conflict: {sorted(unknown)}")
        sources = {v: _content_of(s, v) for v in involved}
        latest = s.scalars(
            select(ReportVersionRow).where(
                ReportVersionRow.report_uuid == report_uuid, ReportVersionRow.is_latest.is_(True)
            )
        ).first()
        if latest is not None and latest.state not in SETTLED:
            raise ValueError(
                "这份报告在本机还有未发送的版本或草稿，请先处理 / the report has a "
                "draft or an unsent version on this device; finish it first"
            )
        now = now_utc()
        submitted = utc_now()
        data = merge(sources[current.version_uuid], choices, sources)
        data["submitted_at"] = submitted.isoformat().replace("+00:00", "Z")
        try:
            content = _checked(s, data, list(sources.values()), submitted)
        except ContractError as exc:
            raise ResolutionRefusedError(zh=exc.zh, en=exc.en) from exc
        version_uuid = str(uuid.uuid4())
        top = max(
            s.scalar(
                select(func.max(ReportVersionRow.version_no)).where(
                    ReportVersionRow.report_uuid == report_uuid
                )
            )
            or 0,
            s.scalar(
                select(func.max(ServerVersionRow.version_no)).where(
                    ServerVersionRow.report_uuid == report_uuid
                )
            )
            or 0,
        )
        _insert_version(s, version_uuid, latest, current.version_uuid, top + 1, content, now)
        for c in conflicts:
            c.resolved_at = now
            c.resolved_by_version_uuid = version_uuid
        return version_uuid


def _insert_version(
    s: Session,
    version_uuid: str,
    latest: ReportVersionRow | None,
    server_parent: str,
    version_no: int,
    content: ReportContent,
    now: datetime,
) -> None:
    """Insert a frozen, queued version (one transaction with its outbox entry)."""
    if latest is not None:
        s.execute(
            update(ReportVersionRow)
            .where(ReportVersionRow.version_uuid == latest.version_uuid)
            .values(is_latest=False)
            .execution_options(synchronize_session=False)
        )
    s.add(
        ReportVersionRow(
            version_uuid=version_uuid,
            report_uuid=content.report_uuid,
            parent_version_uuid=latest.version_uuid if latest is not None else None,
            version_no=version_no,
            is_latest=True,
            event_uuid=content.event_uuid,
            village_code=content.village_code,
            stage=content.stage.value,
            content=canonical_json(content).decode("utf-8"),
            content_hash=content_hash(content),
            state="queued",
            error_message=None,
            created_at=now,
            updated_at=now,
            submitted_at=content.submitted_at,
        )
    )
    s.flush()
    s.execute(
        sqlite_insert(EventRow)
        .values(
            event_uuid=content.event_uuid,
            name=content.event_name,
            disaster_type=content.disaster_type,
            disaster_subtype=content.disaster_subtype,
            occurred_at=content.occurred_at,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["event_uuid"])
    )
    known = set(
        s.scalars(
            select(PhotoRow.sha256).where(PhotoRow.sha256.in_([p.sha256 for p in content.photos]))
        )
    )
    for position, photo in enumerate(content.photos):
        if photo.sha256 in known:
            s.add(
                VersionPhotoRow(version_uuid=version_uuid, sha256=photo.sha256, position=position)
            )
    s.add(OutboxRow(version_uuid=version_uuid, created_at=now, attempts=0))
    s.add(
        VersionSyncRow(
            version_uuid=version_uuid,
            origin="local",
            server_parent_uuid=server_parent,
            updated_at=now,
        )
    )
    record_filing(s, version_uuid, content.village_code, content.submitted_at or now)
    log_state(s, version_uuid, ReportState.QUEUED, None, now, signer(s))
