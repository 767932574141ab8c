"""The desktop app's command line as a user runs it: ``python -m informant_app ARGS``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_app(
    *args: str | Path, env: dict[str, str] | None = None, unset: Iterable[str] = ()
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m informant_app ARGS`` from the repository; return what it did.

    The environment is this process's without ``INFORMANT_DATA_DIR`` (and ``unset``), with the
    repository on ``PYTHONPATH`` and ``env`` added.  The output is text; it may take 120 s.
    """
    dropped = {"INFORMANT_DATA_DIR", *unset}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "informant_app", *map(str, args)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
