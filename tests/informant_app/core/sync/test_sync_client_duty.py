"""The duty requests of the HTTP client against a scripted server: paths, bodies, and only our
JSON of the right shape counts (a captive portal's page never passes for success)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest

from sync.client.api import FailureKind, SyncClient
from tests.informant_app.core.sync.test_sync_client import (
    Scripted,
    json_answer,
    kind_of,
    raw_answer,
)

NOW = "2026-07-01T02:00:00Z"
T = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
ASSIGNMENT = {
    "assignment_id": 5,
    "post_code": "530502208201",
    "post_level": "village",
    "post_role": "B",
    "username": "li",
    "display_name": "李四",
    "valid_from": NOW,
    "valid_to": None,
    "reason": "",
    "ended_reason": "",
    "created_by": None,
    "created_by_name": None,
    "ended_by": None,
    "ended_by_name": None,
}
ABSENCE = {
    "absence_uuid": "ab-1",
    "post_code": "530502208201",
    "username": "zhang",
    "display_name": "张三",
    "starts_at": NOW,
    "ends_at": "2026-07-02T02:00:00Z",
    "ended_at": None,
    "kind": "leave",
    "reason": "探亲",
    "created_by": "zhang",
    "created_by_name": "张三",
    "created_at": NOW,
}
HANDOVER: dict[str, Any] = {
    "handover_uuid": "ho-1",
    "post_code": "530502208201",
    "from_username": "zhang",
    "from_name": "张三",
    "to_username": "li",
    "to_name": "李四",
    "reason": "探亲",
    "open_items": {"unsent_reports": None, "returned_reports": [], "open_events": []},
    "created_at": NOW,
    "created_by": "zhang",
    "signed_off_by": None,
    "signed_off_name": None,
    "signed_off_at": None,
    "sign_off_note": "",
    "kind": "absence",
}
DEADLINES = {"initial_minutes": 60, "continuing_due": "18:00", "escalate_fraction": 0.5}
OPENING: dict[str, Any] = {
    "event_uuid": "ev-1",
    "township_code": "530502208000",
    "event_name": "山洪",
    "disaster_type": "flood",
    "occurred_at": None,
    "opened_at": NOW,
    "closed_at": None,
    "village_codes": ["530502208201"],
    "villages": [{"village_code": "530502208201", "opened_at": NOW}],
    "deadlines": DEADLINES,
    "opened_by_name": None,
}

Call = Callable[[SyncClient], object]
#: (the call, the method and path it makes, our server's answer)
CASES: list[tuple[str, Call, str, str, dict[str, Any]]] = [
    (
        "roster",
        lambda c: c.roster("530502208000"),
        "GET",
        "/api/v1/roster",
        {
            "under": None,
            "posts": [
                {
                    "division_code": "530502208201",
                    "division_name": "瓦房社区",
                    "level": "village",
                    "holders": [],
                    "absences": [ABSENCE],
                    "on_duty": None,
                    "manageable": True,
                }
            ],
            "server_time": NOW,
        },
    ),
    (
        "roster_history",
        lambda c: c.roster_history("530502208201"),
        "GET",
        "/api/v1/roster/history",
        {
            "post_code": "530502208201",
            "post_name": "瓦房社区",
            "level": "village",
            "manageable": True,
            "assignments": [ASSIGNMENT],
            "absences": [ABSENCE],
            "handovers": [HANDOVER],
            "server_time": NOW,
        },
    ),
    (
        "users",
        lambda c: c.users(),
        "GET",
        "/api/v1/users",
        {
            "under": "530502208000",
            "users": [
                {
                    "username": "li",
                    "display_name": "李四",
                    "role": "village_informant",
                    "jurisdiction_code": "530502208201",
                    "phone": None,
                    "disabled": False,
                    "posts": [{"post_code": "530502208201", "post_role": "B"}],
                }
            ],
        },
    ),
    (
        "assign",
        lambda c: c.assign("530502208201", "li", "B", "新任", replace=True),
        "POST",
        "/api/v1/roster/assignments",
        {
            "status": "accepted",
            "assignment": ASSIGNMENT,
            "ended": None,
            "handover": None,
            "server_time": NOW,
        },
    ),
    (
        "end_assignment",
        lambda c: c.end_assignment(5, "调离"),
        "POST",
        "/api/v1/roster/assignments/5/end",
        {"status": "accepted", "assignment": ASSIGNMENT, "handover": None, "server_time": NOW},
    ),
    (
        "mark_absent",
        lambda c: c.mark_absent(
            "ab-1", "530502208201", T, T, "leave", "探亲", {"unsent_reports": []}
        ),
        "POST",
        "/api/v1/absences",
        {"status": "accepted", "absence": ABSENCE, "handover": HANDOVER, "server_time": NOW},
    ),
    (
        "end_absence",
        lambda c: c.end_absence("ab-1"),
        "POST",
        "/api/v1/absences/ab-1/end",
        {"status": "accepted", "absence": ABSENCE, "handover": None, "server_time": NOW},
    ),
    (
        "sign_off",
        lambda c: c.sign_off_handover("ho-1", "已核实"),
        "POST",
        "/api/v1/handovers/ho-1/sign-off",
        {"status": "accepted", "handover": HANDOVER, "server_time": NOW},
    ),
    (
        "open_event",
        lambda c: c.open_event("ev-1", "山洪", "flood", T, "530502208000", ["530502208201"]),
        "POST",
        "/api/v1/events/open",
        {"status": "accepted", "opening": OPENING, "server_time": NOW},
    ),
    (
        "close_event",
        lambda c: c.close_event("ev-1", "530502208000"),
        "POST",
        "/api/v1/events/ev-1/close",
        {"status": "accepted", "opening": OPENING, "server_time": NOW},
    ),
    (
        "duty",
        lambda c: c.duty(),
        "GET",
        "/api/v1/duty",
        {
            "server_time": NOW,
            "deadlines": DEADLINES,
            "events": [
                {
                    "event_uuid": "ev-1",
                    "event_name": "山洪",
                    "township_code": "530502208000",
                    "disaster_type": "flood",
                    "occurred_at": None,
                    "opened_at": NOW,
                    "closed_at": None,
                    "deadlines": DEADLINES,
                    "villages": [
                        {
                            "village_code": "530502208201",
                            "village_name": "瓦房社区",
                            "opened_at": NOW,
                            "status": "waiting",
                            "windows": [
                                {
                                    "stage": "initial",
                                    "starts_at": NOW,
                                    "escalate_at": NOW,
                                    "due_at": NOW,
                                    "status": "waiting",
                                    "filed_at": None,
                                }
                            ],
                            "on_duty": {
                                "username": "zhang",
                                "display_name": "张三",
                                "phone": None,
                                "post_role": "A",
                                "acting_for": None,
                                "acting_for_name": None,
                                "absence_uuid": None,
                            },
                        }
                    ],
                }
            ],
            "alerts": [],
            "units": [],
            "level_deadlines": None,
        },
    ),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("name", "call", "method", "path", "answer"), CASES, ids=IDS)
def test_our_answer_passes(
    scripted: Scripted,
    name: str,
    call: Call,
    method: str,
    path: str,
    answer: dict[str, Any],
) -> None:
    scripted.answer = json_answer(200, answer)
    assert msgspec.to_builtins(call(scripted.client())) == answer
    sent_method, sent_path, headers = scripted.requests[0]
    assert (sent_method, urlsplit(sent_path).path) == (method, path)
    assert headers["Authorization"] == "Bearer tok"


@pytest.mark.parametrize(("name", "call", "method", "path", "answer"), CASES, ids=IDS)
def test_a_portal_page_or_other_json_never_passes(
    scripted: Scripted,
    name: str,
    call: Call,
    method: str,
    path: str,
    answer: dict[str, Any],
) -> None:
    client = scripted.client(retries=0)
    for portal in (
        raw_answer(200, "text/html", b"<html><body>Wi-Fi login</body></html>"),
        json_answer(200, {"hello": "portal"}),
        raw_answer(302, "text/html", b""),
    ):
        scripted.answer = portal
        assert kind_of(lambda: call(client)).kind is FailureKind.CAPTIVE_PORTAL


def test_the_bodies_carry_client_made_ids_and_wire_times(scripted: Scripted) -> None:
    client = scripted.client()
    scripted.answer = json_answer(
        200, {"status": "accepted", "absence": ABSENCE, "handover": None, "server_time": NOW}
    )
    client.mark_absent(
        "ab-7",
        "530502208201",
        T,
        datetime(2026, 7, 2, 2, tzinfo=UTC),
        "away",
        "外出",
        {"unsent_reports": [{"report_uuid": "r-1"}]},
    )
    assert json.loads(scripted.bodies[-1]) == {
        "absence_uuid": "ab-7",
        "post_code": "530502208201",
        "starts_at": NOW,
        "ends_at": "2026-07-02T02:00:00Z",
        "kind": "away",
        "reason": "外出",
        "open_items": {"unsent_reports": [{"report_uuid": "r-1"}]},
    }
    scripted.answer = json_answer(
        200, {"status": "accepted", "opening": OPENING, "server_time": NOW}
    )
    client.open_event("ev-1", "山洪", "flood", T, "530502208000")
    assert json.loads(scripted.bodies[-1])["village_codes"] == []
    scripted.answer = json_answer(200, CASES[0][4])
    client.roster("530502208000")
    assert parse_qs(urlsplit(scripted.requests[-1][1]).query) == {"under": ["530502208000"]}


def test_refusals_keep_the_servers_code(scripted: Scripted) -> None:
    scripted.answer = json_answer(
        409, {"error": {"code": "absence_overlaps", "zh": "重叠", "en": "overlaps"}}
    )
    client = scripted.client()
    err = kind_of(lambda: client.mark_absent("ab-1", "530502208201", T, T, "leave", "x", {}))
    assert (err.kind, err.code, err.zh) == (FailureKind.REQUEST, "absence_overlaps", "重叠")
    assert len(scripted.requests) == 1  # a POST is never repeated by the client


def test_a_roster_holder_without_a_user_name_is_not_ours(scripted: Scripted) -> None:
    scripted.answer = json_answer(
        200, {"posts": [{"division_code": "530502208201", "holders": [{"post_role": "A"}]}]}
    )
    assert kind_of(scripted.client().roster).kind is FailureKind.CAPTIVE_PORTAL
