"""The reviewer's queue and detail view in the local store (works offline).

The queue lists each report's current server version of the reviewer's villages
(``version_reviews`` with ``is_current``), filtered in SQL; overdue versions first (pending
longer than the review deadline, on the server's clock as this device estimates it), then the
other pending ones, oldest waiting first, then the decided ones, newest first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.review.types import (
    DecisionKind,
    ReviewDetail,
    ReviewFilter,
    ReviewItem,
    ReviewStatus,
)
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.models import (
    DecisionRow,
    ReviewSettingRow,
    ServerVersionRow,
    VersionReviewRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.review import (
    UNSENT,
    decision_of,
    display_names,
    post_roles,
    rule_context,
    version_content,
    visible_decisions,
)
from informant_app.core.store.sync_state import read_state
from sync.contract import (
    INDICATORS,
    ContractError,
    ReportContent,
    ReportStage,
    parse_time,
    validate,
)

#: Township → county within 1 hour (docs/domain.md §2): the default review deadline.
DEFAULT_DEADLINE = timedelta(hours=1)
DEADLINE_KEY = "review_deadline_minutes"
#: Content keys the detail view compares besides the figures, in display order.
HEADER_KEYS: tuple[str, ...] = (
    "event_name",
    "stage",
    "disaster_type",
    "disaster_subtype",
    "village_code",
    "occurred_at",
    "data_cutoff_at",
    "latitude",
    "longitude",
    "narrative",
    "notes",
    "photos",
    "ledger",
    "households",
    "emergency_response",
    "event_stable",
)


def review_deadline(store: ReportStore) -> timedelta:
    """Return how long a version may wait before it counts as overdue."""
    with Session(store.engine) as s:
        row = s.get(ReviewSettingRow, DEADLINE_KEY)
    if row is None:
        return DEFAULT_DEADLINE
    return timedelta(minutes=float(row.value))


def set_review_deadline(store: ReportStore, deadline: timedelta) -> None:
    """Set the review deadline of this device (``ValueError`` unless positive)."""
    if deadline <= timedelta(0):
        raise ValueError("the review deadline must be positive")
    value = str(deadline.total_seconds() / 60)
    with store.write_session() as s, s.begin():
        s.execute(
            sqlite_insert(ReviewSettingRow)
            .values(key=DEADLINE_KEY, value=value)
            .on_conflict_do_update(index_elements=["key"], set_={"value": value})
        )


def overdue_cutoff(store: ReportStore, now: datetime | None = None) -> datetime:
    """Return the server time before which a pending version is overdue (``now``: the clock's)."""
    with Session(store.engine) as s:
        state = read_state(s)
        skew = state.clock_skew_seconds if state is not None else None
    server_now = (now or store.now()) - timedelta(seconds=skew or 0.0)
    return server_now - review_deadline(store)


def _conditions(filt: ReviewFilter) -> list[Any]:
    conditions: list[Any] = [VersionReviewRow.is_current.is_(True)]
    if filt.event_uuid is not None:
        conditions.append(VersionReviewRow.event_uuid == filt.event_uuid)
    if filt.stage is not None:
        conditions.append(VersionReviewRow.stage == ReportStage(filt.stage).value)
    if filt.village_code is not None:
        conditions.append(VersionReviewRow.village_code == filt.village_code)
    if filt.status is not None:
        conditions.append(VersionReviewRow.status == ReviewStatus(filt.status).value)
    return conditions


def _select(cutoff: datetime) -> Select[Any]:
    pending = VersionReviewRow.status == ReviewStatus.PENDING.value
    overdue = and_(pending, VersionReviewRow.received_at < cutoff)
    queued = (
        select(DecisionRow.kind)
        .where(
            DecisionRow.version_uuid == VersionReviewRow.version_uuid,
            DecisionRow.sync_state.in_(UNSENT),
        )
        .order_by(DecisionRow.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    returned = (
        select(DecisionRow.reason)
        .where(
            DecisionRow.version_uuid == VersionReviewRow.version_uuid,
            DecisionRow.kind == DecisionKind.RETURN.value,
            visible_decisions(),
        )
        .order_by(DecisionRow.seq.desc())
        .limit(1)
        .scalar_subquery()
    )
    return select(
        VersionReviewRow,
        ServerVersionRow.content,
        overdue.label("overdue"),
        queued.label("queued"),
        ServerVersionRow.submitted_by_name,
        ServerVersionRow.post_role,
        returned.label("return_reason"),
    ).outerjoin(ServerVersionRow, ServerVersionRow.version_uuid == VersionReviewRow.version_uuid)


def _order(cutoff: datetime) -> tuple[Any, ...]:
    pending = VersionReviewRow.status == ReviewStatus.PENDING.value
    group = case((and_(pending, VersionReviewRow.received_at < cutoff), 0), (pending, 1), else_=2)
    return (
        group,
        case((pending, VersionReviewRow.received_at), else_=None).asc(),
        VersionReviewRow.received_at.desc(),
        VersionReviewRow.version_uuid,
    )


def _figure(figures: dict[str, Any], name: str) -> Decimal | None:
    value = figures.get(name)
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _items(s: Session, rows: Sequence[Any]) -> list[ReviewItem]:
    # The server's name and A/B role of the filer; the cached roster only for older servers.
    names = display_names(s, (r[0].filed_by for r in rows if not r[4]))
    roles = post_roles(
        s, ((r[0].filed_by, r[0].village_code, r[0].received_at) for r in rows if not r[5])
    )
    items = []
    for row, content, overdue, queued, filed_name, filed_role, reason in rows:
        parsed = json.loads(content) if content else {}
        figures = parsed.get("figures") or {}
        items.append(
            ReviewItem(
                report_uuid=row.report_uuid,
                version_uuid=row.version_uuid,
                version_no=row.version_no,
                village_code=row.village_code,
                event_uuid=row.event_uuid,
                event_name=row.event_name,
                stage=ReportStage(row.stage),
                status=ReviewStatus(row.status),
                decision_queued=queued is not None,
                filed_by=filed_name or names.get(row.filed_by, row.filed_by),
                filed_role=filed_role
                or roles.get((row.filed_by, row.village_code, row.received_at)),
                submitted_at=row.submitted_at,
                received_at=row.received_at,
                overdue=bool(overdue),
                warnings=row.warnings,
                affected_pop=_figure(figures, "affected_pop"),
                direct_loss=_figure(figures, "direct_loss"),
                queued_kind=DecisionKind(queued) if queued is not None else None,
                filed_by_username=row.filed_by,
                is_current=row.is_current,
                filing_role=parse_filing_role(row.filing_role),
                acting_for_name=row.acting_for_name,
                return_reason=reason or "",
                time_flag=row.time_flag,
                claimed_at=_claimed_at(parsed) if row.time_flag else None,
            )
        )
    return items


def _claimed_at(content: dict[str, Any]) -> datetime | None:
    """Return the filing time the device claimed, from its content (``None``: none readable)."""
    try:
        return parse_time(content.get("submitted_at"), "submitted_at")
    except ContractError:
        return None


def queue_page(store: ReportStore, filt: ReviewFilter, offset: int, limit: int) -> list[ReviewItem]:
    """Return a page of the queue in review order."""
    cutoff = overdue_cutoff(store)
    query = (
        _select(cutoff)
        .where(*_conditions(filt))
        .order_by(*_order(cutoff))
        .offset(max(offset, 0))
        .limit(max(limit, 0))
    )
    with Session(store.engine) as s:
        return _items(s, s.execute(query).all())


def queue_count(store: ReportStore, filt: ReviewFilter) -> int:
    """Return how many reports the queue shows under ``filt``."""
    query = select(func.count()).select_from(VersionReviewRow).where(*_conditions(filt))
    with Session(store.engine) as s:
        return int(s.scalar(query) or 0)


def changed_fields(content: ReportContent, previous: ReportContent | None) -> tuple[str, ...]:
    """Return the header keys and indicator names whose values differ from ``previous``."""
    if previous is None:
        return ()
    now, before = content.to_dict(), previous.to_dict()
    header = [k for k in HEADER_KEYS if now.get(k) != before.get(k)]
    figures = [
        i.field for i in INDICATORS if content.figures.get(i.field) != previous.figures.get(i.field)
    ]
    return (*header, *figures)


_STAGE_RANK = {ReportStage.INITIAL.value: 0, ReportStage.CONTINUING.value: 1}


def earlier_report(
    s: Session, content: ReportContent, received: datetime
) -> tuple[str, ReportContent] | None:
    """Return the report a new report of the event and village is compared with.

    The latest approved one received before it, else the latest received before it, else
    (clocks or an order of arrival that says otherwise) the latest approved one of an earlier
    stage: a continuing report is always compared with the initial report the township
    approved.
    """
    same = (
        VersionReviewRow.event_uuid == content.event_uuid,
        VersionReviewRow.village_code == content.village_code,
        VersionReviewRow.report_uuid != content.report_uuid,
        VersionReviewRow.is_current.is_(True),
    )
    approved = VersionReviewRow.status == ReviewStatus.APPROVED.value
    rank = _STAGE_RANK.get(content.stage.value, 2)
    earlier_stages = [stage for stage, r in _STAGE_RANK.items() if r < rank]
    queries = [
        select(VersionReviewRow.version_uuid)
        .where(*same, approved, VersionReviewRow.received_at < received)
        .order_by(VersionReviewRow.received_at.desc()),
        select(VersionReviewRow.version_uuid)
        .where(*same, VersionReviewRow.received_at < received)
        .order_by(VersionReviewRow.received_at.desc()),
        select(VersionReviewRow.version_uuid)
        .where(*same, approved, VersionReviewRow.stage.in_(earlier_stages))
        .order_by(VersionReviewRow.received_at.desc()),
    ]
    for query in queries:
        for found in s.scalars(query.limit(1)):
            earlier = version_content(s, found)
            if earlier is not None:
                return found, earlier
    return None


def detail(store: ReportStore, version_uuid: str) -> ReviewDetail:
    """Return the detail view of a version (``KeyError`` if unknown)."""
    cutoff = overdue_cutoff(store)
    with Session(store.engine) as s:
        rows = s.execute(_select(cutoff).where(VersionReviewRow.version_uuid == version_uuid)).all()
        content = version_content(s, version_uuid)
        if not rows or content is None:
            raise KeyError(version_uuid)
        [item] = _items(s, rows)
        received = rows[0][0].received_at
        parent = s.scalar(
            select(ServerVersionRow.parent_version_uuid).where(
                ServerVersionRow.version_uuid == version_uuid
            )
        )
        previous = version_content(s, parent) if parent else None
        previous_uuid = parent if previous is not None else None
        if previous is None:
            found = earlier_report(s, content, received)
            if found is not None:
                previous_uuid, previous = found
        issues = validate(content, rule_context(s, content, received))
        decisions = [
            decision_of(d)
            for d in s.scalars(
                select(DecisionRow)
                .where(DecisionRow.version_uuid == version_uuid, visible_decisions())
                .order_by(DecisionRow.seq)
            )
        ]
    notes = {i.key: content.notes[i.key] for i in issues if i.key in content.notes}
    return ReviewDetail(
        item=item,
        content=content,
        issues=issues,
        previous=previous,
        changed_fields=changed_fields(content, previous),
        notes=notes,
        previous_version_uuid=previous_uuid,
        decisions=decisions,
    )
