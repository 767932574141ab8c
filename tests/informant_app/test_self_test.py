"""``informant-app --self-test`` unfrozen: every check passes here, a failure is named."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from informant_app.commands import self_test
from informant_app.commands.self_test import CHECKS, EXIT_FAILED, EXIT_PASSED, Check, run_self_test
from informant_app.core.store.migrate import head_revision
from tests.support.app_cli import run_app

REPO = Path(__file__).resolve().parents[2]
PASSED_LINE = "自检通过 / self-test passed"


def report(**kwargs: Any) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_self_test(out, **kwargs)
    return code, out.getvalue().splitlines()


def line_of(lines: list[str], check: Check) -> str:
    found = [line for line in lines if f"{check.zh} / {check.en}" in line]
    assert len(found) == 1, lines
    return found[0]


@pytest.mark.usefixtures("qapp")
def test_every_check_passes_and_the_server_check_is_skipped_unfrozen() -> None:
    code, lines = report(frozen=False)
    assert code == EXIT_PASSED, lines
    for check in CHECKS:
        expected = "[跳过 SKIP]" if check.frozen_only else "[通过 PASS]"
        assert line_of(lines, check).startswith(expected)
    assert lines[-1] == PASSED_LINE
    assert len(lines) == len(CHECKS) + 1
    revision = next(c for c in CHECKS if c.key == "revision")
    assert line_of(lines, revision).endswith(f": {head_revision()}")
    assert "Reports → 报告" in "\n".join(lines)


@pytest.mark.usefixtures("qapp")
def test_the_server_check_fails_where_the_server_is_importable() -> None:
    # This interpreter has the server's extras: pretending to be frozen must fail that check.
    code, lines = report(frozen=True)
    assert code == EXIT_FAILED
    no_server = next(c for c in CHECKS if c.key == "no-server")
    assert line_of(lines, no_server).startswith("[失败 FAIL]")
    assert "sync.server" in line_of(lines, no_server)
    assert lines[-1] == f"自检失败：{no_server.zh} / self-test FAILED: {no_server.en}"


@pytest.mark.usefixtures("qapp")
def test_a_wrong_translation_fails_the_translation_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_test, "KNOWN_TRANSLATION", "不是这个")
    code, lines = report(frozen=False)
    assert code == EXIT_FAILED
    translation = next(c for c in CHECKS if c.key == "translation")
    assert line_of(lines, translation).startswith("[失败 FAIL]")
    assert "'不是这个'" in line_of(lines, translation)
    assert lines[-1].endswith(f"self-test FAILED: {translation.en}")


@pytest.mark.usefixtures("qapp")
def test_missing_resources_fail_the_resource_checks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("INFORMANT_RESOURCES", str(tmp_path / "nowhere"))
    checks = tuple(c for c in CHECKS if c.key in {"divisions", "translation"})
    code, lines = report(frozen=False, checks=checks)
    assert code == EXIT_FAILED
    assert all(line_of(lines, c).startswith("[失败 FAIL]") for c in checks)
    assert lines[-1] == (
        "自检失败：加载行政区划表、加载中文界面翻译 / self-test FAILED: "
        "load the division table, load the Chinese translation"
    )


def test_every_check_runs_after_a_failure() -> None:
    def broken(_folder: Path) -> str:
        raise RuntimeError("disk on fire")

    seen: list[Path] = []

    def fine(folder: Path) -> str:
        seen.append(folder)
        return "ok"

    checks = (Check("broken", "坏", "broken", broken), Check("fine", "好", "fine", fine))
    code, lines = report(frozen=False, checks=checks)
    assert code == EXIT_FAILED
    assert lines == [
        "[失败 FAIL] 坏 / broken: RuntimeError: disk on fire",
        "[通过 PASS] 好 / fine: ok",
        "自检失败：坏 / self-test FAILED: broken",
    ]
    assert not seen[0].exists()  # the temporary folder is gone


def test_the_command_line_runs_it() -> None:
    result = run_app(
        "--self-test", env={"QT_QPA_PLATFORM": "offscreen"}, unset={"INFORMANT_RESOURCES"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == PASSED_LINE
    assert sum(line.startswith("[通过 PASS]") for line in lines) == len(CHECKS) - 1
