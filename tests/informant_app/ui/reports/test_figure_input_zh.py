"""A refused figure says why in Chinese (the messages are seen by lupdate and translated)."""

from __future__ import annotations

import re

import pytest

from informant_app.ui.reports.figure_input import judge
from sync.contract import INDICATOR_BY_FIELD


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("deaths", "1.5", "请输入整数（人）"),
        ("affected_pop", "-5abc", "不能为负数"),
        ("deaths", "１２", "半角数字"),
        ("direct_loss", "12.345", "最多 2 位小数"),
        ("crop_affected_ha", "1e5", "请输入数字"),
        ("deaths", "1" * 13, "数值过大"),
    ],
)
@pytest.mark.usefixtures("chinese")
def test_a_refusal_says_why_in_chinese(field: str, typed: str, words: str) -> None:
    verdict = judge(INDICATOR_BY_FIELD[field], typed, "zh_CN")
    assert verdict.refused and verdict.value == typed  # kept as typed, never rewritten
    assert words in verdict.message
    assert not re.search(r"[A-Za-z]{3,}", verdict.message)  # no English left
