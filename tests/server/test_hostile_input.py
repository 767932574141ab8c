"""Hostile and broken input, on SQLite and PostgreSQL: rejected with our error, or stored inertly.

Each input is answered 4xx with the bilingual error body, or stored byte for byte: read back
through the API it is equal to what was sent, and the tables are all still there.  (The size
limits' 413 answers are in test_photos, test_compression and test_reports_batch; the cases
here add the ones those do not cover.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from tests.server.factories import WAFANG, WAFANG_TOWNSHIP, batch, content, item, new_id
from tests.server.world import World

HOSTILE_TEXT = [
    "'); DROP TABLE reports;--",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    "<script>alert(1)</script>",
    "<b>粗体</b><img src=x onerror=alert(1)>",
    "\u202e\u2066瓦房社区\u2069 evil \u202c",  # RTL override and isolates
    "\u200b\ufeff零宽\u200d字符",
    "控制字符\x01\x07\x1b[31m",
    "emoji 🌊🏚️ and 𠀀 (outside the BMP)",
    "%s %d {0} ${x} \\N \\\\",
]
#: Text that no database column can hold: refused, never half-stored.
UNSTORABLE = ["a\x00b", "\ud800", "x\udfff"]


@pytest.fixture(scope="module")
def raw(app: FastAPI, world: World) -> TestClient:
    with TestClient(app, raise_server_exceptions=False) as c:
        return c


def error_of(response: Any, status: int | tuple[int, ...]) -> dict[str, Any]:
    """Return the error of ``response``, checking its status and bilingual body."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text)
    error = response.json()["error"]
    assert error["code"] and error["zh"] and error["en"], error
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["zh"]), error["zh"]
    return dict(error)


def push_raw(
    raw: TestClient, world: World, body: bytes, user: str = "wafang_a", **headers: str
) -> Any:
    return raw.post(
        "/api/v1/reports/batch",
        content=body,
        headers={**world.headers(raw, user), "Content-Type": "application/json", **headers},
    )


def tables_intact(app: FastAPI) -> None:
    names = set(inspect(app.state.db.engine).get_table_names())
    assert {"reports", "report_versions", "users", "divisions"} <= names, names


def test_broken_bodies_are_4xx_with_our_error(raw: TestClient, world: World, app: FastAPI) -> None:
    cases = {
        "invalid UTF-8": b'{"protocol_version": 1, "device_id": "\xff\xfe", "items": []}',
        "not JSON": b"hello, server",
        "truncated JSON": b'{"protocol_version": 1, "items": [',
        "deep arrays": b"[" * 100_000 + b"]" * 100_000,
        "deep objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "a JSON string": b'"items"',
        "empty": b"",
    }
    for label, body in cases.items():
        error = error_of(push_raw(raw, world, body), (400, 422))
        assert error["code"] in ("bad_request", "invalid_request"), (label, error)
    tables_intact(app)


@pytest.mark.parametrize(
    "figures",
    [
        {"affected_pop": float("nan")},
        {"direct_loss": float("inf")},
        {"direct_loss": float("-inf")},
        {"direct_loss": 1e308},
        {"affected_pop": 10**30},
        {"affected_pop": -5},
        {"house_collapsed_hh": -1},
        {"direct_loss": -0.5},
        {"affected_pop": 1.5},
        {"affected_pop": "12; DROP TABLE reports"},
        {"affected_pop": True},
    ],
)
def test_impossible_figures_are_rejected_per_item(
    raw: TestClient, world: World, app: FastAPI, figures: dict[str, Any]
) -> None:
    version = item(content(figures={**content()["figures"], **figures}))
    body = json.dumps(batch("dev-wafang_a", [version])).encode()  # NaN/Infinity tokens as-is
    r = push_raw(raw, world, body)
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["status"] == "rejected", result
    assert result["message_zh"] and result["message_en"]
    got = raw.get(
        f"/api/v1/reports/{version['content']['report_uuid']}",
        headers=world.headers(raw, "wafang_a"),
    )
    assert got.status_code == 404  # nothing stored
    tables_intact(app)


