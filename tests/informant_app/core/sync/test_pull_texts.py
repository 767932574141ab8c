"""The pull keeps each version's content as the canonical text the server sent (checked once).

The client checks a version's content against its ``content_hash`` on the bytes as sent (the
server splices its stored canonical text into the page), hands that text on with the page
(``ChangesPage.texts``), and the store keeps it rather than writing the JSON again.  Each
case compares the result with the slow path: the content parsed and written in canonical form.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

import msgspec
import pytest
from sqlalchemy import text

from informant_app.core.store.feed import FeedResult, apply_pulled_pages
from informant_app.core.store.pulled_versions import canonical_text, prepare_versions
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import cursor_owner
from informant_app.core.sync.pull import Puller
from sync.client.api import ClientError, SyncClient, _read_change
from sync.contract import ReportContent, canonical_json, default_divisions
from sync.contract.report import parse_figure
from sync.contract.wire.feed import Change, ChangesPage, ReportVersionChange, UnreadChange
from tests.informant_app.core.conftest import typed_change
from tests.informant_app.core.review.test_review_store import content as review_content
from tests.informant_app.core.review.test_review_store import sign_in_as, version_change
from tests.informant_app.core.store.test_list_performance import _plans
from tests.informant_app.core.sync.test_sync_client import Scripted, raw_answer
from tests.sync.contract_factories import CLEAN_HOUSEHOLDS, SHA, raw

#: Contents of every kind a version may carry, as the server stores them (canonical).
CONTENTS: list[dict[str, Any]] = [
    raw(),
    raw(figures={}, submitted_at=None, latitude=None, longitude=None, disaster_subtype=None),
    raw(figures={"affected_pop": 0, "crop_affected_ha": 0.1, "direct_loss": 12.25}),
    raw(figures={"affected_pop": "0.5", "deaths": 3}, stage="continuing"),
    raw(notes={"R6:affected_pop": '有说明 "引号" \\ 反斜杠\n换行'}),
    raw(ledger=[{"name": "张三", "status": "death", "note": ""}], households=CLEAN_HOUSEHOLDS),
    raw(photos=[{"sha256": SHA, "size": 1234, "mime": "image/png"}], emergency_response=True),
    raw(narrative="控制字符\t\u0001 分隔\u2028符 😀 </script>", event_stable=True),
]


def canonical(content: dict[str, Any]) -> str:
    """Return the content as the server stores it (``canonical_json`` of the parsed report)."""
    return canonical_json(ReportContent.from_dict(content)).decode("utf-8")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: The clean report as the server stores it.
CLEAN = canonical(raw())


def change_bytes(text: str, i: int = 0, digest: str | None = None, **fields: Any) -> bytes:
    """Return a report-version change as the server's page has it: ``text`` spliced in."""
    head = {
        "kind": "report_version",
        "changed_at": "2026-07-01T02:00:00Z",
        "version_uuid": f"v-{i}",
        "report_uuid": f"r-{i}",
        "parent_version_uuid": None,
        "version_no": 1,
        "status": "accepted",
        "village_code": "530502208201",
        "content_hash": digest or sha256(text),
        "submitted_by": "wafang_a",
        "server_received_at": "2026-07-01T02:00:00Z",
        "current_version_uuid": f"v-{i}",
        **fields,
    }
    return (
        json.dumps(head, ensure_ascii=False)[:-1].encode() + b',"content":' + text.encode() + b"}"
    )


def read(data: bytes) -> tuple[Change | UnreadChange, str | None]:
    return _read_change(msgspec.Raw(data))


@pytest.mark.parametrize("content", CONTENTS)
def test_the_text_sent_is_kept_and_equals_the_slow_path(content: dict[str, Any]) -> None:
    text = canonical(content)
    data = change_bytes(text)
    change, kept = read(data)
    assert change == msgspec.convert(json.loads(data), type=Change)
    assert isinstance(change, ReportVersionChange)
    assert kept == text == canonical_text(change.content)


