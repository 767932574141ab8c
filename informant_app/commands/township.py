"""The ``township-report`` sub-command of the headless command line (Qt-free).

``informant-app --data-dir D township-report --event E --stage S [--export OUT] [--json]``
fetches the township report of the signed-in reviewer (the kept copy when the server cannot
be reached), prints it, and writes the 快报表 as .xlsx or .csv (by the file's suffix, or
``--format``).  Exit codes: 0 done, 1 no report (offline without a copy, refused), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from informant_app.core.review.service import (
    ReviewRefusedError,
    ReviewUnavailableError,
    TownshipReport,
    export_township_report,
    fetch_township_report,
)
from informant_app.core.store.report_store import ReportStore
from sync.contract import INDICATOR_BY_FIELD, ReportStage
from sync.contract.report import figure_to_json

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT = 2


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang.startswith("zh") else en


def add_review_commands(commands: Any) -> None:
    """Add ``township-report`` to the sub-command parsers."""
    report = commands.add_parser(
        "township-report",
        help="乡镇快报表（审核账号；需联网或已保存的副本）/ the township "
        "report (reviewer account; online or a kept copy)",
    )
    report.add_argument(
        "--event", required=True, metavar="EVENT_UUID", help="灾害过程编号 / the event's uuid"
    )
    report.add_argument(
        "--stage",
        required=True,
        choices=[s.value for s in ReportStage],
        help="报告阶段 / report stage",
    )
    report.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="OUT",
        help="导出快报表 .xlsx 或 .csv / write the quick report",
    )
    report.add_argument(
        "--format",
        choices=("xlsx", "csv"),
        default=None,
        dest="fmt",
        help="导出格式（默认按文件后缀）/ export format (default: by suffix)",
    )
    report.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")


def report_json(report: TownshipReport) -> dict[str, Any]:
    """Return the JSON summary of a township report."""

    def figures(values: dict[str, Any]) -> dict[str, Any]:
        return {k: figure_to_json(k, v) for k, v in values.items() if k in INDICATOR_BY_FIELD}

    return {
        "township_code": report.township_code,
        "township_name": report.township_name,
        "event_uuid": report.event_uuid,
        "event_name": report.event_name,
        "stage": report.stage.value,
        "from_cache": report.from_cache,
        "fetched_at": report.fetched_at.isoformat(),
        "submitted": report.submitted,
        "villages": [
            {
                "village_code": v.village_code,
                "village_name": v.village_name,
                "version_uuid": v.version_uuid,
                "figures": figures(v.figures),
            }
            for v in report.villages
        ],
        "adjustments": [
            {
                "field": a.field,
                "delta": figure_to_json(a.field, a.delta),
                "reason": a.reason,
                "made_by": a.made_by,
            }
            for a in report.adjustments
        ],
        "total": figures(report.total),
        "check_ok": not report.check_issues,
    }


def run_review_command(
    store: ReportStore, args: argparse.Namespace, lang: str, out: TextIO, err: TextIO
) -> int | None:
    """Run ``township-report``; ``None`` for any other command."""
    if args.command != "township-report":
        return None
    fmt = args.fmt
    if args.export is not None and fmt is None:
        fmt = args.export.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            print(
                _t(
                    lang,
                    "导出文件须为 .xlsx 或 .csv（或用 --format 指定）",
                    "the export file must be .xlsx or .csv (or give --format)",
                ),
                file=err,
            )
            return EXIT_INPUT
    try:
        report = fetch_township_report(store, args.event, ReportStage(args.stage))
    except (ReviewUnavailableError, ReviewRefusedError) as exc:
        print(exc.message(lang), file=err)
        return EXIT_FAILED
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False), file=out)
    else:
        source = _t(lang, "（离线副本）", " (kept copy)") if report.from_cache else ""
        print(
            f"{report.township_name} {report.event_name} {report.stage.label(lang)}{source}",
            file=out,
        )
        print(
            _t(
                lang,
                f"已审核村数：{len(report.villages)}；调整数：{len(report.adjustments)}",
                f"approved villages: {len(report.villages)}; adjustments: "
                f"{len(report.adjustments)}",
            ),
            file=out,
        )
    if args.export is not None:
        try:
            export_township_report(report, str(args.export), fmt)
        except OSError as exc:
            print(
                _t(
                    lang,
                    f"无法写入 {args.export}：{exc.strerror}",
                    f"cannot write {args.export}: {exc.strerror}",
                ),
                file=err,
            )
            return EXIT_INPUT
        if not args.json:
            print(
                _t(
                    lang,
                    f"已导出快报表到 {args.export}",
                    f"the quick report was written to {args.export}",
                ),
                file=out,
            )
    return EXIT_OK
