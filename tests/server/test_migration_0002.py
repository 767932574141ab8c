"""Upgrading a populated 0001 database to 0002 (review), and back: on SQLite and PostgreSQL.

The 0001 rows are written with plain table constructs of the 0001 columns (the models already
carry the 0002 columns).  After the upgrade, old versions are pending, their senders' A/B
roles come from the roster history, and the server works on them: decide, read the history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.db import Database, UTCDateTime
from sync.server.migrate import alembic_config, current_revision, head_revision, upgrade
from sync.server.security import Passwords
from tests.server.conftest import fast_settings
from tests.server.factories import SHUIGOU, WAFANG, content, decision
from tests.server.steps import pull_all
from tests.server.world import PASSWORD, World, sign_in
from tests.support.old_schema import database_at

T0 = datetime(2024, 6, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=10)  # the versions arrive
T2 = T0 + timedelta(days=20)  # wafang_a and wafang_b swap A and B


def _table(name: str, *columns: str, times: tuple[str, ...] = ()) -> sa.TableClause:
    cols: list[sa.ColumnClause[Any]] = [sa.column(c) for c in columns] + [
        sa.column(t, UTCDateTime()) for t in times
    ]
    return sa.table(name, *cols)


USERS = _table(
    "users",
    "id",
    "username",
    "display_name",
    "role",
    "jurisdiction_code",
    "password_hash",
    "failed_logins",
    times=("created_at",),
)
DEVICES = _table("devices", "user_id", "device_id", "device_name", times=("created_at",))
POSTS = _table("posts", "id", "division_code", "level", times=("created_at",))
ASSIGNMENTS = _table(
    "assignments", "post_id", "user_id", "post_role", times=("valid_from", "valid_to")
)
REPORTS = _table(
    "reports",
    "report_uuid",
    "village_code",
    "event_uuid",
    "first_version_uuid",
    "current_version_uuid",
    times=("created_at", "updated_at"),
)
VERSIONS = _table(
    "report_versions",
    "version_uuid",
    "report_uuid",
    "parent_version_uuid",
    "version_no",
    "village_code",
    "event_uuid",
    "stage",
    "status",
    "content_json",
    "content_hash",
    "user_id",
    "device_pk",
    times=("submitted_at", "device_time", "server_received_at"),
)
CHANGES = _table("change_log", "kind", "division_code", "ref", times=("created_at",))


@pytest.fixture(scope="module")
def old_db(db_url: str) -> Iterator[Database]:
    """A database at 0001 with accounts, a roster history and three reports."""
    db = database_at(db_url, "0001")
    with db.writing() as session:
        conn = session.connection()
        secret = Passwords(1, 1024).hash(PASSWORD)
        people = [
            ("wafang_a", "village_informant", WAFANG),
            ("wafang_b", "village_informant", WAFANG),
            ("shuigou_a", "village_informant", SHUIGOU),
            ("wafang_reviewer", "township_reviewer", "530502208000"),
        ]
        ids = {}  # ids from the database, so that PostgreSQL's sequences stay right
        for username, role, jurisdiction in people:
            ids[username] = conn.execute(
                sa.insert(USERS).returning(USERS.c.id),
                [
                    {
                        "username": username,
                        "display_name": username,
                        "role": role,
                        "jurisdiction_code": jurisdiction,
                        "password_hash": secret,
                        "failed_logins": 0,
                        "created_at": T0,
                    }
                ],
            ).scalar_one()
            conn.execute(
                sa.insert(DEVICES),
                [
                    {
                        "user_id": ids[username],
                        "device_id": "old",
                        "device_name": "",
                        "created_at": T0,
                    }
                ],
            )
        post = conn.execute(
            sa.insert(POSTS).returning(POSTS.c.id),
            [{"division_code": WAFANG, "level": "village", "created_at": T0}],
        ).scalar_one()
        a, b = ids["wafang_a"], ids["wafang_b"]
        # Until T2 wafang_a is A and wafang_b is B; then they swap.
        for user, role, start, end in [
            (a, "A", T0, T2),
            (b, "B", T0, T2),
            (a, "B", T2, None),
            (b, "A", T2, None),
        ]:
            conn.execute(
                sa.insert(ASSIGNMENTS),
                [
                    {
                        "post_id": post,
                        "user_id": user,
                        "post_role": role,
                        "valid_from": start,
                        "valid_to": end,
                    }
                ],
            )
        devices: dict[int, int] = dict(
            conn.execute(sa.text("SELECT user_id, id FROM devices")).all()
        )
        for n, (user, village) in enumerate(
            [(a, WAFANG), (b, WAFANG), (ids["shuigou_a"], SHUIGOU)], start=1
        ):
            body = content(village, report_uuid=f"old-report-{n}")
            version = f"old-version-{n}"
            conn.execute(
                sa.insert(REPORTS),
                [
                    {
                        "report_uuid": body["report_uuid"],
                        "village_code": village,
                        "event_uuid": body["event_uuid"],
                        "first_version_uuid": version,
                        "current_version_uuid": version,
                        "created_at": T1,
                        "updated_at": T1,
                    }
                ],
            )
            conn.execute(
                sa.insert(VERSIONS),
                [
                    {
                        "version_uuid": version,
                        "report_uuid": body["report_uuid"],
                        "parent_version_uuid": None,
                        "version_no": 1,
                        "village_code": village,
                        "event_uuid": body["event_uuid"],
                        "stage": "initial",
                        "status": "accepted",
                        "content_json": json.dumps(body),
                        "content_hash": "0" * 64,
                        "user_id": user,
                        "device_pk": devices[user],
                        "submitted_at": T1,
                        "device_time": T1,
                        "server_received_at": T1,
                    }
                ],
            )
            conn.execute(
                sa.insert(CHANGES),
                [
                    {
                        "kind": "report_version",
                        "division_code": village,
                        "ref": version,
                        "created_at": T1,
                    }
                ],
            )
    yield db
    db.dispose()


def test_upgrade_keeps_the_data_and_fills_in_the_review(
    old_db: Database, db_url: str, tmp_path: Path
) -> None:
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == "0001"
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        rows = conn.execute(
            sa.text(
                "SELECT version_uuid, post_role, review_status, review_decision_uuid "
                "FROM report_versions ORDER BY version_uuid"
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            ("old-version-1", "A", "pending", None),
            ("old-version-2", "B", "pending", None),
            ("old-version-3", None, "pending", None),
        ]
        assert conn.execute(sa.text("SELECT count(*) FROM users WHERE phone IS NULL")).scalar() == 4
        assert conn.execute(sa.text("SELECT count(*) FROM decisions")).scalar() == 0
    app = create_app(fast_settings(db_url, tmp_path))
    with TestClient(app) as client:
        world = World(app, [])
        h = {"Authorization": f"Bearer {sign_in(client, 'wafang_reviewer', 'rev-1')}"}
        r = client.get("/api/v1/reports/old-report-1", headers=h)
        assert r.status_code == 200 and r.json()["review_status"] == "pending"
        r = client.post(
            "/api/v1/decisions/batch",
            headers=h,
            json={
                "protocol_version": 1,
                "device_id": "rev-1",
                "items": [decision("old-version-1", "return", "请补充说明")],
            },
        )
        assert r.json()["results"][0]["status"] == "accepted", r.text
        events = client.get("/api/v1/reports/old-report-1/history", headers=h).json()["events"]
        # The role wafang_a held when the version arrived (A), not the one held now (B).
        assert [(e["kind"], e["by"], e["post_role"]) for e in events] == [
            ("received", "wafang_a", "A"),
            ("returned", "wafang_reviewer", None),
        ]
        world.tokens["wafang_b/dev-wafang_b"] = sign_in(client, "wafang_b", "dev-wafang_b")
        kinds = [c["kind"] for c in pull_all(client, world, "wafang_b")[0]]
        assert kinds == ["report_version", "report_version", "decision"]
    app.state.db.dispose()


def test_downgrade_and_upgrade_again(old_db: Database) -> None:
    config = alembic_config()
    with old_db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        conn.commit()
        assert current_revision(conn) == "0001"
        columns = {c["name"] for c in sa.inspect(conn).get_columns("report_versions")}
        assert "review_status" not in columns
        assert conn.execute(sa.text("SELECT count(*) FROM report_versions")).scalar() == 3
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
