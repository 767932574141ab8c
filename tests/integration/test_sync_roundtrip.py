"""Sign-in, the headless commands and the everyday round against the real server.

Profiles derived from the posts (A, B, township reviewer), the token's place, offline start,
quarantined reports that never block the rest, retry, a revoked token stopping the round,
pulled reports that never overwrite local work, and sign-out keeping unsent reports.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from informant_app.core.account.credentials import load_token, token_file
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole, ReportFilter, ReportState
from informant_app.core.sync.engine import (
    SignInError,
    SyncEngine,
    current_account,
    retry_version,
    sign_in,
    sign_out,
    version_info,
)
from informant_app.core.sync.push import Pusher
from informant_app.core.sync.types import SyncErrorKind, TokenStorage
from sync.client.api import SyncClient
from tests.integration.helpers import SHUIGOU, WAFANG, ServerView, device, file_reports
from tests.support.city_server import ROOT, CityServer


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityServer]:
    """This file's own server.

    Its tests sign fresh devices in to 瓦房社区 and run whole rounds: on the worker's shared
    server each first pull fetched every version the files before had pushed for the village
    (1.2 s alone became 26–50 s in the full suite).
    """
    with CityServer(tmp_path_factory.mktemp("city-roundtrip")) as server:
        yield server


def cli(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INFORMANT_TOKEN_STORAGE": "file"}
    return subprocess.run(
        [sys.executable, "-m", "informant_app", "--data-dir", str(folder), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_cli_login_sync_logout(live_city: CityServer, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    wrong = cli(
        folder,
        "--lang",
        "en",
        "login",
        "--server",
        live_city.url,
        "--user",
        "wafang_a",
        "--password-stdin",
        stdin="nope\n",
    )
    assert wrong.returncode == 1 and "wrong username or password" in wrong.stderr
    done = cli(
        folder,
        "login",
        "--server",
        live_city.url,
        "--user",
        "wafang_a",
        "--password-stdin",
        stdin=live_city.passwords["wafang_a"] + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert str(token_file(folder)) in done.stdout
    assert stat.S_IMODE(token_file(folder).stat().st_mode) == 0o600
    with ReportStore.open(folder) as store:
        file_reports(store, 3, seed=900)
    ran = cli(folder, "sync")
    assert ran.returncode == 0, ran.stderr
    summary = json.loads(ran.stdout)
    assert summary["pushed"] == 3 and summary["still_queued"] == 0 and summary["ok"]
    assert set(summary) >= {
        "pushed",
        "pulled",
        "failed",
        "still_queued",
        "problem",
        "clock_skew_seconds",
        "server_time",
    }
    with ReportStore.open(folder) as store:
        file_reports(store, 2, seed=901)
    out = cli(folder, "logout")
    assert out.returncode == 0 and "2" in out.stdout
    assert not token_file(folder).exists()
    offline = cli(folder, "sync")
    assert offline.returncode == 1  # two reports are still queued
    assert json.loads(offline.stdout)["problem"]["kind"] == "not_signed_in"
    with ReportStore.open(folder) as store:
        assert store.state_counts()[ReportState.QUEUED] == 2  # sign-out kept them


def test_profiles_from_posts_and_offline_start(live_city: CityServer, tmp_path: Path) -> None:
    for username, role in (("wafang_a", PostRole.A), ("wafang_b", PostRole.B)):
        dev = device(live_city, tmp_path / username, username)
        profile = dev.store.profile()
        assert profile is not None
        assert (profile.role, profile.post_code, profile.village_codes) == (role, WAFANG, (WAFANG,))
        assert profile.informant_name == live_city.accounts[username]["display_name"]
        account = current_account(dev.store)
        assert account is not None and account.token_storage is TokenStorage.FILE
        dev.close()
    reviewer = device(live_city, tmp_path / "reviewer", "wafang_reviewer")
    profile = reviewer.store.profile()
    assert profile is not None and WAFANG in profile.village_codes
    assert SHUIGOU in profile.village_codes and profile.post_code == "530502208000"
    reviewer.close()
    # Later starts work offline: the account and profile come from the store.
    with ReportStore.open(tmp_path / "wafang_a") as store:
        account = current_account(store)
        assert account is not None and account.username == "wafang_a"
        summary = SyncEngine(store, server_url="http://127.0.0.1:9").run_round()
        assert summary.problem is not None and summary.problem.kind is SyncErrorKind.NETWORK
        assert store.profile() is not None


def test_sign_in_errors_are_plain(live_city: CityServer, tmp_path: Path) -> None:
    with ReportStore.open(tmp_path / "x") as store:
        with pytest.raises(SignInError) as err:
            sign_in(store, live_city.url, "wafang_a", "wrong")
        assert err.value.code == "invalid_credentials" and "密码" in err.value.zh
        with pytest.raises(SignInError) as err:
            sign_in(store, "http://127.0.0.1:9", "wafang_a", "x")
        assert err.value.code == "network"
        assert current_account(store) is None


def test_rejected_report_is_quarantined_and_never_blocks(
    live_city: CityServer, tmp_path: Path
) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    good_before = file_reports(dev.store, 3, seed=910)
    # A report for a village outside A's posts: the store accepts it (profile widened by
    # hand), the server refuses it with its message.
    profile = dev.store.profile()
    assert profile is not None
    dev.store.save_profile(replace(profile, village_codes=(WAFANG, SHUIGOU)))
    [bad] = file_reports(dev.store, 1, village=SHUIGOU, seed=911)
    good_after = file_reports(dev.store, 3, seed=912)
    summary = dev.engine(batch_size=2).run_round()
    assert summary.ok and summary.pushed == 6 and summary.failed == 1, summary
    assert summary.still_queued == 0
    states = {}
    for version in [*good_before, *good_after, bad]:
        states.update(
            {
                v: st
                for v, _n, st in dev.store.history(dev.store.version_content(version).report_uuid)
            }
        )
    assert all(states[v] is ReportState.RECEIVED for v in good_before + good_after)
    assert states[bad] is ReportState.ERROR
    info = version_info(dev.store, bad)
    assert info.server_status == "rejected" and info.server_code == "village_not_permitted"
    assert info.message_en and "not one of your posts" in info.message_en
    rows = dev.store.report_rows(ReportFilter(state=ReportState.ERROR), 0, 10)
    assert rows[0].error_message and "岗位" in rows[0].error_message
    status = dev.engine().status()
    assert status.errors == 1 and status.queued == 0
    # Retry: queued again, refused again, still never blocking anything.
    retry_version(dev.store, bad)
    assert dev.engine().status().queued == 1
    again = dev.engine().run_round()
    assert again.failed == 1 and again.still_queued == 0
    with pytest.raises(ValueError):
        retry_version(dev.store, good_before[0])
    dev.close()


def test_revoked_token_stops_the_round(live_city: CityServer, tmp_path: Path) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    account = current_account(dev.store)
    assert account is not None
    file_reports(dev.store, 2, seed=920)
    live_city.cli("device", "revoke", "--device-id", account.device_id)
    summary = dev.engine().run_round()
    assert summary.problem is not None and summary.problem.kind is SyncErrorKind.AUTH
    assert "revoked" in summary.problem.en
    assert dev.store.state_counts()[ReportState.QUEUED] == 2
    sign_in(dev.store, live_city.url, "wafang_a", live_city.passwords["wafang_a"])
    assert dev.engine().run_round().still_queued == 0
    dev.close()


def test_pull_never_overwrites_local_work(live_city: CityServer, tmp_path: Path) -> None:
    a = device(live_city, tmp_path / "a", "wafang_a")
    b = device(live_city, tmp_path / "b", "wafang_b")
    [first] = file_reports(a.store, 1, seed=930)
    report = a.store.version_content(first).report_uuid
    assert a.engine().run_round().ok and b.engine().run_round().ok
    info = version_info(b.store, first)
    assert info.origin == "remote" and info.filed_by == "wafang_a"
    draft = b.store.revise(report)  # B starts editing
    # A revises and sends; B pulls while its draft is open.
    a_draft = a.store.revise(report)
    content = dict(a_draft.content)
    content["narrative"] = "更新：山洪已退。"
    a.store.save_draft(a_draft.version_uuid, content)
    assert a.store.submit(a_draft.version_uuid).ok
    assert a.engine().run_round().ok
    assert b.engine().run_round().ok
    assert b.store.load_draft(draft.version_uuid).version_uuid == draft.version_uuid
    assert [v for v, _n, _s in b.store.history(report)] == [first, draft.version_uuid]
    # Once the draft is gone, the main line shows up.
    b.store.discard_draft(draft.version_uuid)
    assert b.engine().run_round().ok
    assert b.store.history(report)[-1][0] == a_draft.version_uuid
    a.close()
    b.close()


def test_sign_out_keeps_unsent_reports(live_city: CityServer, tmp_path: Path) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    file_reports(dev.store, 4, seed=940)
    sign_out(dev.store)
    assert current_account(dev.store) is None
    assert dev.store.state_counts()[ReportState.QUEUED] == 4
    summary = dev.engine().run_round()
    assert summary.problem is not None and summary.problem.kind is SyncErrorKind.NOT_SIGNED_IN
    sign_in(dev.store, live_city.url, "wafang_a", live_city.passwords["wafang_a"])
    assert dev.engine().run_round().still_queued == 0
    dev.close()


@pytest.mark.slow
def test_push_rate_of_a_thousand_reports(live_city: CityServer, tmp_path: Path) -> None:
    dev = device(live_city, tmp_path / "a", "wafang_a")
    assert dev.engine().run_round().ok  # catch up with the village first
    versions = file_reports(dev.store, 1000, seed=950)
    account = current_account(dev.store)
    assert account is not None
    token = load_token(dev.folder, account.device_id, account.username, account.token_storage)
    client = SyncClient(live_city.url, device_id=account.device_id, token=token)
    started = time.perf_counter()
    pushed = Pusher(dev.store, client, lambda: datetime.now(UTC), 200).run()
    push_seconds = time.perf_counter() - started
    client.close()
    assert pushed.pushed == 1000 and pushed.error is None
    started = time.perf_counter()
    summary = dev.engine().run_round()  # pulls the 1000 acknowledgements back
    pull_seconds = time.perf_counter() - started
    assert summary.ok and summary.pulled >= 1000 and summary.still_queued == 0
    item = len(
        json.dumps(
            {
                "version_uuid": versions[0],
                "parent_version_uuid": None,
                "version_no": 1,
                "content": dev.store.version_content(versions[0]).to_dict(),
            },
            ensure_ascii=False,
        ).encode()
    )
    print(
        f"\n1000 reports pushed in {push_seconds:.2f} s ({1000 / push_seconds:.0f}/s, "
        f"5 requests); pulled back in {pull_seconds:.2f} s; {item} bytes per report in "
        f"a batch request"
    )
    view = ServerView(live_city)
    try:
        view.refresh()
        assert all(view.versions[v] == 1 for v in versions)
    finally:
        view.close()
    dev.close()
