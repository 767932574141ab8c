"""``python -m bench``: run the benchmarks, print the table, write the JSON.

    python -m bench [--quick] [--full] [--only push,wire,...] [--no-postgres]
                    [--out bench-results.json]

Each module (``bench/<name>.py`` with ``run(options) -> list[Figure]``) runs in its own fresh
temporary folder.  A module that is missing is skipped with a line saying so; a module that
fails prints its error and the run goes on (the exit status is then 1).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.figures import Figure, Options, table

MODULES = ("push", "pull", "wire", "weak_link", "local_store", "city_load")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _postgres_version() -> str | None:
    try:
        import psycopg

        from bench.server import POSTGRES_ADMIN_URL

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else None
    except Exception:  # no PostgreSQL is a fact to record
        return None


def machine() -> dict[str, Any]:
    """Return what the figures were measured on."""
    ram = _ram_bytes()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_bytes": ram,
        "ram_gib": round(ram / 2**30, 1) if ram else None,
        "python": sys.version.split()[0],
        "os": platform.platform(),
        "postgres": _postgres_version(),
        "git_commit": _git_commit(),
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
            cwd=Path(__file__).resolve().parents[1],
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="the small sizes of the tests")
    parser.add_argument(
        "--full", action="store_true", help="the issue's full sizes where the default scales down"
    )
    parser.add_argument("--only", default="", help=f"comma-separated of {', '.join(MODULES)}")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--out", default="bench-results.json", help="the JSON to write")
    return parser.parse_args(argv)


def run_module(name: str, options_for: Any) -> tuple[list[Figure], dict[str, Any]]:
    """Run one module in a fresh folder; return its figures and a record of the run."""
    record: dict[str, Any] = {"module": name}
    try:
        module = importlib.import_module(f"bench.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"bench.{name}":
            print(f"-- {name}: skipped (bench/{name}.py is not there)", flush=True)
            record["status"] = "missing"
            return [], record
        raise
    print(f"-- {name}: running …", flush=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as folder:
        figures: list[Figure] = list(module.run(options_for(Path(folder))))
    record.update(status="ok", seconds=round(time.perf_counter() - start, 1))
    print(f"-- {name}: {len(figures)} figures in {record['seconds']} s", flush=True)
    return figures, record


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    chosen = [m.strip() for m in args.only.split(",") if m.strip()] or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(MODULES)}",
            file=sys.stderr,
        )
        return 2

    def options_for(folder: Path) -> Options:
        return Options(
            workdir=folder, quick=args.quick, full=args.full, postgres=not args.no_postgres
        )

    figures: list[Figure] = []
    runs: list[dict[str, Any]] = []
    failed = False
    for name in chosen:
        try:
            got, record = run_module(name, options_for)
        except Exception as exc:  # one module failing must not stop the rest
            failed = True
            print(f"-- {name}: FAILED: {type(exc).__name__}: {exc}", flush=True)
            traceback.print_exc()
            runs.append(
                {"module": name, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}
            )
            continue
        figures += got
        runs.append(record)
    print()
    print(table(figures) if figures else "(no figures)")
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commands": {
            "argv": shlex.join([sys.executable, "-m", "bench", *(argv or sys.argv[1:])]),
            "options": {
                "quick": args.quick,
                "full": args.full,
                "postgres": not args.no_postgres,
                "only": chosen,
            },
        },
        "modules": runs,
        "figures": [f.to_json() for f in figures],
    }
    Path(args.out).write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nwritten: {args.out}")
    unmet = [f for f in figures if f.met is False]
    if unmet:
        print(f"goals not met: {len(unmet)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
