"""Upgrading a populated 0002 database to 0003 (A/B duty), and back: on SQLite and PostgreSQL.

The 0002 rows are written with plain table constructs of the 0002 columns.  Decisions and
version photos point at the versions, so the upgrade must not copy ``report_versions``.
After the upgrade the old versions carry a filing role derived from their sender's role,
the roster's partial unique indexes still hold, and the server works on the old data.
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
from sqlalchemy.exc import IntegrityError

from sync.server.app import create_app
from sync.server.db import Database, UTCDateTime
from sync.server.migrate import alembic_config, current_revision, head_revision, upgrade
from sync.server.security import Passwords
from tests.server.conftest import fast_settings
from tests.server.factories import SHUIGOU, WAFANG, content
from tests.server.world import PASSWORD, sign_in
from tests.support.old_schema import database_at

T0 = datetime(2024, 6, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=10)


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
    "phone",
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
    "post_role",
    "review_status",
    times=("submitted_at", "device_time", "server_received_at"),
)
DECISIONS = _table(
    "decisions",
    "decision_uuid",
    "version_uuid",
    "report_uuid",
    "village_code",
    "decision",
    "status",
    "code",
    "reason",
    "field_comments_json",
    "content_hash",
    "user_id",
    "post_role",
    "device_pk",
    times=("server_received_at",),
)
PHOTOS = _table("version_photos", "version_uuid", "sha256", "village_code")
CHANGES = _table("change_log", "kind", "division_code", "ref", times=("created_at",))


@pytest.fixture(scope="module")
def old_db(db_url: str) -> Iterator[Database]:
    """A database at 0002: a roster, four versions, a decision and a photo pointing at them."""
    db = database_at(db_url, "0002")
    with db.writing() as session:
        conn = session.connection()
        secret = Passwords(1, 1024).hash(PASSWORD)
        ids = {}
        role: str | None  # a user's role below, then a post role (a reviewer holds none)
        for username, role, jurisdiction in [
            ("wafang_a", "village_informant", WAFANG),
            ("wafang_b", "village_informant", WAFANG),
            ("shuigou_b", "village_informant", SHUIGOU),
            ("wafang_reviewer", "township_reviewer", "530502208000"),
        ]:
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
                        "phone": None,
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
        devices: dict[int, int] = dict(
            conn.execute(sa.text("SELECT user_id, id FROM devices")).all()
        )
        posts = {}
        for village in (WAFANG, SHUIGOU):
            posts[village] = conn.execute(
                sa.insert(POSTS).returning(POSTS.c.id),
                [{"division_code": village, "level": "village", "created_at": T0}],
            ).scalar_one()
        for user, village, role in [
            ("wafang_a", WAFANG, "A"),
            ("wafang_b", WAFANG, "B"),
            ("shuigou_b", SHUIGOU, "B"),
        ]:
            conn.execute(
                sa.insert(ASSIGNMENTS),
                [
                    {
                        "post_id": posts[village],
                        "user_id": ids[user],
                        "post_role": role,
                        "valid_from": T0,
                        "valid_to": None,
                    }
                ],
            )
        for n, (user, village, role) in enumerate(
            [
                ("wafang_a", WAFANG, "A"),
                ("wafang_b", WAFANG, "B"),
                ("shuigou_b", SHUIGOU, "B"),
                ("wafang_reviewer", WAFANG, None),
            ],
            start=1,
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
                        "user_id": ids[user],
                        "device_pk": devices[ids[user]],
                        "post_role": role,
                        "review_status": "returned" if n == 1 else "pending",
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
        conn.execute(
            sa.insert(DECISIONS),
            [
                {
                    "decision_uuid": "old-decision",
                    "version_uuid": "old-version-1",
                    "report_uuid": "old-report-1",
                    "village_code": WAFANG,
                    "decision": "return",
                    "status": "applied",
                    "code": "applied",
                    "reason": "请核实",
                    "field_comments_json": "{}",
                    "content_hash": "0" * 64,
                    "user_id": ids["wafang_reviewer"],
                    "post_role": "A",
                    "device_pk": devices[ids["wafang_reviewer"]],
                    "server_received_at": T1,
                }
            ],
        )
        conn.execute(
            sa.insert(PHOTOS),
            [{"version_uuid": "old-version-2", "sha256": "a" * 64, "village_code": WAFANG}],
        )
    yield db
    db.dispose()


def test_upgrade_keeps_the_data_and_derives_filing_roles(
    old_db: Database, db_url: str, tmp_path: Path
) -> None:
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == "0002"
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        rows = conn.execute(
            sa.text(
                "SELECT version_uuid, post_role, filing_role, acting_for_user_id "
                "FROM report_versions ORDER BY version_uuid"
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            ("old-version-1", "A", "A", None),
            ("old-version-2", "B", "B_while_A_on_duty", None),
            ("old-version-3", "B", "B_acting", None),
            ("old-version-4", None, None, None),
        ]
        assert conn.execute(sa.text("SELECT count(*) FROM decisions")).scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM version_photos")).scalar() == 1
        assert (
            conn.execute(
                sa.text(
                    "SELECT count(*) FROM assignments WHERE reason IS NULL AND created_by IS NULL "
                    "AND ended_reason IS NULL AND ended_by IS NULL"
                )
            ).scalar()
            == 3
        )
        for table in ("absences", "handovers", "event_openings", "event_opening_villages"):
            assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0
    # The copied assignments table still holds one active A per post.
    with pytest.raises(IntegrityError), old_db.writing() as session:
        session.execute(
            sa.text(
                "INSERT INTO assignments (post_id, user_id, post_role, valid_from) "
                "SELECT post_id, (SELECT id FROM users WHERE username = 'wafang_reviewer'), 'A', "
                "valid_from FROM assignments WHERE post_role = 'A'"
            )
        )
    with pytest.raises(IntegrityError), old_db.writing() as session:
        session.execute(
            sa.text(
                "UPDATE report_versions SET filing_role = 'X' WHERE version_uuid = 'old-version-1'"
            )
        )
    app = create_app(fast_settings(db_url, tmp_path))
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {sign_in(client, 'wafang_reviewer', 'rev-1')}"}
        r = client.get("/api/v1/reports/old-report-3", headers=h)
        assert r.json()["versions"][0]["filing_role"] == "B_acting", r.text
        history = client.get("/api/v1/roster/history", headers=h, params={"post": WAFANG})
        assert [(a["username"], a["reason"]) for a in history.json()["assignments"]] == [
            ("wafang_a", ""),
            ("wafang_b", ""),
        ]
        # The old returned report is an open item of a handover made now.
        r = client.post(
            "/api/v1/absences",
            headers=h,
            json={
                "absence_uuid": "after-upgrade",
                "post_code": WAFANG,
                "starts_at": datetime.now(UTC).isoformat(),
                "ends_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
                "kind": "away",
                "reason": "升级后登记",
            },
        )
        assert r.status_code == 200, r.text
        assert [
            x["report_uuid"] for x in r.json()["handover"]["open_items"]["returned_reports"]
        ] == ["old-report-1"]
    app.state.db.dispose()


def test_downgrade_and_upgrade_again(old_db: Database) -> None:
    config = alembic_config()
    with old_db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
        conn.commit()
        assert current_revision(conn) == "0002"
        columns = {c["name"] for c in sa.inspect(conn).get_columns("report_versions")}
        assert not {"filing_role", "acting_for_user_id"} & columns
        columns = {c["name"] for c in sa.inspect(conn).get_columns("assignments")}
        assert not {"reason", "ended_reason", "created_by", "ended_by"} & columns
        assert "absences" not in sa.inspect(conn).get_table_names()
        assert conn.execute(sa.text("SELECT count(*) FROM report_versions")).scalar() == 4
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM change_log WHERE kind IN ('absence', 'handover')")
            ).scalar()
            == 0
        )
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert (
            conn.execute(
                sa.text(
                    "SELECT filing_role FROM report_versions WHERE version_uuid = 'old-version-3'"
                )
            ).scalar()
            == "B_acting"
        )
