"""Conflicts in the local store: the open pairs, and a resolution queued as a new version.

The pull records each pair the server flagged (``sync_conflicts``).  ``resolve_conflict``
writes the resolution: the caller combines the versions' contents (``sync.conflicts.merge``),
the rules check the result (a warning may borrow either side's note), and the merged version
is inserted frozen, its parent the server's current version, and queued by
``outbox.queue_versions``, in one transaction with the conflicts marked resolved.

**A resolution names both sides.**  Its parent is the main side (the server's current version:
the server accepts it only on that parent, else it is a conflict itself), and its version id
names the conflicting side(s): ``<32 random hex>-rs-<digest>``, the digest the first 26 hex
of SHA-256 over ``"conflict-resolution-v1"``, the parent and the sorted conflict version ids
(``resolution_id``).  The id travels through the server and its feed unchanged, so every
device can tell a resolution from an ordinary revision (``resolved_by``): only a resolution
closes a conflict; an ordinary revision filed while one is open leaves it open on every
device, and the main side the dialog shows moves on with the main line.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from informant_app.core.store.models import (
    ConflictRow,
    PhotoRow,
    ReportVersionRow,
    ServerReportRow,
    ServerVersionRow,
    VersionPhotoRow,
    VersionSyncRow,
)
from informant_app.core.store.outbox import QueuedVersion, frozen_columns, queue_versions
from informant_app.core.store.report_store import (
    ReportStore,
    read_previous_figures,
    validation_context,
)
from informant_app.core.store.sync_state import read_account
from informant_app.core.sync.types import ConflictSide
from sync.contract import (
    ContractError,
    Issue,
    ReportContent,
    blocking_issues,
    parse_time,
    validate,
)

#: Local states after which a report has nothing unsent here.
SETTLED = ("received", "conflict", "error")

#: Combines the involved versions' contents (by version id) into the resolution's content,
#: given the id of the server's current version.
Combine = Callable[[Mapping[str, Mapping[str, Any]], str], dict[str, Any]]


class BlockedResolutionError(Exception):
    """The combined content fails the rules; ``issues`` are the blocking ones."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.en for i in issues))
        self.issues = issues


#: What marks a version id as a conflict resolution (``resolution_id``).
RESOLUTION_MARK = "-rs-"
#: Hex digits of the sides' digest in a resolution's id (32 + 4 + 26 = 62 ≤ 64 characters).
DIGEST_HEX = 26


def sides_digest(main: str, conflicts: Iterable[str]) -> str:
    """Return the digest that names a resolution's sides: its main parent and conflicts."""
    text = "\n".join(["conflict-resolution-v1", main, *sorted(set(conflicts))])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_HEX]


def resolution_id(main: str, conflicts: Iterable[str]) -> str:
    """Return a new version id for the resolution of ``conflicts`` made on ``main``."""
    return f"{uuid.uuid4().hex}{RESOLUTION_MARK}{sides_digest(main, conflicts)}"


def resolved_by(version_uuid: str, parent: str | None, open_ids: Collection[str]) -> set[str]:
    """Return which of the open conflict versions ``open_ids`` the version resolves.

    A version resolves conflicts only when its id names them with its parent
    (``resolution_id``): all of ``open_ids`` together, or one of them alone (a device that
    knew fewer conflicts when it resolved).  An ordinary revision resolves nothing.
    """
    _head, mark, digest = version_uuid.rpartition(RESOLUTION_MARK)
    if not mark or parent is None or not open_ids:
        return set()
    if digest == sides_digest(parent, open_ids):
        return set(open_ids)
    return {c for c in open_ids if digest == sides_digest(parent, [c])}


def server_current(s: Session, report_uuid: str) -> ServerVersionRow | None:
    """Return the report's current version on the server as far as this device knows.

    That is the version the server named current in the change read last
    (``current_version_uuid``), once pulled.  Otherwise (an older server, or the named
    version is still to come) the accepted version that arrived last: feed order, which on
    PostgreSQL can differ from the order the pointer moved in.
    """
    named = s.scalar(
        select(ServerReportRow.current_version_uuid).where(
            ServerReportRow.report_uuid == report_uuid
        )
    )
    if named is not None:
        row = s.scalars(
            select(ServerVersionRow).where(
                ServerVersionRow.version_uuid == named, ServerVersionRow.status == "accepted"
            )
        ).first()
        if row is not None:
            return row
    return s.scalars(
        select(ServerVersionRow)
        .where(ServerVersionRow.report_uuid == report_uuid, ServerVersionRow.status == "accepted")
        .order_by(ServerVersionRow.seq.desc())
        .limit(1)
    ).first()


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


def open_conflict_sides(store: ReportStore) -> list[tuple[str, ConflictSide, ConflictSide]]:
    """Return ``(report_uuid, ours, theirs)`` of each open conflict here, oldest first.

    "Ours" is the version the signed-in account filed (else the server's main version).
    """
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
            # The main side is the main line now (it moved on if someone filed an ordinary
            # revision meanwhile): the resolution is made on it.
            main = server_current(s, row.report_uuid) or _server_version(s, row.main_version_uuid)
            other = _server_version(s, row.conflict_version_uuid)
            if main is None or other is None:
                continue
            ours, theirs = (other, main) if other.submitted_by == me else (main, other)
            out.append((row.report_uuid, _side(ours), _side(theirs)))
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
        raise BlockedResolutionError(blocking)
    return content


def resolve_conflict(
    store: ReportStore, report_uuid: str, chosen: Collection[str], combine: Combine
) -> str:
    """Queue the resolution of the report's open conflicts; return the new version's id.

    ``chosen`` are the versions the choices name; ``combine`` makes the content.

    Raises:
        KeyError: the report has no open conflict here.
        ValueError: a chosen version is not one of the conflict's, or the report has a draft
            or an unsent version on this device.
        ContractError: the combined content does not fit the contract.
        BlockedResolutionError: the combined content fails the rules.
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
        unknown = set(chosen) - involved
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
        now = store.now()
        submitted = store.now_to_the_second()
        data = combine(sources, current.version_uuid)
        data["submitted_at"] = submitted.isoformat().replace("+00:00", "Z")
        content = _checked(s, data, list(sources.values()), submitted)
        version_uuid = resolution_id(
            current.version_uuid, [c.conflict_version_uuid for c in conflicts]
        )
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
    """Insert the resolution frozen, with its photos and server parent, and queue it."""
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
            error_message=None,
            created_at=now,
            updated_at=now,
            **frozen_columns(content),
        )
    )
    s.flush()
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
    s.add(
        VersionSyncRow(
            version_uuid=version_uuid,
            origin="local",
            server_parent_uuid=server_parent,
            updated_at=now,
        )
    )
    s.flush()
    queue_versions(s, [QueuedVersion(version_uuid, content, now)])
