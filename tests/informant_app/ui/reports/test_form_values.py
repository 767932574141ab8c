"""Conversions between the form's inputs and the draft content."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from informant_app.ui.common.form_values import (
    figure_to_text,
    iso_from_qdatetime,
    issue_anchor,
    qdatetime_from_iso,
    text_to_coordinate,
    text_to_figure,
)


def test_figures_keep_their_json_form() -> None:
    assert text_to_figure("deaths", "12") == 12
    assert text_to_figure("crop_failed_ha", "12.5") == 12.5
    assert text_to_figure("crop_failed_ha", "12.") == 12
    assert text_to_figure("deaths", "") is None
    assert text_to_figure("deaths", ".") is None
    assert figure_to_text(5.0) == "5"
    assert figure_to_text(30.25) == "30.25"
    assert figure_to_text("1.50") == "1.5"
    assert figure_to_text(None) == ""


@given(st.decimals(min_value=0, max_value=Decimal("1e11"), places=2))
def test_a_two_decimal_figure_survives_the_round_trip(value: Decimal) -> None:
    text = format(value, "f")
    assert Decimal(figure_to_text(text_to_figure("direct_loss", text))) == value


def test_times_are_shown_local_and_stored_utc(qapp: object) -> None:
    shown = qdatetime_from_iso("2024-07-01T06:30:00Z")
    assert iso_from_qdatetime(shown) == "2024-07-01T06:30:00Z"


def test_coordinates_and_issue_anchors() -> None:
    assert text_to_coordinate("") is None
    assert text_to_coordinate("-") is None
    assert text_to_coordinate("25.112") == 25.112
    assert issue_anchor("figures.deaths") == "deaths"
    assert issue_anchor("photos[2]") == "photos"
    assert issue_anchor("ledger[0]") == "ledger"
    assert issue_anchor("village_code") == "village_code"
