"""Issue 18: size limits on every part of a version, and a per-account daily quota.

One informant made a 95 MB report in 5 s (notes and ledger had no limit); now each part is
refused at ingest per item, naming its field, and an account's versions per rolling day are
bounded (answered ``quota``: the device keeps the version queued).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sync.contract import LIMITS
from sync.server.settings import Settings
from tests.server.conftest import fast_settings
from tests.server.factories import SHUIGOU, WAFANG, batch, content, item
from tests.server.world import World

QUOTA_VERSIONS = 3


@pytest.fixture(scope="module")
def settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("data")
    return fast_settings(db_url, folder, quota_versions=QUOTA_VERSIONS)


def push(client: TestClient, world: World, user: str, items: list[dict[str, Any]]) -> Any:
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", items),
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]


@pytest.mark.parametrize(
    ("overrides", "field_"),
    [
        ({"notes": {"R6:affected_pop": "灾" * 100_000}}, "notes[R6:affected_pop]"),
        ({"ledger": [{"name": "张三", "status": "death"}] * (LIMITS.ledger_rows + 1)}, "ledger"),
        ({"ledger": [{"name": "张三", "status": "death", "note": "x" * 50_000}]}, "ledger[0]"),
        ({"notes": {f"R9:k{i}": "说明" for i in range(LIMITS.notes + 1)}}, "notes"),
    ],
    ids=["long-note", "many-ledger-rows", "long-ledger-cell", "many-notes"],
)
def test_an_oversized_part_is_refused_naming_its_field(
    client: TestClient, world: World, overrides: dict[str, Any], field_: str
) -> None:
    version = item(content(WAFANG, **overrides))
    [result] = push(client, world, "wafang_b", [version])
    assert result["status"] == "rejected" and result["code"] == "content_too_large", result
    assert [i["field"] for i in result["issues"]] == [field_]
    assert "最多" in result["issues"][0]["zh"]
    got = client.get(
        f"/api/v1/reports/{version['content']['report_uuid']}",
        headers=world.headers(client, "wafang_b"),
    )
    assert got.status_code == 404  # nothing stored


def test_over_quota_is_answered_quota_and_resends_are_still_duplicates(
    client: TestClient, world: World
) -> None:
    versions = [item(content(SHUIGOU)) for _ in range(QUOTA_VERSIONS + 1)]
    results = push(client, world, "shuigou_a", versions)
    assert [r["status"] for r in results] == ["accepted"] * QUOTA_VERSIONS + ["quota"]
    last = results[-1]
    assert last["code"] == "quota_exceeded" and "稍后" in last["message_zh"], last
    again = push(client, world, "shuigou_a", versions)  # a resend after a lost answer
    assert [r["status"] for r in again] == ["duplicate"] * QUOTA_VERSIONS + ["quota"]
    # another account is not held by shuigou_a's quota
    assert push(client, world, "wafang_a", [item(content(WAFANG))])[0]["status"] == "accepted"
