"""`make demo`: a city server with the Baoshan sample accounts, and a launcher to open each.

Everything lives in ``demo-data/`` in the current directory (``--data-dir`` overrides it):
``server/city.db`` (the city server's SQLite database and photos), ``accounts.json`` (the
sample accounts with the passwords ``city-server init`` printed once) and one app data folder
per account (``demo-data/<username>/``).  On its first sign-in, each village's A informant
files the example reports of ``resources/sample/reports_example.json`` for their village, so
the township reviewer has a queue from the start.  The server also imports the example
informant register (``resources/sample/baoshan_register_sample.csv``, 1,434 fictional people
on every post of the city), so the administration page has a whole city to show.  Delete the
folder to start over.

This module is Qt-free: it prepares the server and builds the commands; the launcher window
(``informant_app/demo/launcher.py``) runs them.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sync.contract.resources import resource_path

#: The file holding the sample accounts and their passwords.
ACCOUNTS_FILE = "accounts.json"
#: The file remembering the port, so app folders signed in earlier keep their address.
PORT_FILE = "port"
#: Written in an app folder after its demo sign-in; names the server it signed in to.
LOGIN_MARKER = "demo-login.json"
#: Written in a village A informant's folder: the example reports it files on first sign-in.
SAMPLE_REPORTS_FILE = "demo-sample-reports.json"
#: Seconds between the app windows' sync rounds at most: the story shows within seconds.
DEMO_SYNC_INTERVAL = "10"
#: Roles the launcher offers: informants, the township reviewer, the county admin who manages
#: the townships' posts, and the city admin (the register, set-up code sheets, completeness).
APP_ROLES = ("village_informant", "township_reviewer", "county_admin", "city_admin")
#: The example informant register (fictional) the demo server imports after the sample.
SAMPLE_REGISTER = resource_path("sample", "baoshan_register_sample.csv")
SAMPLE_HISTORY = resource_path("sample", "baoshan_history_2021.json")
#: Minutes a village has for its initial report in the demo (60 in production): the story of
#: an escalated (half the time gone) and an overdue village shows within minutes.
DEMO_INITIAL_DEADLINE_MINUTES = "4"


@dataclass(frozen=True)
class DemoAccount:
    """A sample account of the demo server."""

    username: str
    password: str
    display_name: str
    role: str
    jurisdiction: str
    post: str | None = None
    post_role: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DemoAccount:
        """Build from one entry of ``city-server init --json``'s ``accounts``."""
        return cls(
            username=str(data["username"]),
            password=str(data["password"]),
            display_name=str(data.get("display_name") or data["username"]),
            role=str(data["role"]),
            jurisdiction=str(data["jurisdiction"]),
            post=data.get("post"),
            post_role=data.get("post_role"),
        )


def server_dir(demo_dir: Path) -> Path:
    """Return the server's folder in the demo folder."""
    return demo_dir / "server"


def database_url(demo_dir: Path) -> str:
    """Return the SQLite URL of the demo server's database."""
    return f"sqlite:///{(server_dir(demo_dir) / 'city.db').resolve()}"


def city_server_command(demo_dir: Path, *args: str) -> list[str]:
    """Return a ``city-server`` command on the demo database (run with this Python)."""
    return [sys.executable, "-m", "sync.server.cli", "--db", database_url(demo_dir), *args]


