"""Headers built from indicators name the unit once: "倒塌房屋（户）", never twice."""

from __future__ import annotations

import pytest

from informant_app.ui.common.field_rows import indicator_label
from informant_app.ui.review.rows import review_rows
from sync.contract import INDICATORS
from tests.informant_app.ui.review.test_review_widgets import content


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_indicator_header_names_its_unit_once(lang: str) -> None:
    for indicator in INDICATORS:
        label = indicator_label(indicator, lang)
        unit = indicator.unit_label(lang)
        assert label.count(f"（{unit}）") + label.count(f"({unit})") == 1, label
    by_field = {i.field: i for i in INDICATORS}
    assert indicator_label(by_field["house_collapsed_hh"], "zh_CN") == "倒塌房屋（户）"
    assert indicator_label(by_field["affected_pop"], "zh_CN") == "受灾人口（人）"
    rows = review_rows(content(), None, (), lang)
    assert all(
        row.label == indicator_label(by_field[row.key], lang) for row in rows if row.is_figure
    )
