"""Fixtures of the core tests: a real store in a temporary folder, a profile, real images."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import msgspec
import pytest

from informant_app.core.store.report_store import ReportStore
from sync.contract.wire.feed import Change, UnreadChange
from tests.support.accounts import informant_profile
from tests.support.places import SHUIGOU, WAFANG

VILLAGE = WAFANG  # 瓦房社区
OTHER_VILLAGE = SHUIGOU  # 水沟洼村

PROFILE = informant_profile(post_code=VILLAGE)
#: The figures of a small valid flood report.
FLOOD_FIGURES: dict[str, Any] = {
    "affected_pop": 120,
    "relocated": 15,
    "relocated_central": 10,
    "relocated_dispersed": 5,
    "crop_affected_ha": 12.5,
    "crop_damaged_ha": 6.2,
    "crop_failed_ha": 1.1,
    "direct_loss": 35.6,
}


def png_bytes(seed: int = 0) -> bytes:
    """Return a real 1×1 PNG whose pixel depends on ``seed`` (so hashes differ)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00" + bytes([seed % 256, 80, 160]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReportStore]:
    s = ReportStore.open(tmp_path / "data")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def profiled_store(store: ReportStore) -> ReportStore:
    store.save_profile(PROFILE)
    return store


def fill(content: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Return draft content made valid (a small flood report), with ``changes`` applied."""
    data = dict(content)
    data.update(
        disaster_type="flood",
        disaster_subtype="flash_flood",
        narrative="7月1日凌晨突降暴雨引发山洪，冲毁农田，部分房屋受损。",
        figures=dict(FLOOD_FIGURES),
    )
    data.update(changes)
    return data


def typed_change(raw: dict[str, Any]) -> Change | UnreadChange:
    """Return a feed change as the client hands it to the store: typed, or ``UnreadChange``."""
    try:
        return cast("Change", msgspec.convert(raw, type=Change))
    except msgspec.ValidationError as exc:
        return UnreadChange(kind=raw.get("kind"), raw=raw, problem=str(exc))
