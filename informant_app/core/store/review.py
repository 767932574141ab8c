"""Review bookkeeping in the local store: review status per version, decisions, the roster.

Small functions over one session each; the caller owns the transaction.  Nothing here talks
to the network.  ``version_reviews`` holds one row per version the server accepted (filled
by the pull), ``review_decisions`` every decision made here or pulled.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from informant_app.core.review.types import Decision, DecisionKind, DecisionSyncState
from informant_app.core.store.divisions import table_of
from informant_app.core.store.models import (
    DecisionRow,
    ReportVersionRow,
    RosterRow,
    ServerReportRow,
    ServerVersionRow,
    VersionReviewRow,
)
from informant_app.core.store.types import ReportState
from sync.contract import (
    ContractError,
    ReportContent,
    ValidationContext,
)

log = logging.getLogger(__name__)

#: Review status of a version the server accepted and nobody has decided on yet.
PENDING = "pending"
#: Decision states that still wait for the server.
UNSENT = ("queued", "sending")


def current_version(s: Session, report_uuid: str) -> str | None:
    """Return the report's current version on the server, as far as this device knows.

    The version the server named current in the change read last, once pulled; else (an
    older server) the accepted version that arrived last.
    """
    named = s.scalar(
        select(ServerVersionRow.version_uuid)
        .join(
            ServerReportRow, ServerReportRow.current_version_uuid == ServerVersionRow.version_uuid
        )
        .where(ServerReportRow.report_uuid == report_uuid, ServerVersionRow.status == "accepted")
    )
    if named is not None:
        return str(named)
    return s.scalar(
        select(ServerVersionRow.version_uuid)
        .where(ServerVersionRow.report_uuid == report_uuid, ServerVersionRow.status == "accepted")
        .order_by(ServerVersionRow.seq.desc())
        .limit(1)
    )


def version_content(s: Session, version_uuid: str) -> ReportContent | None:
    """Return a version's content as the server holds it (else as this device holds it)."""
    raw = s.scalar(
        select(ServerVersionRow.content).where(ServerVersionRow.version_uuid == version_uuid)
    )
    if raw is None:
        raw = s.scalar(
            select(ReportVersionRow.content).where(
                ReportVersionRow.version_uuid == version_uuid,
                ReportVersionRow.state != ReportState.DRAFT.value,
            )
        )
    if raw is None:
        return None
    try:
        return ReportContent.from_dict(json.loads(raw))
    except (ContractError, ValueError):
        log.warning("version %s does not fit this app's contract", version_uuid)
        return None


def previous_report(
    s: Session, event_uuid: str, village_code: str, report_uuid: str, before: datetime
) -> tuple[str, ReportContent] | None:
    """Return the current version of the event's and village's report received last before.

    Another report of the same event and village (a continuing report's predecessor): the
    one whose current version arrived last before ``before`` (server time).
    """
    rows = (
        s.execute(
            select(VersionReviewRow.version_uuid)
            .where(
                VersionReviewRow.event_uuid == event_uuid,
                VersionReviewRow.village_code == village_code,
                VersionReviewRow.report_uuid != report_uuid,
                VersionReviewRow.is_current.is_(True),
                VersionReviewRow.received_at < before,
            )
            .order_by(VersionReviewRow.received_at.desc())
            .limit(1)
        )
        .scalars()
        .all()
    )
    for version_uuid in rows:
        content = version_content(s, version_uuid)
        if content is not None:
            return version_uuid, content
    return None


def rule_context(s: Session, content: ReportContent, received_at: datetime) -> ValidationContext:
    """Return the rules' context for a version the township reviews."""
    prev = previous_report(
        s, content.event_uuid, content.village_code, content.report_uuid, received_at
    )
    return ValidationContext(
        previous_figures=dict(prev[1].figures) if prev is not None else None,
        now=content.submitted_at or received_at,
        divisions=table_of(s),
    )


def set_review_status(
    s: Session,
    version_uuid: str,
    status: str,
    decision_uuid: str | None,
    reason: str | None,
    now: datetime,
) -> None:
    """Record a version's review status after a decision the server applied."""
    s.execute(
        update(VersionReviewRow)
        .where(VersionReviewRow.version_uuid == version_uuid)
        .values(status=status, decision_uuid=decision_uuid, reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def decision_of(row: DecisionRow) -> Decision:
    """Return the plain value of a stored decision."""
    state = "queued" if row.sync_state == "sending" else row.sync_state
    return Decision(
        decision_uuid=row.decision_uuid,
        version_uuid=row.version_uuid,
        kind=DecisionKind(row.kind),
        reason=row.reason,
        field_comments=dict(json.loads(row.field_comments or "{}")),
        decided_by=row.decided_by_name or row.decided_by,
        decided_role=row.decided_role,
        decided_at=row.decided_at or row.updated_at,
        received_at=row.received_at,
        sync_state=DecisionSyncState(state),
        server_message=row.message_zh,
        report_uuid=row.report_uuid,
        decided_by_username=row.decided_by,
        server_code=row.server_code,
        server_message_en=row.message_en,
        made_here=row.origin == "local",
    )


def visible_decisions(report_uuid: str | None = None) -> Any:
    """Return the condition of decisions a person should see: applied, or made here."""
    seen = or_(DecisionRow.applied.is_(True), DecisionRow.origin == "local")
    if report_uuid is None:
        return seen
    return and_(DecisionRow.report_uuid == report_uuid, seen)


def display_names(s: Session, usernames: Iterable[str]) -> dict[str, str]:
    """Return the roster's display name of each user name it knows."""
    names = sorted(set(usernames) - {""})
    if not names:
        return {}
    rows = s.execute(
        select(RosterRow.username, RosterRow.display_name)
        .where(RosterRow.username.in_(names))
        .order_by(RosterRow.assignment_id)
    ).all()
    return {username: display for username, display in rows if display}


def post_roles(
    s: Session, filings: Iterable[tuple[str, str, datetime]]
) -> dict[tuple[str, str, datetime], str]:
    """Return the A/B role each ``(username, post_code, when)`` held, from the cached roster."""
    wanted = list(set(filings))
    users = sorted({u for u, _c, _w in wanted})
    if not users:
        return {}
    rows = s.scalars(select(RosterRow).where(RosterRow.username.in_(users))).all()
    out: dict[tuple[str, str, datetime], str] = {}
    for key in wanted:
        username, code, when = key
        held = [
            r
            for r in rows
            if r.username == username
            and r.post_code == code
            and r.valid_from <= when
            and (r.valid_to is None or r.valid_to > when)
        ]
        if not held:  # a roster newer than the filing: the role held now
            held = [
                r
                for r in rows
                if r.username == username and r.post_code == code and r.valid_to is None
            ]
        if held:
            out[key] = held[-1].post_role
    return out
