"""The pinned Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 dropped a reference to ``None`` on every void call under Python 3.11 and the
interpreter aborted after a few thousand calls ("none_dealloc").  This guards any upgrade.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit

class Emitter(QObject):
    flag = Signal(bool)

app = QApplication([])
edit, box, emitter = QLineEdit(), QCheckBox(), Emitter()
emitter.flag.connect(lambda value: None)
before = [sys.getrefcount(x) for x in (None, True, False)]
for _ in range(20000):
    edit.setText("x")
    box.setChecked(True)
    emitter.flag.emit(True)
    emitter.flag.emit(False)
after = [sys.getrefcount(x) for x in (None, True, False)]
print(max(abs(a - b) for a, b in zip(after, before)))
"""


def test_void_calls_and_signals_do_not_leak_singleton_references() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.strip().splitlines()[-1]) < 100
