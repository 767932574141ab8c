"""The household ledger (户数台账) at ingest: a verified report lists every damaged household.

Rule 11 (issue 16, deliverable 3): by the verified stage the ledger's rows per damage kind equal
the ``house_*_hh`` figures and their rooms add up to ``house_*_rooms``.  The server refuses a
verified report whose ledger does not match (a note does not excuse an error), stores a
matching one as sent, and content without a ledger keeps the bytes and hash it always had.
Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi.testclient import TestClient

from sync.contract import ReportContent, canonical_json
from tests.server.factories import WAFANG, content, household_ledger, item, new_id
from tests.server.steps import pull_all, push
from tests.server.world import World

FIGURES = {
    "affected_pop": 120,
    "deaths": 0,
    "missing": 0,
    "house_collapsed_hh": 2,
    "house_collapsed_rooms": 6,
    "house_minor_hh": 1,
    "house_minor_rooms": 2,
    "direct_loss": 150.5,
}


def verified(**overrides: Any) -> dict[str, Any]:
    """Return the content of a verified report of a new event with ``FIGURES``."""
    return content(
        WAFANG,
        event_uuid=new_id(),
        stage="verified",
        event_stable=True,
        figures=FIGURES,
        **overrides,
    )


def test_a_verified_report_without_its_household_ledger_is_refused(
    client: TestClient, world: World
) -> None:
    ledger = household_ledger(FIGURES)
    assert [(r["damage"], r["rooms"]) for r in ledger] == [
        ("collapsed", 3),
        ("collapsed", 3),
        ("minor", 2),
    ]
    wrong_rooms = [dict(r) for r in ledger]
    wrong_rooms[0]["rooms"] = 2
    wrong_kind = [dict(r) for r in ledger]
    wrong_kind[2]["damage"] = "severe"
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([], "2 collapsed households (0 listed)"),
        (ledger[:2], "1 generally damaged households (0 listed)"),
        (wrong_rooms, "6 collapsed rooms in all (5 listed)"),
        (wrong_kind, "0 severely damaged households (1 listed)"),
    ]
    for rows, expected in cases:
        body = verified(households=rows, notes={"R11:households": "户主外出，待补"})
        [result] = push(client, world, [item(body)])
        assert (result["status"], result["code"]) == ("rejected", "validation_failed"), result
        assert [(i["rule"], i["field"], i["severity"]) for i in result["issues"]] == [
            ("R11", "households", "error")
        ]
        assert expected in result["issues"][0]["en"]
        assert "户数台账" in result["issues"][0]["zh"]


def test_a_matching_household_ledger_is_accepted_and_stored_as_sent(
    client: TestClient, world: World
) -> None:
    body = verified(households=household_ledger(FIGURES))
    version = item(body)
    [result] = push(client, world, [version])
    assert result["status"] == "accepted", result
    changes, _ = pull_all(client, world, "wafang_reviewer")
    [change] = [c for c in changes if c.get("version_uuid") == version["version_uuid"]]
    assert change["content"]["households"] == household_ledger(FIGURES)
    expected = canonical_json(ReportContent.from_dict(body))
    assert change["content_hash"] == hashlib.sha256(expected).hexdigest()


def test_content_without_households_keeps_its_old_form(client: TestClient, world: World) -> None:
    """An app that knows no household ledger sends no such key; nothing is added to it."""
    body = content(WAFANG, event_uuid=new_id())
    assert "households" not in body
    version = item(body)
    [result] = push(client, world, [version])
    assert result["status"] == "accepted", result
    changes, _ = pull_all(client, world, "wafang_reviewer")
    [change] = [c for c in changes if c.get("version_uuid") == version["version_uuid"]]
    assert "households" not in change["content"]
    old_bytes = json.dumps(
        ReportContent.from_dict(body).to_dict(),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    assert b"households" not in old_bytes
    assert change["content_hash"] == hashlib.sha256(old_bytes).hexdigest()
    # the same report before the verified stage may list some households, or none
    partial = content(WAFANG, event_uuid=new_id(), households=household_ledger(FIGURES)[:1])
    assert push(client, world, [item(partial)])[0]["status"] == "accepted"
