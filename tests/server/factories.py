"""Builders of report versions and batches for the server tests."""

from __future__ import annotations

import copy
import hashlib
import uuid
from typing import Any

from sync.contract import PROTOCOL_VERSION
from tests.support.places import BAOSHAN as BAOSHAN
from tests.support.places import GUDONG as GUDONG
from tests.support.places import LONGYANG as LONGYANG
from tests.support.places import LUJIANG as LUJIANG
from tests.support.places import SHUIGOU as SHUIGOU
from tests.support.places import WAFANG as WAFANG
from tests.support.places import WAFANG_TOWNSHIP as WAFANG_TOWNSHIP
from tests.support.places import XINZHAI as XINZHAI

CONTENT: dict[str, Any] = {
    "event_name": "20240701隆阳区洪涝",
    "stage": "initial",
    "disaster_type": "flood",
    "disaster_subtype": "flash_flood",
    "occurred_at": "2024-07-01T05:30:00+08:00",
    "data_cutoff_at": "2024-07-01T07:00:00+08:00",
    "submitted_at": "2024-07-01T07:20:00+08:00",
    "narrative": "7月1日凌晨暴雨引发山洪，冲毁房屋两户。",
    "figures": {
        "affected_pop": 120,
        "deaths": 0,
        "missing": 0,
        "house_collapsed_hh": 2,
        "house_collapsed_rooms": 6,
        "crop_affected_ha": 35.5,
        "crop_damaged_ha": 20.25,
        "crop_failed_ha": 3.1,
        "direct_loss": 150.5,
    },
    "notes": {},
    "photos": [],
    "ledger": [],
    "emergency_response": False,
    "event_stable": False,
}


def household_ledger(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a household ledger (户数台账) that matches the house figures of ``figures``.

    One row per household of each damage kind, the kind's rooms spread evenly over them: what
    a verified report with houses needs (rule 11).
    """
    rows: list[dict[str, Any]] = []
    for kind in ("collapsed", "severe", "minor"):
        hh = int(figures.get(f"house_{kind}_hh", 0))
        rooms = int(figures.get(f"house_{kind}_rooms", 0))
        for i in range(hh):
            share = rooms // hh + (1 if i < rooms % hh else 0)
            rows.append({"head": f"户主{kind}{i + 1}", "damage": kind, "rooms": share, "note": ""})
    return rows


def new_id() -> str:
    return str(uuid.uuid4())


def content(
    village: str = WAFANG, report_uuid: str | None = None, **overrides: Any
) -> dict[str, Any]:
    """Return valid report content for ``village`` (``ReportContent.to_dict`` shape)."""
    data = copy.deepcopy(CONTENT)
    data.update(
        report_uuid=report_uuid or new_id(),
        event_uuid="ev-" + (report_uuid or new_id()),
        village_code=village,
    )
    data.update(copy.deepcopy(overrides))
    return data


def item(
    body: dict[str, Any],
    version_uuid: str | None = None,
    parent: str | None = None,
    version_no: int = 1,
) -> dict[str, Any]:
    return {
        "version_uuid": version_uuid or new_id(),
        "parent_version_uuid": parent,
        "version_no": version_no,
        "content": body,
    }


def batch(device_id: str, items: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    data = {
        "protocol_version": PROTOCOL_VERSION,
        "device_id": device_id,
        "device_time": "2024-07-01T07:21:00+08:00",
        "items": items,
    }
    data.update(overrides)
    return data


def photo_bytes(seed: str, size: int = 5000) -> tuple[bytes, str]:
    """Return deterministic pseudo-photo bytes and their SHA-256."""
    block = hashlib.sha256(seed.encode()).digest()
    data = (block * (size // len(block) + 1))[:size]
    return data, hashlib.sha256(data).hexdigest()


def decision(
    version_uuid: str,
    verdict: str = "approve",
    reason: str = "",
    decision_uuid: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return one decision item on ``version_uuid``."""
    return {
        "decision_uuid": decision_uuid or new_id(),
        "version_uuid": version_uuid,
        "decision": verdict,
        "reason": reason,
        "device_decided_at": "2024-07-01T08:05:00+08:00",
        **extra,
    }


def decisions_batch(
    device_id: str, items: list[dict[str, Any]], **overrides: Any
) -> dict[str, Any]:
    data = {
        "protocol_version": PROTOCOL_VERSION,
        "device_id": device_id,
        "device_time": "2024-07-01T08:06:00+08:00",
        "items": items,
    }
    data.update(overrides)
    return data
