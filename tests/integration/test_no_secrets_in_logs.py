"""No password, bearer token, token hash or set-up code in any log line.

A real flow: password sign-ins (right and wrong, enough wrong ones to slow down), a push from
the app core, a set-up code issued by the township and redeemed on a fresh computer, a bad
code, a password change and a sign-out.  It runs twice:

- against the real ``city-server`` process, whose stdout and stderr (uvicorn's error and
  access log, the app's own loggers) go to ``server.log``, with the app core writing its
  rotating log file (``informant_app.app.setup_logging``) in the same test process;
- against the server app in-process under uvicorn with EVERY logger at DEBUG captured (the
  access log too), which is the most a city's operator could turn on.

Every secret seen on the wire is collected, with its SHA-256 (the token and code hashes the
database keeps), and searched for in every captured line and every log file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import uvicorn

from informant_app.app import setup_logging
from informant_app.core.account import credentials
from informant_app.core.account.provisioning import issue_setup_code
from informant_app.core.account.sign_in import SignInError, sign_in, sign_in_with_code
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.engine import SyncEngine
from sync.contract.setup_code import format_code
from sync.server.app import create_app
from sync.server.settings import Settings
from tests.integration.helpers import file_reports
from tests.support.city_server import CityServer, free_port

WRONG = "Wr0ng-Guess-Passw0rd-7781"
NEW_PASSWORD = "brand-new-secret-9931"


class Secrets:
    """Everything that must never reach a log, with the hashes the server stores."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def add(self, *values: str) -> None:
        for value in values:
            if value and len(value) >= 8:
                self.values.add(value)
                self.values.add(hashlib.sha256(value.encode()).hexdigest())

    def add_code(self, code: str) -> None:
        plain = code.replace("-", "").upper()
        self.add(plain, format_code(plain), plain.lower())

    def found_in(self, text: str) -> list[str]:
        """Return the secrets in ``text``, shortened (enough to tell which, not to use)."""
        return sorted(s[:6] + "…" for s in self.values if s in text)