@pytest.mark.parametrize(
    "device_time",
    ["7088-12-06T17:37:32+19:56", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59"],
)
def test_a_device_clock_thousands_of_years_off_is_stored_at_receipt(
    raw: TestClient, world: World, app: FastAPI, device_time: str
) -> None:
    """Found by the soak's fuzzing: the skew pushed the filing moment out of the calendar (500)."""
    version = item(content())
    r = raw.post(
        "/api/v1/reports/batch",
        headers=world.headers(raw, "wafang_a"),
        json=batch("dev-wafang_a", [version], device_time=device_time),
    )
    assert r.status_code in (200, 422), r.text
    if r.status_code == 200:
        assert r.json()["results"][0]["status"] == "accepted", r.text
    tables_intact(app)


@pytest.mark.parametrize("field_", ["protocol_version", "version_no"])
def test_huge_and_negative_counts_outside_figures(
    raw: TestClient, world: World, field_: str
) -> None:
    for value in (10**30, -1, 2**63, 1e308):
        version = item(content())
        data = batch("dev-wafang_a", [version])
        if field_ == "version_no":
            version["version_no"] = value
            r = push_raw(raw, world, json.dumps(data).encode())
            assert r.status_code == 200 and r.json()["results"][0]["status"] == "rejected"
        else:
            data["protocol_version"] = value
            error_of(push_raw(raw, world, json.dumps(data).encode()), (400, 422))
    for assignment in ("99999999999999999999999", "-1", "0"):
        r = raw.post(
            f"/api/v1/roster/assignments/{assignment}/end",
            headers=world.headers(raw, "baoshan_city"),
            json={"reason": "x"},
        )
        error_of(r, (404, 422))
    r = raw.get("/api/v1/changes", params={"limit": 10**30}, headers=world.headers(raw, "wafang_a"))
    assert r.status_code == 200  # a huge page size is capped, not an error


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_byte_for_byte(
    raw: TestClient, world: World, app: FastAPI, text: str
) -> None:
    body = content(narrative=text[:200], event_name=text[:100])
    version = item(body)
    r = push_raw(raw, world, json.dumps(batch("dev-wafang_a", [version])).encode())
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted", r.text
    got = raw.get(
        f"/api/v1/reports/{body['report_uuid']}", headers=world.headers(raw, "wafang_reviewer")
    )
    assert got.status_code == 200, got.text
    stored = got.json()["versions"][0]["content"]
    assert stored["narrative"] == text[:200] and stored["event_name"] == text[:100]
    assert got.headers["content-type"].startswith("application/json")
    tables_intact(app)


@pytest.mark.parametrize("text", HOSTILE_TEXT[:5])
def test_hostile_reasons_and_names_are_stored_inertly(
    raw: TestClient, world: World, app: FastAPI, text: str
) -> None:
    reviewer = world.headers(raw, "wafang_reviewer")
    event = new_id()
    r = raw.post(
        "/api/v1/events/open",
        headers=reviewer,
        json={
            "event_uuid": event,
            "event_name": text,
            "disaster_type": "flood",
            "township_code": WAFANG_TOWNSHIP,
            "village_codes": [WAFANG],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["opening"]["event_name"] == text
    adjustment = {"adjustment_uuid": new_id(), "field": "affected_pop", "delta": 1, "reason": text}
    r = raw.post(
        f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/initial/adjustments",
        headers=reviewer,
        json=adjustment,
    )
    assert r.status_code == 200, r.text
    assert r.json()["adjustment"]["reason"] == text
    tables_intact(app)


def test_hundred_thousand_characters_are_refused_cleanly(
    raw: TestClient, world: World, app: FastAPI
) -> None:
    long = "灾" * 100_000
    version = item(content(narrative=long))
    data = json.dumps(batch("dev-wafang_a", [version]), ensure_ascii=False).encode()
    r = push_raw(raw, world, data)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "rejected"  # the contract caps text length
    r = raw.post(
        "/api/v1/roster/assignments",
        headers=world.headers(raw, "wafang_reviewer"),
        json={
            "post_code": WAFANG,
            "username": "wafang_a",
            "post_role": "A",
            "reason": long,
            "replace": False,
        },
    )
    error_of(r, (413, 422))
    tables_intact(app)


@pytest.mark.parametrize("text", UNSTORABLE)
def test_unstorable_text_is_refused_everywhere(
    raw: TestClient, world: World, app: FastAPI, text: str
) -> None:
    # A batch item: rejected on its own, the item beside it is stored.
    bad, good = item(content(narrative=text)), item(content())
    r = push_raw(raw, world, json.dumps(batch("dev-wafang_a", [bad, good])).encode())
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results[0]["status"] == "rejected" and results[0]["code"] == "unstorable_text"
    assert results[1]["status"] == "accepted", results
    # Every other body: 422 unstorable_text.
    reviewer = world.headers(raw, "wafang_reviewer")
    bodies = [
        (
            "/api/v1/auth/login",
            {},
            {"username": "wafang_a" + text, "password": "x", "device_id": "d", "device_name": text},
        ),
        (
            "/api/v1/events/open",
            reviewer,
            {
                "event_uuid": new_id(),
                "event_name": text,
                "disaster_type": "flood",
                "township_code": WAFANG_TOWNSHIP,
                "village_codes": [],
            },
        ),
        ("/api/v1/provisioning", reviewer, {"username": text}),
        (
            "/api/v1/roster/assignments",
            reviewer,
            {
                "post_code": WAFANG,
                "username": "wafang_a",
                "post_role": "A",
                "reason": text,
                "replace": False,
            },
        ),
    ]
    for path, headers, body in bodies:
        r = raw.post(
            path,
            headers={**headers, "Content-Type": "application/json"},
            content=json.dumps(body).encode(),
        )
        assert error_of(r, 422)["code"] == "unstorable_text", (path, r.text)
    tables_intact(app)


def test_nul_in_the_address_is_a_400(raw: TestClient, world: World) -> None:
    headers = world.headers(raw, "baoshan_city")
    for url in (
        "/api/v1/reports/a%00b",
        "/api/v1/reports?under=5305%00",
        "/api/v1/changes?cursor=%00",
        "/api/v1/reports?event_uuid=x%00",
        "/api/v1/roster/history?post=%00",
    ):
        assert error_of(raw.get(url, headers=headers), 400)["code"] == "bad_request", url


def test_oversized_bodies_answer_413_with_a_message(
    raw: TestClient, world: World, app: FastAPI
) -> None:
    limit = app.state.settings.request_max_bytes
    body = b'{"username": "' + b"a" * (limit + 10) + b'"}'
    for path in ("/api/v1/auth/login", "/api/v1/events/open", "/api/v1/provisioning"):
        error = error_of(
            raw.post(
                path,
                content=body,
                headers={
                    **world.headers(raw, "wafang_reviewer"),
                    "Content-Type": "application/json",
                },
            ),
            413,
        )
        assert error["code"] == "body_too_large" and "MB" in error["zh"], error
    # Without Content-Length (chunked), counted as it arrives.
    chunks = (b"x" * 65536 for _ in range(limit // 65536 + 2))
    r = raw.post(
        "/api/v1/events/open",
        content=chunks,
        headers={**world.headers(raw, "wafang_reviewer"), "Content-Type": "application/json"},
    )
    assert error_of(r, 413)["code"] == "body_too_large"
    # A photo chunk past the photo limit, declared honestly or not.
    photo_limit = app.state.settings.photo_max_bytes
    sha = "ab" * 32
    r = raw.put(
        f"/api/v1/photos/{sha}",
        params={"offset": 0, "size": 100},
        content=b"\xff" * (photo_limit + 1),
        headers=world.headers(raw, "wafang_a"),
    )
    assert error_of(r, 413)["code"] == "photo_too_large"
