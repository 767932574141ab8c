"""`make demo`: a demo data folder with sample reports in every state, then the app.

The folder is ``demo-data/`` in the current directory (``--data-dir`` overrides it).  It is
seeded once; delete it to start over.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from informant_app.core.sample import seed_demo
from informant_app.core.store import ReportStore


def prepare(data_dir: Path) -> bool:
    """Seed ``data_dir`` with the demo profile and reports unless it has them; True if seeded."""
    with ReportStore.open(data_dir) as store:
        if store.profile() is not None:
            return False
        seed_demo(store)
        return True


def main(argv: list[str] | None = None) -> int:
    """Prepare the demo folder and open the app on it."""
    parser = argparse.ArgumentParser(prog="informant-demo", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("demo-data"))
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=None)
    args = parser.parse_args(argv)
    if prepare(args.data_dir):
        print(f"demo data created in {args.data_dir.resolve()}")
    from informant_app.app import run_gui  # Qt only on this path

    return run_gui(args.data_dir, args.lang)


if __name__ == "__main__":
    sys.exit(main())