def _flow(
    url: str,
    passwords: dict[str, str],
    secrets: Secrets,
    folder: Path,
    change_password: Callable[[str, str], object],
) -> None:
    """Run the whole flow against ``url``; collect what is secret."""
    secrets.add(WRONG, NEW_PASSWORD, *passwords.values())
    api = f"{url}/api/v1"
    # Wrong passwords, fewer than the free failures of a name (the slowdown answers no secret).
    for _ in range(4):
        r = requests.post(
            f"{api}/auth/login",
            json={"username": "shuigou_b", "password": WRONG, "device_id": "dev-guess"},
            timeout=30,
        )
        assert r.status_code == 401, r.text
    # The app core: sign in with the password, file and push, wrong password.
    with ReportStore.open(folder / "village") as store:
        sign_in(store, url, "wafang_a", passwords["wafang_a"], device_name="村委会电脑")
        file_reports(store, 2)
        assert SyncEngine(store).run_round().ok
        with pytest.raises(SignInError):
            sign_in(store, url, "wafang_a", WRONG)
    # The township issues a set-up code; a fresh computer redeems it; a bad code fails.
    with ReportStore.open(folder / "township") as store:
        sign_in(store, url, "wafang_reviewer", passwords["wafang_reviewer"])
        issued = issue_setup_code(store, "wafang_b")
    secrets.add_code(issued.code)
    with ReportStore.open(folder / "fresh") as store:
        sign_in_with_code(store, url, issued.code, device_name="新电脑")
        assert SyncEngine(store).run_round().ok
        with pytest.raises(SignInError):
            sign_in_with_code(store, url, "ZZZZ-ZZZZ-ZZZZ")
    # Tokens over plain HTTP: sign in, use, sign out, use again (refused).
    r = requests.post(
        f"{api}/auth/login",
        json={
            "username": "longyang_admin",
            "password": passwords["longyang_admin"],
            "device_id": "dev-http",
        },
        timeout=30,
    )
    token = r.json()["token"]
    secrets.add(token)
    bearer = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{api}/reports", headers=bearer, timeout=30).status_code == 200
    r = requests.post(
        f"{api}/provisioning", headers=bearer, json={"username": "dangxi_b"}, timeout=30
    )
    secrets.add_code(r.json()["code"])
    assert requests.post(f"{api}/auth/logout", headers=bearer, timeout=30).status_code == 200
    assert requests.get(f"{api}/me", headers=bearer, timeout=30).status_code == 401
    # A password change, then the old one and the new one.
    change_password("longyang_admin", NEW_PASSWORD)
    for password in (passwords["longyang_admin"], NEW_PASSWORD):
        r = requests.post(
            f"{api}/auth/login",
            json={"username": "longyang_admin", "password": password, "device_id": "dev-http"},
            timeout=30,
        )
        if r.status_code == 200:
            secrets.add(r.json()["token"])
    # The tokens the app core keeps.
    for name in ("village", "township", "fresh"):
        stored = credentials.token_file(folder / name)
        if stored.exists():
            secrets.add(json.loads(stored.read_text(encoding="utf-8"))["token"])


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    """The app core's rotating log file, as the app sets it up, at DEBUG."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    log_file = setup_logging(tmp_path / "app-logs")
    root.setLevel(logging.DEBUG)
    yield log_file
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def _log_text(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.glob("*"))
        if p.is_file()
    )


@pytest.mark.slow
def test_no_secret_in_the_server_process_log_or_the_app_log(tmp_path: Path, app_log: Path) -> None:
    city = CityServer(tmp_path / "city")
    city.folder.mkdir()
    city.init()
    city.start()
    secrets = Secrets()
    try:
        _flow(
            city.url,
            city.passwords,
            secrets,
            tmp_path / "devices",
            lambda user, password: city.cli(
                "user", "passwd", user, "--password-stdin", stdin=password + "\n"
            ),
        )
    finally:
        city.stop()
    server_log = (city.folder / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "POST /api/v1/auth/login" in server_log  # the access log is on and was read
    assert len(secrets.values) >= 20
    token = next(v for v in secrets.values if len(v) == 43)  # the search itself works
    assert secrets.found_in(f"x Bearer {token} y") == [token[:6] + "…"]
    assert secrets.found_in(server_log) == []
    app_text = _log_text(app_log.parent)
    assert app_text.strip(), "the app core wrote nothing to its log"
    assert secrets.found_in(app_text) == []


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


# sql_debug=True turns SQLAlchemy's loggers to DEBUG: statement parameters (token and set-up
# code hashes) stay out because sync/server/db.py makes engines with hide_parameters=True.


@pytest.mark.parametrize("sql_debug", [False, True])
def test_no_secret_in_any_logger_at_debug(tmp_path: Path, app_log: Path, sql_debug: bool) -> None:
    from sync.server.sample import create_sample

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'city.db'}",
        data_dir=tmp_path,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        login_slowdown_max_seconds=0.05,
    )
    app = create_app(settings)
    with app.state.db.writing() as session:
        created, _ = create_sample(session, app.state.passwords, "baoshan")
    passwords = {str(a["username"]): str(a["password"]) for a in created}
    collect = _Collect()
    sql_logger = logging.getLogger("sqlalchemy")  # SQLAlchemy holds itself at WARNING
    sql_level = sql_logger.level
    if sql_debug:
        sql_logger.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(collect)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, log_level="debug", access_log=True
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        secrets = Secrets()

        def change_password(user: str, password: str) -> None:
            from sync.server.services.accounts import set_password

            with app.state.db.writing() as session:
                set_password(session, app.state.passwords, user, password)

        _flow(f"http://127.0.0.1:{port}", passwords, secrets, tmp_path / "devices", change_password)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        root.removeHandler(collect)
        sql_logger.setLevel(sql_level)
    text = "\n".join(collect.lines)
    assert "POST /api/v1/auth/login" in text  # uvicorn's access log was captured
    assert any(line.startswith("sync.") for line in collect.lines)  # and the server's own
    leaks = {s for line in collect.lines for s in secrets.found_in(line)}
    assert not leaks, [line[:300] for line in collect.lines if secrets.found_in(line)][:5]
    assert secrets.found_in(_log_text(app_log.parent)) == []
