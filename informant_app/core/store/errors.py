"""Errors of the local store the user can act on, with plain Chinese and English messages.

``StoreError`` and ``NewerDatabaseError`` are defined here and re-exported by ``report_store``;
``translate_os_error`` and ``translate_db_error`` turn disk problems into them.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from sync.contract.bilingual import BilingualError


class StoreError(BilingualError):
    """A problem the user can act on (newer database, disk full, read-only folder)."""


class NewerDatabaseError(StoreError):
    """The database was written by a newer version of the app and is not opened."""


DISK_FULL = StoreError(
    "磁盘空间已满，报告未能保存。请删除一些文件后重试。",
    "The disk is full; the report was not saved. Free some space and try again.",
)
READ_ONLY = StoreError(
    "数据文件夹是只读的，无法保存。请检查文件夹权限或换一个数据文件夹。",
    "The data folder is read-only; nothing can be saved. Check its permissions or choose "
    "another data folder.",
)
CANNOT_OPEN = StoreError(
    "无法打开数据文件，请检查数据文件夹是否存在且可以访问。",
    "The data file cannot be opened; check that the data folder exists and is accessible.",
)
NOT_A_DATABASE = StoreError(
    "数据文件已损坏或不是本软件的数据库，软件没有改动它。请联系技术支持。",
    "The data file is damaged or not a database of this app; it was left unchanged. "
    "Please contact support.",
)
LOCKED = StoreError(
    "数据文件正被其他程序占用，请稍后重试（是否同时打开了两个本软件？）。",
    "The data file is busy in another program; try again shortly (is the app open twice?).",
)


def _copy(template: StoreError) -> StoreError:
    return StoreError(template.zh, template.en)


def translate_sqlite_message(message: str) -> StoreError | None:
    """Return the user's error for a SQLite error message, or ``None`` for a bug."""
    text = message.lower()
    if "database or disk is full" in text:
        return _copy(DISK_FULL)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return _copy(READ_ONLY)
    if "unable to open database" in text:
        return _copy(CANNOT_OPEN)
    if "file is not a database" in text or "malformed" in text:
        return _copy(NOT_A_DATABASE)
    if "database is locked" in text:
        return _copy(LOCKED)
    return None


def translate_db_error(exc: BaseException) -> StoreError | None:
    """Return the user's error for a database exception, or ``None`` when it is a bug."""
    if isinstance(exc, DBAPIError):
        return translate_sqlite_message(str(exc.orig))
    if isinstance(exc, sqlite3.Error):
        return translate_sqlite_message(str(exc))
    return None


def explain_open_failure(error: StoreError, data_dir: Path) -> StoreError:
    """Return ``READ_ONLY`` for a database that cannot be opened in a read-only folder.

    SQLite reports a WAL database on a read-only file system as "unable to open", which
    would send the user looking for a missing folder; any other error comes back as it is.
    """
    if error.en == CANNOT_OPEN.en and data_dir.is_dir() and not os.access(data_dir, os.W_OK):
        return _copy(READ_ONLY)
    return error


def translate_os_error(exc: OSError) -> StoreError | None:
    """Return the user's error for a file-system error, or ``None`` when it is a bug."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _copy(DISK_FULL)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _copy(READ_ONLY)
    return None
