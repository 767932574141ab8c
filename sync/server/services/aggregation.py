"""Adding up that never undercounts: each village's latest approved figures of an event.

For a unit (township, county or city) and an event at a data cut-off, every village inside the
unit counts with its **latest approved version of any stage** whose ``data_cutoff_at`` is at or
before the cut-off (docs/domain.md §9).  All versions of all the village's reports of the event
are candidates, not only each report's current version: a correction that is pending or was
returned changes nothing, and only its approval replaces the figures it corrects.

"Latest" is chosen in two steps, in one SQL statement with two window functions:

1. per report, its newest approved version (``version_no``, then receipt): an approved
   correction supersedes the version it corrects even when it moves the cut-off;
2. per village, the report version with the latest data cut-off (then receipt, then id):
   a continuing report of day 3 supersedes day 2 and the initial report.

The stored content is canonical JSON whose times are UTC text ending in ``Z``, so the cut-off
compares as text inside SQL (``json_extract`` on SQLite, ``->>`` on PostgreSQL).  Only the
chosen versions come back, and the JSON of each is parsed once.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sync.contract import INDICATORS, parse_time
from sync.contract.report import Figures, figure_to_json, format_time, parse_figures
from sync.contract.rules import sum_figures
from sync.server.jurisdiction import within_sql
from sync.server.models import DivisionRow, ReportVersion, ReviewStatus, User


class cutoff_text(FunctionElement[str]):  # noqa: N801 - an SQL function, named like one
    """SQL: the ``data_cutoff_at`` of a version's canonical content JSON, as UTC text."""

    type = String()
    name = "cutoff_text"
    inherit_cache = True


@compiles(cutoff_text)
def _cutoff_sqlite(element: cutoff_text, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"json_extract({column}, '$.data_cutoff_at')"


@compiles(cutoff_text, "postgresql")
def _cutoff_postgresql(element: cutoff_text, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"(CAST({column} AS JSON) ->> 'data_cutoff_at')"


def figures_json(figures: Mapping[str, Decimal]) -> dict[str, int | float | str]:
    """Return figures as JSON values in the national indicator order."""
    return {
        i.field: figure_to_json(i.field, figures[i.field]) for i in INDICATORS if i.field in figures
    }


@dataclass(frozen=True)
class VillageRow:
    """The approved village version that counts for a unit above it.

    Attributes:
        stage: the stage of the chosen version (any stage counts).
        event_uuid: the event of the chosen version.
    """

    village_code: str
    village_name: str
    report_uuid: str
    version_uuid: str
    version_no: int
    submitted_by: str
    post_role: str | None
    data_cutoff_at: datetime
    server_received_at: datetime
    figures: Figures
    stage: str = ""
    event_uuid: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form (the route's village row)."""
        return {
            "village_code": self.village_code,
            "village_name": self.village_name,
            "report_uuid": self.report_uuid,
            "version_uuid": self.version_uuid,
            "version_no": self.version_no,
            "submitted_by": self.submitted_by,
            "post_role": self.post_role,
            "data_cutoff_at": self.data_cutoff_at,
            "server_received_at": self.server_received_at,
            "figures": figures_json(self.figures),
        }


def latest_approved(
    session: Session,
    under_code: str,
    event_uuid: str | Collection[str],
    cutoff: datetime | None = None,
) -> list[VillageRow]:
    """Return, per village inside ``under_code``, its latest approved version of the event.

    Args:
        session: an open session.
        under_code: a township, county or city code (a village code gives that village).
        event_uuid: the event, or several (e.g. events merged into one).
        cutoff: only versions whose ``data_cutoff_at`` is at or before it; ``None``: all.

    Returns:
        One row per village that has an approved version, ordered by village code.
    """
    events = [event_uuid] if isinstance(event_uuid, str) else sorted(event_uuid)
    cut = cutoff_text(ReportVersion.content_json)
    conditions = [
        within_sql(ReportVersion.village_code, under_code),
        ReportVersion.event_uuid.in_(events),
        ReportVersion.review_status == ReviewStatus.APPROVED.value,
    ]
    if cutoff is not None:
        conditions.append(cut <= format_time(cutoff))
    per_report = (
        select(
            ReportVersion.version_uuid,
            ReportVersion.village_code,
            ReportVersion.server_received_at,
            cut.label("cutoff"),
            func.row_number()
            .over(
                partition_by=ReportVersion.report_uuid,
                order_by=(
                    ReportVersion.version_no.desc(),
                    ReportVersion.server_received_at.desc(),
                    ReportVersion.version_uuid.desc(),
                ),
            )
            .label("rank_in_report"),
        )
        .where(*conditions)
        .subquery("per_report")
    )
    per_village = (
        select(
            per_report.c.version_uuid,
            func.row_number()
            .over(
                partition_by=per_report.c.village_code,
                order_by=(
                    per_report.c.cutoff.desc(),
                    per_report.c.server_received_at.desc(),
                    per_report.c.version_uuid.desc(),
                ),
            )
            .label("rank_in_village"),
        )
        .where(per_report.c.rank_in_report == 1)
        .subquery("per_village")
    )
    rows = session.execute(
        select(ReportVersion, User.username, DivisionRow.short_name)
        .join(per_village, per_village.c.version_uuid == ReportVersion.version_uuid)
        .join(User, User.id == ReportVersion.user_id)
        .join(DivisionRow, DivisionRow.code == ReportVersion.village_code, isouter=True)
        .where(per_village.c.rank_in_village == 1)
        .order_by(ReportVersion.village_code)
    ).all()
    return [_row(v, username, name) for v, username, name in rows]


def _row(v: ReportVersion, username: str, name: str | None) -> VillageRow:
    content = json.loads(v.content_json)
    return VillageRow(
        v.village_code,
        name or "",
        v.report_uuid,
        v.version_uuid,
        v.version_no,
        username,
        v.post_role,
        parse_time(content["data_cutoff_at"], "data_cutoff_at"),
        v.server_received_at,
        parse_figures(content.get("figures")),
        v.stage,
        v.event_uuid,
    )


def latest_approved_total(
    session: Session,
    under_code: str,
    event_uuid: str | Collection[str],
    cutoff: datetime | None = None,
) -> Figures:
    """Return the sum of ``latest_approved`` figures (no adjustments)."""
    return sum_figures(r.figures for r in latest_approved(session, under_code, event_uuid, cutoff))
