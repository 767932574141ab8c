"""Export each report's latest submitted version as JSON (re-importable) or CSV (for Excel).

The JSON file has the import format (docs/import-format.md), so exporting from one device and
importing on another round-trips exactly.  The CSV is UTF-8 with a byte-order mark so Excel
shows the Chinese text correctly; its columns are named by their field names, its times are
China time with their offset.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from informant_app.core.divisions import divisions_for, find_division
from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from sync.contract import INDICATORS, ReportContent
from sync.contract.china_time import china_iso
from sync.contract.report import figure_to_json

#: The CSV columns before the indicators (which follow in national order).
CSV_LEADING_COLUMNS: tuple[str, ...] = (
    "report_uuid",
    "version_no",
    "state",
    "stage",
    "event_uuid",
    "event_name",
    "disaster_type",
    "disaster_subtype",
    "village_code",
    "village_name",
    "occurred_at",
    "data_cutoff_at",
    "submitted_at",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportedVersion:
    """One report's latest submitted version."""

    version_no: int
    state: ReportState
    content: ReportContent


def latest_submitted(store: ReportStore) -> Iterator[ExportedVersion]:
    """Yield each report's latest submitted version, in the order they were submitted."""
    for version_no, state, content in store.latest_submitted():
        yield ExportedVersion(version_no, state, content)


def export_document(store: ReportStore) -> dict[str, Any]:
    """Return the import-format document of every latest submitted version."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "reports": [v.content.to_dict() for v in latest_submitted(store)],
    }


def csv_rows(store: ReportStore) -> Iterator[list[str]]:
    """Yield the CSV header, then one row per latest submitted version."""
    yield [*CSV_LEADING_COLUMNS, *(i.field for i in INDICATORS)]
    divisions = divisions_for(store.data_dir)
    for version in latest_submitted(store):
        c = version.content
        village = find_division(c.village_code, divisions)
        leading = [
            c.report_uuid,
            str(version.version_no),
            version.state.value,
            c.stage.value,
            c.event_uuid,
            inert_cell(c.event_name),
            c.disaster_type,
            c.disaster_subtype or "",
            c.village_code,
            village.short_name if village else "",
            china_iso(c.occurred_at),  # China time with its offset: the dates people expect
            china_iso(c.data_cutoff_at),
            china_iso(c.submitted_at),
        ]
        figures = [
            str(figure_to_json(i.field, c.figures[i.field])) if i.field in c.figures else ""
            for i in INDICATORS
        ]
        yield leading + figures


def inert_cell(text: str) -> str:
    """Return free text for a CSV cell that Excel shows as text, never runs as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is a
    formula to Excel; a leading apostrophe makes it plain text (OWASP "CSV injection").
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_json(store: ReportStore, out: Path) -> int:
    """Write the JSON export to ``out`` (atomically); return the number of reports."""
    document = export_document(store)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    _write_atomically(out, text.encode("utf-8"))
    return len(document["reports"])


def write_csv(store: ReportStore, out: Path) -> int:
    """Write the CSV export (UTF-8 with BOM) to ``out`` atomically; return the row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = -1
    for row in csv_rows(store):
        writer.writerow(row)
        count += 1
    _write_atomically(out, buffer.getvalue().encode("utf-8-sig"))
    return count


def _write_atomically(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
