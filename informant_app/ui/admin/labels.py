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
        "setup_code.sheet": QCoreApplication.translate("Admin", "Set-up code sheet issued"),
        "register.import": QCoreApplication.translate("Admin", "Register imported"),
        "roster.assign": QCoreApplication.translate("Admin", "Post assigned"),
        "roster.end": QCoreApplication.translate("Admin", "Assignment ended"),
        "divisions.import": QCoreApplication.translate("Admin", "Division table imported"),
    }
    return labels.get(action, action)


def _detail_label(key: str) -> str:
    """Return the words for one key of an admin log entry's detail (unknown: the key)."""
    labels = {
        "dry_run": QCoreApplication.translate("Admin", "Dry run"),
        "applied": QCoreApplication.translate("Admin", "Written"),
        "rows": QCoreApplication.translate("Admin", "Rows"),
        "created": QCoreApplication.translate("Admin", "New"),
        "updated": QCoreApplication.translate("Admin", "Updated"),
        "unchanged": QCoreApplication.translate("Admin", "Unchanged"),
        "refused": QCoreApplication.translate("Admin", "Refused"),
        "ended": QCoreApplication.translate("Admin", "Assignments ended"),
        "handovers": QCoreApplication.translate("Admin", "Handovers"),
        "role": QCoreApplication.translate("Admin", "Role"),
        "jurisdiction_code": QCoreApplication.translate("Admin", "Place"),
        "revoked": QCoreApplication.translate("Admin", "Sign-ins revoked"),
        "device_id": QCoreApplication.translate("Admin", "Device"),
        "username": QCoreApplication.translate("Admin", "Account"),
        "post_role": QCoreApplication.translate("Admin", "A/B"),
        "replace": QCoreApplication.translate("Admin", "Replaced the holder"),
        "count": QCoreApplication.translate("Admin", "Codes"),
        "changes": QCoreApplication.translate("Admin", "Changes"),
        "revision": QCoreApplication.translate("Admin", "Revision"),
        "added": QCoreApplication.translate("Admin", "Added"),
        "renamed": QCoreApplication.translate("Admin", "Renamed"),
        "moved": QCoreApplication.translate("Admin", "Moved"),
        "retired": QCoreApplication.translate("Admin", "Retired"),
        "restored": QCoreApplication.translate("Admin", "Restored"),
        "from_role": QCoreApplication.translate("Admin", "Former role"),
        "from_jurisdiction": QCoreApplication.translate("Admin", "Former place"),
        "sheet": QCoreApplication.translate("Admin", "Sheet"),
        "known_device": QCoreApplication.translate("Admin", "Known device"),
        "reason": QCoreApplication.translate("Admin", "Reason"),
        "devices_signed_out": QCoreApplication.translate("Admin", "Devices to sign out"),
        "devices": QCoreApplication.translate("Admin", "Devices"),
        "expires_at": QCoreApplication.translate("Admin", "Valid until"),
        "issued_by": QCoreApplication.translate("Admin", "Code issued by"),
        "issued_by_name": QCoreApplication.translate("Admin", "Issuer's name"),
        "new_device_id": QCoreApplication.translate("Admin", "New device"),
        "new_device_name": QCoreApplication.translate("Admin", "New device's name"),
        "device_name": QCoreApplication.translate("Admin", "Device name"),
        "throttled": QCoreApplication.translate("Admin", "Held back"),
        "device_failures_in_window": QCoreApplication.translate("Admin", "Recent failures"),
        "wait_seconds": QCoreApplication.translate("Admin", "Wait (s)"),
    }
    return labels.get(key, key)


def _detail_value(key: str, value: object) -> str:
    if isinstance(value, bool):
        yes, no = (
            QCoreApplication.translate("Admin", "yes"),
            QCoreApplication.translate("Admin", "no"),
        )
        return yes if value else no
    if key in ("role", "from_role") and isinstance(value, str):
        return role_label(value)
    if key == "reason" and isinstance(value, str):
        reasons = {
            "wrong_password": QCoreApplication.translate("Admin", "wrong password"),
            "unknown_user": QCoreApplication.translate("Admin", "no such account"),
            "disabled": QCoreApplication.translate("Admin", "account disabled"),
        }
        return reasons.get(value, value)
    if key == "expires_at" and isinstance(value, str):
        try:
            return local_time_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return QCoreApplication.translate("Admin", ", ").join(str(v) for v in value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def detail_text(detail: Mapping[str, object]) -> str:
    """Return an admin log entry's detail in words, ``label: value`` pairs on one line.

    The keys are the server's (``created``, ``dry_run`` …); counts of zero are left out.
    """
    parts = []
    for key, value in detail.items():
        if value == 0 and not isinstance(value, bool):
            continue
        parts.append(
            QCoreApplication.translate("Admin", "{label}: {value}").format(
                label=_detail_label(key), value=_detail_value(key, value)
            )
        )
    return QCoreApplication.translate("Admin", "; ").join(parts)


def time_text(value: datetime | None) -> str:
    """Return a time in local time, or "never" for ``None``."""
    if value is None:
        return QCoreApplication.translate("Admin", "never")
    return local_time_text(value)


def post_role_text(role: str | None) -> str:
    """Return "A", "B" or the dash."""
    return role if role in ("A", "B") else NONE_TEXT
