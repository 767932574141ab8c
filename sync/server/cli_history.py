"""``city-server history load FILE``: file a past year's village reports (e.g. the 2021 sample).

::

    city-server history load resources/sample/baoshan_history_2021.json

Pushes every version through the real ingest as its village's informant and makes every
decision as the township's reviewer (``sync.server.history``).  Import the register first: each
village and township of the file needs someone on its post.  Loading again changes nothing.
Exit 2 when the file cannot be read, a post is empty, or a version or decision was not taken.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sync.server.db import Database
from sync.server.history import HistoryError, load_history, read_history
from sync.server.settings import Settings

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_history_parser(sub: Any) -> None:
    """Add ``history load`` to the sub-commands of ``city-server``."""
    history = sub.add_parser("history", help="a past year's reports").add_subparsers(
        dest="history_command", required=True
    )
    load = history.add_parser("load", help="file a history file's reports and decisions")
    load.add_argument("file", type=Path, metavar="FILE", help="the history file (.json)")
    load.add_argument("--json", action="store_true", help="print the result as JSON")


def cmd_history(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Run ``history load``; return the exit code (2 when anything was not taken)."""
    try:
        result = load_history(db, read_history(args.file))
    except HistoryError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            f"报告版本 {result.versions}：新接收 {result.accepted}，此前已有 {result.duplicate}\n"
            f"versions {result.versions}: accepted {result.accepted}, "
            f"already there {result.duplicate}\n"
            f"审核决定 {result.decisions}：生效 {result.decided}，此前已有 "
            f"{result.decisions_duplicate}\n"
            f"decisions {result.decisions}: applied {result.decided}, "
            f"already there {result.decisions_duplicate}"
        )
        for problem in result.problems:
            print(f"未接收 / not taken: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT if result.problems else EXIT_OK
