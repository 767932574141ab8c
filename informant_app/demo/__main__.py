"""``python -m informant_app.demo`` (``make demo``): prepare the demo server, open the launcher."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from informant_app.demo.setup import ACCOUNTS_FILE, launcher_accounts, prepare_server, server_dir


def main(argv: list[str] | None = None) -> int:
    """Prepare the demo server and open the launcher."""
    parser = argparse.ArgumentParser(prog="informant-demo", description=__doc__)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("demo-data"),
        help="the demo folder (default: demo-data)",
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    args = parser.parse_args(argv)
    demo_dir: Path = args.data_dir.resolve()
    fresh = not (demo_dir / ACCOUNTS_FILE).exists()
    if fresh:
        print(f"preparing the demo city server in {server_dir(demo_dir)} …", flush=True)
    try:
        accounts = prepare_server(demo_dir)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    if fresh:
        print(f"sample accounts saved in {demo_dir / ACCOUNTS_FILE}")
    from informant_app.demo.launcher import run_launcher  # Qt only on this path

    return run_launcher(demo_dir, launcher_accounts(accounts), args.lang)


if __name__ == "__main__":
    sys.exit(main())
