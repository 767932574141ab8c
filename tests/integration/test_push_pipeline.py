"""The pipelined push against the real server: the next batch goes out marked ``sending``.

While one batch is on the server the next is taken (marked ``sending``) and sent the moment
the answer arrives; a failed request puts both back; a version refused in one batch is not
named as the parent of its revision taken ahead (that batch is read again).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from informant_app.core.account.credentials import load_token
from informant_app.core.store.models import ReportVersionRow
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import current_account
from informant_app.core.sync.push import Pusher
from sync.client.api import ClientError, FailureKind, SyncClient
from sync.contract.wire.reports import BatchResult, ItemResult
from tests.integration.helpers import Device, ServerView, device, file_reports, revise
from tests.support.city_server import CityServer

#: How long a request waits for the next batch to be marked (far beyond what it takes).
WAIT = 5.0


def _states(store: ReportStore, versions: Sequence[str]) -> dict[str, str]:
    with Session(store.engine) as s:
        return dict(
            s.execute(
                select(ReportVersionRow.version_uuid, ReportVersionRow.state).where(
                    ReportVersionRow.version_uuid.in_(list(versions))
                )
            ).all()
        )


class WatchingClient(SyncClient):
    """The real client, noting each batch's local states as its request goes out."""

    def __init__(self, store: ReportStore, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.store = store
        self.sent: list[list[str]] = []
        self.states_at_send: list[set[str]] = []
        self.hook: Any = None

    def push_batch(self, items: list[dict[str, Any]], device_time: datetime) -> BatchResult:
        versions = [str(i["version_uuid"]) for i in items]
        self.sent.append(versions)
        self.states_at_send.append(set(_states(self.store, versions).values()))
        if self.hook is not None:
            answer = self.hook(len(self.sent), items, device_time)
            if answer is not None:
                return answer  # type: ignore[no-any-return]
        return super().push_batch(items, device_time)


@pytest.fixture
def dev(live_city: CityServer, tmp_path: Path) -> Iterator[Device]:
    d = device(live_city, tmp_path / "a", "wafang_a")
    assert d.engine().run_round().ok  # catch up with the village first
    yield d
    d.close()


def _client(city: CityServer, dev: Device) -> WatchingClient:
    account = current_account(dev.store)
    assert account is not None
    token = load_token(dev.folder, account.device_id, account.username, account.token_storage)
    return WatchingClient(dev.store, city.url, device_id=account.device_id, token=token)


def _push(dev: Device, client: SyncClient, batch_size: int) -> Any:
    return Pusher(dev.store, client, lambda: datetime.now(UTC), batch_size).run()


def test_next_batch_is_marked_sending_while_one_is_on_the_server(
    live_city: CityServer, dev: Device
) -> None:
    versions = file_reports(dev.store, 6, seed=1201)
    client = _client(live_city, dev)

    def first_waits_for_the_next(n: int, items: list[dict[str, Any]], _t: datetime) -> None:
        if n != 1:
            return None
        deadline = time.monotonic() + WAIT  # one by one, this would wait in vain
        while time.monotonic() < deadline:
            if set(_states(dev.store, versions[2:4]).values()) == {"sending"}:
                return None
            time.sleep(0.01)
        raise AssertionError("the next batch was not taken while the first was on the server")

    client.hook = first_waits_for_the_next
    result = _push(dev, client, 2)
    client.close()
    assert result.error is None and result.pushed == 6
    assert client.sent == [versions[0:2], versions[2:4], versions[4:6]]
    assert all(states == {"sending"} for states in client.states_at_send)
    assert set(_states(dev.store, versions).values()) == {ReportState.RECEIVED.value}
    view = ServerView(live_city).refresh()
    assert all(view.versions[v] == 1 for v in versions)


def test_a_failed_request_puts_back_the_batch_taken_ahead(
    live_city: CityServer, dev: Device
) -> None:
    versions = file_reports(dev.store, 6, seed=1202)
    client = _client(live_city, dev)

    def second_fails(n: int, _items: list[dict[str, Any]], _t: datetime) -> None:
        if n == 2:
            raise ClientError(FailureKind.NETWORK, "timeout", "超时", "timed out")
        return None

    client.hook = second_fails
    result = _push(dev, client, 2)
    assert result.error is not None and result.pushed == 2
    states = _states(dev.store, versions)
    assert [states[v] for v in versions[:2]] == ["received", "received"]
    assert [states[v] for v in versions[2:]] == ["queued"] * 4  # nothing left "sending"
    client.hook = None
    again = _push(dev, client, 2)
    client.close()
    assert again.error is None and again.pushed == 4
    view = ServerView(live_city).refresh()
    assert all(view.versions[v] == 1 for v in versions)


def test_a_refusal_is_not_named_as_the_parent_taken_ahead(
    live_city: CityServer, dev: Device
) -> None:
    [first] = file_reports(dev.store, 1, seed=1203)
    report = dev.store.version_content(first).report_uuid
    client = _client(live_city, dev)
    assert _push(dev, client, 1).pushed == 1
    refused = revise(dev.store, report, affected_pop=301)
    child = revise(dev.store, report, affected_pop=302)

    def refuse_the_first(n: int, items: list[dict[str, Any]], _t: datetime) -> Any:
        if n != 1:
            return None
        assert [i["version_uuid"] for i in items] == [refused]
        deadline = time.monotonic() + WAIT  # the revision is taken meanwhile, naming it
        while time.monotonic() < deadline and _states(dev.store, [child])[child] != "sending":
            time.sleep(0.01)
        return BatchResult(
            server_time=datetime.now(UTC),
            results=[
                ItemResult(
                    status="rejected",
                    code="validation_failed",
                    message_zh="拒收",
                    message_en="refused",
                    version_uuid=refused,
                )
            ],
        )

    client.hook, client.sent = refuse_the_first, []
    result = _push(dev, client, 1)
    client.close()
    assert result.error is None and result.failed == 1 and result.pushed == 1
    assert result.conflicts == 0, "the revision named the refused version as its parent"
    assert _states(dev.store, [refused, child]) == {refused: "error", child: "received"}
    view = ServerView(live_city).refresh()
    assert view.versions[child] == 1 and view.status.get(child) != "conflict"
