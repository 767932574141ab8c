"""`make demo`: the launcher lists the sample accounts and opens each in its own folder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import current_account
from informant_app.demo import setup as demo
from informant_app.demo.launcher import DemoLauncher
from informant_app.demo.server import DemoServer
from tests.support.city_server import FAST_HASHING
from tests.support.places import SHUIGOU, WAFANG


def sample(
    username: str,
    role: str,
    jurisdiction: str,
    post_role: str | None = None,
    display_name: str = "",
) -> dict[str, object]:
    return {
        "username": username,
        "display_name": display_name or username,
        "role": role,
        "jurisdiction": jurisdiction,
        "post": jurisdiction if post_role else None,
        "post_role": post_role,
        "password": f"pw-{username}",
    }


ACCOUNTS = [
    sample("baoshan_city", "city_admin", "530500000000"),
    sample("wafang_reviewer", "township_reviewer", "530502208000", display_name="瓦房乡应急办"),
    sample("wafang_a", "village_informant", WAFANG, "A", "瓦房社区信息员A"),
    sample("wafang_b", "village_informant", WAFANG, "B", "瓦房社区信息员B"),
    sample("shuigou_a", "village_informant", SHUIGOU, "A"),
]


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "demo-data"
    folder.mkdir()
    (folder / demo.ACCOUNTS_FILE).write_text(json.dumps({"accounts": ACCOUNTS}), encoding="utf-8")
    return folder


def test_the_launcher_lists_the_story_accounts_first(qtbot: QtBot, demo_dir: Path) -> None:
    accounts = demo.launcher_accounts(demo.prepare_server(demo_dir))  # the file is reused
    assert [a.username for a in accounts] == [
        "wafang_a",
        "wafang_b",
        "wafang_reviewer",
        "shuigou_a",
        "baoshan_city",
    ]
    launcher = DemoLauncher(demo_dir, accounts, "en", server=None)
    qtbot.addWidget(launcher)
    launcher.show()
    assert list(launcher.open_buttons) == [
        "wafang_a",
        "wafang_b",
        "wafang_reviewer",
        "shuigou_a",
        "baoshan_city",
    ]
    assert launcher.describe(accounts[0]) == "Informant A of 瓦房社区"
    assert launcher.describe(accounts[2]) == "Township reviewer of 瓦房彝族苗族乡"
    assert launcher.server_state.text() == "City server: not started"
    assert not launcher.server_button.isEnabled()


def test_a_folder_signs_in_again_only_for_another_server(tmp_path: Path) -> None:
    folder = tmp_path / "wafang_a"
    assert demo.needs_login(folder, "http://127.0.0.1:8001")
    demo.mark_logged_in(folder, "http://127.0.0.1:8001")
    assert not demo.needs_login(folder, "http://127.0.0.1:8001")
    assert demo.needs_login(folder, "http://127.0.0.1:8002")


def test_the_port_of_last_time_is_kept_while_free(demo_dir: Path) -> None:
    port = demo.choose_port(demo_dir)
    assert demo.choose_port(demo_dir) == port


def test_the_commands_sign_in_by_standard_input(demo_dir: Path) -> None:
    account = demo.read_accounts(demo_dir / demo.ACCOUNTS_FILE)[2]
    command = demo.login_command(demo_dir / "wafang_a", "http://127.0.0.1:9", account)
    assert command[-6:] == [
        "login",
        "--server",
        "http://127.0.0.1:9",
        "--user",
        "wafang_a",
        "--password-stdin",
    ]
    assert account.password not in command


@pytest.mark.slow
def test_the_demo_starts_its_server_and_opens_a_signed_in_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in FAST_HASHING.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    demo_dir = tmp_path / "demo-data"
    accounts = demo.launcher_accounts(demo.prepare_server(demo_dir))
    assert json.loads((demo_dir / demo.ACCOUNTS_FILE).read_text())["accounts"]
    assert (demo_dir / demo.ACCOUNTS_FILE).stat().st_mode & 0o077 == 0
    # The example register staffed the city: the 9 sample accounts and 1,428 more people.
    database = sqlite3.connect(demo.server_dir(demo_dir) / "city.db")
    try:
        [(people,)] = database.execute("SELECT count(*) FROM users").fetchall()
    finally:
        database.close()
    assert people == 9 + 1428
    server = DemoServer(demo_dir, demo.choose_port(demo_dir))
    launcher = DemoLauncher(demo_dir, accounts, "en", server)
    qtbot.addWidget(launcher)
    with qtbot.waitSignal(server.ready, timeout=60_000):
        server.start()
    assert launcher.server_state.text() == f"City server running at {server.url}"

    village_a = accounts[0]
    with qtbot.waitSignal(launcher.app_started, timeout=60_000, raising=False) as started:
        launcher.open_buttons[village_a.username].click()
    assert started.signal_triggered, launcher.message.text()
    folder = demo.account_dir(demo_dir, village_a)
    assert not demo.needs_login(folder, server.url)
    launcher.close()  # stops the window's process and the server
    assert not server.running
    with ReportStore.open(folder) as store:
        account = current_account(store)
    assert account is not None and account.username == "wafang_a"
    assert account.server_url == server.url


def test_only_a_village_a_files_its_example_reports(tmp_path: Path) -> None:
    from informant_app.demo.setup import DemoAccount, file_samples_command, sample_reports_file

    def account(username: str, role: str, post: str | None, post_role: str | None) -> DemoAccount:
        return DemoAccount(username, "pw", username, role, post or "530502208000", post, post_role)

    wafang_a = account("wafang_a", "village_informant", WAFANG, "A")
    samples = sample_reports_file(tmp_path / "a", wafang_a)
    assert samples is not None
    reports = json.loads(samples.read_text(encoding="utf-8"))["reports"]
    assert reports and {r["village_code"] for r in reports} == {WAFANG}
    assert file_samples_command(tmp_path / "a", samples)[-3:] == [
        "import",
        str(samples),
        "--submit",
    ]
    assert (
        sample_reports_file(tmp_path / "b", account("wafang_b", "village_informant", WAFANG, "B"))
        is None
    )
    assert (
        sample_reports_file(
            tmp_path / "r", account("wafang_reviewer", "township_reviewer", None, None)
        )
        is None
    )


def test_the_labels_follow_the_roster(qtbot: QtBot, demo_dir: Path) -> None:
    """B is assigned while the demo runs: the launcher stops saying "no post yet"."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from sync.server.models import Assignment, Base, Post, User

    demo.server_dir(demo_dir).mkdir(parents=True)
    engine = create_engine(demo.database_url(demo_dir))
    Base.metadata.create_all(engine)
    now = datetime(2026, 7, 1, tzinfo=UTC)

    def user(name: str) -> User:
        return User(
            username=name,
            display_name=name,
            role="village_informant",
            jurisdiction_code=WAFANG,
            password_hash="x",
            created_at=now,
        )

    with Session(engine) as s, s.begin():
        a, b, post = (
            user("wafang_a"),
            user("wafang_b"),
            Post(division_code=WAFANG, level="village", created_at=now),
        )
        s.add_all([a, b, post])
        s.flush()
        s.add(Assignment(post_id=post.id, user_id=a.id, post_role="A", valid_from=now))
        post_id, b_id = post.id, b.id
    accounts = [
        demo.DemoAccount("wafang_a", "pw", "A", "village_informant", WAFANG, WAFANG, "A"),
        demo.DemoAccount("wafang_b", "pw", "B", "village_informant", WAFANG, WAFANG, "B"),
    ]
    launcher = DemoLauncher(demo_dir, accounts, "en", server=None)
    qtbot.addWidget(launcher)
    assert launcher.roster_timer.isActive()
    launcher.roster_timer.setInterval(50)  # read the roster again soon (5 s in the demo)
    what = launcher.what_labels
    # the accounts file said B; the roster has no B yet
    assert what["wafang_b"].text() == "Informant of 瓦房社区, no post yet"
    assert what["wafang_a"].text() == "Informant A of 瓦房社区"
    with Session(engine) as s, s.begin():
        s.add(Assignment(post_id=post_id, user_id=b_id, post_role="B", valid_from=now))
    engine.dispose()
    qtbot.waitUntil(lambda: what["wafang_b"].text() == "Informant B of 瓦房社区", timeout=10_000)
