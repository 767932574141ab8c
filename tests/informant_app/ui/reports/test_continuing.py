"""A continuing report starts from the figures of the event's last report for the village."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.ui.window.main_window import MainWindow
from tests.informant_app.ui.helpers import VILLAGE, submitted_report

Seed = Callable[[Callable[[ReportStore], Any]], Any]


def test_new_continuing_report_copies_the_figures(
    qtbot: QtBot, seed: Seed, make_window: Callable[..., MainWindow], profiled: object
) -> None:
    seed(
        lambda store: submitted_report(
            store,
            event_name="2024年7月1日隆阳区洪涝",
            figures={
                "affected_pop": 120,
                "deaths": 1,
                "crop_affected_ha": 30.5,
                "direct_loss": 12.75,
            },
        )
    )
    window = make_window("en")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.model.loading)
    first = window.model.row_at(0)
    window.table.selectRow(0)
    assert window.act_continue.isEnabled()

    with qtbot.waitSignal(window.form_opened) as opened:
        window.act_continue.trigger()
    form = opened.args[0]

    fields = form.sections.fields
    assert fields["affected_pop"].edit.text() == "120"
    assert fields["deaths"].edit.text() == "1"
    assert fields["crop_affected_ha"].edit.text() == "30.5"
    assert fields["direct_loss"].edit.text() == "12.75"
    assert fields["missing"].edit.text() == ""
    header = form.header
    assert header.stage.currentData() == "continuing"
    assert header.event_combo.currentData() == first.event_uuid  # the existing event, chosen
    assert not header.disaster_type.isEnabled()  # fixed by the event
    assert header.village.currentData() == VILLAGE
    assert form.narrative.text() == ""
    assert not form.narrative.counter.isVisible()  # no 200-character limit after the first
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)  # the new draft is listed
