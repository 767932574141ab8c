"""Rules on pushed figures that need what the server holds: rule 9 against approved figures.

Rule 9 (docs/domain.md §4): in a continuing or verified report, a cumulative figure lower than
the village's previous approved figures of the same event needs a reason.  The app warns
against the last report it sent; the server holds the approved record, so it refuses a new
version whose cumulative figure fell below the village's **latest approved version of any
stage** with a data cut-off at or before the new version's (the same choice as
``sync.server.services.aggregation.latest_approved``), unless the content carries a note for
the warning's key (``"R9:affected_pop"``), as the contract's ``blocking_issues`` reads notes.

The 实时 ≤ 累计 rule (``relocated_current ≤ relocated``, ``urgent_aid_current ≤ urgent_aid``)
needs nothing from the server: it is a contract error (``sync.contract.rules``, rule R3) and
ingest's ``validate`` refuses it.

Set-based: one query finds which versions are already stored (a repeat is answered
``duplicate`` by ingest, never refused here), one reads the approved candidates of every
(village, event) of the batch without their content, and one reads the content of the
versions chosen as baselines; each chosen JSON is parsed once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import Issue, ReportContent, ReportStage, ValidationContext
from sync.contract.report import Figures, format_time, parse_figures
from sync.contract.rules import CumulativeNotLower
from sync.server.models import ReportVersion, ReviewStatus
from sync.server.services.aggregation import cutoff_text

CHUNK = 500
CUMULATIVE_FELL = "cumulative_fell"


class Refusal(NamedTuple):
    """Why a pushed version is refused: code, Chinese and English message, and the issues."""

    code: str
    zh: str
    en: str
    issues: list[Issue]


class _Candidate(NamedTuple):
    version_uuid: str
    report_uuid: str
    village_code: str
    event_uuid: str
    version_no: int
    server_received_at: datetime
    cutoff: str


def figure_refusals(
    session: Session, items: Sequence[tuple[str, ReportContent]]
) -> dict[str, Refusal]:
    """Return the refusals of pushed versions by ``version_uuid`` (rule 9 on approved figures).

    Args:
        session: the ingest transaction's session.
        items: ``(version_uuid, content)`` of each version about to be stored.
    """
    checked = [(u, c) for u, c in items if c.stage is not ReportStage.INITIAL]
    if not checked:
        return {}
    stored = _stored(session, [u for u, _ in checked])
    checked = [(u, c) for u, c in checked if u not in stored]
    if not checked:
        return {}
    by_pair: dict[tuple[str, str], list[_Candidate]] = {}
    villages, events = {c.village_code for _, c in checked}, {c.event_uuid for _, c in checked}
    for candidate in _approved(session, villages, events):
        by_pair.setdefault((candidate.village_code, candidate.event_uuid), []).append(candidate)
    chosen = {
        uuid: _latest(
            by_pair.get((c.village_code, c.event_uuid), []), format_time(c.data_cutoff_at)
        )
        for uuid, c in checked
    }
    figures = _figures(session, {v for v in chosen.values() if v is not None})
    out: dict[str, Refusal] = {}
    rule = CumulativeNotLower()
    for uuid, content in checked:
        baseline = chosen[uuid]
        if baseline is None:
            continue
        ctx = ValidationContext(previous_figures=figures[baseline])
        unexplained = [i for i in rule(content, ctx) if not content.notes.get(i.key, "").strip()]
        if unexplained:
            out[uuid] = Refusal(
                CUMULATIVE_FELL,
                f"累计数低于此前已审核的报告（{len(unexplained)} 项），请在说明中写明原因后再报送",
                f"{len(unexplained)} cumulative figures are below the village's approved "
                "report of this event; give the reason in a note and send again",
                unexplained,
            )
    return out


def _stored(session: Session, uuids: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(uuids), CHUNK):
        found.update(
            session.scalars(
                select(ReportVersion.version_uuid).where(
                    ReportVersion.version_uuid.in_(uuids[i : i + CHUNK])
                )
            ).all()
        )
    return found


def _approved(session: Session, villages: set[str], events: set[str]) -> list[_Candidate]:
    """Return the approved versions of the villages and events (no content)."""
    out: list[_Candidate] = []
    codes = sorted(villages)
    for i in range(0, len(codes), CHUNK):
        rows = session.execute(
            select(
                ReportVersion.version_uuid,
                ReportVersion.report_uuid,
                ReportVersion.village_code,
                ReportVersion.event_uuid,
                ReportVersion.version_no,
                ReportVersion.server_received_at,
                cutoff_text(ReportVersion.content_json),
            ).where(
                ReportVersion.village_code.in_(codes[i : i + CHUNK]),
                ReportVersion.event_uuid.in_(sorted(events)),
                ReportVersion.review_status == ReviewStatus.APPROVED.value,
            )
        ).all()
        out.extend(_Candidate(*row) for row in rows)
    return out


def _latest(candidates: list[_Candidate], cutoff: str) -> str | None:
    """Return one village's latest approved version up to ``cutoff`` (``latest_approved``)."""
    per_report: dict[str, _Candidate] = {}
    for c in candidates:
        if c.cutoff > cutoff:
            continue
        best = per_report.get(c.report_uuid)
        key = (c.version_no, c.server_received_at, c.version_uuid)
        if best is None or (best.version_no, best.server_received_at, best.version_uuid) < key:
            per_report[c.report_uuid] = c
    if not per_report:
        return None
    latest = max(
        per_report.values(), key=lambda c: (c.cutoff, c.server_received_at, c.version_uuid)
    )
    return latest.version_uuid


def _figures(session: Session, uuids: set[str]) -> dict[str, Figures]:
    out: dict[str, Figures] = {}
    wanted = sorted(uuids)
    for i in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(ReportVersion.version_uuid, ReportVersion.content_json).where(
                ReportVersion.version_uuid.in_(wanted[i : i + CHUNK])
            )
        ).all()
        for uuid, content in rows:
            out[uuid] = parse_figures(json.loads(content).get("figures"))
    return out
