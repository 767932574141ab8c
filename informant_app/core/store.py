"""The informant's local store: drafts, frozen versions, the outbox, photos and the profile.

One ``ReportStore`` wraps one SQLite file in the data folder.  Every method is a short,
self-contained transaction, safe to call from one worker thread (the UI never calls it on the
GUI thread).  Submitting freezes a version and writes its outbox entry in one transaction;
a frozen version is never changed in place.

INTERFACE SKELETON: the signatures and docstrings below are the contract between the core
and the UI; bodies are being implemented.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from sync.contract import Issue, PhotoRef, ReportContent, ReportStage

from informant_app.core.types import (
    Draft,
    EventSummary,
    Profile,
    ReportFilter,
    ReportRow,
    ReportState,
    SubmitResult,
)


class StoreError(Exception):
    """A problem the user can act on (newer database, disk full, read-only folder).

    Attributes:
        zh: the message in Chinese.
        en: the message in English.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return self.zh if lang.startswith("zh") else self.en


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of the app and is not opened."""


class ReportStore:
    """The local store of one informant's device."""

    @classmethod
    def open(cls, data_dir: Path) -> ReportStore:
        """Open (creating if needed) the store in ``data_dir``.

        Copies the database file aside before migrating, runs the Alembic migrations, and
        refuses a database newer than this app with ``NewerDatabaseError``.
        """
        raise NotImplementedError

    def close(self) -> None:
        """Release the database."""
        raise NotImplementedError

    # --- the profile --------------------------------------------------------------------

    def profile(self) -> Profile | None:
        """Return the local profile, or ``None`` before the first start chose one."""
        raise NotImplementedError

    def save_profile(self, profile: Profile) -> None:
        """Save the local profile (replacing the previous one)."""
        raise NotImplementedError

    # --- events -------------------------------------------------------------------------

    def events(self) -> list[EventSummary]:
        """Return the known disaster events, newest first."""
        raise NotImplementedError

    # --- drafts -------------------------------------------------------------------------

    def new_draft(self, *, stage: ReportStage = ReportStage.INITIAL,
                  event_uuid: str | None = None, village_code: str | None = None) -> Draft:
        """Create a draft of a new report.

        With ``event_uuid`` the draft joins that event (type, subtype and occurrence copied);
        without it the draft starts a new event (fresh ``event_uuid``).
        """
        raise NotImplementedError

    def new_continuing(self, event_uuid: str, village_code: str) -> Draft:
        """Create a continuing-report draft starting from the figures of the event's last
        report for ``village_code`` (figures, narrative left for the informant)."""
        raise NotImplementedError

    def revise(self, report_uuid: str) -> Draft:
        """Return a draft revising the latest version of ``report_uuid``: a new version that
        names it as parent.  An existing open draft of that report is returned instead."""
        raise NotImplementedError

    def drafts(self) -> list[Draft]:
        """Return every open draft, most recently edited first."""
        raise NotImplementedError

    def load_draft(self, version_uuid: str) -> Draft:
        """Return the draft ``version_uuid``; ``KeyError`` if it is no draft."""
        raise NotImplementedError

    def save_draft(self, version_uuid: str, content: Mapping[str, Any]) -> None:
        """Replace the draft's content (autosave: called after each field change)."""
        raise NotImplementedError

    def discard_draft(self, version_uuid: str) -> None:
        """Delete a draft (never a submitted version)."""
        raise NotImplementedError

    def add_photo(self, version_uuid: str, path: Path) -> PhotoRef:
        """Copy an image into the photo folder under its SHA-256 and attach it to the draft.

        Raises ``StoreError`` for a file that is not a readable image.
        """
        raise NotImplementedError

    def remove_photo(self, version_uuid: str, sha256: str) -> None:
        """Detach a photo from a draft (the file stays while any version uses it)."""
        raise NotImplementedError

    def photo_path(self, sha256: str) -> Path:
        """Return the file path of a stored photo."""
        raise NotImplementedError

    def previous_figures(self, event_uuid: str, village_code: str,
                         before_report_uuid: str | None = None) -> dict[str, Decimal] | None:
        """Return the figures of the last submitted report of this event and village."""
        raise NotImplementedError

    def check(self, version_uuid: str) -> list[Issue]:
        """Validate a draft against the shared rules (with the previous report's figures and
        the profile's villages), as submitting would.  Parse problems come back as errors."""
        raise NotImplementedError

    def submit(self, version_uuid: str) -> SubmitResult:
        """Freeze the draft as a submitted version and queue it, in one transaction.

        Refused (``ok=False`` with the issues) while errors or un-noted warnings remain.
        """
        raise NotImplementedError

    # --- submitted versions and the list ------------------------------------------------

    def version_content(self, version_uuid: str) -> ReportContent:
        """Return the frozen content of a submitted version."""
        raise NotImplementedError

    def history(self, report_uuid: str) -> list[tuple[str, int, ReportState]]:
        """Return ``(version_uuid, version_no, state)`` of every version, oldest first."""
        raise NotImplementedError

    def count_reports(self, filt: ReportFilter) -> int:
        """Return the number of reports the list shows under ``filt``."""
        raise NotImplementedError

    def report_rows(self, filt: ReportFilter, offset: int, limit: int) -> list[ReportRow]:
        """Return one page of the list: each report's latest version, newest first."""
        raise NotImplementedError

    def set_state(self, version_uuid: str, state: ReportState,
                  message: str | None = None) -> None:
        """Record a submitted version's send state (the sync engine's hook; the demo uses it
        to show every state).  ``message`` is the server's word for ``error``/``conflict``."""
        raise NotImplementedError

    def state_counts(self) -> dict[ReportState, int]:
        """Return the number of reports in each state (every state present, zeros included)."""
        raise NotImplementedError
