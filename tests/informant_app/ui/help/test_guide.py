"""Help → User guide (使用说明, F1): the pages per role in Chinese and English, their pictures,
the UI names they quote, and the screenshot script's list of shots."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from informant_app.core.store.types import Profile
from informant_app.ui.help.guide_dialog import (
    PAGES,
    ROLE_PAGES,
    GuideDialog,
    guide_dir,
    page_for_role,
)
from informant_app.ui.window.main_window import MainWindow

REPO = Path(__file__).resolve().parents[4]
TS_FILE = REPO / "resources" / "translations" / "informant_zh_CN.ts"
SHOTS_SCRIPT = REPO / "tools" / "make_guide_shots.py"
LANGUAGES = ("zh_CN", "en")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
QUOTED = re.compile(r"「([^」]+)」")


def pages(lang: str) -> dict[str, str]:
    return {page: (guide_dir() / lang / f"{page}.md").read_text(encoding="utf-8") for page in PAGES}


def ui_name(text: str) -> str:
    """A UI text as a person reads it: no accelerator, HTML tags, trailing "…" or colon."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\(&.\)", "", text).replace("&", "")
    return text.strip().rstrip("…").rstrip(".").rstrip("：:").strip()


def chinese_ui_names() -> set[str]:
    names = set()
    for message in ET.parse(TS_FILE).getroot().iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.text:
            names.add(ui_name(translation.text))
    return names


def test_every_page_exists_in_both_languages_with_a_title() -> None:
    for lang in LANGUAGES:
        for page, text in pages(lang).items():
            assert text.startswith("# "), (lang, page)
            assert len(text) > 300, (lang, page)
    assert set(ROLE_PAGES.values()) <= set(PAGES)


def test_every_image_a_page_shows_exists_and_the_script_makes_exactly_those() -> None:
    shown: set[str] = set()
    for lang in LANGUAGES:
        for page, text in pages(lang).items():
            for ref in IMAGE.findall(text):
                path = (guide_dir() / lang / ref).resolve()
                assert path.is_file(), (lang, page, ref)
                assert path.parent == (guide_dir() / "shots").resolve(), ref
                shown.add(path.stem)
    # SHOTS in tools/make_guide_shots.py, read without running the script
    tree = ast.parse(SHOTS_SCRIPT.read_text(encoding="utf-8"))
    shots = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "SHOTS"
    )
    assert isinstance(shots, ast.Dict)
    made = {str(key.value) for key in shots.keys if isinstance(key, ast.Constant)}
    assert made == shown
    for name in made:
        assert (guide_dir() / "shots" / f"{name}.png").stat().st_size < 200_000, name


def test_the_chinese_pages_name_only_buttons_that_exist() -> None:
    known = chinese_ui_names()
    unknown = [
        (page, name)
        for page, text in pages("zh_CN").items()
        for name in QUOTED.findall(text)
        if name not in known
    ]
    assert unknown == []
    assert "新建报告" in known and "新建报告（N）" not in known  # the rule reads the .ts


def test_the_pages_use_the_terms_of_the_statistical_system() -> None:
    text = "".join(pages("zh_CN").values())
    assert "A岗" not in text and "B岗" not in text
    for term in ("A角", "B角", "信息员", "乡镇审核员", "北京时间", "初报", "续报"):
        assert term in text, term


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("village_informant", "informant"),
        ("township_reviewer", "reviewer"),
        ("county_admin", "admin"),
        ("city_admin", "admin"),
        (None, "informant"),
    ],
)
def test_the_guide_opens_on_the_page_of_the_role(qtbot: QtBot, role: str | None, page: str) -> None:
    assert page_for_role(role) == page
    dialog = GuideDialog("en", role)
    qtbot.addWidget(dialog)
    assert dialog.current_page() == page
    assert dialog.pages.currentRow() == PAGES.index(page)
    assert not dialog.isModal()


def test_the_guide_in_chinese_shows_its_pages_and_pictures(qtbot: QtBot, chinese: None) -> None:
    dialog = GuideDialog("zh_CN", "township_reviewer")
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "使用说明"
    titles = [dialog.pages.item(i).text() for i in range(dialog.pages.count())]
    assert titles == ["使用说明", "村（社区）信息员", "乡镇审核员", "县、市管理员"]
    assert dialog.pages.currentItem().text() == "乡镇审核员"
    assert "乡镇报表" in dialog.browser.toPlainText()
    # the page's screenshots load, no wider than the pane
    html = dialog.browser.toHtml()
    assert "reviewer_queue.png" in html and "reviewer_township.png" in html
    image = dialog.browser.document().resource(
        QTextDocument.ResourceType.ImageResource.value, _url("shots", "reviewer_queue.png")
    )
    assert isinstance(image, QImage) and not image.isNull()
    assert image.width() <= dialog.browser.viewport().width()
    # the keyboard: Down in the list shows the next page; Tab goes to the page, then on
    dialog.activateWindow()
    dialog.pages.setFocus()
    QTest.keyClick(dialog.pages, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: dialog.current_page() == "admin")
    QTest.keyClick(dialog.pages, Qt.Key.Key_Tab)
    qtbot.waitUntil(dialog.browser.hasFocus)
    QTest.keyClick(dialog.browser, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not dialog.browser.hasFocus())
    assert "花名册导入" in dialog.browser.toPlainText()
    # a link in the index leads to a page, and the list follows
    dialog.show_page("index")
    dialog.browser.setSource(
        _url("zh_CN", "informant.md"), QTextDocument.ResourceType.MarkdownResource
    )
    qtbot.waitUntil(lambda: dialog.pages.currentItem().text() == "村（社区）信息员")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _url(folder: str, name: str) -> QUrl:
    return QUrl.fromLocalFile(str(guide_dir() / folder / name))


# popping a menu up offscreen: the platform cannot raise it or grab the keyboard for it
@pytest.mark.qt_log_ignore(
    "^This plugin does not support raise\\(\\)$",
    "^This plugin does not support grabbing the keyboard$",
)
def test_help_menu_has_the_guide_on_f1(
    qtbot: QtBot, chinese: None, profiled: Profile, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("zh_CN")
    qtbot.waitUntil(lambda: window.profile is not None)
    actions = window.help.menu.actions()
    assert actions[0] is window.help.act_guide
    assert window.help.act_guide.text() == "使用说明(&U)"
    assert window.help.act_guide.shortcut() == QKeySequence("F1")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.help.dialog_opened) as opened:
        QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = opened.args[0]
    assert isinstance(dialog, GuideDialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.current_page() == "informant"  # a local profile files village reports
    # F1 again raises the same window rather than opening another
    window.activateWindow()
    with qtbot.waitSignal(window.help.dialog_opened) as again:
        window.help.act_guide.trigger()
    assert again.args[0] is dialog
    dialog.close()
    qtbot.waitUntil(lambda: window.help.guide_dialog is None)
