"""Health, OpenAPI, JSON errors for everything, and the schema migrations."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect

from sync.contract import PROTOCOL_VERSION
from sync.server.bootstrap import prepare_database
from sync.server.db import Database
from sync.server.migrate import head_revision, is_current
from tests.server.world import World


def test_health(client: TestClient, app: FastAPI) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["db"] == "ok"
    assert body["protocol_version"] == PROTOCOL_VERSION
    assert body["schema_revision"] == head_revision()
    assert body["dialect"] in ("sqlite", "postgresql")
    assert body["server_version"] and body["server_version"] != "unknown"


def test_errors_are_json(client: TestClient, world: World) -> None:
    for method, path, status, code in [
        ("GET", "/nowhere", 404, "not_found"),
        ("DELETE", "/api/v1/me", 405, "method_not_allowed"),
        ("GET", "/api/v1/changes?limit=0", 401, "not_authenticated"),
    ]:
        r = client.request(method, path)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/json")
        error = r.json()["error"]
        assert error["code"] == code and error["zh"] and error["en"]
    r = client.get("/api/v1/changes?limit=0", headers=world.headers(client, "wafang_a"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post(
        "/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    r = client.post(
        "/api/v1/auth/login",
        content=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            ok = op["responses"].get("200", {}).get("content", {})
            assert ok, (method, path)
            if path.endswith("/content"):
                continue
            schema = ok["application/json"]["schema"]
            assert "$ref" in schema, (method, path, schema)
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")) and status != "422":
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, status)
    batch = spec["components"]["schemas"]["BatchIn"]["properties"]["items"]["items"]
    assert "version_uuid" in batch["properties"]


@pytest.mark.filterwarnings("ignore:Did not recognize type:sqlalchemy.exc.SAWarning")
def test_migrations_are_idempotent_and_match_the_models(app: FastAPI) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sync.server.models import Base

    db: Database = app.state.db
    assert is_current(db)
    assert prepare_database(db) == 0
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        tables = set(inspect(conn).get_table_names())
    # change_log.txid exists on PostgreSQL only and is read with SQL, not through the model.
    diffs = [
        d
        for d in diffs
        if not (d[0] == "remove_column" and d[3].name == "txid")
        and not (d[0] == "remove_index" and d[1].name == "ix_change_log_txid_seq")
    ]
    assert diffs == []
    assert {"users", "reports", "report_versions", "change_log", "assignments"} <= tables
