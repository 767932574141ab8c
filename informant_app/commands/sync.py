"""The ``login``, ``provision``, ``logout`` and ``sync`` commands of the headless CLI (Qt-free).

``login`` reads the password from standard input (``--password-stdin``) and says where the
token is kept.  ``provision FILE`` signs in with the set-up text a township hands over (a
``.txt`` or ``.json`` file, or ``-`` for standard input): the server address and a one-time
code; ``--server`` overrides or supplies the address.  ``sync`` runs one round and prints its
JSON summary (``RoundSummary``) and exits with ``sync_exit_code``: 0 when everything (versions,
decisions, photos) is on the server and every phase finished, 1 when versions are still
queued, 3 when the versions went but photos are still to send or a phase failed (the pull
runs after a failed photo phase).  ``sync_status_json`` is what ``status --json`` adds about
photos: reports are not fully received while their photos are missing.
``INFORMANT_SYNC_BATCH_SIZE`` and ``INFORMANT_SYNC_TIMEOUT`` (read timeout, seconds) tune
``sync`` for slow links and tests.  Run in a terminal, ``sync`` shows what the round is doing
on standard error (``commands.progress``); never on standard output.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from informant_app.commands.progress import TerminalProgress
from informant_app.core.account.credentials import token_file
from informant_app.core.account.plain_http import is_plain_http_remote
from informant_app.core.account.setup_text import (
    MAX_FILE_BYTES,
    SetupTextError,
    parse_setup_text,
    read_setup_file,
)
from informant_app.core.account.sign_in import sign_in_with_code
from informant_app.core.store.feed import versions_missing_photos
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_status import read_status
from informant_app.core.sync.engine import (
    BATCH_SIZE,
    SignInError,
    SyncEngine,
    current_account,
    sign_in,
    sign_out,
)
from informant_app.core.sync.types import Account, RoundSummary, TokenStorage
from sync.client.api import Timeouts

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INPUT = 2
#: The versions went, but photos are still to send or a phase of the round failed.
EXIT_INCOMPLETE = 3
BATCH_ENV = "INFORMANT_SYNC_BATCH_SIZE"
TIMEOUT_ENV = "INFORMANT_SYNC_TIMEOUT"


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang.startswith("zh") else en


def add_sync_commands(commands: Any) -> None:
    """Add ``login``, ``provision``, ``logout`` and ``sync`` to the sub-command parsers."""
    login = commands.add_parser(
        "login", help="登录城市服务器（需联网）/ sign in to the city server (online)"
    )
    login.add_argument(
        "--server",
        required=True,
        metavar="URL",
        help="服务器地址 / server address, e.g. http://192.168.1.10:8765",
    )
    login.add_argument("--user", required=True, metavar="USER", help="用户名 / user name")
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码 / read the password from standard input",
    )
    login.add_argument("--device-name", default="", help="本机名称 / a name for this computer")
    provision = commands.add_parser(
        "provision",
        help="用乡镇发的设置码登录（需联网，设置码只能用一次）/ sign in with the "
        "township's one-time set-up code (online)",
    )
    provision.add_argument(
        "file",
        metavar="FILE",
        help="设置码文件（.txt 或 .json），- 表示标准输入 / the set-up file "
        "(.txt or .json), - for standard input",
    )
    provision.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="服务器地址（设置码文本中没有时）/ the server address (when the text names none)",
    )
    provision.add_argument("--device-name", default="", help="本机名称 / a name for this computer")
    commands.add_parser(
        "logout", help="退出登录（未发送的报告保留）/ sign out (unsent reports are kept)"
    )
    sync = commands.add_parser(
        "sync", help="同步一轮并输出 JSON 摘要 / run one sync round, print a JSON summary"
    )
    sync.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help=f"每次请求的报告数 / versions per request (default {BATCH_SIZE})",
    )
    sync.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="读取超时秒数 / read timeout in seconds (default 30)",
    )
    sync.epilog = (
        "退出码 / exit codes: 0 全部已送达（报告、审核结果、照片）/ everything is on the "
        "server; 1 仍有报告待发送 / versions still queued; 3 报告已送达，但照片未传完或本轮某"
        "一步失败 / the versions went, but photos are still to send or a phase failed"
    )


def run_sync_command(
    store: ReportStore, args: argparse.Namespace, lang: str, out: TextIO, err: TextIO
) -> int | None:
    """Run ``login``, ``logout`` or ``sync``; ``None`` for any other command."""
    if args.command == "login":
        return _login(store, args, lang, out, err)
    if args.command == "provision":
        return _provision(store, args, lang, out, err)
    if args.command == "logout":
        return _logout(store, lang, out)
    if args.command == "sync":
        return _sync(store, args, lang, out, err)
    return None


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass("密码 / password: ")
    return ""


def _warn_plain_http(server: str, lang: str, err: TextIO) -> None:
    """Say on ``err`` that ``server`` is unencrypted when it is plain http:// to another host."""
    if not is_plain_http_remote(server):
        return
    print(
        _t(
            lang,
            "警告：此地址未加密（http://），密码和报告在传输途中可被他人读取。"
            "请向乡镇或县里索取 https:// 地址。",
            "warning: this address is not encrypted (http://): passwords and reports can be "
            "read on the way by anyone on the network. Ask the township or county for the "
            "https:// address.",
        ),
        file=err,
    )


