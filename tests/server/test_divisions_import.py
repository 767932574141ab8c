"""``city-server divisions import``: the official table with a vintage, on SQLite and PostgreSQL.

The command runs as a subprocess (the real CLI); the API answers come from the real app on the
same database: ``GET /divisions`` (short names, retired codes, ancestors, revision), ``/me``
(the table's revision), a new report on a retired village refused while the old one keeps its
history, and a retired post refusing a new holder.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.contract.resources import resource_path
from sync.server.db import Database
from sync.server.models import AdminAction, DivisionRow
from sync.server.settings import Settings
from tests.server.conftest import make_db_url
from tests.server.factories import batch, content, item
from tests.server.test_cli import city
from tests.server.world import World
from tests.support.places import DANGXI, LONGYANG, WAFANG, WAFANG_TOWNSHIP

PROVINCE = "530000000000"
BAOSHAN_CITY = "530500000000"
SHANGZHAI = "530502208202"  # 上寨村民委员会
MEILANSHAN = "530502208203"  # 梅兰山村民委员会
LAST = "530502208219"
NEW_VILLAGE = "530502208220"
YUNNAN = resource_path("divisions", "yunnan_divisions_2023.csv")
BAOSHAN_FILE = resource_path("divisions", "baoshan_divisions_2023.csv")
HEADER = ["code", "name", "level", "parent_code"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _json(done: Any) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _import(url: str, tmp: Path, file: Path, *extra: str, vintage: str = "2023") -> dict[str, Any]:
    return _json(city(url, tmp, "divisions", "import", str(file), "--vintage", vintage, *extra))


def _counts(result: dict[str, Any], kind: str) -> dict[str, int]:
    counts: dict[str, int] = result["counts"][kind]
    return counts


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the module's backend, for one test."""
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    url, schema = make_db_url(backend, tmp_path)
    yield url
    if schema is not None:
        schema.drop()


def _level_counts(url: str) -> dict[str, int]:
    db = Database(Settings(database_url=url).url)
    try:
        with db.read_session() as session:
            rows = session.execute(
                select(DivisionRow.level, func.count())
                .where(DivisionRow.retired_vintage.is_(None))
                .group_by(DivisionRow.level)
            ).all()
            return {str(level): int(n) for level, n in rows}
    finally:
        db.dispose()


def test_province_import_matches_the_file_and_is_idempotent(fresh_url: str, tmp_path: Path) -> None:
    init = city(fresh_url, tmp_path, "init", "--sample", "baoshan", "--json")
    assert init.returncode == 0, init.stderr
    assert json.loads(init.stdout)["divisions_added"] == 1040  # 云南省, 保山市 and all in it
    file_rows = _rows(YUNNAN)
    by_level = {lv: sum(1 for r in file_rows if r["level"] == lv) for lv in ("township", "village")}
    assert by_level == {"township": 1461, "village": 14888}

    started = time.monotonic()
    done = city(fresh_url, tmp_path, "divisions", "import", str(YUNNAN), "--vintage", "2023")
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert elapsed < 60, f"the province import took {elapsed:.1f} s"
    text = done.stdout
    assert "added: 15,455" in text  # the province's rows less the 1,040 Baoshan had
    assert "renamed: 0" in text and "moved: 0" in text and "retired: 0" in text
    assert "1 province, 16 cities, 129 counties, 1,461 townships, 14,888 villages" in text
    assert "14,888 个" in text
    # More than 30 added: counted per level, not listed one by one.
    assert "530100000000 昆明市" not in text
    assert _level_counts(fresh_url) == {
        "province": 1,
        "city": 16,
        "county": 129,
        "township": 1461,
        "village": 14888,
    }

    again = _import(fresh_url, tmp_path, YUNNAN, "--json")
    assert again["changes"] == 0 and again["revision"] == 2
    assert all(_counts(again, k)["total"] == 0 for k in again["counts"])
    assert again["totals"]["village"] == 14888 and again["scope"] == [PROVINCE]
    plain = city(fresh_url, tmp_path, "divisions", "import", str(YUNNAN), "--vintage", "2023")
    assert "codes changed: 0" in plain.stdout

    # The Baoshan file lists 云南省 only to place 保山市: it retires nothing elsewhere.
    baoshan = _import(fresh_url, tmp_path, BAOSHAN_FILE, "--json")
    assert baoshan["scope"] == [BAOSHAN_CITY]
    assert baoshan["changes"] == 0 and baoshan["totals"]["city"] == 16

    db = Database(Settings(database_url=fresh_url).url)
    try:
        with db.read_session() as session:
            logged = session.scalars(
                select(AdminAction).where(AdminAction.action == "divisions.import")
            ).all()
            assert [a.target for a in logged] == [
                "yunnan_divisions_2023.csv",
                "yunnan_divisions_2023.csv",
                "yunnan_divisions_2023.csv",
                "baoshan_divisions_2023.csv",
            ]
            assert json.loads(logged[0].detail)["added"] == 15455
            assert logged[0].actor == "cli"
    finally:
        db.dispose()


