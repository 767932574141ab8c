"""The headless command line: ``import``, ``status``, ``export``, ``login``, ``logout``, ``sync``.

Also ``township-report`` (a reviewer's township report and its 快报表 export), and the
``--self-test`` flag (``informant_app.commands.self_test``: checks an installed or frozen app).

Qt-free: nothing here (or in what it imports) loads PySide6.  Messages follow ``--lang``
(Chinese by default).  Exit codes: 0 done, 1 the store cannot be used (disk full, newer
database…) or sign-in failed, 2 bad input (unreadable or invalid import file, bad arguments).
``sync`` prints the round's JSON summary and exits 0 when nothing is left queued, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from informant_app.commands.progress import TerminalProgress
from informant_app.commands.sync import add_sync_commands, run_sync_command, sync_status_json
from informant_app.commands.township import add_review_commands, run_review_command
from informant_app.core.paths import data_dir as resolve_data_dir
from informant_app.core.reports.exporting import write_csv, write_json
from informant_app.core.reports.importing import ImportRefusedError, import_reports, read_document
from informant_app.core.store.errors import StoreError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState

EXIT_OK = 0
EXIT_STORE = 1
EXIT_INPUT = 2
#: At most this many problems are listed when an import is refused.
MAX_PROBLEMS_SHOWN = 20

STATE_LABELS: dict[ReportState, tuple[str, str]] = {
    ReportState.DRAFT: ("草稿", "draft"),
    ReportState.QUEUED: ("待发送", "queued"),
    ReportState.SENDING: ("发送中", "sending"),
    ReportState.RECEIVED: ("已接收", "received"),
    ReportState.CONFLICT: ("有冲突", "conflict"),
    ReportState.ERROR: ("被退回/出错", "error"),
}


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang.startswith("zh") else en


def language(value: str) -> str:
    """Parse ``--lang`` (``zh``, ``zh_CN``, ``en``, ``en_US`` …) into ``zh_CN`` or ``en``."""
    norm = value.strip().replace("-", "_").lower()
    if norm.startswith("zh"):
        return "zh_CN"
    if norm.startswith("en"):
        return "en"
    raise argparse.ArgumentTypeError(f"unsupported language / 不支持的语言: {value}")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (global options and sub-commands)."""
    parser = argparse.ArgumentParser(
        prog="informant-app",
        description="灾害信息员报灾软件 / disaster reporting for village informants. "
        "Without a command the window opens.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="数据文件夹 / data folder (default: $INFORMANT_DATA_DIR or the per-user data folder)",
    )
    parser.add_argument(
        "--lang", type=language, default=None, help="界面语言 zh|en / language zh|en (default zh)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="自检（临时文件夹、数据库迁移、区划表、翻译）后退出 / check the "
        "installation in a temporary folder and exit (0 passed, 1 failed)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = commands.add_parser(
        "import", help="导入报告文件 / import a file of reports (docs/import-format.md)"
    )
    imp.add_argument("file", type=Path, metavar="FILE.json")
    imp.add_argument(
        "--submit",
        action="store_true",
        help="按全部规则审核后报送（排队发送）/ check with every rule and submit",
    )

    status = commands.add_parser("status", help="各状态报告数 / reports per state")
    status.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")

    export = commands.add_parser("export", help="导出已报送的报告 / export submitted reports")
    export.add_argument("--format", choices=("csv", "json"), required=True, dest="fmt")
    export.add_argument("out", type=Path, metavar="OUT")
    add_sync_commands(commands)
    add_review_commands(commands)
    return parser


