"""Hostile and broken import files: each is refused with a message naming the problem.

Every input is written to a real file and read with ``read_document``, then imported as drafts
and as submitted reports into a store that already holds a report and a draft.  Each must
raise ``ImportRefusedError`` whose message (Chinese and English) names the problem, and the
store must be byte-for-byte the same table contents afterwards: nothing imported.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from informant_app.core.paths import database_path
from informant_app.core.reports.exporting import export_document, write_csv
from informant_app.core.reports.importing import (
    MAX_FILE_BYTES,
    ImportRefusedError,
    import_reports,
    read_document,
)
from informant_app.core.store.report_store import ReportStore
from tests.informant_app.core.conftest import PROFILE, fill

_DOCUMENTS: dict[int, dict[str, Any]] = {}


def valid_document(tmp_path: Path, count: int = 2) -> dict[str, Any]:
    """Return a valid exported document of ``count`` reports (made once per count)."""
    if count not in _DOCUMENTS:
        with ReportStore.open(tmp_path / "source") as source:
            source.save_profile(PROFILE)
            for n in range(count):
                draft = source.new_draft()
                source.save_draft(draft.version_uuid, fill(draft.content, narrative=f"报告{n}"))
                assert source.submit(draft.version_uuid).ok
            _DOCUMENTS[count] = export_document(source)
    return copy.deepcopy(_DOCUMENTS[count])


def text(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def with_field(document: dict[str, Any], name: str, literal: str) -> bytes:
    """Return the document's JSON with field ``name`` of the first record as ``literal``."""
    changed = copy.deepcopy(document)
    changed["reports"][0][name] = 424242
    return text(changed).replace(b"424242", literal.encode())


def with_figure(document: dict[str, Any], name: str, literal: str) -> bytes:
    """Return the document's JSON with figure ``name`` of the first record as ``literal``."""
    changed = copy.deepcopy(document)
    changed["reports"][0]["figures"][name] = 424242
    return text(changed).replace(b"424242", literal.encode())


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return out.getvalue()


def csv_bytes(tmp_path: Path, store: ReportStore) -> bytes:
    target = tmp_path / "export.csv"
    write_csv(store, target)
    return target.read_bytes()


