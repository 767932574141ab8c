"""A round of one changed report asks ``GET /me`` only when what it answers changed (issue 19).

The push's answer carries ``X-Account-Revision``, the fingerprint of what ``/me`` answers; a
device that holds ``/me``'s answer of that fingerprint makes only the push and the pull, and a
round with nothing to push only the pull (whose answer carries the fingerprint too).  When the
account changes on the server (here its display name), the next round's push or pull answer
carries another fingerprint: that round asks ``/me`` and the device takes the new name.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from bench.pull import counted_requests
from informant_app.core.sync.engine import SyncEngine, current_account
from tests.integration.helpers import Device, device, file_reports
from tests.support.city_server import CityServer

PUSH, PULL, ME = "POST /api/v1/reports/batch", "GET /api/v1/changes", "GET /api/v1/me"
TWO, THREE = sorted([PUSH, PULL]), sorted([PUSH, ME, PULL])


def _round(dev: Device) -> list[str]:
    """Run one round; return the requests it sent, sorted (the pull's first page may go
    while the push is on the server)."""
    with counted_requests() as sent:
        summary = SyncEngine(dev.store).run_round()
    assert summary.problem is None, summary
    return sorted(sent)


def _rename(city: CityServer, username: str, name: str) -> None:
    engine = sa.create_engine(city.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE users SET display_name = :n WHERE username = :u"),
                {"n": name, "u": username},
            )
    finally:
        engine.dispose()


def test_me_only_when_what_it_answers_changed(live_city: CityServer, tmp_path: Path) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    try:
        assert ME in _round(dev)  # nothing held yet: /me first
        file_reports(dev.store, 1, seed=40)
        _round(dev)  # its report may open the event: then /me (and the events) too
        file_reports(dev.store, 1, seed=41)
        assert _round(dev) == TWO
        file_reports(dev.store, 1, seed=42)
        assert _round(dev) == TWO
        assert _round(dev) == [PULL]  # nothing to push: the pull's answer has the fingerprint

        account = current_account(dev.store)
        assert account is not None
        _rename(live_city, "wafang_a", "改名测试")
        try:
            file_reports(dev.store, 1, seed=43)
            assert _round(dev) == THREE  # the push's answer: /me changed
            renamed = current_account(dev.store)
            assert renamed is not None and renamed.display_name == "改名测试"
            file_reports(dev.store, 1, seed=44)
            assert _round(dev) == TWO  # held again
            # Changed again while nothing is queued: the pull's answer says so, /me follows.
            _rename(live_city, "wafang_a", "再次改名")
            assert _round(dev) == sorted([PULL, ME])
            again = current_account(dev.store)
            assert again is not None and again.display_name == "再次改名"
            assert _round(dev) == [PULL]
        finally:
            _rename(live_city, "wafang_a", account.display_name)
    finally:
        dev.close()