def test_bad_file_names_the_line(client: TestClient, db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,level,parent_code\n"
        f"{WAFANG_TOWNSHIP},瓦房彝族苗族乡,township,{LONGYANG}\n"
        f"53050220820X,坏代码,village,{WAFANG_TOWNSHIP}\n",
        encoding="utf-8",
    )
    done = city(db_url, tmp_path, "divisions", "import", str(bad), "--vintage", "2024")
    assert done.returncode == 2
    assert "第 3 行" in done.stderr and "line 3" in done.stderr
    outside = tmp_path / "outside.csv"
    outside.write_text(
        f"code,name,level,parent_code\n530502106299,错挂村,village,{WAFANG_TOWNSHIP}\n",
        encoding="utf-8",
    )
    done = city(db_url, tmp_path, "divisions", "import", str(outside), "--vintage", "2024")
    assert done.returncode == 2 and "第 2 行" in done.stderr and "line 2" in done.stderr
    missing = city(
        db_url, tmp_path, "divisions", "import", str(tmp_path / "no.csv"), "--vintage", "1"
    )
    assert missing.returncode == 2 and "error:" in missing.stderr


def _township_rows() -> list[dict[str, str]]:
    """瓦房彝族苗族乡 and its 19 villages, as the bundled file lists them."""
    return [r for r in _rows(BAOSHAN_FILE) if r["code"].startswith(WAFANG_TOWNSHIP[:9])]


def _get(client: TestClient, world: World, user: str, path: str, status: int = 200) -> Any:
    r = client.get(path, headers=world.headers(client, user))
    assert r.status_code == status, r.text
    return r.json()


