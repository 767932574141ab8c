"""``city-server photos sweep``: remove unfinished photo uploads idle past their time.

::

    city-server photos sweep [--json]

Uploads sweep when one starts and the server sweeps when it starts; this command is for a
server that receives no uploads (or for a cron job).  It removes the unfinished uploads idle
longer than ``CITY_PHOTO_PARTIAL_TTL_HOURS`` with their bytes and prints how many and how many
bytes were freed.  A database failure exits 1 through ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sync.server.db import Database, utc_now
from sync.server.services.photos import PartialLimits, PhotoStore
from sync.server.settings import Settings

EXIT_OK = 0


def add_parsers(sub: Any) -> None:
    """Add ``photos sweep`` to the sub-commands of ``city-server``."""
    photos = sub.add_parser("photos", help="the photo folder").add_subparsers(
        dest="photos_command", required=True
    )
    sweep = photos.add_parser(
        "sweep",
        help="remove unfinished uploads idle longer than $CITY_PHOTO_PARTIAL_TTL_HOURS",
    )
    sweep.add_argument("--json", action="store_true", help="print the result as JSON")


def cmd_photos(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Run ``photos sweep``; print what was removed."""
    store = PhotoStore(settings.photos_path, settings.photo_max_bytes)
    hours = settings.photo_partial_ttl_hours
    swept = store.sweep(db, utc_now() - PartialLimits.from_settings(settings).ttl)
    if args.json:
        result = {**swept.to_dict(), "idle_hours": hours, "photo_dir": str(store.folder)}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(
            f"已删除闲置超过 {hours:g} 小时的未完成照片上传 {swept.uploads} 个，"
            f"释放 {swept.bytes_freed} 字节\n"
            f"removed {swept.uploads} unfinished photo uploads idle over {hours:g} h, "
            f"freed {swept.bytes_freed} bytes"
        )
    return EXIT_OK
