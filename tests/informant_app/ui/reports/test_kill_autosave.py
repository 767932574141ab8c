"""A killed app loses nothing that was typed before the autosave: the draft is in the store."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from tests.informant_app.ui.drivers import edit_draft

DRIVER = Path(edit_draft.__file__)
READY_TIMEOUT_S = 60


def read_line(stream: IO[str], timeout: float) -> str | None:
    """Return the next line of ``stream``, or ``None`` when none arrives within ``timeout``."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_after_the_autosave_keeps_the_typed_draft(
    data_dir: Path, profiled: object, seed: Callable[[Callable[[ReportStore], Any]], Any]
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = read_line(process.stdout, READY_TIMEOUT_S)
        if not line or not line.startswith("READY "):
            process.kill()
            _out, err = process.communicate(timeout=10)
            pytest.fail(f"the driver never got ready: {line!r}\n{err}")
        version_uuid = line.split()[1]
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()

    draft = seed(lambda store: store.load_draft(version_uuid))
    assert draft.content["figures"] == {"affected_pop": 120, "deaths": 2, "crop_affected_ha": 30.5}
    assert draft.content["narrative"] == edit_draft.NARRATIVE
    counts = seed(lambda store: store.state_counts())
    assert counts[ReportState.DRAFT] == 1
