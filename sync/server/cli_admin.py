"""``city-server setup-codes``: a printable set-up code sheet for a township, county or city.

``city-server setup-codes --under CODE [--server-url URL] --xlsx OUT.xlsx`` issues a one-time
code for every enabled account below the city level inside ``CODE`` that has no signed-in
device (older unused codes of those accounts stop working), and writes the sheet: one
worksheet per township (``sync.contract.setup_sheet``).  It is recorded in the admin log as the
operator (``cli``).  Bad input raises ``AccountError`` (exit 2 through ``cli.main``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sync.contract.setup_sheet import write_setup_sheet
from sync.contract.wire.admin import SetupSheet, SetupSheetEntry
from sync.server.db import Database, utc_now
from sync.server.services.accounts import AccountError
from sync.server.services.admin import issue_sheet
from sync.server.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add the administration commands to ``city-server``'s sub-parsers."""
    codes = sub.add_parser(
        "setup-codes",
        help="issue set-up codes for everyone without a signed-in device; write the sheet",
    )
    codes.add_argument("--under", required=True, metavar="CODE", help="a township, county…")
    codes.add_argument("--server-url", metavar="URL", help="default: $CITY_PUBLIC_URL")
    codes.add_argument("--xlsx", required=True, metavar="OUT.xlsx", type=Path)


def cmd_setup_codes(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Issue the codes and write the sheet; print how many codes and sheets."""
    url = (args.server_url or settings.public_url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise AccountError(
            "no_server_url",
            "需要服务器地址：请用 --server-url http://… 或设置 CITY_PUBLIC_URL",
            "a server address is needed: give --server-url http://… or set CITY_PUBLIC_URL",
        )
    issued = issue_sheet(db, None, args.under.strip(), utc_now(), settings)
    sheet = SetupSheet(
        under=issued.under,
        server_url=url,
        issued_at=issued.issued_at,
        expires_at=issued.expires_at,
        entries=[SetupSheetEntry(**entry) for entry in issued.entries],
    )
    sheets = write_setup_sheet(sheet, args.xlsx)
    print(
        f"已发放 {len(sheet.entries)} 个设置码，{sheets} 张表：{args.xlsx}\n"
        f"issued {len(sheet.entries)} set-up codes on {sheets} sheets: {args.xlsx}"
    )
    return 0
