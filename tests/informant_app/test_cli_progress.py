"""The headless commands show progress on standard error when it is a terminal, and nothing
extra otherwise (issue 17, item 14).  ``sync`` on a terminal: tests/informant_app/core/sync/
test_sync_progress.py (its real server).
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from informant_app.commands.main import build_parser, run
from informant_app.core.reports.sample import make_reports


class Terminal:
    """A pseudo-terminal: ``err`` is its end the command writes to; ``text`` what it showed."""

    def __init__(self) -> None:
        self._master, slave = os.openpty()
        self.err: TextIO = open(slave, "w", encoding="utf-8", closefd=True)  # noqa: SIM115
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 4096)
            except OSError:  # the other end closed
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    def close(self) -> str:
        self.err.close()
        self._reader.join(10)
        os.close(self._master)
        return b"".join(self._chunks).decode("utf-8")


def on_terminal(command: Callable[[TextIO, TextIO], int]) -> tuple[int, str, str]:
    """Run ``command(out, err)`` with ``err`` on a terminal; return its code, out and err."""
    terminal = Terminal()
    out = io.StringIO()
    try:
        code = command(out, terminal.err)
    finally:
        shown = terminal.close()
    return code, out.getvalue(), shown


def test_import_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    file = tmp_path / "reports.json"
    file.write_text(json.dumps(make_reports(60, seed=7), ensure_ascii=False), encoding="utf-8")
    args = build_parser().parse_args(["--data-dir", str(tmp_path / "a"), "import", str(file)])
    code, out, shown = on_terminal(lambda out, err: run(args, out, err))
    assert code == 0, shown
    assert "正在读取记录 0/60…" in shown and "正在读取记录 60/60…" in shown
    assert "\r\033[K" in shown and shown.endswith("\n")  # one line, updated in place
    assert out.startswith("已导入 60 份草稿") and "正在" not in out
    # not a terminal: nothing on standard error, the same on standard output
    args = build_parser().parse_args(["--data-dir", str(tmp_path / "b"), "import", str(file)])
    out_file, err_file = io.StringIO(), io.StringIO()
    assert run(args, out_file, err_file) == 0
    assert err_file.getvalue() == "" and out_file.getvalue() == out
