"""The sync engine's offline parts: retry delays, status, rounds without sign-in.

Also the 0003 upgrade, conflict fields, and applying pulled changes to the store.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from informant_app.core.store.conflicts import resolution_id
from informant_app.core.store.feed import apply_page, catch_up
from informant_app.core.store.migrate import head_revision
from informant_app.core.store.models import ConflictRow, SyncRoundRow, VersionSyncRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.conflicts import differing_fields, merge
from informant_app.core.sync.engine import SyncEngine
from informant_app.core.sync.pull import PullResult
from informant_app.core.sync.types import SyncErrorKind
from sync.contract.wire.feed import Change, UnreadChange
from tests.informant_app.core.conftest import VILLAGE, fill, typed_change
from tests.informant_app.core.fixtures import make_fixture_db as fx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def submitted(store: ReportStore, **changes: object) -> str:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content, **changes))
    assert store.submit(draft.version_uuid).ok
    return draft.version_uuid


def test_retry_delay_is_exponential_jittered_and_capped(store: ReportStore) -> None:
    engine = SyncEngine(store, rng=random.Random(1))
    assert engine.retry_delay(0) == 0.0
    for failures in range(1, 40):
        ceiling = min(40.0, 5.0 * 2 ** (failures - 1))
        delays = [engine.retry_delay(failures) for _ in range(50)]
        assert all(1.0 <= d <= max(1.0, ceiling) for d in delays)
        assert len(set(delays)) > 10  # jitter: a crowd of devices spreads out
    assert max(engine.retry_delay(30) for _ in range(200)) > 35  # it reaches the cap


def test_round_without_sign_in_keeps_everything_queued(profiled_store: ReportStore) -> None:
    submitted(profiled_store)
    engine = SyncEngine(profiled_store)
    status = engine.status()
    assert (status.signed_in, status.online, status.queued) == (False, None, 1)
    summary = engine.run_round()
    assert summary.problem is not None
    assert summary.problem.kind is SyncErrorKind.NOT_SIGNED_IN
    assert summary.still_queued == 1 and not summary.ok
    assert summary.to_json()["problem"]["kind"] == "not_signed_in"
    status = engine.status()
    assert status.failures == 1 and status.last_problem == summary.problem
    with profiled_store.write_session() as s:
        assert s.scalar(select(func.count()).select_from(SyncRoundRow)) == 1


def test_fixture_0002_upgrades_to_sync_tables(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0002.db", db)
    with ReportStore.open(tmp_path) as store:
        with store.write_session() as s:
            origins = {
                v: o
                for v, o in s.execute(select(VersionSyncRow.version_uuid, VersionSyncRow.origin))
            }
        assert origins == {fx.VERSION_QUEUED: "local", fx.VERSION_RECEIVED: "local"}
        assert SyncEngine(store).status().queued == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
    conn.close()
    assert list(tmp_path.glob("informant.db.bak-0002-*"))


def test_differing_fields_and_merge() -> None:
    a = {"narrative": "x", "figures": {"deaths": 1, "affected_pop": 10}, "submitted_at": "1"}
    b = {"narrative": "y", "figures": {"affected_pop": 12, "missing": 2}, "submitted_at": "2"}
    fields = differing_fields(a, b)
    assert fields == ("narrative", "figures.affected_pop", "figures.deaths", "figures.missing")
    merged = merge(
        a,
        {
            "figures.affected_pop": "B",
            "figures.deaths": "B",
            "narrative": "A",
            "figures.missing": "B",
        },
        {"A": a, "B": b},
    )
    assert merged["figures"] == {"affected_pop": 12, "missing": 2}
    assert merged["narrative"] == "x"


def change(
    content: dict[str, Any],
    version: str,
    status: str = "accepted",
    parent: str | None = None,
    by: str = "wafang_b",
    no: int = 1,
) -> Change | UnreadChange:
    now = datetime.now(UTC).isoformat()
    return typed_change(
        {
            "kind": "report_version",
            "changed_at": now,
            "version_uuid": version,
            "report_uuid": content["report_uuid"],
            "parent_version_uuid": parent,
            "version_no": no,
            "status": status,
            "village_code": VILLAGE,
            "content_hash": "0" * 64,
            "content": content,
            "submitted_by": by,
            "server_received_at": now,
        }
    )


def test_pulled_changes_ack_show_and_never_overwrite(profiled_store: ReportStore) -> None:
    store = profiled_store
    own = submitted(store)
    own_content = store.version_content(own).to_dict()
    other = {**own_content, "report_uuid": "r-other", "narrative": "B 的报告"}
    with store.write_session() as s, s.begin():
        apply_page(
            s,
            [change(own_content, own, by="wafang_a"), change(other, "v-other")],
            datetime.now(UTC),
            PullResult(),
        )
    assert store.history(own_content["report_uuid"]) == [(own, 1, ReportState.RECEIVED)]
    assert store.history("r-other") == [("v-other", 1, ReportState.RECEIVED)]  # shown
    # B's next version arrives while A has a draft of that report open: the draft stays.
    draft = store.revise("r-other")
    with store.write_session() as s, s.begin():
        apply_page(
            s,
            [change({**other, "narrative": "B 更新"}, "v-other-2", parent="v-other", no=2)],
            datetime.now(UTC),
            PullResult(),
        )
    assert [v for v, _n, _s in store.history("r-other")] == ["v-other", draft.version_uuid]
    store.discard_draft(draft.version_uuid)
    with store.write_session() as s, s.begin():
        apply_page(s, [], datetime.now(UTC), PullResult())
    catch_up(store)
    assert store.history("r-other")[-1] == ("v-other-2", 2, ReportState.RECEIVED)
    # A conflicting version opens a conflict; a later ordinary version leaves it open (issue
    # 18); only a resolution naming both sides closes it.
    result = PullResult()
    with store.write_session() as s, s.begin():
        apply_page(
            s,
            [change({**other, "narrative": "冲突"}, "v-c", "conflict", "v-other", no=2)],
            datetime.now(UTC),
            result,
        )
    assert result.conflicts == 1 and SyncEngine(store).status().conflicts == 1
    with store.write_session() as s, s.begin():
        apply_page(
            s, [change(other, "v-r", parent="v-other-2", no=3)], datetime.now(UTC), PullResult()
        )
        assert s.scalar(select(ConflictRow.resolved_by_version_uuid)) is None
    assert SyncEngine(store).status().conflicts == 1
    resolution = resolution_id("v-r", ["v-c"])
    with store.write_session() as s, s.begin():
        apply_page(
            s, [change(other, resolution, parent="v-r", no=4)], datetime.now(UTC), PullResult()
        )
        assert s.scalar(select(ConflictRow.resolved_by_version_uuid)) == resolution
    assert SyncEngine(store).status().conflicts == 0


def test_retry_delay_function_is_the_engines_policy_and_can_drop_jitter() -> None:
    from informant_app.core.sync.engine import retry_delay

    a, b = random.Random(7), random.Random(7)
    engine = SyncEngine.__new__(SyncEngine)
    engine._rng = a
    assert [engine.retry_delay(n) for n in range(8)] == [retry_delay(n, b) for n in range(8)]
    rng = random.Random(1)
    assert [retry_delay(n, rng, jitter=False) for n in (0, 1, 2, 3, 7, 8, 40)] == [
        0.0,
        5.0,
        10.0,
        20.0,
        40.0,
        40.0,
        40.0,
    ]


def test_a_busy_servers_retry_after_sets_the_next_round(store: ReportStore) -> None:
    from informant_app.core.sync.engine import problem_from
    from sync.client.api import ClientError, FailureKind

    busy = ClientError(FailureKind.SERVER, "busy", "服务器繁忙", "busy", status=503)
    busy.retry_after = 17.0
    problem = problem_from(busy)
    assert (problem.kind, problem.retry_after) == (SyncErrorKind.SERVER, 17.0)
    engine = SyncEngine(store, rng=random.Random(3))
    # followed as it is (the server spread it), whatever the backoff would say
    assert [engine.retry_delay(n, 17.0) for n in (1, 2, 6)] == [17.0, 17.0, 17.0]
    assert engine.retry_delay(1, 0.0) == 1.0  # at least a second
    assert engine.retry_delay(0, 17.0) == 0.0  # no failure: nothing to wait
    assert 1.0 <= engine.retry_delay(6, None) <= 40.0  # no word: the backoff
    plain = ClientError(FailureKind.NETWORK, "timeout", "超时", "timed out")
    assert problem_from(plain).retry_after is None
