"""``city-server register import FILE``: import the informant register (花名册) as the operator.

::

    city-server register import 花名册.xlsx --dry-run --report 试导入结果.xlsx
    city-server register import 花名册.xlsx

Reads the sheet (``.xlsx`` or ``.csv``, ``sync.contract.register``), judges every row like
``POST /api/v1/admin/register/import`` (the operator reaches every division), and without
``--dry-run`` imports all rows in one transaction, or none when any row is refused.  Prints the
counts and each refused row with its reason (``--json``: the whole result as JSON);
``--report`` writes the sheet with the columns 结果 and 原因.  Exit 2 when a row was refused
or the file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from sync.contract.register import RegisterSheetError, read_register, write_report
from sync.server.db import Database, utc_now
from sync.server.services.register import import_register
from sync.server.settings import Settings

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_register_parser(sub: Any) -> None:
    """Add ``register import`` to the sub-commands of ``city-server``."""
    register = sub.add_parser("register", help="the informant register (花名册)").add_subparsers(
        dest="register_command", required=True
    )
    run = register.add_parser(
        "import", help="import the register from .xlsx or .csv (all rows or none)"
    )
    run.add_argument("file", type=Path, metavar="FILE", help="the register (.xlsx or .csv)")
    run.add_argument("--dry-run", action="store_true", help="judge every row, change nothing")
    run.add_argument(
        "--report",
        type=Path,
        metavar="OUT.xlsx",
        help="write the sheet with the columns 结果 and 原因 (.xlsx, or .csv)",
    )
    run.add_argument("--json", action="store_true", help="print the result as JSON")


def cmd_register(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Run ``register import``; return the exit code (2 when a row was refused)."""
    try:
        sheet = read_register(args.file)
    except RegisterSheetError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = import_register(db, None, sheet.entries, args.dry_run, utc_now())
    if args.report is not None:
        try:
            write_report(sheet, result, args.report)
        except OSError as exc:
            print(
                f"错误：无法写入报告 {args.report}\nerror: cannot write the report: {exc}",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(msgspec.to_builtins(result), ensure_ascii=False, indent=2))
    else:
        mode = "试导入（未写入）/ dry run (nothing changed)" if result.dry_run else "导入 / import"
        print(f"{mode}: {args.file}")
        print(
            f"新建 created {result.created}，更新 updated {result.updated}，"
            f"不变 unchanged {result.unchanged}，拒绝 refused {result.refused}"
        )
        for row in result.rows:
            if row.outcome == "refused":
                print(f"第 {row.row} 行 / row {row.row}: {row.reason_zh} / {row.reason_en}")
        if result.applied:
            print("已写入 / applied")
        elif result.refused:
            print("有被拒绝的行，未写入任何内容 / rows were refused: nothing was applied")
        elif not result.dry_run:
            print("与系统中一致，没有需要写入的内容 / as in the system: nothing to change")
        if args.report is not None:
            print(f"报告 / report: {args.report}")
    return EXIT_BAD_INPUT if result.refused else EXIT_OK