def _login(
    store: ReportStore, args: argparse.Namespace, lang: str, out: TextIO, err: TextIO
) -> int:
    _warn_plain_http(args.server, lang, err)
    password = _read_password(args.password_stdin)
    if not password:
        print(
            _t(
                lang,
                "没有读到密码（请用 --password-stdin 从标准输入提供）",
                "no password given (use --password-stdin)",
            ),
            file=err,
        )
        return EXIT_INPUT
    try:
        account = sign_in(store, args.server, args.user, password, device_name=args.device_name)
    except SignInError as exc:
        print(exc.message(lang), file=err)
        return EXIT_FAILED
    _say_signed_in(store, account, lang, out)
    return EXIT_OK


def _provision(
    store: ReportStore, args: argparse.Namespace, lang: str, out: TextIO, err: TextIO
) -> int:
    try:
        if args.file == "-":
            setup = parse_setup_text(sys.stdin.read(MAX_FILE_BYTES))
        else:
            setup = read_setup_file(Path(args.file))
    except SetupTextError as exc:
        print(exc.message(lang), file=err)
        return EXIT_INPUT
    server = args.server or setup.server_url
    if not server:
        print(
            _t(
                lang,
                "设置码文本中没有服务器地址，请用 --server URL 提供",
                "the set-up text names no server; give it with --server URL",
            ),
            file=err,
        )
        return EXIT_INPUT
    _warn_plain_http(server, lang, err)
    try:
        account = sign_in_with_code(store, server, setup.code, device_name=args.device_name)
    except SignInError as exc:
        print(exc.message(lang), file=err)
        return EXIT_FAILED
    _say_signed_in(store, account, lang, out)
    return EXIT_OK


def _say_signed_in(store: ReportStore, account: Account, lang: str, out: TextIO) -> None:
    if account.token_storage is TokenStorage.KEYRING:
        where = _t(lang, "系统钥匙串（keyring）", "the system keyring")
    else:
        where = _t(
            lang,
            f"文件 {token_file(store.data_dir)}（仅本用户可读）",
            f"the file {token_file(store.data_dir)} (readable only by you)",
        )
    villages = ", ".join(p.division_code for p in account.posts) or account.jurisdiction_code
    print(
        _t(
            lang,
            f"已登录：{account.display_name}（{account.username}），{villages}",
            f"signed in: {account.display_name} ({account.username}), {villages}",
        ),
        file=out,
    )
    print(_t(lang, f"登录凭证保存在{where}", f"the sign-in token is kept in {where}"), file=out)


def _logout(store: ReportStore, lang: str, out: TextIO) -> int:
    account = current_account(store)
    sign_out(store)
    queued = store.outbox_size()
    if account is None:
        print(_t(lang, "本机未登录。", "not signed in."), file=out)
    else:
        print(
            _t(
                lang,
                f"已退出登录（{account.username}）；{queued} 份待发送报告保留在本机。",
                f"signed out ({account.username}); {queued} unsent report(s) kept here.",
            ),
            file=out,
        )
    return EXIT_OK


def _env_number(name: str, kind: type[int] | type[float]) -> float | None:
    raw = os.environ.get(name, "").strip()
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None


def _sync(store: ReportStore, args: argparse.Namespace, lang: str, out: TextIO, err: TextIO) -> int:
    batch = args.batch_size or _env_number(BATCH_ENV, int) or BATCH_SIZE
    read = args.timeout or _env_number(TIMEOUT_ENV, float) or Timeouts().read
    engine = SyncEngine(
        store, batch_size=int(batch), timeouts=Timeouts(connect=min(5.0, read), read=read)
    )
    progress = TerminalProgress(err, lang)
    try:
        summary = engine.run_round(progress=progress if progress.active else None)
    finally:
        progress.end()
    print(json.dumps(summary.to_json(), ensure_ascii=False), file=out)
    return sync_exit_code(summary)


def sync_exit_code(summary: RoundSummary) -> int:
    """Return the ``sync`` command's exit code for a round (documented in its ``--help``).

    0: everything is on the server and the round finished; 1: versions still queued;
    3 (``EXIT_INCOMPLETE``): photos or decisions still to send, or a phase failed.
    """
    if summary.still_queued:
        return EXIT_FAILED
    return EXIT_OK if summary.complete else EXIT_INCOMPLETE


def sync_status_json(store: ReportStore) -> dict[str, int]:
    """Return what ``status --json`` says about sending beyond the per-state counts.

    ``photos_pending``: photos of submitted versions not complete on the server (also those
    it refused: they need the user); ``received_without_photos``: versions the server holds
    whose photos it does not hold in full: they are not fully received.
    """
    status = read_status(store)
    return {
        "photos_pending": status.photos_pending,
        "received_without_photos": versions_missing_photos(store),
        "conflicts_open": status.conflicts,
    }
