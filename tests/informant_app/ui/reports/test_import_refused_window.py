"""Malformed import files chosen in the window: a message names the problem, nothing arrives.

Each file goes through the window's import action (read and imported on the worker); the
refusal must reach the message box (not the "something went wrong" bug notice) and the
store's tables must be unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from informant_app.core.reports.exporting import export_document
from informant_app.core.store.report_store import ReportStore
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.core.reports.test_import_hostile import snapshot
from tests.informant_app.ui.helpers import PROFILE, submitted_report


def document(tmp_path: Path) -> dict[str, Any]:
    with ReportStore.open(tmp_path / "elsewhere") as other:
        other.save_profile(PROFILE)
        submitted_report(other)
        return export_document(other)


def with_figure(doc: dict[str, Any], literal: str) -> bytes:
    doc["reports"][0]["figures"]["affected_pop"] = 424242
    return json.dumps(doc, ensure_ascii=False).encode().replace(b"424242", literal.encode())


FILES: dict[str, tuple[Callable[[dict[str, Any]], bytes], str]] = {
    "binary": (lambda d: bytes(range(256)) * 64, "not UTF-8"),
    "truncated": (lambda d: json.dumps(d).encode()[:200], "not valid JSON"),
    "not an object": (lambda d: b"[1, 2, 3]", "JSON object"),
    "deeply nested": (lambda d: b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "duplicate key": (
        lambda d: json.dumps(d).encode().replace(b'"version": 1', b'"version": 1, "version": 1'),
        "appears twice",
    ),
    "NaN": (lambda d: with_figure(d, "NaN"), "NaN"),
    "huge number": (lambda d: with_figure(d, "9" * 5000), "too long"),
    "negative count": (lambda d: with_figure(d, "-3"), "cannot be negative"),
    "xlsx": (lambda d: b"PK\x03\x04" + bytes(2000), "Excel"),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_a_malformed_file_is_refused_with_a_message(
    case: str,
    qtbot: QtBot,
    window: MainWindow,
    data_dir: Path,
    tmp_path: Path,
    call: Callable[[Callable[[ReportStore], Any]], Any],
) -> None:
    make, words = FILES[case]
    path = tmp_path / "import.json"
    path.write_bytes(make(document(tmp_path)))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    before = snapshot(data_dir)
    with qtbot.waitSignal(window.errors.shown, timeout=20_000) as shown:
        window.importer.import_path(path)
    message = shown.args[0]
    assert message.startswith("Nothing was imported:"), message
    assert words in message, message
    assert "Something went wrong" not in message
    call(lambda _store: None)  # a round trip through the worker: what the refusal queued is done
    qtbot.waitUntil(lambda: not window.model.loading)
    assert window.model.rowCount() == 0
    assert snapshot(data_dir) == before
