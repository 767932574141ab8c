"""Before a report is submitted: is the filer the B of a village whose A is on duty?

Filing as B while A is on duty is allowed but flagged for the township, so the form asks
first.  The check reads the cached roster on the ``db`` lane (``check_filing`` runs
there, Qt-free); the question is asked on the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from informant_app.core.duty import service as duty
from informant_app.core.duty.types import FilingRole
from informant_app.core.store.report_store import ReportStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FilingCheck:
    """In which role a filing would be made now, and the A on duty when that matters."""

    role: FilingRole | None
    a_name: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        """Whether B files while A is on duty."""
        return self.role is FilingRole.B_WHILE_A_ON_DUTY


def check_filing(store: ReportStore, village_code: str) -> FilingCheck:
    """Return the role a filing for ``village_code`` would have now (runs on the worker)."""
    role = duty.filing_role_for(store, village_code)
    if role is not FilingRole.B_WHILE_A_ON_DUTY:
        return FilingCheck(role)
    a_name = next(
        (
            d.partner_name
            for d in duty.my_duty(store)
            if d.post_code == village_code and d.my_role == "B"
        ),
        None,
    )
    return FilingCheck(role, a_name)


def filing_question(parent: QWidget, check: FilingCheck) -> QMessageBox:
    """Return the (unopened) question asked before B files while A is on duty.

    "Yes" files, "No" returns to the form; "No" is the default.
    """
    name = check.a_name or "—"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("FilingCheck", "A is on duty"),
        QCoreApplication.translate(
            "FilingCheck",
            "A ({name}) is on duty. You can still file as B; the report will be "
            "marked “filed by B while A was on duty”.",
        ).format(name=name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("filing_role_box")
    box.setTextFormat(Qt.TextFormat.PlainText)  # A's name as typed
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(
        QCoreApplication.translate("FilingCheck", "File as B")
    )
    box.button(QMessageBox.StandardButton.No).setText(
        QCoreApplication.translate("FilingCheck", "Back to the form")
    )
    return box
