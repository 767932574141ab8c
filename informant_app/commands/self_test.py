"""``informant-app --self-test``: check that an installed (or frozen) app has what it needs.

Runs in a temporary data folder and leaves nothing behind: opens the store (the Alembic
migrations run to head), checks the database's revision, loads the division table, loads the
Chinese translations with ``QTranslator`` (a ``QCoreApplication`` only, no window) and, in a
frozen bundle, checks that the city server was left out.  One line per check, in Chinese and
English; exit 0 when every check passed, 1 naming the failed ones.

Qt-free at import: PySide6 is loaded inside the translation checks only.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

EXIT_PASSED = 0
EXIT_FAILED = 1

#: A string of the main window and its Chinese translation (resources/translations).
KNOWN_CONTEXT = "MainWindow"
KNOWN_SOURCE = "Reports"
KNOWN_TRANSLATION = "报告"
#: A string of Qt's own translations (standard dialog buttons) and its Chinese.
QT_KNOWN_CONTEXT = "QPlatformTheme"
QT_KNOWN_SOURCE = "Cancel"
QT_KNOWN_TRANSLATION = "取消"
#: Packages of the city server that a desktop bundle must not contain.
SERVER_MODULES = ("sync.server", "fastapi", "starlette", "uvicorn")
LANGUAGE = "zh_CN"


class CheckFailedError(Exception):
    """A check found something wrong; the message says what (in English)."""


@dataclass(frozen=True)
class Check:
    """One check: its names in both languages and what it runs.

    ``run`` gets the temporary data folder and returns a short detail for the report, or
    raises.  ``frozen_only`` checks are reported as skipped outside a frozen bundle.
    """

    key: str
    zh: str
    en: str
    run: Callable[[Path], str]
    frozen_only: bool = False


def is_frozen() -> bool:
    """Return whether this is a frozen bundle (PyInstaller)."""
    return bool(getattr(sys, "frozen", False))


def check_store(folder: Path) -> str:
    """Open the store in ``folder``: creates the database and migrates it to head."""
    from informant_app.core.store.report_store import ReportStore

    with ReportStore.open(folder) as store:
        total = sum(store.state_counts().values())
    return f"{folder} ({total} reports)"


def check_revision(folder: Path) -> str:
    """Check that the database in ``folder`` is at the newest schema revision."""
    from informant_app.core.paths import database_path
    from informant_app.core.store.migrate import current_revision, head_revision

    current = current_revision(database_path(folder))
    head = head_revision()
    if current != head:
        raise CheckFailedError(f"database revision {current!r}, head {head!r}")
    return head


def check_divisions(_folder: Path) -> str:
    """Load the bundled division table and check it has villages."""
    from sync.contract.divisions import DEFAULT_TABLE, DivisionLevel, DivisionTable
    from sync.contract.resources import resource_path

    table = DivisionTable.from_csv(resource_path("divisions", DEFAULT_TABLE))
    villages = len(table.of_level(DivisionLevel.VILLAGE))
    if not villages:
        raise CheckFailedError(f"no villages in {DEFAULT_TABLE}")
    return f"{DEFAULT_TABLE}: {len(table)} divisions, {villages} villages"


def _translate(name: str, folder: str, context: str, source: str) -> str:
    """Load the translation ``name`` from ``folder`` and return ``source`` translated.

    Uses the running ``QCoreApplication`` or starts one (no platform, no window).
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QTranslator

    translator = QTranslator()
    if not translator.load(name, folder):
        raise CheckFailedError(f"cannot load {name}.qm from {folder}")
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0] if sys.argv else "x"])
    app.installTranslator(translator)
    try:
        return QCoreApplication.translate(context, source)
    finally:
        app.removeTranslator(translator)


def check_translation(_folder: Path) -> str:
    """Check that the app's Chinese translation loads and translates a main-window string."""
    from sync.contract.resources import resource_path

    translated = _translate(
        f"informant_{LANGUAGE}", str(resource_path("translations")), KNOWN_CONTEXT, KNOWN_SOURCE
    )
    if translated != KNOWN_TRANSLATION:
        raise CheckFailedError(
            f"{KNOWN_CONTEXT} {KNOWN_SOURCE!r} → {translated!r}, expected {KNOWN_TRANSLATION!r}"
        )
    return f"{KNOWN_SOURCE} → {translated}"