def _push(client: TestClient, world: World, user: str, items: list[dict[str, Any]]) -> Any:
    r = client.post(
        "/api/v1/reports/batch",
        headers=world.headers(client, user),
        json=batch(f"dev-{user}", items),
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_divisions_route_gives_ancestors_short_names_and_revision(
    client: TestClient, world: World
) -> None:
    body = _get(client, world, "wafang_a", f"/api/v1/divisions?under={WAFANG}")
    assert [d["code"] for d in body["divisions"]] == [
        PROVINCE,
        BAOSHAN_CITY,
        LONGYANG,
        WAFANG_TOWNSHIP,
        WAFANG,
    ]
    village = body["divisions"][-1]
    assert village["name"] == "瓦房社区村民委员会" and village["short_name"] == "瓦房社区"
    assert village["retired"] is False and village["level"] == "village"
    assert body["divisions"][3]["short_name"] == "瓦房彝族苗族乡"
    assert body["vintage"] == "2023" and body["revision"] >= 1
    me = _get(client, world, "wafang_a", "/api/v1/me")
    assert me["divisions_revision"] == body["revision"]
    township = _get(client, world, "wafang_a", f"/api/v1/divisions?under={WAFANG_TOWNSHIP}")
    villages = [d for d in township["divisions"] if d["level"] == "village"]
    assert len(villages) == 19
    assert {d["short_name"] for d in villages} >= {"瓦房社区", "水沟洼村", "党西村"}
    _get(client, world, "wafang_a", "/api/v1/divisions?under=530502999000", 404)
    r = client.get(f"/api/v1/divisions?under={WAFANG}")
    assert r.status_code == 401


def test_edited_file_rename_move_add_retire_and_dry_run(
    client: TestClient, world: World, db_url: str, tmp_path: Path
) -> None:
    # A report of 党西村 before its code is retired: it keeps its history.
    old_report = content(DANGXI)
    first = item(old_report)
    assert _push(client, world, "dangxi_a", [first])[0]["status"] == "accepted"
    revision_before = _get(client, world, "wafang_a", "/api/v1/me")["divisions_revision"]

    rows = [r for r in _township_rows() if r["code"] != DANGXI]  # 党西村 dropped: retired
    for r in rows:
        if r["code"] == SHANGZHAI:
            r["name"] = "上寨社区居民委员会"  # renamed
        if r["code"] == MEILANSHAN:
            r["parent_code"] = LONGYANG  # moved (straight under the county)
    rows.append(
        {
            "code": NEW_VILLAGE,
            "name": "新建村民委员会",
            "level": "village",
            "parent_code": WAFANG_TOWNSHIP,
        }
    )
    edited = _write(tmp_path / "wafang_2024.csv", rows)

    dry = city(
        db_url, tmp_path, "divisions", "import", str(edited), "--vintage", "2024", "--dry-run"
    )
    assert dry.returncode == 0, dry.stderr
    assert "dry run" in dry.stdout
    assert f"{SHANGZHAI} 上寨村民委员会 → 上寨社区居民委员会" in dry.stdout
    assert f"{DANGXI} 党西村民委员会" in dry.stdout
    assert f"{MEILANSHAN} 梅兰山村民委员会: {WAFANG_TOWNSHIP} → {LONGYANG}" in dry.stdout
    assert f"{NEW_VILLAGE} 新建村民委员会" in dry.stdout
    assert _get(client, world, "wafang_a", "/api/v1/me")["divisions_revision"] == revision_before
    before = _get(client, world, "wafang_a", f"/api/v1/divisions?under={WAFANG_TOWNSHIP}")
    assert NEW_VILLAGE not in {d["code"] for d in before["divisions"]}

    done = _json(
        city(db_url, tmp_path, "divisions", "import", str(edited), "--vintage", "2024", "--json")
    )
    assert done["scope"] == sorted([WAFANG_TOWNSHIP, MEILANSHAN])
    assert [c["code"] for c in done["renamed"]] == [SHANGZHAI]
    assert [(c["code"], c["old"], c["new"]) for c in done["moved"]] == [
        (MEILANSHAN, WAFANG_TOWNSHIP, LONGYANG)
    ]
    assert [c["code"] for c in done["added"]] == [NEW_VILLAGE]
    assert [c["code"] for c in done["retired"]] == [DANGXI]
    assert _counts(done, "retired") == {
        "total": 1,
        "province": 0,
        "city": 0,
        "county": 0,
        "township": 0,
        "village": 1,
    }
    assert done["changes"] == 4 and done["revision"] == revision_before + 1
    assert done["vintage_updated"] == 17  # the rest of the township, listed again for 2024

    me = _get(client, world, "wafang_a", "/api/v1/me")
    assert me["divisions_revision"] == revision_before + 1
    table = _get(client, world, "wafang_a", f"/api/v1/divisions?under={WAFANG_TOWNSHIP}")
    by_code = {d["code"]: d for d in table["divisions"]}
    assert table["revision"] == revision_before + 1 and table["vintage"] == "2024"
    assert by_code[SHANGZHAI]["short_name"] == "上寨社区"
    assert by_code[NEW_VILLAGE]["short_name"] == "新建村"
    assert by_code[DANGXI]["retired"] is True  # kept, for the history of old reports
    assert by_code[MEILANSHAN]["parent_code"] == LONGYANG

    # Idempotent: the same file again changes nothing, the revision stays.
    again = _import(db_url, tmp_path, edited, "--json", vintage="2024")
    assert again["changes"] == 0
    assert (
        _get(client, world, "wafang_a", "/api/v1/me")["divisions_revision"] == revision_before + 1
    )

    # The retired 党西村 takes no new report; its old report takes later versions.
    fresh = item(content(DANGXI))
    later = item(
        dict(old_report, narrative="补报：道路已抢通。"), parent=first["version_uuid"], version_no=2
    )
    results = _push(client, world, "dangxi_a", [fresh, later])
    assert results[0]["status"] == "rejected" and results[0]["code"] == "village_retired"
    assert "撤销" in results[0]["message_zh"] and "retired" in results[0]["message_en"]
    assert results[1]["status"] == "accepted"
    assert _push(client, world, "dangxi_a", [first])[0]["status"] == "duplicate"
    history = _get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{old_report['report_uuid']}/history"
    )
    assert [e["version_no"] for e in history["events"] if e["kind"] == "received"] == [1, 2]
    _get(
        client, world, "wafang_reviewer", f"/api/v1/reports/{fresh['content']['report_uuid']}", 404
    )

    # A retired post takes no new holder: the API (422) and the command line (exit 2).
    assigned = client.post(
        "/api/v1/roster/assignments",
        headers=world.headers(client, "wafang_reviewer"),
        json={"post_code": DANGXI, "username": "dangxi_b", "post_role": "B", "reason": "补充"},
    )
    assert assigned.status_code == 422, assigned.text
    error = assigned.json()["error"]
    assert error["code"] == "assignee_not_eligible" and "撤销" in error["zh"]
    assert "retired" in error["en"]
    cli = city(db_url, tmp_path, "roster", "assign", "dangxi_b", "--post", DANGXI, "--role", "B")
    assert cli.returncode == 2 and "retired" in cli.stderr

    # The original list again: 党西村 restored, the rename and the move undone, the new retired.
    restored = _import(
        db_url, tmp_path, _write(tmp_path / "wafang_2023.csv", _township_rows()), "--json"
    )
    assert [c["code"] for c in restored["restored"]] == [DANGXI]
    assert [c["code"] for c in restored["renamed"]] == [SHANGZHAI]
    assert [c["code"] for c in restored["moved"]] == [MEILANSHAN]
    assert [c["code"] for c in restored["retired"]] == [NEW_VILLAGE]
    assert restored["revision"] == revision_before + 2
    assert _push(client, world, "dangxi_a", [item(content(DANGXI))])[0]["status"] == "accepted"
