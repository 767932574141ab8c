"""Report stages (初报, 续报, 核报) and their labels (docs/domain.md §2)."""

from __future__ import annotations

from enum import StrEnum

from sync.contract.bilingual import pick


class ReportStage(StrEnum):
    """The stage of a report within its disaster event."""

    INITIAL = "initial"
    CONTINUING = "continuing"
    VERIFIED = "verified"

    def label(self, lang: str) -> str:
        """Return the stage's name in ``lang`` ("zh" or "en")."""
        zh, en = _LABELS[self]
        return pick(lang, zh, en)


_LABELS: dict[ReportStage, tuple[str, str]] = {
    ReportStage.INITIAL: ("初报", "Initial"),
    ReportStage.CONTINUING: ("续报", "Continuing"),
    ReportStage.VERIFIED: ("核报", "Verified"),
}

#: Longest initial-report narrative, in characters (docs/domain.md §2, rule 11).
INITIAL_NARRATIVE_MAX_CHARS = 200
#: Photos required when an emergency response is active (rule 11).
EMERGENCY_MIN_PHOTOS = 3
