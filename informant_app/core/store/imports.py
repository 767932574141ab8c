"""Writing an import in the local store: all records or none, in one transaction.

``reports.importing`` parses a file into ``ImportRecord``s; ``write_import`` sorts out the
records already here (identical ones are skipped, an identical draft is frozen), checks the
rest by the full rules when submitting, and writes them: drafts, or frozen versions queued by
``outbox.queue_versions`` like any submitted one.  A refusal (``RecordsRefusedError``) names
each record's problems; nothing is written then.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from informant_app.core.store.divisions import table_of
from informant_app.core.store.drafts import default_event_name, dump_draft
from informant_app.core.store.errors import translate_db_error
from informant_app.core.store.models import EventRow, ReportVersionRow
from informant_app.core.store.outbox import (
    QueuedVersion,
    freeze_draft,
    frozen_columns,
    queue_versions,
)
from informant_app.core.store.profile import read_profile
from informant_app.core.store.report_store import ReportStore, read_previous_figures
from informant_app.core.store.types import ReportState
from sync.contract import (
    ContractError,
    Issue,
    ReportContent,
    Severity,
    ValidationContext,
    blocking_issues,
    validate,
)

_IN_CHUNK = 500


@dataclass
class ImportRecord:
    """One parsed record of an import file, at ``index`` in its ``reports``."""

    index: int
    content: ReportContent
    existing_draft: str | None = None  # an identical draft to freeze instead of inserting


#: A record's problem: its index, its ``report_uuid`` and the issue.
RecordProblem = tuple[int, str, Issue]


class RecordsRefusedError(Exception):
    """Some records cannot be written (nothing was); ``problems`` names them."""

    def __init__(self, problems: Sequence[RecordProblem]) -> None:
        super().__init__(f"{len(problems)} record(s) refused")
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportWritten:
    """What ``write_import`` wrote: how many records, how many skipped, the version ids."""

    imported: int
    skipped: int
    version_uuids: list[str]


def identity(content: Mapping[str, Any]) -> dict[str, Any]:
    """Return what identifies a version's content for re-import: all but ``submitted_at``."""
    return {k: v for k, v in content.items() if k != "submitted_at"}


def write_import(store: ReportStore, records: list[ImportRecord], submit: bool) -> ImportWritten:
    """Write the records as drafts, or (``submit``) as queued versions, all or none.

    Raises:
        RecordsRefusedError: a record exists here with other content, or (``submit``) fails
            the rules; nothing was written.
        StoreError: a disk problem.
    """
    problems: list[RecordProblem] = []
    try:
        with store.write_session() as s, s.begin():
            fresh, skipped = _sort_out_existing(s, records, submit, problems)
            if problems:
                raise RecordsRefusedError(problems)
            now = store.now_to_the_second()
            contents = _prepared(s, fresh, submit, now, problems)
            if problems:
                raise RecordsRefusedError(problems)
            versions = _write(s, fresh, contents, submit, store.now())
    except RecordsRefusedError:
        raise
    except Exception as exc:
        translated = translate_db_error(exc)
        if translated is None:
            raise
        raise translated from exc
    return ImportWritten(imported=len(fresh), skipped=skipped, version_uuids=versions)


def _existing(s: Session, report_uuids: list[str]) -> dict[str, list[ReportVersionRow]]:
    found: dict[str, list[ReportVersionRow]] = {}
    for start in range(0, len(report_uuids), _IN_CHUNK):
        chunk = report_uuids[start : start + _IN_CHUNK]
        rows = s.scalars(select(ReportVersionRow).where(ReportVersionRow.report_uuid.in_(chunk)))
        for row in rows:
            found.setdefault(row.report_uuid, []).append(row)
    return found


def _same_content(row: ReportVersionRow, content: ReportContent) -> bool:
    try:
        stored = ReportContent.from_dict(json.loads(row.content))
    except ContractError:
        return False
    return identity(stored.to_dict()) == identity(content.to_dict())