def check_qt_translation(_folder: Path) -> str:
    """Check that Qt's own Chinese translation (``qtbase``) is there, as the window loads it."""
    from PySide6.QtCore import QLibraryInfo

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translated = _translate(f"qtbase_{LANGUAGE}", folder, QT_KNOWN_CONTEXT, QT_KNOWN_SOURCE)
    if translated != QT_KNOWN_TRANSLATION:
        raise CheckFailedError(
            f"{QT_KNOWN_SOURCE!r} → {translated!r}, expected {QT_KNOWN_TRANSLATION!r}"
        )
    return f"{QT_KNOWN_SOURCE} → {translated}"


def check_no_server(_folder: Path) -> str:
    """Check that the city server and its web stack cannot be imported (not bundled)."""
    present = []
    for name in SERVER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        present.append(name)
    if present:
        raise CheckFailedError("bundled but must not be: " + ", ".join(present))
    return "absent: " + ", ".join(SERVER_MODULES)


CHECKS: tuple[Check, ...] = (
    Check(
        "store",
        "在临时数据文件夹中打开数据库（运行迁移）",
        "open the store in a temporary data folder (runs the migrations)",
        check_store,
    ),
    Check("revision", "数据库版本为最新", "database revision is the head", check_revision),
    Check("divisions", "加载行政区划表", "load the division table", check_divisions),
    Check("translation", "加载中文界面翻译", "load the Chinese translation", check_translation),
    Check(
        "qt-translation",
        "加载 Qt 自带中文翻译",
        "load Qt's own Chinese translation",
        check_qt_translation,
    ),
    Check(
        "no-server",
        "安装包不含城市服务器",
        "the city server is not bundled",
        check_no_server,
        frozen_only=True,
    ),
)


def run_self_test(
    out: TextIO, *, frozen: bool | None = None, checks: tuple[Check, ...] = CHECKS
) -> int:
    """Run every check, print one line each to ``out``; return the exit code.

    Args:
        out: where the report goes.
        frozen: whether to run the frozen-only checks; ``None`` asks ``sys.frozen``.
        checks: the checks to run (tests pass their own).
    """
    frozen = is_frozen() if frozen is None else frozen
    failed: list[Check] = []
    with tempfile.TemporaryDirectory(
        prefix="informant-self-test-", ignore_cleanup_errors=True
    ) as tmp:
        folder = Path(tmp) / "data"
        for check in checks:
            label = f"{check.zh} / {check.en}"
            if check.frozen_only and not frozen:
                print(
                    f"[跳过 SKIP] {label}: 仅检查安装包 / only checked in a frozen bundle", file=out
                )
                continue
            try:
                detail = check.run(folder)
            except Exception as exc:  # every failure is reported, never raised
                failed.append(check)
                print(f"[失败 FAIL] {label}: {type(exc).__name__}: {exc}", file=out)
            else:
                print(f"[通过 PASS] {label}: {detail}", file=out)
    if failed:
        zh = "、".join(c.zh for c in failed)
        en = ", ".join(c.en for c in failed)
        print(f"自检失败：{zh} / self-test FAILED: {en}", file=out)
        return EXIT_FAILED
    print("自检通过 / self-test passed", file=out)
    return EXIT_PASSED


def main(out: TextIO | None = None) -> int:
    """Run the self-test on standard output (a windowed Windows build has none: exit code only).

    Args:
        out: where the report goes; ``None`` means standard output.
    """
    if out is None:
        stdout = sys.stdout
        if stdout is None:
            out = io.StringIO()
        else:
            if isinstance(stdout, io.TextIOWrapper):
                stdout.reconfigure(errors="replace")  # a console without Chinese glyphs
            out = stdout
    code = run_self_test(out)
    out.flush()
    return code
