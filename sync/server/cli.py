"""The ``city-server`` command: set up, serve, manage accounts and devices, list reports.

Exit codes: 0 success, 1 the database or server failed, 2 bad input (usage, unknown user,
wrong jurisdiction …).  Messages go to standard error in Chinese and English.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from sync.contract.duty import AbsenceKind
from sync.contract.setup_code import format_code, setup_text
from sync.server import cli_admin, cli_photos
from sync.server.bootstrap import prepare_database
from sync.server.cli_history import add_history_parser, cmd_history
from sync.server.cli_register import add_register_parser, cmd_register
from sync.server.db import Database, utc_now
from sync.server.errors import ApiError
from sync.server.migrate import NewerDatabaseError
from sync.server.models import Assignment, Post, PostRole, Role
from sync.server.security import Passwords, random_password
from sync.server.services import accounts, reads
from sync.server.services.absences import AbsenceRequest, check_request, store_absence
from sync.server.services.provisioning import issue_code
from sync.server.services.roster_writes import remove_holder
from sync.server.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    """A failure to report in both languages with an exit code."""

    def __init__(self, zh: str, en: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(en)
        self.zh, self.en, self.code = zh, en, code


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``city-server``."""
    parser = argparse.ArgumentParser(
        prog="city-server",
        description="灾情直报市级服务器 / the city server of the disaster-reporting system",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $CITY_DATABASE_URL, $DATABASE_URL, or a "
        "SQLite file in the per-user data folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser("init", help="create or upgrade the schema, load division codes")
    init.add_argument("--sample", choices=["baoshan"], help="also create sample accounts")
    init.add_argument("--json", action="store_true", help="print the result as JSON")

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    serve.add_argument(
        "--ssl-certfile",
        metavar="PEM",
        type=Path,
        help="speak https with this certificate (chain) (default: $CITY_TLS_CERTFILE)",
    )
    serve.add_argument(
        "--ssl-keyfile",
        metavar="PEM",
        type=Path,
        help="the certificate's private key (default: $CITY_TLS_KEYFILE)",
    )
    serve.add_argument(
        "--trusted-proxy",
        metavar="CIDR",
        action="append",
        default=[],
        help="a reverse proxy whose X-Forwarded-For names the real client (repeatable; "
        "default: $CITY_TRUSTED_PROXIES, else none: the header is ignored)",
    )

    user = sub.add_parser("user", help="manage accounts").add_subparsers(
        dest="action", required=True
    )
    add = user.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--jurisdiction", required=True, metavar="CODE", help="12-digit division code")
    add.add_argument("--display-name", default="")
    add.add_argument(
        "--phone", default="", help="phone number (shown to the township as the on-duty contact)"
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else one is generated)",
    )
    add.add_argument("--json", action="store_true")
    disable = user.add_parser("disable", help="disable an account and sign out its devices")
    disable.add_argument("username")
    passwd = user.add_parser("passwd", help="set a new password (signs out every device)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", required=True)
    provision = user.add_parser(
        "provision",
        help="issue a one-time set-up code and print the set-up text (older codes stop working)",
    )
    provision.add_argument("username")
    provision.add_argument(
        "--server-url",
        metavar="URL",
        help="the server's address as devices reach it (default: $CITY_PUBLIC_URL)",
    )
    provision.add_argument("--json", action="store_true")

    device = sub.add_parser("device", help="manage devices").add_subparsers(
        dest="action", required=True
    )
    revoke = device.add_parser("revoke", help="revoke the sign-in of devices")
    who = revoke.add_mutually_exclusive_group(required=True)
    who.add_argument("--device-id")
    who.add_argument("--user", metavar="USERNAME")

    roster = sub.add_parser("roster", help="the A/B roster").add_subparsers(
        dest="action", required=True
    )
    assign = roster.add_parser("assign", help="give a user a post as A or B")
    assign.add_argument("username")
    assign.add_argument("--post", required=True, metavar="CODE", help="division code")
    assign.add_argument("--role", required=True, choices=["A", "B"])
    end = roster.add_parser(
        "end", help="end the active A or B of a post (hands over to whoever remains)"
    )
    end.add_argument("--post", required=True, metavar="CODE", help="division code")
    end.add_argument("--role", required=True, choices=["A", "B"])
    end.add_argument("--reason", default="")
    absent = roster.add_parser("absent", help="mark the A of a post off duty for a period")
    absent.add_argument("--post", required=True, metavar="CODE", help="division code")
    absent.add_argument(
        "--from",
        dest="starts",
        required=True,
        metavar="ISO",
        type=_aware_time,
        help="start, ISO 8601 with a time zone",
    )
    absent.add_argument(
        "--to",
        dest="ends",
        required=True,
        metavar="ISO",
        type=_aware_time,
        help="end, ISO 8601 with a time zone",
    )
    absent.add_argument("--kind", default="leave", choices=[k.value for k in AbsenceKind])
    absent.add_argument("--reason", required=True)

    divisions = sub.add_parser("divisions", help="the division table").add_subparsers(
        dest="action", required=True
    )
    div_import = divisions.add_parser(
        "import", help="bring the division table in line with an official table (CSV)"
    )
    div_import.add_argument(
        "file", metavar="FILE", type=Path, help="CSV: code,name,level,parent_code"
    )
    div_import.add_argument("--vintage", required=True, metavar="YEAR", help="the table's year")
    div_import.add_argument(
        "--dry-run", action="store_true", help="show the changes, change nothing"
    )
    div_import.add_argument("--json", action="store_true")

    add_register_parser(sub)
    add_history_parser(sub)

    reports = sub.add_parser("reports", help="list reports")
    reports.add_argument("--json", action="store_true", required=True)
    reports.add_argument("--under", metavar="CODE")
    cli_admin.add_parsers(sub)
    cli_photos.add_parsers(sub)
    return parser