def _sort_out_existing(
    s: Session, records: list[ImportRecord], submit: bool, problems: list[RecordProblem]
) -> tuple[list[ImportRecord], int]:
    """Drop records already present (identical); flag those present with other content."""
    existing = _existing(s, [p.content.report_uuid for p in records])
    fresh: list[ImportRecord] = []
    skipped = 0
    for p in records:
        rows = existing.get(p.content.report_uuid)
        if not rows:
            fresh.append(p)
            continue
        same = next((r for r in rows if _same_content(r, p.content)), None)
        if same is None:
            problems.append(
                (
                    p.index,
                    p.content.report_uuid,
                    Issue(
                        rule="R0",
                        severity=Severity.ERROR,
                        field="report_uuid",
                        zh="本机已有该报告，但内容不同（如需修改，请在软件中修订）",
                        en="a report with this report_uuid exists here with different content "
                        "(revise it in the app to change it)",
                    ),
                )
            )
        elif submit and same.state == ReportState.DRAFT.value and same.is_latest:
            p.existing_draft = same.version_uuid
            fresh.append(p)
        else:
            skipped += 1
    return fresh, skipped


class _Checker:
    """Runs the full rules over a batch, with each village's previous figures in the batch."""

    def __init__(self, s: Session, now: datetime) -> None:
        self._s = s
        self._now = now
        self._last: dict[tuple[str, str], dict[str, Decimal] | None] = {}
        self._event_names: dict[str, str] = {}
        self._divisions = table_of(s)
        profile = read_profile(s)
        self._allowed = frozenset(profile.village_codes) if profile is not None else None

    def named(self, content: ReportContent) -> ReportContent:
        if content.event_name.strip():
            self._event_names.setdefault(content.event_uuid, content.event_name)
            return content
        name = self._event_names.get(content.event_uuid)
        if name is None:
            event = self._s.get(EventRow, content.event_uuid)
            name = event.name if event is not None else default_event_name(content, self._divisions)
            self._event_names[content.event_uuid] = name
        return replace(content, event_name=name)

    def issues(self, content: ReportContent) -> list[Issue]:
        key = (content.event_uuid, content.village_code)
        if key not in self._last:
            self._last[key] = read_previous_figures(
                self._s, content.event_uuid, content.village_code, content.report_uuid
            )
        ctx = ValidationContext(
            previous_figures=self._last[key],
            now=self._now,
            divisions=self._divisions,
            allowed_villages=self._allowed,
        )
        blocking = blocking_issues(validate(content, ctx), content.notes)
        if not blocking:  # a refused record is no "previous report" for the next one
            self._last[key] = dict(content.figures)
        return blocking


def _prepared(
    s: Session,
    fresh: list[ImportRecord],
    submit: bool,
    now: datetime,
    problems: list[RecordProblem],
) -> list[ReportContent]:
    if not submit:
        return [replace(p.content, submitted_at=None) for p in fresh]
    checker = _Checker(s, now)
    contents: list[ReportContent] = []
    for p in fresh:
        content = checker.named(p.content)
        if content.submitted_at is None:
            content = replace(content, submitted_at=now)
        for issue in checker.issues(content):
            problems.append((p.index, p.content.report_uuid, issue))
        contents.append(content)
    return contents


def _write(
    s: Session,
    fresh: list[ImportRecord],
    contents: list[ReportContent],
    submit: bool,
    base: datetime,
) -> list[str]:
    versions: list[str] = []
    rows: list[dict[str, Any]] = []
    queued: list[QueuedVersion] = []
    for offset, (p, content) in enumerate(zip(fresh, contents, strict=True)):
        stamp = base + timedelta(microseconds=offset)  # the list shows file order, newest last
        if p.existing_draft is not None:
            freeze_draft(s, p.existing_draft, content, stamp)
            versions.append(p.existing_draft)
            queued.append(QueuedVersion(p.existing_draft, content, stamp))
            continue
        version_uuid = str(uuid.uuid4())
        versions.append(version_uuid)
        columns = (
            frozen_columns(content)
            if submit
            else {
                "content": dump_draft(content.to_dict()),
                "state": ReportState.DRAFT.value,
                "event_uuid": content.event_uuid,
                "village_code": content.village_code,
                "stage": content.stage.value,
            }
        )
        rows.append(
            {
                "content_hash": None,
                "submitted_at": None,
                **columns,
                "version_uuid": version_uuid,
                "report_uuid": content.report_uuid,
                "parent_version_uuid": None,
                "version_no": 1,
                "is_latest": True,
                "error_message": None,
                "created_at": stamp,
                "updated_at": stamp,
                "filing_role": None,
                "acting_for_name": None,
            }
        )
        if submit:
            queued.append(QueuedVersion(version_uuid, content, stamp))
    if rows:
        s.execute(insert(ReportVersionRow), rows)
    queue_versions(s, queued)
    return versions
