"""Display texts of administration: roles, levels, register outcomes, admin log actions.

The app's own words go through the translator (context ``Admin``), so the .ts file holds them
with the rest; what the server says (a refused row's reason) comes in Chinese and English and
is shown in the UI's language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from informant_app.ui.common.labels import local_time_text

#: The dash of an empty cell.
NONE_TEXT = "—"


def role_label(role: str) -> str:
    """Return an account role in words ("村（社区）信息员" …)."""
    labels = {
        "village_informant": QCoreApplication.translate("Admin", "Village informant"),
        "township_reviewer": QCoreApplication.translate("Admin", "Township reviewer"),
        "county_admin": QCoreApplication.translate("Admin", "County administrator"),
        "city_admin": QCoreApplication.translate("Admin", "City administrator"),
    }
    return labels.get(role, role)


def level_label(level: str) -> str:
    """Return a division level in words."""
    labels = {
        "province": QCoreApplication.translate("Admin", "Province"),
        "city": QCoreApplication.translate("Admin", "City"),
        "county": QCoreApplication.translate("Admin", "County"),
        "township": QCoreApplication.translate("Admin", "Township"),
        "village": QCoreApplication.translate("Admin", "Village"),
    }
    return labels.get(level, level)


def outcome_label(outcome: str) -> str:
    """Return what happens to a register row in words."""
    labels = {
        "create": QCoreApplication.translate("Admin", "New account"),
        "update": QCoreApplication.translate("Admin", "Update"),
        "unchanged": QCoreApplication.translate("Admin", "Unchanged"),
        "refused": QCoreApplication.translate("Admin", "Refused"),
    }
    return labels.get(outcome, outcome)


def action_label(action: str) -> str:
    """Return an admin log action (``account.disable`` …) in words (unknown: the key)."""
    labels = {
        "account.create": QCoreApplication.translate("Admin", "Account created"),
        "account.update": QCoreApplication.translate("Admin", "Account changed"),
        "account.disable": QCoreApplication.translate("Admin", "Account disabled"),
        "account.enable": QCoreApplication.translate("Admin", "Account enabled again"),
        "device.revoke": QCoreApplication.translate("Admin", "Device signed out"),
        "devices.revoke": QCoreApplication.translate("Admin", "Devices signed out"),
        "setup_code.issue": QCoreApplication.translate("Admin", "Set-up code issued"),
        "setup_codes.issue": QCoreApplication.translate("Admin", "Set-up code sheet issued"),
        "register.import": QCoreApplication.translate("Admin", "Register imported"),
        "roster.assign": QCoreApplication.translate("Admin", "Post assigned"),
        "roster.end": QCoreApplication.translate("Admin", "Assignment ended"),
        "divisions.import": QCoreApplication.translate("Admin", "Division table imported"),
    }
    return labels.get(action, action)


def detail_text(detail: Mapping[str, object]) -> str:
    """Return an admin log entry's detail as ``key: value`` pairs on one line."""
    parts = []
    for key, value in sorted(detail.items()):
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def time_text(value: datetime | None) -> str:
    """Return a time in local time, or "never" for ``None``."""
    if value is None:
        return QCoreApplication.translate("Admin", "never")
    return local_time_text(value)


def post_role_text(role: str | None) -> str:
    """Return "A", "B" or the dash."""
    return role if role in ("A", "B") else NONE_TEXT
