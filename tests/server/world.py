"""The people and places every server test module shares, created once per database."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sync.server.models import PostRole, Role
from sync.server.sample import BAOSHAN, create_sample
from sync.server.services.accounts import add_user, assign
from tests.server.factories import GUDONG, LUJIANG, XINZHAI

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    """Accounts (all with ``PASSWORD``) and a token cache by username."""

    app: FastAPI
    usernames: list[str]
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, client: TestClient, username: str, device_id: str | None = None) -> str:
        """Return a token of ``username`` (device ``dev-<username>``), signing in once."""
        device = device_id or f"dev-{username}"
        key = f"{username}/{device}"
        if key not in self.tokens:
            self.tokens[key] = sign_in(client, username, device)
        return self.tokens[key]

    def headers(self, client: TestClient, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(client, username)}"}


def sign_in(client: TestClient, username: str, device_id: str, password: str = PASSWORD) -> str:
    response: httpx2.Response = client.post(
        "/api/v1/auth/login",
        json={
            "username": username,
            "password": password,
            "device_id": device_id,
            "device_name": "test",
        },
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


def build_world(app: FastAPI) -> World:
    db = app.state.db
    passwords = app.state.passwords
    with db.writing() as session:
        create_sample(session, passwords, "baoshan", {a.username: PASSWORD for a in BAOSHAN})
        extra = [("xinzhai_a", XINZHAI), ("gudong_a", GUDONG)]
        for username, village in extra:
            add_user(session, passwords, username, Role.VILLAGE_INFORMANT, village, PASSWORD)
            assign(session, username, village, PostRole.A)
        add_user(session, passwords, "tengchong_admin", Role.COUNTY_ADMIN, "530581000000", PASSWORD)
        add_user(session, passwords, "lujiang_reviewer", Role.TOWNSHIP_REVIEWER, LUJIANG, PASSWORD)
    return World(
        app,
        [a.username for a in BAOSHAN]
        + ["xinzhai_a", "gudong_a", "tengchong_admin", "lujiang_reviewer"],
    )
