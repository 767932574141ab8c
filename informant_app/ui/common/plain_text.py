"""Show what people typed as text, never as markup: labels in plain format, escaped tooltips.

A ``QLabel``, a message box and a tooltip guess "rich text" when the text looks like HTML, so a
narrative, event name or return reason holding ``<b>``, ``<img>`` or ``<a href>`` would be
rendered (or fetch an image, or offer a link).  Labels that may show such text are switched to
``Qt.PlainText``; tooltips, which have no format switch, get the text escaped inside a
paragraph that keeps its line breaks.
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

L = TypeVar("L", QLabel, QMessageBox)


def plain(widget: L) -> L:
    """Make ``widget`` show its text literally (``Qt.PlainText``); return it."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def plain_tooltip(text: str | None) -> str:
    """Return a tooltip that shows ``text`` literally, line breaks kept ("" stays "").

    Text Qt would not take for markup is returned as it is; other text is escaped.
    """
    if not text:
        return ""
    if not might_be_markup(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def might_be_markup(text: str) -> bool:
    """Return whether Qt would render ``text`` as rich text in an auto-detecting widget."""
    return bool(QtGui.Qt.mightBeRichText(text))
