"""The official division table with vintages, the informant register, the admin log.

``divisions`` gains ``short_name`` (what screens show; backfilled from the official name),
``retired_vintage`` (a code an import dropped: kept for old reports, takes no new ones) and
``revision`` (the import that last changed the row; devices fetch the table again when
``max(revision)`` grows).  ``users`` gains the register's columns (register id, backup phone,
gender, unit, title, appointment date, training).  ``admin_actions`` records what managers do
to accounts, devices, posts and the register, and who did it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sync.contract.divisions import short_name

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_USER_COLUMNS = (
    ("backup_phone", sa.String(32)),
    ("gender", sa.String(8)),
    ("unit", sa.String(200)),
    ("title", sa.String(100)),
    ("appointed_on", sa.String(10)),
    ("training", sa.String(200)),
)


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): SQLite would refuse to drop a table others refer to.
    op.add_column(
        "divisions", sa.Column("short_name", sa.String(100), nullable=False, server_default="")
    )
    op.add_column("divisions", sa.Column("retired_vintage", sa.String(16), nullable=True))
    op.add_column(
        "divisions", sa.Column("revision", sa.Integer(), nullable=False, server_default="1")
    )
    op.create_index("ix_divisions_revision", "divisions", ["revision"])
    divisions = sa.table(
        "divisions",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("level", sa.String),
        sa.column("short_name", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(divisions.c.code, divisions.c.name, divisions.c.level).where(
            divisions.c.level == "village"
        )
    ).all()
    updates = [{"c": code, "s": short_name(name, level)} for code, name, level in rows]
    if updates:
        bind.execute(
            divisions.update()
            .where(divisions.c.code == sa.bindparam("c"))
            .values(short_name=sa.bindparam("s")),
            updates,
        )
    bind.execute(
        divisions.update().where(divisions.c.short_name == "").values(short_name=divisions.c.name)
    )
    op.add_column("users", sa.Column("register_id", sa.String(64), nullable=True))
    for name, type_ in _USER_COLUMNS:
        op.add_column("users", sa.Column(name, type_, nullable=True))
    op.create_index("uq_users_register_id", "users", ["register_id"], unique=True)
    op.create_table(
        "admin_actions",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail", sa.Text(), nullable=False, server_default="{}"),
    )
    op.create_index("ix_admin_actions_at", "admin_actions", ["at"])


def downgrade() -> None:
    op.drop_table("admin_actions")
    op.drop_index("uq_users_register_id", table_name="users")
    for name in ("register_id", *(name for name, _type in _USER_COLUMNS)):
        op.drop_column("users", name)
    op.drop_index("ix_divisions_revision", table_name="divisions")
    for name in ("revision", "retired_vintage", "short_name"):
        op.drop_column("divisions", name)
