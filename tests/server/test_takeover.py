"""A manager who sets up a device for someone below cannot approve what it sends, and it shows.

The attack of issue 18: a township reviewer issued a set-up code for a village informant who
had a live device, signed in as them, filed ``affected_pop: 9999`` and approved it; a county
admin did the same to a township reviewer.  Now the informant's device is signed out and told
why, the approval is refused (``own_provisioned_device``), and the county's history shows the
set-up-code sign-in and who issued the code.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from sync.server.models import Device, SecurityEvent, Token, User
from sync.server.services.signin_path import replaced_notice
from tests.server.factories import (
    LONGYANG,
    WAFANG,
    WAFANG_TOWNSHIP,
    batch,
    content,
    decision,
    decisions_batch,
    item,
    new_id,
)
from tests.server.world import World


def _issue(client: TestClient, world: World, manager: str, username: str) -> dict[str, Any]:
    r = client.post(
        "/api/v1/provisioning", headers=world.headers(client, manager), json={"username": username}
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _redeem(client: TestClient, code: str, device_id: str) -> dict[str, str]:
    r = client.post(
        "/api/v1/auth/provision",
        json={"code": code, "device_id": device_id, "device_name": "冒用的电脑"},
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _events(world: World, kind: str, username: str) -> list[SecurityEvent]:
    with world.app.state.db.read_session() as session:
        return list(
            session.scalars(
                select(SecurityEvent)
                .where(SecurityEvent.kind == kind, SecurityEvent.username == username)
                .order_by(SecurityEvent.id)
            )
        )


def test_a_reviewer_taking_over_an_informant_is_refused_and_visible(
    client: TestClient, world: World
) -> None:
    own_headers = world.headers(client, "wafang_a")  # the informant's live device
    issued = _issue(client, world, "wafang_reviewer", "wafang_a")
    assert issued["devices_signed_out"] == 1
    (logged,) = _events(world, "setup_code.issue", "wafang_a")[-1:]
    assert logged.actor == "wafang_reviewer" and '"devices_signed_out": 1' in logged.detail

    impostor = _redeem(client, issued["code"], "dev-impostor")
    body = content(WAFANG, figures={"affected_pop": 9999})
    version = item(body)
    r = client.post(
        "/api/v1/reports/batch", headers=impostor, json=batch("dev-impostor", [version])
    )
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted", r.text

    r = client.post(
        "/api/v1/decisions/batch",
        headers=world.headers(client, "wafang_reviewer"),
        json=decisions_batch("dev-wafang_reviewer", [decision(version["version_uuid"])]),
    )
    (result,) = r.json()["results"]
    assert result["status"] == "rejected" and result["code"] == "own_provisioned_device", result
    assert "设置码" in result["message_zh"]

    # The informant's own device is signed out and told why.
    r = client.get("/api/v1/me", headers=own_headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "token_revoked", r.text
    (replaced,) = _events(world, "device.replaced", "wafang_a")
    assert replaced.device_id == "dev-wafang_a" and replaced.actor == "wafang_reviewer"
    with world.app.state.db.read_session() as session:
        device_pk, revoked_at = session.execute(
            select(Device.id, Token.revoked_at)
            .join(Token, Token.device_pk == Device.id)
            .join(User, User.id == Device.user_id)
            .where(User.username == "wafang_a", Device.device_id == "dev-wafang_a")
        ).one()
        notice = replaced_notice(session, device_pk, revoked_at)
    assert notice is not None and notice.extra["reason"] == "replaced"
    assert notice.zh.startswith("您的账号已于") and "冒用的电脑" in notice.zh
    assert "设置码登录，本机已退出。如非本人操作，请立即联系上级。" in notice.zh
    assert notice.extra["device_name"] == "冒用的电脑"
    assert notice.extra["issued_by_name"]
    assert r.json()["error"]["reason"] == "replaced", r.text
    assert _events(world, "setup_code.redeem", "wafang_a")[-1].device_id == "dev-impostor"

    # The county sees the version came from a set-up-code sign-in, and who issued the code.
    r = client.get(
        f"/api/v1/reports/{body['report_uuid']}/history",
        headers=world.headers(client, "longyang_admin"),
    )
    assert r.status_code == 200, r.text
    (received,) = [e for e in r.json()["events"] if e["kind"] == "received"]
    assert received["by"] == "wafang_a" and received["device_id"] == "dev-impostor"
    assert received["signin"] == "setup_code"
    assert received["provisioned_by"] == "wafang_reviewer"
    assert received["provisioned_by_name"]
    assert received["replaced_devices"] is True  # the informant's own PC was signed out
    world.tokens.pop("wafang_a/dev-wafang_a", None)  # signs in again with the password


def test_a_password_device_is_shown_as_such(client: TestClient, world: World) -> None:
    body = content(WAFANG)
    version = item(body)
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", [version]),
    )
    assert r.json()["results"][0]["status"] == "accepted", r.text
    r = client.get(
        f"/api/v1/reports/{body['report_uuid']}/history",
        headers=world.headers(client, "longyang_admin"),
    )
    (received,) = r.json()["events"]
    assert received["signin"] == "password" and received["provisioned_by"] is None
    assert received["replaced_devices"] is False


def test_a_county_admin_taking_over_a_reviewer_cannot_pass_the_township_report(
    client: TestClient, world: World
) -> None:
    issued = _issue(client, world, "longyang_admin", "wafang_reviewer")
    assert issued["devices_signed_out"] >= 1
    as_reviewer = _redeem(client, issued["code"], "dev-county-as-reviewer")

    event = new_id()
    cutoff = "2024-07-01T07:00:00+08:00"
    body = content(
        WAFANG,
        event_uuid=event,
        figures={"affected_pop": 9999},
        data_cutoff_at=cutoff,
        submitted_at=cutoff,
        event_name="2024年7月1日隆阳区洪涝",
    )
    version = item(body)
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, "wafang_a"),
        json=batch("dev-wafang_a", [version]),
    )
    assert r.json()["results"][0]["status"] == "accepted", r.text
    # As the reviewer the approval goes through (the village's device is the informant's),
    # but the history shows whose set-up code the deciding device used.
    r = client.post(
        "/api/v1/decisions/batch",
        headers=as_reviewer,
        json=decisions_batch("dev-county-as-reviewer", [decision(version["version_uuid"])]),
    )
    assert r.json()["results"][0]["status"] == "accepted", r.text
    r = client.get(
        f"/api/v1/reports/{body['report_uuid']}/history",
        headers=world.headers(client, "longyang_admin"),
    )
    (approved,) = [e for e in r.json()["events"] if e["kind"] == "approved"]
    assert approved["signin"] == "setup_code" and approved["provisioned_by"] == "longyang_admin"

    url = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/initial"
    total = client.get(url, headers=as_reviewer).json()["total"]
    r = client.post(
        f"{url}/submit", headers=as_reviewer, json={"submission_uuid": new_id(), "figures": total}
    )
    assert r.status_code == 200, r.text
    submission = r.json()["report"]["submission_uuid"]

    r = client.post(
        f"/api/v1/units/{LONGYANG}/reports/{event}/initial/decisions",
        headers=world.headers(client, "longyang_admin"),
        json={
            "decision_uuid": new_id(),
            "submission_uuid": submission,
            "decision": "pass",
            "reason": "",
        },
    )
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "own_provisioned_device"
    # A return stays possible (it approves nothing).
    r = client.post(
        f"/api/v1/units/{LONGYANG}/reports/{event}/initial/decisions",
        headers=world.headers(client, "longyang_admin"),
        json={
            "decision_uuid": new_id(),
            "submission_uuid": submission,
            "decision": "return",
            "reason": "请本人重新核实",
        },
    )
    assert r.status_code == 200, r.text
    world.tokens.pop("wafang_reviewer/dev-wafang_reviewer", None)
