"""Township review in the local store: pulled review status, decisions, their outbox and push.

Real SQLite stores; the change feed is played in with ``apply_page`` and the server's batch
answers come from a small stand-in client (the end-to-end test runs the real server).
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlalchemy import func, select

from informant_app.core.account.sign_in import save_account_and_profile
from informant_app.core.review.service import (
    DecisionKind,
    DecisionRefusedError,
    DecisionSyncState,
    ReviewFilter,
    ReviewStatus,
    count_review_queue,
    decide,
    latest_decision,
    report_history,
    review_queue,
)
from informant_app.core.store.decisions import count_unsent
from informant_app.core.store.feed import apply_page
from informant_app.core.store.migrate import head_revision
from informant_app.core.store.models import DecisionOutboxRow, DecisionRow, TownshipSubmissionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportFilter
from informant_app.core.sync.pull import PullResult
from informant_app.core.sync.push import DecisionPusher
from informant_app.core.sync.types import Account, AccountPost, TokenStorage
from sync.client.api import ClientError, FailureKind
from sync.contract import format_time
from sync.contract.wire.review import DecisionBatchResult
from tests.informant_app.core.conftest import (
    FLOOD_FIGURES,
    OTHER_VILLAGE,
    VILLAGE,
    fill,
    typed_change,
)
from tests.informant_app.core.fixtures import make_fixture_db as fx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TOWNSHIP = "530502208000"
EVENT = "ev-review-1"
T0 = datetime(2024, 7, 1, 0, 0, tzinfo=UTC)


def sign_in_as(
    store: ReportStore, role: str = "township_reviewer", username: str = "wafang_reviewer"
) -> Account:
    """Record an account as if signed in (no server involved)."""
    if role == "township_reviewer":
        posts = (AccountPost(TOWNSHIP, "瓦房彝族苗族乡", "township", "A"),)
        jurisdiction, name = TOWNSHIP, "瓦房乡应急办"
    else:
        posts = (AccountPost(VILLAGE, "瓦房社区", "village", "A"),)
        jurisdiction, name = VILLAGE, "瓦房社区信息员A"
    account = Account(
        "http://127.0.0.1:9",
        username,
        name,
        role,
        jurisdiction,
        posts,
        f"dev-{username}",
        TokenStorage.FILE,
    )
    with store.write_session() as s, s.begin():
        save_account_and_profile(s, account)
    return account


def content(
    report_uuid: str,
    village: str = VILLAGE,
    event: str = EVENT,
    stage: str = "initial",
    *,
    narrative: str = "突降暴雨引发山洪，冲毁农田。",
    notes: dict[str, str] | None = None,
    **figures: Any,
) -> dict[str, Any]:
    """Return valid report content (a small flood report) with ``figures`` changed."""
    base = dict(FLOOD_FIGURES)
    return {
        "report_uuid": report_uuid,
        "event_uuid": event,
        "event_name": "测试山洪",
        "stage": stage,
        "disaster_type": "flood",
        "disaster_subtype": "flash_flood",
        "village_code": village,
        "occurred_at": format_time(T0),
        "data_cutoff_at": format_time(T0 + timedelta(hours=1)),
        "submitted_at": format_time(T0 + timedelta(hours=2)),
        "latitude": None,
        "longitude": None,
        "narrative": narrative,
        "figures": {**base, **figures},
        "notes": notes or {},
        "photos": [],
        "ledger": [],
        "emergency_response": False,
        "event_stable": False,
    }


def version_change(
    data: dict[str, Any],
    version: str,
    *,
    parent: str | None = None,
    no: int = 1,
    status: str = "accepted",
    by: str = "wafang_a",
    received: datetime = T0 + timedelta(hours=2),
) -> dict[str, Any]:
    return {
        "kind": "report_version",
        "changed_at": received.isoformat(),
        "version_uuid": version,
        "report_uuid": data["report_uuid"],
        "parent_version_uuid": parent,
        "version_no": no,
        "status": status,
        "village_code": data["village_code"],
        "content_hash": "0" * 64,
        "content": data,
        "submitted_by": by,
        "server_received_at": received.isoformat(),
    }


def decision_change(
    version: str,
    report: str,
    kind: str = "return",
    *,
    status: str = "applied",
    decision: str | None = None,
    reason: str = "倒塌房屋间数需核实",
    comments: dict[str, str] | None = None,
    at: datetime = T0 + timedelta(hours=3),
) -> dict[str, Any]:
    return {
        "kind": "decision",
        "changed_at": at.isoformat(),
        "decision_uuid": decision or str(uuid.uuid4()),
        "report_uuid": report,
        "version_uuid": version,
        "village_code": VILLAGE,
        "decision": kind,
        "status": status,
        "code": "applied" if status == "applied" else "version_superseded",
        "reason": reason,
        "field_comments": comments or {},
        "decided_by": "wafang_reviewer",
        "decided_by_name": "瓦房乡应急办",
        "post_role": "A",
        "device_id": "dev-r",
        "device_decided_at": at.isoformat(),
        "server_received_at": at.isoformat(),
    }


def roster_change(
    assignment: int, username: str, post: str, role: str, name: str
) -> dict[str, Any]:
    return {
        "kind": "roster",
        "changed_at": T0.isoformat(),
        "assignment_id": assignment,
        "post_code": post,
        "post_level": "village",
        "post_role": role,
        "username": username,
        "display_name": name,
        "valid_from": (T0 - timedelta(days=30)).isoformat(),
        "valid_to": None,
    }


def play(store: ReportStore, *changes: dict[str, Any]) -> PullResult:
    """Apply changes as one pulled page."""
    result = PullResult()
    with store.write_session() as s, s.begin():
        apply_page(s, [typed_change(c) for c in changes], datetime.now(UTC), result)
    return result


def submitted(store: ReportStore, **changes: Any) -> tuple[str, str]:
    """Submit a report on this device; return (report_uuid, version_uuid)."""
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content, **changes))
    assert store.submit(draft.version_uuid).ok
    return draft.report_uuid, draft.version_uuid


def list_row(store: ReportStore, report_uuid: str) -> Any:
    [row] = [r for r in store.report_rows(ReportFilter(), 0, 100) if r.report_uuid == report_uuid]
    return row


# --- schema -------------------------------------------------------------------------------


def test_fixture_0003_upgrades_and_pulls_again(tmp_path: Path) -> None:
    db = tmp_path / "informant.db"
    shutil.copy(FIXTURES / "informant-0003.db", db)
    with ReportStore.open(tmp_path) as store:
        with store.write_session() as s:
            assert s.scalar(select(func.count()).select_from(DecisionRow)) == 0
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT cursor, device_id FROM sync_state").fetchone() == (
                None,
                fx.DEVICE_ID,
            )
            assert conn.execute("SELECT count(*) FROM server_versions").fetchone()[0] == 1
        conn.close()
        # Rows made before 0004 carry no review status until the feed is pulled again.
        row = list_row(store, fx.REPORT_RECEIVED)
        assert (row.review_status, row.review_reason) == (None, None)
        data = store.version_content(fx.VERSION_RECEIVED).to_dict()
        play(store, version_change(data, fx.VERSION_RECEIVED, by="shuigou_a"))
        assert list_row(store, fx.REPORT_RECEIVED).review_status == "pending"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
    conn.close()
    assert list(tmp_path.glob("informant.db.bak-0003-*"))


# --- what the village device sees ---------------------------------------------------------


def test_village_sees_the_return_its_reason_and_comments(profiled_store: ReportStore) -> None:
    store = profiled_store
    report, v1 = submitted(store)
    data = store.version_content(v1).to_dict()
    play(store, version_change(data, v1))
    row = list_row(store, report)
    assert (row.state.value, row.review_status, row.review_reason) == ("received", "pending", None)
    assert latest_decision(store, report) is None

    comments = {"crop_failed_ha": "绝收面积请核实"}
    returned = decision_change(v1, report, comments=comments)
    result = play(store, returned)
    assert result.pulled == 1
    row = list_row(store, report)
    assert (row.review_status, row.review_reason) == ("returned", "倒塌房屋间数需核实")
    seen = latest_decision(store, report)
    assert seen is not None
    assert (seen.kind, seen.field_comments, seen.decided_by, seen.decided_role) == (
        DecisionKind.RETURN,
        comments,
        "瓦房乡应急办",
        "A",
    )
    assert seen.sync_state is DecisionSyncState.SENT and not seen.made_here
    play(store, returned)  # the same page again changes nothing
    assert list_row(store, report).review_status == "returned"

    # A decision recorded as a conflict does not apply and is not what the village sees.
    play(store, decision_change(v1, report, "approve", status="conflict"))
    assert list_row(store, report).review_status == "returned"
    assert latest_decision(store, report) == seen

    # The revision starts pending again; its approval shows as approved.
    draft = store.revise(report)
    assert list_row(store, report).review_status is None  # a draft: nothing to review yet
    assert store.submit(draft.version_uuid).ok
    v2 = draft.version_uuid
    play(
        store,
        version_change(
            store.version_content(v2).to_dict(),
            v2,
            parent=v1,
            no=2,
            received=T0 + timedelta(hours=4),
        ),
    )
    assert list_row(store, report).review_status == "pending"
    play(store, decision_change(v2, report, "approve", reason="", at=T0 + timedelta(hours=5)))
    assert list_row(store, report).review_status == "approved"
    history = report_history(store, report, fetch=False)
    assert [h.event for h in history] == [
        "received",
        "returned",
        "decision_conflict",
        "resubmitted",
        "approved",
    ]
    assert history[1].field_comments == comments and history[1].role == "A"


def test_township_reports_from_the_feed_are_kept(store: ReportStore) -> None:
    change = {
        "kind": "township_report",
        "changed_at": T0.isoformat(),
        "submission_uuid": "s-1",
        "township_code": TOWNSHIP,
        "township_name": "瓦房乡",
        "event_uuid": EVENT,
        "event_name": "测试山洪",
        "stage": "initial",
        "figures": {"affected_pop": 115},
        "villages": [],
        "adjustments": [],
        "submitted_by": "wafang_reviewer",
        "submitted_by_name": "瓦房乡应急办",
        "post_role": "A",
        "device_id": "dev-r",
        "server_received_at": T0.isoformat(),
    }
    play(store, change, change)
    with store.write_session() as s:
        rows = s.scalars(select(TownshipSubmissionRow)).all()
        assert [(r.submission_uuid, r.stage) for r in rows] == [("s-1", "initial")]


# --- deciding -----------------------------------------------------------------------------


def reviewer_with(store: ReportStore, *reports: tuple[str, str]) -> list[str]:
    """Sign in as the reviewer and pull one version per (report, village); return them."""
    sign_in_as(store)
    versions = []
    changes: list[dict[str, Any]] = [
        roster_change(1, "wafang_a", VILLAGE, "A", "瓦房社区信息员A"),
        roster_change(2, "shuigou_b", OTHER_VILLAGE, "B", "水沟洼村信息员B"),
    ]
    for n, (report, village) in enumerate(reports):
        version = f"v-{report}"
        by = "wafang_a" if village == VILLAGE else "shuigou_b"
        changes.append(
            version_change(
                content(report, village), version, by=by, received=T0 + timedelta(minutes=n)
            )
        )
        versions.append(version)
    play(store, *changes)
    return versions


def test_only_a_reviewer_decides(store: ReportStore) -> None:
    [v] = reviewer_with(store, ("r-1", VILLAGE))
    sign_in_as(store, "village_informant", "wafang_a")
    with pytest.raises(DecisionRefusedError) as refused:
        decide(store, v, DecisionKind.APPROVE)
    assert refused.value.code == "not_reviewer" and "审核" in refused.value.zh


def test_decide_queues_the_decision_with_its_outbox_entry(store: ReportStore) -> None:
    [v, w] = reviewer_with(store, ("r-1", VILLAGE), ("r-2", OTHER_VILLAGE))
    with pytest.raises(DecisionRefusedError):
        decide(store, v, DecisionKind.RETURN, "  ")
    with pytest.raises(DecisionRefusedError) as unknown:
        decide(store, v, DecisionKind.RETURN, "有误", {"no_such_field": "?"})
    assert unknown.value.code == "unknown_field"
    with pytest.raises(KeyError):
        decide(store, "v-unknown", DecisionKind.APPROVE)
    made = decide(
        store,
        v,
        DecisionKind.RETURN,
        " 间数有误 ",
        {"house_collapsed_rooms": "请按自然间统计", "narrative": " "},
    )
    assert (made.reason, made.field_comments) == (
        "间数有误",
        {"house_collapsed_rooms": "请按自然间统计"},
    )
    assert (made.decided_by, made.decided_role, made.made_here) == ("瓦房乡应急办", "A", True)
    assert made.sync_state is DecisionSyncState.QUEUED
    with store.write_session() as s:
        assert s.scalar(select(DecisionOutboxRow.decision_uuid)) == made.decision_uuid
        assert count_unsent(s) == 1
    assert latest_decision(store, "r-1") == made
    approved = decide(store, w, DecisionKind.APPROVE)
    with pytest.raises(DecisionRefusedError) as frozen:
        decide(store, w, DecisionKind.RETURN, "再看看")
    assert frozen.value.code == "version_frozen"
    items = {i.version_uuid: i for i in review_queue(store, ReviewFilter(), 0, 10)}
    assert items[w].decision_queued and items[w].queued_kind is DecisionKind.APPROVE
    assert items[w].status is ReviewStatus.PENDING  # the server has not heard of it yet
    assert approved.version_uuid == w
    assert [h.event for h in report_history(store, "r-2", fetch=False)] == [
        "received",
        "decision_queued",
    ]


# --- pushing ------------------------------------------------------------------------------


class StandInClient:
    """Answers ``push_decisions`` like the server would, and records what it saw."""

    def __init__(
        self,
        store: ReportStore,
        answers: dict[str, dict[str, Any]] | None = None,
        fail: ClientError | None = None,
    ) -> None:
        self.store = store
        self.answers = answers or {}
        self.fail = fail
        self.batches: list[list[dict[str, Any]]] = []
        self.states_seen: list[str] = []

    def push_decisions(
        self, items: list[dict[str, Any]], device_time: datetime
    ) -> DecisionBatchResult:
        with self.store.write_session() as s:
            self.states_seen += s.scalars(select(DecisionRow.sync_state)).all()
        self.batches.append(items)
        if self.fail is not None:
            raise self.fail
        results = []
        for item in items:
            answer = self.answers.get(item["version_uuid"], {"status": "accepted", "applied": True})
            results.append(
                {
                    "decision_uuid": item["decision_uuid"],
                    "code": answer["status"],
                    "message_zh": "消息",
                    "message_en": "message",
                    "version_uuid": item["version_uuid"],
                    "review_status": None,
                    "current_version_uuid": item["version_uuid"],
                    **answer,
                }
            )
        answer = {"server_time": (T0 + timedelta(days=1)).isoformat(), "results": results}
        return msgspec.convert(answer, DecisionBatchResult)  # typed, as the client hands it on


def pusher(store: ReportStore, client: StandInClient, batch: int = 2) -> DecisionPusher:
    return DecisionPusher(store, client, lambda: datetime.now(UTC), batch)  # type: ignore[arg-type]


def test_push_settles_each_decision_by_its_result(store: ReportStore) -> None:
    versions = reviewer_with(store, *((f"r-{n}", VILLAGE) for n in range(5)))
    made = [decide(store, v, DecisionKind.RETURN, f"原因 {n}") for n, v in enumerate(versions)]
    client = StandInClient(
        store,
        {
            versions[0]: {"status": "accepted", "applied": True, "review_status": "returned"},
            versions[1]: {"status": "duplicate", "applied": True, "review_status": "returned"},
            versions[2]: {
                "status": "conflict",
                "applied": False,
                "code": "version_superseded",
                "message_zh": "所审版本已不是当前版本",
            },
            versions[3]: {
                "status": "rejected",
                "applied": False,
                "code": "not_permitted",
                "message_zh": "只有本乡镇的审核人员可以审核",
            },
            versions[4]: {"status": "duplicate", "applied": False, "code": "duplicate"},
        },
    )
    result = pusher(store, client).run()
    assert (result.sent, result.conflicts, result.rejected, result.error) == (2, 2, 1, None)
    assert [len(b) for b in client.batches] == [2, 2, 1]  # in order, in batches
    assert set(client.states_seen) >= {"sending"}  # persisted before each request
    states = [latest_decision(store, f"r-{n}") for n in range(5)]
    assert [d.sync_state for d in states if d is not None] == [
        DecisionSyncState.SENT,
        DecisionSyncState.SENT,
        DecisionSyncState.CONFLICT,
        DecisionSyncState.REJECTED,
        DecisionSyncState.CONFLICT,
    ]
    assert states[3] is not None and states[3].server_code == "not_permitted"
    assert states[3].server_message == "只有本乡镇的审核人员可以审核"
    items = {i.version_uuid: i.status for i in review_queue(store, ReviewFilter(), 0, 10)}
    assert items[versions[0]] is ReviewStatus.RETURNED
    assert items[versions[2]] is ReviewStatus.PENDING
    with store.write_session() as s:
        assert s.scalar(select(func.count()).select_from(DecisionOutboxRow)) == 0
    assert made[0].decision_uuid == client.batches[0][0]["decision_uuid"]


def test_a_failed_request_puts_the_batch_back(store: ReportStore) -> None:
    [v] = reviewer_with(store, ("r-1", VILLAGE))
    decide(store, v, DecisionKind.APPROVE)
    down = ClientError(FailureKind.NETWORK, "network", "无法连接", "unreachable")
    result = pusher(store, StandInClient(store, fail=down)).run()
    assert result.error is down
    decision = latest_decision(store, "r-1")
    assert decision is not None and decision.sync_state is DecisionSyncState.QUEUED
    with store.write_session() as s:
        assert count_unsent(s) == 1
        attempts = s.scalar(select(DecisionOutboxRow.attempts))
    assert attempts == 1
    assert pusher(store, StandInClient(store)).run().sent == 1
    assert count_review_queue(store, ReviewFilter(status=ReviewStatus.PENDING)) == 1