def _aware_time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"no time zone in {text} (add +08:00 or Z)")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    return Settings(database_url=args.db) if args.db else Settings()


def _read_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("标准输入中没有密码", "no password on standard input")
    return password


def _print(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_init(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from sync.server.sample import create_sample

    added = prepare_database(db)
    created: list[dict[str, object]] = []
    existing: list[str] = []
    if args.sample:
        passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
        with db.writing() as session:
            created, existing = create_sample(session, passwords, args.sample)
    if args.json:
        _print(
            {
                "database": _safe_url(settings.url),
                "divisions_added": added,
                "accounts": created,
                "existing": existing,
            }
        )
        return EXIT_OK
    print(
        f"数据库已就绪 / database ready: {_safe_url(settings.url)} "
        f"(新增区划 / divisions added: {added})"
    )
    if created:
        print("示例账号（密码只显示这一次）/ sample accounts (passwords are shown only now):")
        for a in created:
            post = f"  {a['post']} {a['post_role']}" if a["post"] else ""
            print(
                f"  {a['username']:<16} {a['password']}  {a['role']} {a['jurisdiction']}{post}"
                f"  {a['phone']}"
            )
    if existing:
        print(f"已存在，未更改 / already there, unchanged: {', '.join(existing)}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    import uvicorn

    from sync.server.app import create_app

    if args.workers < 1:
        raise CliError("--workers 至少为 1", "--workers must be at least 1")
    certfile, keyfile = _tls_files(args, settings)
    prepare_database(db)
    db.dispose()
    if args.trusted_proxy:
        settings = settings.model_copy(update={"trusted_proxies": list(args.trusted_proxy)})
        # Worker processes read the environment.
        os.environ["CITY_TRUSTED_PROXIES"] = ",".join(args.trusted_proxy)
    scheme = "https" if certfile else "http"
    print(
        f"城市服务器 / city server: {scheme}://{args.host}:{args.port}  "
        f"({_safe_url(settings.url)}, {args.workers} worker(s))",
        file=sys.stderr,
    )
    if args.workers > 1:
        # Each worker process builds its own app from the environment.
        os.environ["CITY_DATABASE_URL"] = settings.url
        os.environ["CITY_MIGRATE_ON_START"] = "false"
        uvicorn.run(
            "sync.server.app:app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
            proxy_headers=False,  # the app reads X-Forwarded-For itself (sync.server.clients)
        )
    else:
        app = create_app(settings.model_copy(update={"migrate_on_start": False}))
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
            proxy_headers=False,  # the app reads X-Forwarded-For itself (sync.server.clients)
        )
    return EXIT_OK


def _tls_files(args: argparse.Namespace, settings: Settings) -> tuple[str | None, str | None]:
    """Return the https certificate and key files (``None``: plain http); check both."""
    certfile = args.ssl_certfile or settings.tls_certfile
    keyfile = args.ssl_keyfile or settings.tls_keyfile
    if certfile is None and keyfile is None:
        return None, None
    if certfile is None or keyfile is None:
        raise CliError(
            "https 需要同时给出证书和私钥（--ssl-certfile 和 --ssl-keyfile）",
            "https needs both the certificate and its key (--ssl-certfile and --ssl-keyfile)",
        )
    for path in (certfile, keyfile):
        if not Path(path).is_file():
            raise CliError(f"找不到文件：{path}", f"no such file: {path}")
    return str(certfile), str(keyfile)


def cmd_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
    if args.action == "add":
        generated = not args.password_stdin
        password = random_password() if generated else _read_password()
        with db.writing() as session:
            user = accounts.add_user(
                session,
                passwords,
                args.username,
                Role(args.role),
                args.jurisdiction,
                password,
                args.display_name,
                args.phone,
            )
        if args.json:
            _print(
                {
                    "username": user.username,
                    "role": user.role,
                    "jurisdiction": user.jurisdiction_code,
                    "phone": user.phone,
                    "password": password if generated else None,
                }
            )
        else:
            print(f"已创建 / created: {user.username} ({user.role}, {user.jurisdiction_code})")
            if generated:
                print(f"密码（只显示这一次）/ password (shown only now): {password}")
    elif args.action == "provision":
        return _provision(args, settings, db)
    elif args.action == "disable":
        with db.writing() as session:
            accounts.disable_user(session, args.username)
        print(f"已停用 / disabled: {args.username}")
    else:
        password = _read_password()
        with db.writing() as session:
            accounts.set_password(session, passwords, args.username, password)
        print(f"密码已更新 / password changed: {args.username}")
    return EXIT_OK


def _provision(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    url = (args.server_url or settings.public_url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CliError(
            "需要服务器地址：请用 --server-url http://… 或设置 CITY_PUBLIC_URL",
            "a server address is needed: give --server-url http://… or set CITY_PUBLIC_URL",
        )
    issued = issue_code(db, None, args.username, utc_now(), settings)
    text = setup_text(url, issued.code, issued.username, issued.expires_at)
    if args.json:
        _print(
            {
                "username": issued.username,
                "display_name": issued.display_name,
                "code": format_code(issued.code),
                "expires_at": issued.expires_at.isoformat(),
                "server_url": url,
                "text": text,
            }
        )
    else:
        print(text, end="")
    return EXIT_OK


def cmd_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    with db.writing() as session:  # each account concerned gets a ``device.revoke`` line
        count = accounts.revoke_logged(session, username=args.user, device_id=args.device_id)
    print(f"已撤销登录 / sign-ins revoked: {count}")
    return EXIT_OK


def _active(session: Any, post_code: str, role: str) -> tuple[Post, Assignment]:
    post = session.scalar(select(Post).where(Post.division_code == post_code))
    held = (
        None
        if post is None
        else session.scalar(
            select(Assignment).where(
                Assignment.post_id == post.id,
                Assignment.post_role == role,
                Assignment.valid_to.is_(None),
            )
        )
    )
    if post is None or held is None:
        raise CliError(
            f"岗位 {post_code} 没有在岗的 {role}角", f"the post {post_code} has no active {role}"
        )
    return post, held


def cmd_roster(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    if args.action == "end":
        with db.writing() as session:
            post, held = _active(session, args.post, args.role)
            remove_holder(session, post, held, args.reason.strip(), None, utc_now())
        print(f"已结束 / ended: {args.post} {args.role}")
        return EXIT_OK
    if args.action == "absent":
        request = AbsenceRequest(
            str(uuid.uuid4()),
            args.post,
            args.starts,
            args.ends,
            AbsenceKind(args.kind),
            args.reason,
        )
        reason = check_request(request)
        with db.writing() as session:
            post, held = _active(session, args.post, "A")
            row = store_absence(session, post, held, request, reason, None, utc_now(), None)
        print(f"已登记离岗 / absence recorded: {args.post} A {row.absence_uuid}")
        return EXIT_OK
    try:
        with db.writing() as session:
            accounts.assign(session, args.username, args.post, PostRole(args.role))
    except IntegrityError:
        raise CliError(
            f"该岗位已有在岗的 {args.role}角",
            f"the post already has an active {args.role}, or the user already holds it",
        ) from None
    print(f"已分配 / assigned: {args.username} → {args.post} {args.role}")
    return EXIT_OK


def cmd_reports(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from sync.contract import is_valid_code

    if args.under is not None and not is_valid_code(args.under):
        raise CliError(f"区划代码格式不正确：{args.under}", f"not a division code: {args.under}")
    out: list[dict[str, Any]] = []
    cursor: str | None = None
    with db.read_session() as session:
        while True:
            page = reads.list_reports(session, None, args.under, cursor, 500)
            out.extend(page.reports)
            if not page.has_more:
                break
            cursor = page.cursor
    _print({"reports": out})
    return EXIT_OK


def cmd_divisions(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from sync.server.services import divisions
    from sync.server.services.admin_log import record_action

    path: Path = args.file
    vintage = args.vintage.strip()
    if not vintage or len(vintage) > 16:
        raise CliError("--vintage 应为年份，如 2023", "--vintage must be a year, e.g. 2023")
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            table = divisions.read_division_file(path.name, f)
    except OSError as exc:
        raise CliError(f"无法读取文件 {path}：{exc}", f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        raise CliError(f"{path} 不是 UTF-8 文本", f"{path} is not UTF-8 text") from None
    except divisions.DivisionFileError as exc:
        raise CliError(exc.zh, exc.en) from None
    try:
        with db.writing() as session:
            result = divisions.import_divisions(
                session, table, vintage, source=path.name, dry_run=args.dry_run
            )
            if not args.dry_run:
                record_action(
                    session, None, "divisions.import", path.name, utc_now(), result.summary()
                )
    except divisions.DivisionFileError as exc:
        raise CliError(exc.zh, exc.en) from None
    if args.json:
        _print(result.to_dict())
    else:
        print(divisions.format_import(result))
    return EXIT_OK


COMMANDS = {
    "init": cmd_init,
    "serve": cmd_serve,
    "user": cmd_user,
    "device": cmd_device,
    "roster": cmd_roster,
    "reports": cmd_reports,
    "register": cmd_register,
    "history": cmd_history,
    "divisions": cmd_divisions,
    "setup-codes": cli_admin.cmd_setup_codes,
    "photos": cli_photos.cmd_photos,
}


def _safe_url(url: str) -> str:
    """Return ``url`` without a password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``city-server``; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        db = Database(settings.url)
    except Exception as exc:  # a malformed URL or setting
        print(
            f"错误：数据库地址或设置无效 / error: bad database URL or setting: {exc}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        return COMMANDS[args.command](args, settings, db)
    except CliError as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return exc.code
    except (accounts.AccountError, ApiError) as exc:
        print(f"错误：{exc.zh}\nerror: {exc.en}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except NewerDatabaseError as exc:
        print(
            f"错误：数据库版本（{exc}）比本程序新，请升级服务器\n"
            f"error: the database revision ({exc}) is newer than this server; upgrade it",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except SQLAlchemyError as exc:
        print(f"错误：数据库操作失败 / error: database failure: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
