"""Import (all or nothing, idempotent) and export (JSON round trip, CSV for Excel)."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event

from informant_app.core.reports.exporting import (
    CSV_LEADING_COLUMNS,
    export_document,
    write_csv,
    write_json,
)
from informant_app.core.reports.importing import (
    ImportRefusedError,
    import_reports,
    read_document,
)
from informant_app.core.reports.sample import make_reports
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter, ReportState
from sync.contract import INDICATORS, ReportContent
from tests.informant_app.core.conftest import PROFILE

REPO = Path(__file__).resolve().parents[4]
EXAMPLE = REPO / "resources" / "sample" / "reports_example.json"


def sample(n: int = 20, seed: int = 3) -> dict[str, Any]:
    return make_reports(n, seed)


def test_import_as_drafts(store: ReportStore) -> None:
    summary = import_reports(store, sample(5))
    assert (summary.imported, summary.skipped, summary.submitted) == (5, 0, False)
    assert store.state_counts()[ReportState.DRAFT] == 5
    assert store.outbox_size() == 0
    draft = store.drafts()[0]
    assert draft.content["submitted_at"] is None
    assert store.check(draft.version_uuid) == []


def test_import_and_submit_in_one_go(store: ReportStore) -> None:
    summary = import_reports(store, sample(30), submit=True)
    assert summary.imported == 30 and len(summary.version_uuids) == 30
    assert store.state_counts()[ReportState.QUEUED] == 30
    assert store.outbox_size() == 30
    content = store.version_content(summary.version_uuids[0])
    assert content.submitted_at is not None
    assert store.events()  # events registered
    assert [c.state for c in store.state_log(summary.version_uuids[0])] == [ReportState.QUEUED]


def test_import_is_idempotent(store: ReportStore) -> None:
    document = sample(10)
    import_reports(store, document, submit=True)
    again = import_reports(store, document, submit=True)
    assert (again.imported, again.skipped) == (0, 10)
    assert store.count_reports(ReportFilter()) == 10
    assert store.outbox_size() == 10


def test_records_without_ids_get_stable_ids(store: ReportStore) -> None:
    document = sample(3)
    for record in document["reports"]:
        del record["report_uuid"], record["event_uuid"]
    import_reports(store, document, submit=True)
    import_reports(store, copy.deepcopy(document), submit=True)
    assert store.count_reports(ReportFilter()) == 3


def test_drafts_then_submit_freezes_the_same_drafts(store: ReportStore) -> None:
    document = sample(4)
    import_reports(store, document)
    summary = import_reports(store, document, submit=True)
    assert summary.imported == 4
    counts = store.state_counts()
    assert (counts[ReportState.DRAFT], counts[ReportState.QUEUED]) == (0, 4)
    assert store.count_reports(ReportFilter()) == 4


def test_same_uuid_with_other_content_refuses_the_file(store: ReportStore) -> None:
    document = sample(3)
    import_reports(store, document, submit=True)
    changed = copy.deepcopy(document)
    changed["reports"][1]["figures"]["affected_pop"] += 1
    changed["reports"].append(sample(4, seed=99)["reports"][0])
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, changed, submit=True)
    (problem,) = err.value.problems
    assert (problem.index, problem.field) == (1, "report_uuid")
    assert problem.report_uuid == document["reports"][1]["report_uuid"]
    assert store.count_reports(ReportFilter()) == 3  # the new record was not imported either


def test_bad_record_refuses_everything_naming_record_and_field(store: ReportStore) -> None:
    document = sample(40)
    bad = document["reports"][17]
    bad["figures"]["crop_failed_ha"] = bad["figures"]["crop_damaged_ha"] + 1
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, document, submit=True)
    (problem,) = err.value.problems  # no knock-on complaint about the next report
    assert (problem.index, problem.field, problem.rule) == (17, "crop_failed_ha", "R2")
    assert problem.report_uuid == bad["report_uuid"]
    assert "reports[17]" in problem.message("zh_CN") and "crop_failed_ha" in problem.message("zh")
    assert "绝收" in problem.message("zh") and "Crops failed" in problem.message("en")
    assert store.count_reports(ReportFilter()) == 0
    # Without --submit the rules are not run: a draft may still be wrong.
    assert import_reports(store, document).imported == 40


def test_unnoted_warning_blocks_and_a_note_lets_it_through(store: ReportStore) -> None:
    document = sample(1)
    record = document["reports"][0]
    record["figures"]["urgent_aid"] = record["figures"]["affected_pop"] + 1
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, document, submit=True)
    assert [(p.index, p.rule, p.field) for p in err.value.problems] == [(0, "R6", "affected_pop")]
    record["notes"] = {"R6:affected_pop": "含外村前来避险人员"}
    assert import_reports(store, document, submit=True).imported == 1


def test_parse_problems_name_the_field(store: ReportStore) -> None:
    document = sample(3)
    document["reports"][2]["figures"]["deaths"] = "很多"
    document["reports"][0]["stage"] = "final"
    document["reports"].append("not an object")
    document["reports"].append(dict(document["reports"][1]))  # duplicate report_uuid
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, document)
    found = [(p.index, p.field) for p in err.value.problems]
    assert found == [(0, "stage"), (2, "figures.deaths"), (3, "report"), (4, "report_uuid")]
    assert store.count_reports(ReportFilter()) == 0


@pytest.mark.parametrize(
    "document, field",
    [
        ([], "file"),
        ({"format": "other", "version": 1, "reports": []}, "format"),
        ({"format": "informant-reports", "version": 2, "reports": []}, "version"),
        ({"format": "informant-reports", "version": 1, "reports": {}}, "reports"),
    ],
)
def test_bad_envelope(store: ReportStore, document: Any, field: str) -> None:
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, document)
    assert err.value.problems[0].field == field and err.value.problems[0].index is None


def test_read_document_errors(tmp_path: Path) -> None:
    with pytest.raises(ImportRefusedError):
        read_document(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportRefusedError) as err:
        read_document(broken)
    assert "JSON" in err.value.problems[0].message("zh")


def test_profile_jurisdiction_applies_to_submitted_imports(store: ReportStore) -> None:
    store.save_profile(PROFILE)  # 瓦房社区 and 水沟洼村 only
    document = sample(30)
    outside = [
        i
        for i, r in enumerate(document["reports"])
        if r["village_code"] not in PROFILE.village_codes
    ]
    assert outside
    with pytest.raises(ImportRefusedError) as err:
        import_reports(store, document, submit=True)
    assert {p.index for p in err.value.problems} == set(outside)
    assert {p.field for p in err.value.problems} == {"village_code"}


def test_example_file_is_valid(store: ReportStore) -> None:
    summary = import_reports(store, read_document(EXAMPLE), submit=True)
    assert summary.imported == len(json.loads(EXAMPLE.read_text(encoding="utf-8"))["reports"])


def test_thousand_reports_import_in_one_transaction_of_batched_inserts(store: ReportStore) -> None:
    """1,000 reports cost one transaction and a handful of statements, not 1,000 round trips."""
    document = make_reports(1000, seed=11)
    writes: list[str] = []
    commits: list[object] = []

    def on_execute(
        conn: Connection,
        cursor: object,
        statement: str,
        parameters: object,
        context: object,
        executemany: bool,
    ) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "PRAGMA", "BEGIN")):
            writes.append(statement)

    def on_commit(conn: Connection) -> None:
        commits.append(conn)

    event.listen(store.engine, "before_cursor_execute", on_execute)
    event.listen(store.engine, "commit", on_commit)
    try:
        summary = import_reports(store, document, submit=True)
    finally:
        event.remove(store.engine, "before_cursor_execute", on_execute)
        event.remove(store.engine, "commit", on_commit)
    assert summary.imported == 1000
    assert store.state_counts()[ReportState.QUEUED] == 1000
    assert len(commits) == 1
    assert len(writes) < 50, f"{len(writes)} write statements for 1,000 reports"


# --- export ---------------------------------------------------------------------------------


def test_json_export_round_trips(store: ReportStore, tmp_path: Path) -> None:
    import_reports(store, sample(25), submit=True)
    draft = store.new_draft()  # drafts are not exported
    out = tmp_path / "out" / "export.json"
    assert write_json(store, out) == 25
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["format"] == "informant-reports" and len(exported["reports"]) == 25
    assert draft.report_uuid not in {r["report_uuid"] for r in exported["reports"]}

    with ReportStore.open(tmp_path / "other") as other:
        assert import_reports(other, read_document(out), submit=True).imported == 25
        assert export_document(other) == exported
    # Back into the first store: everything is already there.
    again = import_reports(store, read_document(out), submit=True)
    assert (again.imported, again.skipped) == (0, 25)


def test_export_uses_latest_submitted_version(store: ReportStore) -> None:
    summary = import_reports(store, sample(2), submit=True)
    report_uuid = store.version_content(summary.version_uuids[0]).report_uuid
    revision = store.revise(report_uuid)
    content = dict(revision.content)
    content["figures"] = dict(
        content["figures"], affected_pop=content["figures"]["affected_pop"] + 5
    )
    store.save_draft(revision.version_uuid, content)
    document = export_document(store)  # the revision is still a draft: version 1 exported
    assert [r["report_uuid"] for r in document["reports"]].count(report_uuid) == 1
    assert store.submit(revision.version_uuid).ok
    exported = {r["report_uuid"]: r for r in export_document(store)["reports"]}
    assert exported[report_uuid]["figures"]["affected_pop"] == content["figures"]["affected_pop"]


def test_csv_export_for_excel(store: ReportStore, tmp_path: Path) -> None:
    import_reports(store, read_document(EXAMPLE), submit=True)
    out = tmp_path / "export.csv"
    assert write_csv(store, out) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == [*CSV_LEADING_COLUMNS, *(i.field for i in INDICATORS)]
    first = rows[0]
    assert first["village_name"] == "瓦房社区" and first["state"] == "queued"
    assert (
        first["version_no"] == "1" and first["occurred_at"] == "2024-07-02T03:30:00+08:00"
    )  # China time
    assert first["affected_pop"] == "236" and first["crop_affected_ha"] == "18.6"
    assert first["injured"] == ""  # not given
    by_uuid = {r["report_uuid"]: r for r in rows}
    content = ReportContent.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))["reports"][2])
    assert by_uuid[content.report_uuid]["stage"] == "continuing"
