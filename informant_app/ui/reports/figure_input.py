"""What a figure input accepts: the indicator's own kind of number, checked, never rewritten.

A figure input takes every keystroke as typed (no validator swallows a "." or a "-"); its text
is then judged against the indicator (``judge``): empty, or non-negative digits with at most
the indicator's decimals (none for people, households and rooms; two for hectares and 万元)
and at most ``MAX_DIGITS`` digits before the point.  Anything else is *refused*: the input
gets a red frame and a message on the field's own line, and submitting is blocked with an
issue naming the field.  Full-width digits (１２) are refused too, with a message saying so:
silently turning them into 12 would be a rewrite the informant never sees.

How a refused text survives autosave and reopening: the draft stores the text exactly as
typed (a string in ``figures``), not the last valid number.  Keeping the last valid number
would make the saved draft disagree with the screen (a reopened draft would show 15 where
the informant left "1.5"), and a store-side submit would then accept a number nobody typed.
A stored string is refused again by the shared rules (rule R0/R1 beside the field), so the
refusal holds on the store and the server too, and reopening shows the text as it was left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from informant_app.ui.common.form_values import figure_to_text
from sync.contract import Indicator
from sync.contract.report import figure_to_json

#: Digits before the point a figure may have (figures stay below 10^12, see the contract).
MAX_DIGITS = 12

_NUMBER = re.compile(r"^(?P<whole>\d*)(?:\.(?P<fraction>\d*))?$", re.ASCII)
_FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0e\uff0d\u3002]")


@dataclass(frozen=True)
class Judgement:
    """The verdict on one figure's text.

    Attributes:
        value: the JSON value to store (int, float or exact string); ``None`` when empty.
            A refused text is stored as the text itself (see the module docstring).
        message: why the text is refused, in the UI language ("" when accepted).
        unfinished: the text is refused only because it is not finished yet ("12."): the
            message waits until the informant leaves the field.
    """

    value: int | float | str | None
    message: str = ""
    unfinished: bool = False

    @property
    def refused(self) -> bool:
        """Whether the text is refused."""
        return bool(self.message)


def judge(indicator: Indicator, text: str, lang: str) -> Judgement:
    """Judge the text typed into ``indicator``'s input (``lang`` names the unit)."""
    typed = text.strip()
    if not typed:
        return Judgement(None)
    unit = indicator.unit_label(lang)
    if _FULL_WIDTH.search(typed):
        return Judgement(
            typed,
            QCoreApplication.translate(
                "FigureInput", "Use half-width digits 0–9 (full-width input is on)"
            ),
        )
    if typed.startswith("-"):
        return Judgement(typed, QCoreApplication.translate("FigureInput", "Cannot be negative"))
    match = _NUMBER.match(typed)
    if match is None or not (match.group("whole") or match.group("fraction")):
        if indicator.decimals == 0:
            return Judgement(
                typed,
                QCoreApplication.translate("FigureInput", "Enter a whole number ({unit})").format(
                    unit=unit
                ),
            )
        return Judgement(
            typed,
            QCoreApplication.translate("FigureInput", "Enter a number ({unit})").format(unit=unit),
        )
    whole, fraction = match.group("whole"), match.group("fraction")
    if fraction is not None and indicator.decimals == 0:
        return Judgement(
            typed,
            QCoreApplication.translate("FigureInput", "Enter a whole number ({unit})").format(
                unit=unit
            ),
        )
    if len(whole.lstrip("0")) > MAX_DIGITS:
        return Judgement(
            typed,
            QCoreApplication.translate("FigureInput", "Too large: at most {n} digits").format(
                n=MAX_DIGITS
            ),
        )
    if fraction is not None and len(fraction) > indicator.decimals:
        return Judgement(
            typed,
            QCoreApplication.translate("FigureInput", "At most {n} decimal places").format(
                n=indicator.decimals
            ),
        )
    if fraction == "":
        return Judgement(
            typed,
            QCoreApplication.translate(
                "FigureInput", "Add the digits after the point, or remove the point"
            ),
            unfinished=True,
        )
    return Judgement(figure_to_json(indicator.field, Decimal(f"{whole or '0'}.{fraction or '0'}")))


def stored_text(value: object) -> str:
    """Return the input text of a stored figure: a number as digits, a refused text as is."""
    if isinstance(value, str):
        return value
    return figure_to_text(value)
