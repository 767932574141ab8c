"""Issue 18: the app holds a version to the contract's size limits before it is queued, keeps
a version the server answers ``quota`` queued, and rule 10 names a device clock that is slow."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from informant_app.core.store.models import OutboxRow, SyncStateRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sending import settle_versions, take_versions
from informant_app.core.store.sync_state import sync_state
from informant_app.core.store.types import ReportState
from informant_app.core.sync.push import PushResult, judge_versions
from sync.contract import LIMITS, format_time
from sync.contract.wire.reports import QUOTA_EXCEEDED, ItemResult
from tests.informant_app.core.conftest import fill

YEARS_3 = 3 * 365.25 * 86400


def _draft(store: ReportStore, **changes: object) -> str:
    draft = store.new_draft()
    store.save_draft(draft.version_uuid, fill(draft.content, **changes))
    return draft.version_uuid


def test_an_oversized_note_is_refused_before_it_is_queued(profiled_store: ReportStore) -> None:
    version = _draft(profiled_store, notes={"R6:affected_pop": "很长" * 50_000})
    result = profiled_store.submit(version)
    assert not result.ok
    issue = next(i for i in result.issues if i.field.startswith("notes"))
    assert f"最多 {LIMITS.note_chars} 字" in issue.zh, issue
    assert profiled_store.outbox_size() == 0


def test_an_oversized_ledger_is_refused_at_its_field(profiled_store: ReportStore) -> None:
    rows = [{"name": f"张{i}", "status": "missing", "note": ""} for i in range(6000)]
    version = _draft(profiled_store, ledger=rows)
    result = profiled_store.submit(version)
    assert not result.ok
    issue = next(i for i in result.issues if i.field == "ledger")
    assert "名单行数过多" in issue.zh and str(LIMITS.ledger_rows) in issue.zh, issue
    long_name = [{"name": "名" * 5000, "status": "death", "note": ""}]
    result = profiled_store.submit(_draft(profiled_store, ledger=long_name))
    assert any(i.field == "ledger[0]" and "姓名过长" in i.zh for i in result.issues)
    assert profiled_store.outbox_size() == 0


def test_a_version_over_quota_stays_queued_with_the_servers_word(
    profiled_store: ReportStore,
) -> None:
    version = _draft(profiled_store)
    assert profiled_store.submit(version).ok
    batch = take_versions(profiled_store, 0, 10, 1 << 20)
    assert [p.version_uuid for p in batch] == [version]
    answer = ItemResult(
        version_uuid=version,
        status="quota",
        code=QUOTA_EXCEEDED,
        message_zh="本账号今天提交的报告已达上限",
        message_en="daily limit reached",
    )
    settle_versions(profiled_store, judge_versions(batch, [answer], PushResult()))
    assert profiled_store.state_counts().get(ReportState.QUEUED) == 1
    with profiled_store.write_session() as s:
        assert s.scalars(select(OutboxRow.version_uuid)).all() == [version]
    assert [p.version_uuid for p in take_versions(profiled_store, 0, 10, 1 << 20)] == [version]


def test_rule_10_names_a_slow_clock(profiled_store: ReportStore) -> None:
    """A device 3 years slow: the cut-off (the event's time) lies 'after' its submission."""
    with profiled_store.write_session() as s, s.begin():
        sync_state(s)
        s.execute(update(SyncStateRow).values(clock_skew_seconds=-YEARS_3))
    real_now = profiled_store.now() + timedelta(seconds=YEARS_3)
    version = _draft(
        profiled_store,
        occurred_at=format_time(real_now - timedelta(hours=2)),
        data_cutoff_at=format_time(real_now - timedelta(hours=1)),
    )
    result = profiled_store.submit(version)
    assert not result.ok
    issue = next(i for i in result.issues if i.rule == "R10")
    assert "本机时钟比北京时间慢约 3 年，请先校正电脑时间" in issue.zh, issue
    assert "3 years behind" in issue.en
