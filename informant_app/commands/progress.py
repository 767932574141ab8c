"""Progress of the headless commands on standard error, only when it is a terminal (Qt-free).

A person who runs ``sync`` or ``import`` in a terminal sees one line that updates in place
("正在发送报告 120/480", "正在接收，已收到 3,200 个版本"); a script that redirects standard error,
or reads the ``--json`` summary on standard output, sees nothing extra.
"""

from __future__ import annotations

from typing import TextIO

from informant_app.core.sync.progress import Throttle
from informant_app.core.sync.types import Progress

#: The most lines a second (a terminal on a slow remote link keeps up).
PER_SECOND = 5


class TerminalProgress:
    """Writes progress to ``err`` in place; a no-op unless ``err`` is a terminal.

    Use it as the core's ``progress`` callback, then call ``end`` once the work is over.
    """

    def __init__(self, err: TextIO, lang: str) -> None:
        self._err = err
        self._zh = lang.startswith("zh")
        self.active = _is_terminal(err)
        self._shown = False
        self._throttle = Throttle(self._write, interval=1.0 / PER_SECOND)

    def __call__(self, progress: Progress) -> None:
        """Show ``progress`` (throttled)."""
        if self.active:
            self._throttle(progress)

    def _write(self, progress: Progress) -> None:
        line = progress.text_zh() if self._zh else progress.text_en()
        self._err.write(f"\r\033[K{line}…")
        self._err.flush()
        self._shown = True

    def end(self) -> None:
        """Finish the line shown (if any) so that what follows starts on its own line."""
        if self._shown:
            self._err.write("\n")
            self._err.flush()
            self._shown = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream
        return False