@pytest.mark.parametrize("content", CONTENTS)
def test_content_in_another_spelling_is_checked_and_kept_canonical(
    content: dict[str, Any],
) -> None:
    text = canonical(content)
    spelt = json.dumps(json.loads(text), indent=1)  # spaces, \u escapes: another spelling
    change, kept = read(change_bytes(spelt, digest=sha256(text)))
    assert isinstance(change, ReportVersionChange)
    assert kept == text


@pytest.mark.parametrize(
    "data",
    [
        change_bytes(CLEAN, digest="0" * 64),  # a hash changed
        change_bytes(CLEAN.replace("暴雨", "大雨"), digest=sha256(CLEAN)),  # a byte changed
        change_bytes("[]"),  # content that is not an object, whatever its hash
        change_bytes("null"),
        json.dumps({"kind": "report_version", "content": json.loads(CLEAN)}).encode(),  # no hash
        json.dumps({"changed_at": "2026-07-01T02:00:00Z"}).encode(),  # no kind
        b"[1, 2]",  # not an object
    ],
)
def test_a_change_that_cannot_be_right_refuses_the_page(data: bytes) -> None:
    with pytest.raises(ValueError):
        read(data)


def test_unknown_kinds_and_unfit_versions_are_unread_changes() -> None:
    newer, text = read(b'{"kind": "weather", "changed_at": "2026-07-01T02:00:00Z", "x": [1]}')
    assert isinstance(newer, UnreadChange) and text is None
    assert newer.kind == "weather" and newer.raw["x"] == [1]
    unfit, _ = read(change_bytes(CLEAN, version_no="one"))
    assert isinstance(unfit, UnreadChange) and unfit.kind == "report_version"


def page(*changes: bytes) -> bytes:
    return b'{"changes":[' + b",".join(changes) + b'],"cursor":"c1","has_more":false}'


def test_the_client_hands_each_versions_text_on_with_the_page(scripted: Scripted) -> None:
    texts = [canonical(c) for c in CONTENTS]
    roster = b'{"kind": "weather", "changed_at": "2026-07-01T02:00:00Z"}'
    body = page(*(change_bytes(t, i) for i, t in enumerate(texts)), roster)
    scripted.answer = raw_answer(200, "application/json", body)
    got = scripted.client().changes(None)
    assert len(got.changes) == len(texts) + 1 and got.cursor == "c1"
    assert got.texts == {f"v-{i}": t for i, t in enumerate(texts)}


def test_a_damaged_version_refuses_the_whole_page(scripted: Scripted) -> None:
    body = page(change_bytes(CLEAN), change_bytes(CLEAN, 1, "0" * 64))
    scripted.answer = raw_answer(200, "application/json", body)
    with pytest.raises(ClientError) as err:
        scripted.client().changes(None)
    assert err.value.code == "not_our_server"


def versions() -> tuple[list[Change | UnreadChange], dict[str, str]]:
    read_back = [read(change_bytes(canonical(c), i)) for i, c in enumerate(CONTENTS)]
    texts = {c.version_uuid: t for c, t in read_back if isinstance(c, ReportVersionChange) and t}
    return [c for c, _ in read_back], texts


def test_prepared_versions_with_the_texts_sent_equal_the_slow_path() -> None:
    changes, texts = versions()
    fast = prepare_versions(changes, default_divisions(), texts)
    slow = prepare_versions(changes, default_divisions())
    assert fast.checked == set(texts) and not slow.checked  # only the texts sent were checked
    assert replace(fast, checked=set()) == slow
    assert len(fast.texts) == len(CONTENTS) and any(fast.warnings.values())


def test_prepared_versions_keep_the_text_sent_as_it_is() -> None:
    changes, texts = versions()
    kept = {v: t + " " for v, t in texts.items()}  # not what writing the JSON again gives
    assert prepare_versions(changes, None, kept).texts == kept


