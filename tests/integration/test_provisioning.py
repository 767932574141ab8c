"""Set-up codes end to end through the real city server and the real stores.

The township reviewer of 瓦房乡 asks for a code for wafang_b; a fresh computer reads the set-up
text, redeems the code and is signed in as wafang_b with its profile, and syncs.  The code
works once; a person outside the township gets none; the headless ``provision`` command does
the same from a saved file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from informant_app.core.account.provisioning import issue_setup_code
from informant_app.core.account.setup_text import parse_setup_text, write_setup_file
from informant_app.core.account.sign_in import (
    SignInError,
    current_account,
    sign_in_with_code,
)
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole
from informant_app.core.sync.engine import SyncEngine
from tests.integration.helpers import WAFANG, device
from tests.support.app_cli import run_app
from tests.support.city_server import CityServer


def test_a_fresh_computer_signs_in_with_the_townships_code(
    live_city: CityServer, tmp_path: Path
) -> None:
    township = device(live_city, tmp_path / "township", "wafang_reviewer")
    try:
        issued = issue_setup_code(township.store, "wafang_b")
    finally:
        township.close()
    assert issued.username == "wafang_b" and issued.server_url == live_city.url
    assert f"服务器 server: {live_city.url}" in issued.text

    setup = parse_setup_text(issued.text.replace("\n", "\r\n").lower())
    assert (setup.server_url, setup.code, setup.username) == (
        live_city.url,
        issued.code,
        "wafang_b",
    )
    with ReportStore.open(tmp_path / "village") as store:
        assert current_account(store) is None
        account = sign_in_with_code(store, live_city.url, setup.code, device_name="村委会电脑")
        assert account.username == "wafang_b" and account.server_url == live_city.url
        assert [p.division_code for p in account.posts] == [WAFANG]
        profile = store.profile()
        assert profile is not None and profile.role is PostRole.B
        assert profile.village_codes == (WAFANG,)
        summary = SyncEngine(store).run_round()
        assert summary.ok, summary

    with ReportStore.open(tmp_path / "second") as store, pytest.raises(SignInError) as refused:
        sign_in_with_code(store, live_city.url, setup.code)
    assert refused.value.code == "setup_code_invalid" and "乡镇" in refused.value.zh
    with ReportStore.open(tmp_path / "second") as store:
        assert current_account(store) is None


def test_no_code_for_a_person_of_another_township(live_city: CityServer, tmp_path: Path) -> None:
    township = device(live_city, tmp_path / "township", "wafang_reviewer")
    try:
        with pytest.raises(ReviewRefusedError) as refused:
            issue_setup_code(township.store, "xinzhai_a")
    finally:
        township.close()
    assert refused.value.code == "not_found"


def informant_app(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_app(*args)


def test_the_headless_provision_command(live_city: CityServer, tmp_path: Path) -> None:
    township = device(live_city, tmp_path / "township", "wafang_reviewer")
    try:
        issued = issue_setup_code(township.store, "shuigou_b")
    finally:
        township.close()
    setup_file = tmp_path / "设置码-shuigou_b.txt"
    write_setup_file(setup_file, issued.text)
    data = tmp_path / "data"

    done = informant_app("--data-dir", data, "--lang", "en", "provision", setup_file)
    assert done.returncode == 0, done.stderr
    assert "signed in: 水沟洼村信息员B (shuigou_b)" in done.stdout
    again = informant_app("--data-dir", tmp_path / "other", "provision", setup_file)
    assert again.returncode == 1 and "设置码无效" in again.stderr

    not_setup = tmp_path / "notes.txt"
    not_setup.write_text("瓦房社区今日降雨 35 毫米。", encoding="utf-8")
    refused = informant_app("--data-dir", tmp_path / "third", "provision", not_setup)
    assert refused.returncode == 2 and "这不是设置码文本" in refused.stderr
