"""Upgrading a populated 0008 database to 0009 (lock-out columns dropped), and back: both DBs.

0009 only drops ``users.failed_logins``, ``last_failed_at`` and ``locked_until``, left over
from the lock-out that sign-in slowdowns replaced.  After the upgrade the accounts, their
devices and security log are kept (on SQLite too, where foreign keys are enforced and
``users`` is referenced by most tables) and a kept account signs in; a downgrade adds the
columns back as 0001 had them.
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
        )
    ),
    sa.column("last_failed_at", UTCDateTime()),
    sa.column("locked_until", UTCDateTime()),
    sa.column("created_at", UTCDateTime()),
)
DEVICES = sa.table(
    "devices",
    sa.column("user_id"),
    sa.column("device_id"),
    sa.column("device_name"),
    sa.column("created_at", UTCDateTime()),
)
EVENTS = sa.table(
    "security_events",
    sa.column("at", UTCDateTime()),
    sa.column("kind"),
    sa.column("username"),
    sa.column("user_id"),
)
DROPPED = {"failed_logins", "last_failed_at", "locked_until"}
KEPT_COUNTS = {"users": 2, "devices": 1, "security_events": 1}


@pytest.fixture(scope="module")
def old_db(db_url: str) -> Iterator[Database]:
    """A database at 0008 with two informants of 瓦房社区, one of them "locked" the old way."""
    db = database_at(db_url, "0008")
    with db.writing() as session:
        conn = session.connection()
        secret = Passwords(1, 1024).hash(PASSWORD)
        ids = {}
        for username, failed, locked in [
            ("wafang_a", 5, datetime(2024, 6, 2, tzinfo=UTC)),
            ("wafang_b", 0, None),
        ]:
            ids[username] = conn.execute(
                sa.insert(USERS).returning(USERS.c.id),
                [
                    {
                        "username": username,
                        "display_name": username,
                        "role": "village_informant",
                        "jurisdiction_code": WAFANG,
                        "password_hash": secret,
                        "failed_logins": failed,
                        "last_failed_at": locked,
                        "locked_until": locked,
                        "created_at": T0,
                    }
                ],
            ).scalar_one()
        first = ids["wafang_a"]
        conn.execute(
            sa.insert(DEVICES),
            [{"user_id": first, "device_id": "old", "device_name": "old", "created_at": T0}],
        )
        conn.execute(
            sa.insert(EVENTS),
            [{"at": T0, "kind": "login.failure", "username": "wafang_a", "user_id": first}],
        )
    yield db
    db.dispose()


def _user_columns(conn: sa.Connection) -> set[str]:
    return {c["name"] for c in sa.inspect(conn).get_columns("users")}


def _counts(conn: sa.Connection) -> dict[str, int]:
    return {
        table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in KEPT_COUNTS
    }


def test_upgrade_drops_the_columns_and_keeps_the_accounts(
    old_db: Database, db_url: str, tmp_path: Path
) -> None:
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == "0008"
        assert _user_columns(conn) >= DROPPED
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision() == "0009"
        assert not DROPPED & _user_columns(conn)
        assert _counts(conn) == KEPT_COUNTS
        names = conn.execute(sa.text("SELECT username FROM users ORDER BY username")).scalars()
        assert list(names) == ["wafang_a", "wafang_b"]
        owner = conn.execute(
            sa.text("SELECT u.username FROM devices d JOIN users u ON u.id = d.user_id")
        ).scalar_one()
        assert owner == "wafang_a"
        references = {fk["referred_table"] for fk in sa.inspect(conn).get_foreign_keys("devices")}
        assert references == {"users"}
        if old_db.dialect == "sqlite":
            assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    # The account the old lock-out had locked signs in: nothing reads the lock any more.
    app = create_app(fast_settings(db_url, tmp_path))
    with TestClient(app) as client:
        sign_in(client, "wafang_a", "after-upgrade")
    app.state.db.dispose()


def test_downgrade_adds_the_columns_back_and_upgrade_again(old_db: Database) -> None:
    config = alembic_config()
    with old_db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
        conn.commit()
        assert current_revision(conn) == "0008"
        assert _user_columns(conn) >= DROPPED
        rows = conn.execute(
            sa.text("SELECT failed_logins, last_failed_at, locked_until FROM users")
        ).all()
        assert {tuple(r) for r in rows} == {(0, None, None)}
        assert _counts(conn)["users"] == KEPT_COUNTS["users"]
    upgrade(old_db)
    with old_db.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert not DROPPED & _user_columns(conn)
        assert _counts(conn)["users"] == KEPT_COUNTS["users"]