#: name → (file bytes from the valid document, words the English message must contain)
Maker = Callable[[dict[str, Any], Path, ReportStore], bytes]
CASES: dict[str, tuple[Maker, str]] = {
    "binary garbage": (lambda d, t, s: random.Random(9).randbytes(4096), "not UTF-8"),
    "invalid UTF-8 in a string": (
        lambda d, t, s: text(d).replace("报告0".encode(), b"\xff\xfe\xc3"),
        "not UTF-8",
    ),
    "UTF-16 file": (lambda d, t, s: json.dumps(d).encode("utf-16"), "not UTF-8"),
    "empty file": (lambda d, t, s: b"", "not valid JSON"),
    "truncated JSON": (lambda d, t, s: text(d)[: len(text(d)) // 2], "not valid JSON"),
    "array, not an object": (lambda d, t, s: text(d["reports"]), "JSON object"),
    "a bare string": (lambda d, t, s: b'"informant-reports"', "JSON object"),
    "null": (lambda d, t, s: b"null", "JSON object"),
    "deeply nested arrays": (lambda d, t, s: b"[" * 200_000 + b"]" * 200_000, "nested"),
    "deeply nested objects": (lambda d, t, s: b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested"),
    "deep nesting inside a record": (
        lambda d, t, s: with_field(d, "ledger", "[" * 100_000 + "]" * 100_000),
        "nested",
    ),
    "CSV given as JSON": (lambda d, t, s: csv_bytes(t, s), "CSV"),
    "xlsx given as JSON": (lambda d, t, s: xlsx_bytes(), "Excel"),
    "duplicate key in the envelope": (
        lambda d, t, s: text(d).replace(b'"version": 1', b'"version": 1, "version": 1'),
        "appears twice",
    ),
    "duplicate key in a record": (
        lambda d, t, s: text(d).replace(
            '"narrative": "报告0"'.encode(), '"narrative": "报告0", "narrative": "改"'.encode()
        ),
        "appears twice",
    ),
    "NaN": (lambda d, t, s: with_figure(d, "affected_pop", "NaN"), "NaN"),
    "Infinity": (lambda d, t, s: with_figure(d, "direct_loss", "Infinity"), "Infinity"),
    "-Infinity": (lambda d, t, s: with_figure(d, "direct_loss", "-Infinity"), "Infinity"),
    "5000-digit integer": (lambda d, t, s: with_figure(d, "affected_pop", "9" * 5000), "too long"),
    "40-digit integer": (lambda d, t, s: with_figure(d, "affected_pop", "9" * 40), "too large"),
    "1e400": (lambda d, t, s: with_figure(d, "direct_loss", "1e400"), "finite"),
    "negative count": (lambda d, t, s: with_figure(d, "affected_pop", "-5"), "negative"),
    "negative area": (lambda d, t, s: with_figure(d, "crop_affected_ha", "-0.5"), "negative"),
    "fractional count": (lambda d, t, s: with_figure(d, "deaths", "1.5"), "whole number"),
    "count as text": (lambda d, t, s: with_figure(d, "deaths", '"很多"'), "figures.deaths"),
    "report_uuid over 64 characters": (
        lambda d, t, s: text(d).replace(d["reports"][0]["report_uuid"].encode(), b"x" * 65),
        "report_uuid",
    ),
    "unknown field": (
        lambda d, t, s: text(d).replace(b'"narrative"', b'"narative"', 1),
        "unknown field",
    ),
    "wrong format name": (lambda d, t, s: text({**d, "format": "<b>x</b>"}), "format"),
    "reports is an object": (lambda d, t, s: text({**d, "reports": {}}), "list"),
}


def snapshot(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every table's rows (read-only), to show an import wrote nothing."""
    conn = sqlite3.connect(f"{database_path(data_dir).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
    finally:
        conn.close()


def hold_some(store: ReportStore) -> ReportStore:
    """Give the store a submitted report and a draft."""
    store.save_profile(PROFILE)
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content))
    assert store.submit(draft.version_uuid).ok
    kept = store.new_draft()
    store.save_draft(kept.version_uuid, fill(kept.content, narrative="已有草稿"))
    return store


@pytest.fixture
def holding_store(store: ReportStore) -> ReportStore:
    """A store that already holds a submitted report and a draft."""
    return hold_some(store)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportStore]:
    """One holding store for the refusals (each test checks it stays unchanged)."""
    with ReportStore.open(tmp_path_factory.mktemp("shared") / "data") as store:
        yield hold_some(store)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_and_imports_nothing(
    case: str, shared_store: ReportStore, tmp_path: Path
) -> None:
    holding_store = shared_store
    make, words = CASES[case]
    path = tmp_path / "import.json"
    path.write_bytes(make(valid_document(tmp_path), tmp_path, holding_store))
    before = snapshot(holding_store.data_dir)
    for submit in (False, True):
        with pytest.raises(ImportRefusedError) as err:
            import_reports(holding_store, read_document(path), submit=submit)
        english = "\n".join(p.message("en") for p in err.value.problems)
        chinese = "\n".join(p.message("zh") for p in err.value.problems)
        assert words in english, english
        assert chinese and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
        assert snapshot(holding_store.data_dir) == before


def test_a_file_over_the_size_limit_is_refused_unread(
    holding_store: ReportStore, tmp_path: Path
) -> None:
    document = valid_document(tmp_path)
    document["padding"] = ""
    body = text(document)
    path = tmp_path / "huge.json"
    with path.open("wb") as f:  # a valid document padded to 50 MB
        f.write(body[:-2] + b'"')
        f.write(b" " * (50 * 2**20 - len(body)))
        f.write(b'"}')
    assert path.stat().st_size > MAX_FILE_BYTES
    before = snapshot(holding_store.data_dir)
    with pytest.raises(ImportRefusedError) as err:
        read_document(path)
    assert "50.0 MB" in err.value.problems[0].message("en")
    assert "MB" in err.value.problems[0].message("zh")
    assert snapshot(holding_store.data_dir) == before


def test_one_bad_record_among_good_ones_imports_none(
    holding_store: ReportStore, tmp_path: Path
) -> None:
    document = valid_document(tmp_path, count=5)
    document["reports"][3]["figures"]["deaths"] = -1
    path = tmp_path / "mixed.json"
    path.write_bytes(text(document))
    before = snapshot(holding_store.data_dir)
    with pytest.raises(ImportRefusedError) as err:
        import_reports(holding_store, read_document(path))
    assert [(p.index, p.field) for p in err.value.problems] == [(3, "deaths")]
    assert snapshot(holding_store.data_dir) == before


HOSTILE_TEXT = (
    "<b>粗体</b><img src=x onerror=alert(1)><a href='http://evil'>链接</a>"
    "'); DROP TABLE report_versions;-- \u202e\u0000"
)


def test_sql_and_html_in_text_fields_are_stored_byte_for_byte(
    holding_store: ReportStore, tmp_path: Path
) -> None:
    document = valid_document(tmp_path)
    record = document["reports"][0]
    record["narrative"] = HOSTILE_TEXT
    record["event_name"] = "<script>alert('x')</script>'; DELETE FROM outbox;--"
    # ids are text (docs/import-format.md), not only UUIDs: hostile ones are kept as text too
    record["report_uuid"] = "'); DROP TABLE report_versions;--"
    record["event_uuid"] = "<script>x</script>"
    path = tmp_path / "hostile-text.json"
    path.write_bytes(text(document))
    summary = import_reports(holding_store, read_document(path), submit=True)
    assert summary.imported == 2
    content = holding_store.version_content(summary.version_uuids[0])
    assert content.narrative == HOSTILE_TEXT
    assert content.event_name == record["event_name"]
    assert (content.report_uuid, content.event_uuid) == (
        record["report_uuid"],
        record["event_uuid"],
    )
    tables = snapshot(holding_store.data_dir)
    assert "report_versions" in tables and len(tables["outbox"]) == 3


def test_csv_export_of_hostile_text_is_not_a_formula(
    holding_store: ReportStore, tmp_path: Path
) -> None:
    document = valid_document(tmp_path)
    document["reports"][0]["event_name"] = '=HYPERLINK("http://evil")'
    path = tmp_path / "formula.json"
    path.write_bytes(text(document))
    import_reports(holding_store, read_document(path), submit=True)
    target = tmp_path / "out.csv"
    write_csv(holding_store, target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    names = [row[rows[0].index("event_name")] for row in rows[1:]]
    assert '=HYPERLINK("http://evil")' not in names  # Excel would run it
    assert any(name.endswith('=HYPERLINK("http://evil")') for name in names)
