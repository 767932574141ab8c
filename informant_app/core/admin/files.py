"""The administration's files: the register read and its report, code sheets, contact lists.

Thin wrappers over the contract's Qt-free writers (``sync.contract.register``,
``setup_sheet``, ``contacts_sheet``) that turn a file's failure into a ``BilingualError`` the
UI shows in the user's language.  The GUI runs them on the task manager's ``files`` lane.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from xlsxwriter.exceptions import FileCreateError

from sync.contract.bilingual import BilingualError
from sync.contract.contacts_sheet import write_contacts_sheet
from sync.contract.register import RegisterSheet, RegisterSheetError, read_register, write_report
from sync.contract.setup_sheet import write_setup_sheet
from sync.contract.wire.admin import Contacts, SetupSheet
from sync.contract.wire.register import RegisterImportResult

__all__ = [
    "AdminFileError",
    "RegisterSheet",
    "read_register_file",
    "write_contacts_xlsx",
    "write_register_report",
    "write_setup_sheet_xlsx",
]


class AdminFileError(BilingualError):
    """A file that could not be read or written, in Chinese and English."""


def _not_written(path: Path, exc: OSError | FileCreateError) -> AdminFileError:
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    return AdminFileError(f"无法写入文件 {path}：{reason}", f"cannot write {path}: {reason}")


def read_register_file(path: Path) -> RegisterSheet:
    """Read the register (花名册) at ``path`` (``.xlsx`` or ``.csv``).

    Raises:
        AdminFileError: not a register (unknown type, unreadable, missing columns).
    """
    try:
        return read_register(path)
    except RegisterSheetError as exc:
        raise AdminFileError(exc.zh, exc.en) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise AdminFileError(
            f"无法读取文件 {path}：{reason}", f"cannot read {path}: {reason}"
        ) from exc


def write_register_report(sheet: RegisterSheet, result: RegisterImportResult, path: Path) -> Path:
    """Write the register's report (the sheet with a result and a reason column) at ``path``."""
    try:
        write_report(sheet, result, path)
    except (OSError, FileCreateError) as exc:
        raise _not_written(path, exc) from exc
    return path


def write_setup_sheet_xlsx(sheet: SetupSheet, path: Path) -> int:
    """Write the set-up code sheet as ``.xlsx`` (a worksheet per township); return how many."""
    try:
        return write_setup_sheet(sheet, path)
    except (OSError, FileCreateError) as exc:
        raise _not_written(path, exc) from exc


def write_contacts_xlsx(
    contacts: Contacts, path: Path, per: Literal["county", "township"] = "township"
) -> int:
    """Write the contact list (通讯录) as ``.xlsx``, a worksheet per county or township."""
    try:
        return write_contacts_sheet(contacts, path, per)
    except (OSError, FileCreateError) as exc:
        raise _not_written(path, exc) from exc