def read_accounts(path: Path) -> list[DemoAccount]:
    """Read the accounts file written by ``prepare_server``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [DemoAccount.from_json(entry) for entry in data["accounts"]]


def prepare_server(demo_dir: Path) -> list[DemoAccount]:
    """Create the demo server's database with the Baoshan sample, once; return the accounts.

    The passwords are printed only when the accounts are created, so they are kept in
    ``accounts.json`` (readable only by this user).
    """
    accounts_path = demo_dir / ACCOUNTS_FILE
    if accounts_path.exists():
        return read_accounts(accounts_path)
    server_dir(demo_dir).mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        city_server_command(demo_dir, "init", "--sample", "baoshan", "--json"),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"city-server init failed:\n{done.stderr}")
    data = json.loads(done.stdout)
    accounts = [DemoAccount.from_json(entry) for entry in data["accounts"]]
    if not accounts:
        raise RuntimeError(
            "city-server init created no sample accounts "
            f"(already there: {data.get('existing')}); delete {demo_dir}"
        )
    # The example register staffs every post of the city (the sample's holders among them).
    done = subprocess.run(
        city_server_command(demo_dir, "register", "import", str(SAMPLE_REGISTER)),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"city-server register import failed:\n{done.stdout}{done.stderr}")
    # The past year: Baoshan's 2021 disasters, filed and approved village by village (about 3 s).
    done = subprocess.run(
        city_server_command(demo_dir, "history", "load", str(SAMPLE_HISTORY)),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"city-server history load failed:\n{done.stdout}{done.stderr}")
    accounts_path.write_text(
        json.dumps({"accounts": [asdict(a) for a in accounts]}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    accounts_path.chmod(0o600)
    return accounts


def launcher_accounts(accounts: list[DemoAccount]) -> list[DemoAccount]:
    """Return the accounts the launcher lists, the story first.

    The story: informant A and informant B of the first village, then the township reviewer;
    the other villages' informants follow, then the county and city admins.
    """
    usable = [a for a in accounts if a.role in APP_ROLES]
    villages = [a.post for a in usable if a.role == "village_informant" and a.post]
    first_village = villages[0] if villages else None

    def order(account: DemoAccount) -> tuple[int, str, str]:
        if account.role == "village_informant" and account.post == first_village:
            rank = 0
        elif account.role == "township_reviewer":
            rank = 1
        elif account.role == "village_informant":
            rank = 2
        else:
            rank = 3
        return rank, account.post or account.jurisdiction, account.post_role or "Z"

    return sorted(usable, key=order)


#: The posts held now, by user name, from the demo server's database (read only).
_CURRENT_POSTS_SQL = """
SELECT u.username, p.division_code, a.post_role
FROM assignments AS a
JOIN users AS u ON u.id = a.user_id
JOIN posts AS p ON p.id = a.post_id
WHERE a.valid_to IS NULL
ORDER BY p.division_code, a.post_role
"""


def current_posts(demo_dir: Path) -> dict[str, tuple[str, str]] | None:
    """Return each user's post held now as ``(post code, "A"/"B")``, from the server's database.

    The roster changes while the demo runs (a reviewer assigns B, ends an assignment), so the
    launcher reads it again instead of the accounts file's first word.  ``None`` when the
    database cannot be read (not made yet, busy): the caller keeps what it shows.
    """
    path = server_dir(demo_dir) / "city.db"
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=1)) as db:
            rows = db.execute(_CURRENT_POSTS_SQL).fetchall()
    except sqlite3.Error:
        return None
    out: dict[str, tuple[str, str]] = {}
    for username, code, role in rows:
        out.setdefault(str(username), (str(code), str(role)))
    return out


def with_post(account: DemoAccount, posts: dict[str, tuple[str, str]] | None) -> DemoAccount:
    """Return ``account`` with the post it holds now (``posts``: ``current_posts``)."""
    if posts is None or account.role != "village_informant":
        return account
    post, role = posts.get(account.username, (None, None))
    return DemoAccount(
        account.username,
        account.password,
        account.display_name,
        account.role,
        account.jurisdiction,
        post,
        role,
    )


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def choose_port(demo_dir: Path) -> int:
    """Return the port used last time when it is free, else a new free one (remembered)."""
    path = server_dir(demo_dir) / PORT_FILE
    try:
        port = int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        port = 0
    if not port or not _port_is_free(port):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{port}\n", encoding="utf-8")
    return port


def server_url(port: int) -> str:
    """Return the demo server's base URL."""
    return f"http://127.0.0.1:{port}"


def account_dir(demo_dir: Path, account: DemoAccount) -> Path:
    """Return the app data folder of ``account``."""
    return demo_dir / account.username


def _app_command(data_dir: Path, lang: str | None) -> list[str]:
    command = [sys.executable, "-m", "informant_app", "--data-dir", str(data_dir)]
    return [*command, "--lang", lang] if lang else command


def login_command(data_dir: Path, url: str, account: DemoAccount) -> list[str]:
    """Return the headless sign-in of ``account`` (the password goes to standard input)."""
    return [
        *_app_command(data_dir, None),
        "login",
        "--server",
        url,
        "--user",
        account.username,
        "--password-stdin",
    ]


def app_command(data_dir: Path, lang: str | None) -> list[str]:
    """Return the command opening the app on ``data_dir``."""
    return _app_command(data_dir, lang)


def sample_reports_file(data_dir: Path, account: DemoAccount) -> Path | None:
    """Write the example reports of the account's village for it to file; ``None`` if none.

    Only a village's A informant files them (B would file the same reports again).
    """
    if account.role != "village_informant" or account.post_role != "A" or not account.post:
        return None
    example = resource_path("sample", "reports_example.json")
    document = json.loads(example.read_text(encoding="utf-8"))
    reports = [r for r in document["reports"] if r.get("village_code") == account.post]
    if not reports:
        return None
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / SAMPLE_REPORTS_FILE
    target.write_text(
        json.dumps({**document, "reports": reports}, ensure_ascii=False), encoding="utf-8"
    )
    return target


def file_samples_command(data_dir: Path, sample_file: Path) -> list[str]:
    """Return the command filing (importing and submitting) the example reports."""
    return [*_app_command(data_dir, None), "import", str(sample_file), "--submit"]


def needs_login(data_dir: Path, url: str) -> bool:
    """Whether the app folder has not yet signed in to the server at ``url``."""
    try:
        marker = json.loads((data_dir / LOGIN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return not isinstance(marker, dict) or marker.get("server_url") != url


def mark_logged_in(data_dir: Path, url: str) -> None:
    """Remember that the app folder signed in to ``url``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / LOGIN_MARKER).write_text(json.dumps({"server_url": url}), encoding="utf-8")


def child_environment() -> dict[str, str]:
    """Return the environment of the processes the demo starts (this checkout importable)."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.pop("INFORMANT_DATA_DIR", None)
    env.setdefault("INFORMANT_SYNC_INTERVAL", DEMO_SYNC_INTERVAL)
    env.setdefault("CITY_DEADLINE_INITIAL_MINUTES", DEMO_INITIAL_DEADLINE_MINUTES)
    return env
