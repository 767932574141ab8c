"""The other devices of a review story, driven through the core: village A and the reviewer.

Each call opens the device's store, does one step and closes it, so the app under test can
hold its own store on another folder (or the same one afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from informant_app.core.review.service import Decision, DecisionKind, decide
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter
from informant_app.core.sync.engine import SyncEngine, sign_in
from tests.informant_app.ui.helpers import submitted_report
from tests.support.city_server import CityServer

#: The figures A files first; the reviewer returns them (crop_failed_ha is doubtful).
FIRST_FIGURES = {
    "affected_pop": 120,
    "crop_affected_ha": 30,
    "crop_damaged_ha": 10,
    "crop_failed_ha": 9,
    "direct_loss": 12.5,
}
#: The figures of A's revision.
REVISED_FIGURES = {**FIRST_FIGURES, "crop_failed_ha": 5}
REASON = "绝收面积与现场核查不符"
COMMENT = "请按实测面积填写绝收面积"


def synced(store: ReportStore) -> None:
    """Run one sync round and insist that it reached the server."""
    summary = SyncEngine(store).run_round()
    assert summary.ok, summary.problem


@dataclass
class Device:
    """A device signed in to the city server as ``username``."""

    folder: Path
    server: CityServer
    username: str

    def sign_in(self) -> Device:
        with ReportStore.open(self.folder) as store:
            sign_in(store, self.server.url, self.username, self.server.password(self.username))
        return self

    def sync(self) -> None:
        with ReportStore.open(self.folder) as store:
            synced(store)

    def file(self, figures: dict[str, Any] | None = None, **changes: Any) -> tuple[str, str]:
        """File a report and send it; return (report uuid, version uuid).

        A new event unless ``changes`` name one (``event_uuid``, ``event_name``); other
        ``changes`` override the content (``village_code`` …).
        """
        with ReportStore.open(self.folder) as store:
            version = submitted_report(store, figures=dict(figures or FIRST_FIGURES), **changes)
            report = next(
                r.report_uuid
                for r in store.report_rows(ReportFilter(), 0, 1000)
                if r.version_uuid == version
            )
            synced(store)
        return report, version

    def event_of(self, version_uuid: str) -> tuple[str, str]:
        """Return the event (uuid, name) a version of this device belongs to."""
        with ReportStore.open(self.folder) as store:
            content = store.version_content(version_uuid)
        return content.event_uuid, content.event_name

    def revise(self, report_uuid: str, figures: dict[str, Any]) -> str:
        """File a new version of ``report_uuid`` with ``figures`` and send it."""
        with ReportStore.open(self.folder) as store:
            draft = store.revise(report_uuid)
            content = dict(draft.content)
            content["figures"] = dict(figures)
            store.save_draft(draft.version_uuid, content)
            result = store.submit(draft.version_uuid)
            assert result.ok, result.issues
            synced(store)
        return draft.version_uuid

    def decide(
        self,
        version_uuid: str,
        kind: DecisionKind,
        reason: str = "",
        comments: dict[str, str] | None = None,
    ) -> Decision:
        """Pull, decide on ``version_uuid`` and send the decision."""
        with ReportStore.open(self.folder) as store:
            synced(store)
            decision = decide(store, version_uuid, kind, reason, comments or {})
            synced(store)
        return decision
