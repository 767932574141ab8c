"""The README against the system and the app (issue 17 item 15).

- Its apt list names what Qt needs to start (``libglib2.0-0``) and ``xvfb`` for the
  ``xvfb-run`` it suggests, after an ``apt-get update``.
- Every button, tab or menu it names in 「」 is written as the app shows it in Chinese: each is
  a translation in resources/translations/informant_zh_CN.ts (mnemonics aside).
- It never names one by its English source text in quotes ("Open window"): the Chinese app
  shows no such button.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
TS = REPO / "resources" / "translations" / "informant_zh_CN.ts"
LIVE = ("vanished", "obsolete")


def normalized(text: str) -> str:
    """Drop Qt's mnemonics: 「登记 A 离岗(&O)…」 → 「登记 A 离岗…」, "&Test" → "Test"."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").strip()


def messages() -> list[tuple[str, str]]:
    """Return the (source, translation) pairs in use, mnemonics dropped."""
    pairs = []
    for message in ET.parse(TS).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in LIVE or not translation.text:
            continue
        pairs.append((normalized(message.findtext("source") or ""), normalized(translation.text)))
    return pairs


def shows(translation: str, quoted: str) -> bool:
    """Whether the app's text ``translation`` reads ``quoted`` ({name} stands for any text)."""
    parts = re.split(r"\{\w+\}", translation)
    return re.fullmatch(".+?".join(map(re.escape, parts)), quoted) is not None


def prose() -> str:
    """The README without its code blocks."""
    return re.sub(r"```.*?```", "", README.read_text(encoding="utf-8"), flags=re.S)


def apt_packages() -> tuple[list[str], str]:
    """Return the packages of the README's ``apt-get install`` and the text before it."""
    text = README.read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```sh\n(.*?)```", text, re.S) if "apt-get install" in b)
    before, _, command = block.partition("apt-get install")
    return command.replace("\\\n", " ").split(), before


def test_the_apt_list_has_what_qt_and_xvfb_run_need() -> None:
    packages, before = apt_packages()
    assert {"libglib2.0-0", "xvfb", "fonts-noto-cjk", "libxcb-cursor0"} <= set(packages)
    assert "apt-get update" in before
    assert "xvfb-run" in README.read_text(encoding="utf-8")


def test_every_name_in_corner_brackets_is_the_apps_chinese_text() -> None:
    quoted = re.findall(r"「([^」]+)」", prose())
    assert len(quoted) >= 15, quoted
    translations = [translation for _source, translation in messages()]
    unknown = [q for q in quoted if not any(shows(t, normalized(q)) for t in translations)]
    assert unknown == []


def test_no_button_is_named_by_its_english_source_in_quotes() -> None:
    sources = {source.rstrip("…") for source, _translation in messages() if len(source) > 3}
    quoted = re.findall(r'"([^"\n]+)"', prose())
    english = [q for q in quoted if normalized(q).rstrip("…") in sources]
    assert english == []
    for name in ("Open window", "Cut the network", "Mark A off duty"):
        assert f'"{name}' not in prose()
