"""Upgrading a populated 0003 database to 0004 (set-up codes), and back: SQLite and PostgreSQL.

0004 only adds the tables ``setup_codes`` and ``provision_failures``.  After the upgrade the
old accounts work and a code issued and redeemed on the old data signs a device in; a
downgrade drops the tables and keeps the rest, and a second upgrade brings them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.db import Database, UTCDateTime
from sync.server.migrate import alembic_config, current_revision, head_revision, upgrade
from sync.server.security import Passwords
from tests.server.conftest import fast_settings
from tests.server.factories import WAFANG
from tests.server.world import PASSWORD, sign_in
from tests.support.old_schema import database_at

T0 = datetime(2024, 6, 1, tzinfo=UTC)
USERS = sa.table(
    "users",
    *(
        sa.column(c)
        for c in (
            "id",
            "username",
            "display_name",
            "role",
            "jurisdiction_code",
            "password_hash",
            "failed_logins",
            "phone",
        )
    ),
    sa.column("created_at", UTCDateTime()),
)
POSTS = sa.table(
    "posts",
    sa.column("id"),
    sa.column("division_code"),
    sa.column("level"),
    sa.column("created_at", UTCDateTime()),
)
ASSIGNMENTS = sa.table(
    "assignments",
    sa.column("post_id"),
    sa.column("user_id"),
    sa.column("post_role"),
    sa.column("reason"),
    sa.column("valid_from", UTCDateTime()),
)
NEW_TABLES = {"setup_codes", "provision_failures"}


@pytest.fixture(scope="module")
def old_db(db_url: str) -> Iterator[Database]:
    """A database at 0003 with a township reviewer and the B of 瓦房社区."""
    db = database_at(db_url, "0003")
    with db.writing() as session:
        conn = session.connection()
        secret = Passwords(1, 1024).hash(PASSWORD)
        ids = {}
        for username, role, jurisdiction in [
            ("wafang_reviewer", "township_reviewer", "530502208000"),
            ("wafang_b", "village_informant", WAFANG),
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
        post = conn.execute(
            sa.insert(POSTS).returning(POSTS.c.id),
            [{"division_code": WAFANG, "level": "village", "created_at": T0}],
        ).scalar_one()
        conn.execute(
            sa.insert(ASSIGNMENTS),
            [
                {
                    "post_id": post,
                    "user_id": ids["wafang_b"],
                    "post_role": "B",
                    "reason": "",
                    "valid_from": T0,
                }
            ],
        )
    yield db
    db.dispose()


def test_upgrade_adds_the_tables_and_codes_work_on_the_old_data(
    old_db: Database, db_url: str, tmp_path: Path
) -> None:
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == "0003"
        assert not NEW_TABLES & set(sa.inspect(conn).get_table_names())
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert set(sa.inspect(conn).get_table_names()) >= NEW_TABLES
        columns = {c["name"] for c in sa.inspect(conn).get_columns("setup_codes")}
        assert columns == {
            "id",
            "code_hash",
            "user_id",
            "issued_by",
            "created_at",
            "expires_at",
            "used_at",
            "used_by_device",
            "revoked_at",
        }
    app = create_app(fast_settings(db_url, tmp_path))
    with TestClient(app) as client:
        h = {"Authorization": f"Bearer {sign_in(client, 'wafang_reviewer', 'rev-1')}"}
        r = client.post("/api/v1/provisioning", headers=h, json={"username": "wafang_b"})
        assert r.status_code == 200, r.text
        r = client.post(
            "/api/v1/auth/provision", json={"code": r.json()["code"], "device_id": "after-upgrade"}
        )
        assert r.status_code == 200, r.text
        assert r.json()["user"]["posts"][0]["division_code"] == WAFANG
    app.state.db.dispose()


def test_downgrade_and_upgrade_again(old_db: Database) -> None:
    config = alembic_config()
    with old_db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
        conn.commit()
        assert current_revision(conn) == "0003"
        assert not NEW_TABLES & set(sa.inspect(conn).get_table_names())
        assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 2
        assert conn.execute(sa.text("SELECT count(*) FROM tokens")).scalar() == 2
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert conn.execute(sa.text("SELECT count(*) FROM setup_codes")).scalar() == 0