def run(args: argparse.Namespace, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run a parsed sub-command; return the exit code."""
    lang: str = args.lang or "zh_CN"
    folder = resolve_data_dir(args.data_dir)
    try:
        with ReportStore.open(folder) as store:
            if args.command == "import":
                return _import(store, args.file, args.submit, lang, out, err)
            if args.command == "status":
                return _status(store, args.json, lang, out)
            if args.command == "export":
                return _export(store, args.fmt, args.out, lang, out, err)
            code = run_sync_command(store, args, lang, out, err)
            if code is None:
                code = run_review_command(store, args, lang, out, err)
            if code is not None:
                return code
    except StoreError as exc:
        print(exc.message(lang), file=err)
        return EXIT_STORE
    raise ValueError(f"unknown command {args.command!r}")


def _import(
    store: ReportStore, file: Path, submit: bool, lang: str, out: TextIO, err: TextIO
) -> int:
    progress = TerminalProgress(err, lang)
    try:
        summary = import_reports(store, read_document(file), submit=submit, progress=progress)
    except ImportRefusedError as exc:
        progress.end()
        problems = exc.problems
        print(
            _t(
                lang,
                f"导入被拒绝，未导入任何报告（{len(problems)} 处问题）：",
                f"import refused, nothing was imported ({len(problems)} problem(s)):",
            ),
            file=err,
        )
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            print("  " + problem.message(lang), file=err)
        if len(problems) > MAX_PROBLEMS_SHOWN:
            more = len(problems) - MAX_PROBLEMS_SHOWN
            print(_t(lang, f"  ……另有 {more} 处问题", f"  … and {more} more"), file=err)
        return EXIT_INPUT
    finally:
        progress.end()
    if summary.submitted:
        print(
            _t(
                lang,
                f"已导入并报送 {summary.imported} 份报告，跳过已存在的 {summary.skipped} 份。",
                f"imported and submitted {summary.imported} report(s); skipped "
                f"{summary.skipped} already present.",
            ),
            file=out,
        )
    else:
        print(
            _t(
                lang,
                f"已导入 {summary.imported} 份草稿，跳过已存在的 {summary.skipped} 份。",
                f"imported {summary.imported} draft(s); skipped {summary.skipped} already present.",
            ),
            file=out,
        )
    return EXIT_OK


def _status(store: ReportStore, as_json: bool, lang: str, out: TextIO) -> int:
    counts = store.state_counts()
    total = sum(counts.values())
    if as_json:
        document: dict[str, int] = {state.value: n for state, n in counts.items()}
        document["total"] = total
        document.update(sync_status_json(store))
        print(json.dumps(document, ensure_ascii=False), file=out)
        return EXIT_OK
    for state, n in counts.items():
        zh, en = STATE_LABELS[state]
        print(f"{_t(lang, zh, en)}: {n}", file=out)
    print(f"{_t(lang, '合计', 'total')}: {total}", file=out)
    sending = sync_status_json(store)
    if sending["photos_pending"]:
        print(
            f"{_t(lang, '待发送照片', 'photos still to send')}: {sending['photos_pending']}",
            file=out,
        )
    if sending["received_without_photos"]:
        line = _t(lang, "服务器已收到但照片未齐的报告", "reports received without all their photos")
        print(f"{line}: {sending['received_without_photos']}", file=out)
    return EXIT_OK


def _export(store: ReportStore, fmt: str, target: Path, lang: str, out: TextIO, err: TextIO) -> int:
    try:
        count = write_csv(store, target) if fmt == "csv" else write_json(store, target)
    except OSError as exc:  # the output file, not the data folder
        print(
            _t(
                lang, f"无法写入 {target}：{exc.strerror}", f"cannot write {target}: {exc.strerror}"
            ),
            file=err,
        )
        return EXIT_INPUT
    print(
        _t(lang, f"已导出 {count} 份报告到 {target}", f"exported {count} report(s) to {target}"),
        file=out,
    )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run a sub-command, or open the window when none is given.

    ``--self-test`` runs ``informant_app.commands.self_test`` instead (its own temporary data
    folder).
    The window gets ``--data-dir`` as given (``None`` when absent: it resolves the folder
    itself) and ``--lang`` as ``zh_CN``/``en`` (``None`` when absent: its saved setting wins).
    """
    args = build_parser().parse_args(argv)
    if args.self_test:
        from informant_app.commands.self_test import main as self_test  # Qt only inside its checks

        return self_test()
    if args.command is None:
        from informant_app.app import run_gui  # Qt is loaded only for the window

        result: int = run_gui(args.data_dir, args.lang)
        return result
    return run(args)
