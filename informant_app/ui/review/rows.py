"""The lines of the reviewer's detail view: each header field and indicator, now and before.

Keys follow ``ReviewDetail.changed_fields``: header keys as content keys, figures by indicator
name.  Labels and units come from the contract (``conflict_rows`` formats the values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from informant_app.ui.common.field_rows import (
    NOT_GIVEN,
    figure_text,
    header_label,
    indicator_label,
    value_text,
)
from sync.contract import INDICATORS, ReportContent

#: Header keys shown in the comparison (the narrative has a box of its own).
COMPARED_HEADER_KEYS: tuple[str, ...] = (
    "stage",
    "event_name",
    "disaster_type",
    "disaster_subtype",
    "occurred_at",
    "data_cutoff_at",
    "emergency_response",
    "event_stable",
    "latitude",
    "longitude",
)
#: Keys shown after the indicators: the ledgers of a verified report.
LEDGER_KEYS: tuple[str, ...] = ("ledger", "households")


@dataclass(frozen=True)
class ReviewRow:
    """One line of the comparison.

    Attributes:
        key: the header key, or the indicator name.
        label: what the line is, with the unit for an indicator.
        current: the reviewed version's value, as text.
        previous: the previous report's value, as text ("" without a previous report).
        changed: the value differs from the previous report.
        is_figure: the line is an indicator.
    """

    key: str
    label: str
    current: str
    previous: str
    changed: bool
    is_figure: bool

    @property
    def given(self) -> bool:
        """Whether either side has a value."""
        return self.current != NOT_GIVEN or self.previous not in ("", NOT_GIVEN)


def review_rows(
    content: ReportContent,
    previous: ReportContent | None,
    changed_fields: tuple[str, ...] | list[str],
    lang: str,
) -> list[ReviewRow]:
    """Return the header lines, one line per indicator in national order, then the ledgers.

    A ledger's line appears only when either version has rows (a verified report's).
    """
    now = content.to_dict()
    before: dict[str, Any] | None = previous.to_dict() if previous is not None else None
    changed = {key.removeprefix("figures.") for key in changed_fields}
    rows: list[ReviewRow] = []
    for key in COMPARED_HEADER_KEYS:
        rows.append(
            ReviewRow(
                key,
                header_label(key),
                value_text(key, now.get(key), now, lang),
                value_text(key, before.get(key), before, lang) if before is not None else "",
                key in changed,
                is_figure=False,
            )
        )
    for indicator in INDICATORS:
        name = indicator.field
        rows.append(
            ReviewRow(
                name,
                indicator_label(indicator, lang),
                figure_text(indicator, content.figures.get(name)),
                figure_text(indicator, previous.figures.get(name)) if previous is not None else "",
                name in changed,
                is_figure=True,
            )
        )
    for key in LEDGER_KEYS:
        if not now.get(key) and not (before or {}).get(key):
            continue
        rows.append(
            ReviewRow(
                key,
                header_label(key),
                value_text(key, now.get(key), now, lang),
                value_text(key, before.get(key), before, lang) if before is not None else "",
                key in changed,
                is_figure=False,
            )
        )
    return rows
