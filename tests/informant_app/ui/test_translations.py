"""Every UI text has its Chinese translation in the .ts file kept in git."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TS = REPO / "resources" / "translations" / "informant_zh_CN.ts"


def unfinished(ts: Path) -> list[str]:
    problems = []
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "missing"
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or translation is None or not (translation.text or "").strip():
                problems.append(f"[{context.findtext('name')}] {message.findtext('source')}")
    return problems


def test_the_ts_file_has_no_unfinished_message() -> None:
    assert unfinished(TS) == []


def test_one_word_for_the_a_and_b_posts() -> None:
    """A角/B角 everywhere (the system's AB角), never A岗/B岗 (issue 17, item 13)."""
    mixed = [
        f"[{context.findtext('name')}] {message.findtext('translation')}"
        for context in ET.parse(TS).getroot().iter("context")
        for message in context.iter("message")
        if any(word in (message.findtext("translation") or "") for word in ("A岗", "B岗"))
    ]
    assert mixed == []


@pytest.mark.slow
def test_every_text_in_the_code_is_in_the_ts_file(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed")
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = [
        REPO / "informant_app" / "app.py",
        *sorted((REPO / "informant_app" / "ui").glob("*.py")),
    ]
    subprocess.run(
        [str(lupdate), *map(str, sources), "-ts", str(copy)], check=True, capture_output=True
    )
    assert unfinished(copy) == [], "run `make lupdate` and translate the new texts"