@pytest.mark.parametrize(
    "value",
    [0, 1, -1, 7, 10**11, 999_999_999_999, -999_999_999_999, 12.5, 0.1, 1e-20, "1.50", "0.000"],
)
def test_a_figure_parses_to_the_number_and_spelling_its_text_gives(value: object) -> None:
    parsed = parse_figure("affected_pop", value)
    expected = Decimal(str(value)) if Decimal(str(value)) else Decimal(0)
    assert parsed == expected and parsed.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize("value", [1e-21, 1.5e-20, "1e-21", "0.000000000000000000001"])
def test_a_figure_with_far_too_many_decimals_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        parse_figure("affected_pop", value)


@pytest.mark.parametrize("value", ["1.0000000000000000000000000", "100e-22"])
def test_trailing_zeros_do_not_count_as_decimals(value: str) -> None:
    assert parse_figure("affected_pop", value) == Decimal(value)


def test_a_figure_not_given_is_zero() -> None:
    content = ReportContent.from_dict(raw(figures={}))
    assert content.figure("deaths") == 0 and content.figure("direct_loss") == Decimal(0)


class PagesClient:
    """Hands the puller one page, as ``SyncClient.changes`` would (typed, with the texts)."""

    def __init__(self, page: ChangesPage) -> None:
        self.page = page

    def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        return self.page


def test_the_store_keeps_the_text_the_client_handed_on(store: ReportStore) -> None:
    account = sign_in_as(store, role="village_informant", username="wafang_b")
    data = review_content("r-1")
    change = typed_change(version_change(data, "v-1"))
    sent = canonical_text(data)
    spelt = sent.replace(":", ": ")  # not what writing the JSON again gives
    assert isinstance(change, ReportVersionChange) and spelt != sent
    page = ChangesPage(changes=[change], cursor="c1", has_more=False, texts={"v-1": spelt})
    result = Puller(store, cast(SyncClient, PagesClient(page)), account).run()
    assert result.error is None and result.pulled == 1
    with store.write_session() as s:
        kept = s.execute(
            text(
                "SELECT sv.content, rv.content, rv.content_hash FROM server_versions AS sv"
                " JOIN report_versions AS rv USING (version_uuid) WHERE version_uuid = 'v-1'"
            )
        ).one()
    assert tuple(kept[:2]) == (spelt, spelt)
    assert kept[2] == change.content_hash  # the hash the text was checked against


def test_a_text_written_again_is_stored_with_its_own_hash(store: ReportStore) -> None:
    """A page handed on without its texts: the text is written here, and so is its hash."""
    account = sign_in_as(store, role="village_informant", username="wafang_b")
    change = typed_change(version_change(review_content("r-1"), "v-1"))
    assert isinstance(change, ReportVersionChange)
    page = ChangesPage(changes=[change], cursor="c1", has_more=False, texts={})
    result = Puller(store, cast(SyncClient, PagesClient(page)), account).run()
    assert result.error is None and result.pulled == 1
    with store.write_session() as s:
        stored, digest = s.execute(
            text("SELECT content, content_hash FROM report_versions WHERE version_uuid = 'v-1'")
        ).one()
    assert digest == sha256(stored)


def test_applying_a_page_reads_by_version_and_report_keys_only(store: ReportStore) -> None:
    """No query of the pull reads a whole table or index (its cost would grow with the store).

    The review rows of the page's reports are read by report: the flag's index
    (``is_current``) would read every current row of the store for each page.
    """
    account = sign_in_as(store, role="village_informant", username="wafang_b")
    changes = [typed_change(version_change(review_content(f"r-{i}"), f"v-{i}")) for i in range(3)]
    pages = [(changes, prepare_versions(changes, None))]
    plans = _plans(
        store,
        lambda: apply_pulled_pages(store, pages, "c1", cursor_owner(account), FeedResult()),
    )
    assert any("version_reviews" in p for p in plans)
    for plan in plans:
        assert "ix_version_reviews_queue" not in plan, plan
        scans = [part for part in plan.split(" | ") if part.startswith("SCAN ")]
        assert all("json_each" in part for part in scans), plan
