"""The administration's online calls: accounts, devices, set-up codes, register, exports.

Each needs the server (``account.online.call``: ``ReviewOfflineError`` when none answers,
``ReviewRefusedError`` with the server's code and its Chinese and English words when it
refuses).  Nothing here writes the store: the answers are for the administrator's eyes (and
files they save), not kept on the device, so the GUI runs every call on the task manager's
``network`` lane with its read-only connection.  Input the server would refuse anyway (an
account without a user name or a name, a role that does not fit the place) is refused here
first, in plain Chinese and English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from informant_app.core.account.online import call, signed_in_account
from informant_app.core.account.provisioning import SetupCode, issue_setup_code
from informant_app.core.admin.types import CREATABLE_ROLES, ROLE_LEVEL, is_admin
from informant_app.core.review.types import ReviewRefusedError
from informant_app.core.store.report_store import ReportStore
from sync.client.api import Timeouts
from sync.contract import is_valid_code, is_within
from sync.contract.divisions import code_prefix
from sync.contract.wire.admin import (
    AccountCreateRequest,
    AdminAccount,
    AdminAccounts,
    AdminActions,
    Contacts,
    RevokeDevicesResult,
    RosterCompleteness,
    SecurityLog,
    SetupSheet,
)
from sync.contract.wire.register import RegisterEntry, RegisterImportResult

__all__ = [
    "SetupCode",
    "accounts",
    "actions",
    "completeness",
    "contacts",
    "create_account",
    "disable_account",
    "enable_account",
    "import_register",
    "issue_setup_code",
    "issue_setup_sheet",
    "revoke_devices",
    "security_log",
]

#: A user name: letters, digits, ``_``, ``.`` and ``-``, 3 to 64 characters.
USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{3,64}")
#: A phone number as typed: digits, with spaces, dashes and a leading ``+`` allowed.
PHONE_RE = re.compile(r"\+?[0-9][0-9 \-]{4,30}")
#: A register import or a county's code sheet is a long request: wait longer for the answer.
LONG_TIMEOUTS = Timeouts(connect=4.0, read=180.0)


def _refused(zh: str, en: str, code: str = "validation_failed") -> ReviewRefusedError:
    return ReviewRefusedError(zh, en, code)


def _admin_jurisdiction(store: ReportStore) -> tuple[str, str]:
    """Return the signed-in administrator's role and jurisdiction (refused otherwise)."""
    account = signed_in_account(store)
    if account is None or not is_admin(account.role):
        raise _refused(
            "只有乡镇、县（区）和市级管理人员可以管理账号",
            "only township, county and city administrators manage accounts",
            "not_admin",
        )
    return account.role, account.jurisdiction_code


def _under(store: ReportStore, under: str | None) -> str | None:
    """Check that ``under`` lies inside the administrator's jurisdiction (``None``: all of it)."""
    _role, jurisdiction = _admin_jurisdiction(store)
    if under is not None and not is_within(under, jurisdiction):
        raise _refused(
            f"{under} 不在您的管辖范围内",
            f"{under} is outside your jurisdiction",
            "outside_jurisdiction",
        )
    return under


# --- reading ------------------------------------------------------------------------------


def accounts(store: ReportStore, under: str | None = None) -> AdminAccounts:
    """Return the accounts the caller administers inside ``under`` (``GET /admin/accounts``)."""
    where = _under(store, under)
    return call(store, lambda c, _a: c.admin_accounts(where))


def completeness(
    store: ReportStore, under: str | None = None, stale_days: int = 30
) -> RosterCompleteness:
    """Return the roster's completeness inside ``under`` (``GET /admin/completeness``).

    ``stale_days``: informants whose devices have not synced for this many days count as
    not synced (1 to 365).
    """
    if not 1 <= stale_days <= 365:
        raise _refused("天数应在 1 到 365 之间", "the days must be from 1 to 365")
    where = _under(store, under)
    return call(store, lambda c, _a: c.roster_completeness(where, stale_days))


def contacts(store: ReportStore, under: str | None = None) -> Contacts:
    """Return the contact list (通讯录) of the posts inside ``under``."""
    where = _under(store, under)
    return call(store, lambda c, _a: c.contacts(where))


def actions(store: ReportStore, under: str | None = None) -> AdminActions:
    """Return the latest administration actions on accounts inside ``under``."""
    where = _under(store, under)
    return call(store, lambda c, _a: c.admin_actions(where))


#: The lines of the security log asked for at a time.
SECURITY_PAGE = 100


def security_log(
    store: ReportStore,
    kind: str | None = None,
    before: int | None = None,
    limit: int = SECURITY_PAGE,
) -> SecurityLog:
    """Return one page of the security log the administrator may read, newest first.

    ``kind``: one kind of line only (``None``: all); ``before``: lines older than this id (the
    previous page's ``next_before``).  The server decides which accounts' lines are shown.
    """
    _admin_jurisdiction(store)
    return call(store, lambda c, _a: c.security_log(kind, None, before, limit))


# --- accounts -----------------------------------------------------------------------------


def check_new_account(role: str, jurisdiction: str, request: AccountCreateRequest) -> None:
    """Refuse a new account the server would refuse anyway, in plain words.

    Args:
        role: the administrator's role.
        jurisdiction: the administrator's jurisdiction.
        request: the account asked for.

    Raises:
        ReviewRefusedError: a bad user name, no name, a role the administrator does not give,
            a place of the wrong level or outside the jurisdiction, a malformed phone.
    """
    if not USERNAME_RE.fullmatch(request.username):
        raise _refused(
            "用户名须为 3 到 64 个字母、数字、下划线、点或连字符",
            "the user name must be 3 to 64 letters, digits, underscores, dots or dashes",
        )
    if not request.display_name.strip():
        raise _refused("请填写姓名", "please give the person's name")
    if request.role not in CREATABLE_ROLES.get(role, ()):
        raise _refused(
            "您不能创建这种角色的账号",
            "you cannot create an account with this role",
            "forbidden",
        )
    code = request.jurisdiction_code
    if not is_valid_code(code) or not is_within(code, jurisdiction):
        raise _refused(
            "所选地点不在您的管辖范围内",
            "the place chosen is outside your jurisdiction",
            "outside_jurisdiction",
        )
    if level_of(code) != ROLE_LEVEL[request.role].value:
        raise _refused(
            "所选地点与角色的级别不符",
            "the place chosen does not match the role's level",
        )
    for phone in (request.phone, request.backup_phone):
        if phone and not PHONE_RE.fullmatch(phone):
            raise _refused(f"电话号码格式不对：{phone}", f"not a phone number: {phone}")


def level_of(code: str) -> str:
    """Return the level of a well-formed division code (``city``, ``county``…)."""
    prefix = code_prefix(code)
    return {2: "province", 4: "city", 6: "county", 9: "township"}.get(len(prefix), "village")


def create_account(store: ReportStore, request: AccountCreateRequest) -> AdminAccount:
    """Create an account (it signs in with a set-up code); checked here first.

    Raises:
        ReviewRefusedError: refused here (``check_new_account``) or by the server
            (``username_taken`` …).
        ReviewOfflineError: no server answered.
    """
    cleaned = AccountCreateRequest(
        username=request.username.strip(),
        display_name=request.display_name.strip(),
        role=request.role,
        jurisdiction_code=request.jurisdiction_code,
        phone=request.phone.strip(),
        backup_phone=request.backup_phone.strip(),
    )
    role, jurisdiction = _admin_jurisdiction(store)
    check_new_account(role, jurisdiction, cleaned)
    return call(store, lambda c, _a: c.create_account(cleaned))


def disable_account(store: ReportStore, username: str) -> AdminAccount:
    """Disable an account: it can no longer sign in or sync (its devices are signed out)."""
    _admin_jurisdiction(store)
    return call(store, lambda c, _a: c.disable_account(username))


def enable_account(store: ReportStore, username: str) -> AdminAccount:
    """Enable a disabled account again (it signs in anew, with a password or a set-up code)."""
    _admin_jurisdiction(store)
    return call(store, lambda c, _a: c.enable_account(username))


def revoke_devices(
    store: ReportStore, username: str, device_id: str | None = None
) -> RevokeDevicesResult:
    """Sign out one device of the account (``device_id``), or every device (``None``)."""
    _admin_jurisdiction(store)
    return call(store, lambda c, _a: c.revoke_devices(username, device_id))


def issue_setup_sheet(store: ReportStore, under: str) -> SetupSheet:
    """Issue set-up codes for everyone inside ``under`` without a signed-in device.

    Each account's older unused code stops working.  The codes are shown only in the answer
    (the sheet to print); nothing keeps them on this device.
    """
    where = _under(store, under)
    assert where is not None
    return call(store, lambda c, _a: c.issue_setup_codes(where), LONG_TIMEOUTS)


# --- the register -------------------------------------------------------------------------


def import_register(
    store: ReportStore, entries: Sequence[RegisterEntry], dry_run: bool
) -> RegisterImportResult:
    """Judge the register's rows (``dry_run``: nothing changes) or import them.

    An import applies every row in one transaction, or none when any row is refused.

    Raises:
        ReviewRefusedError: an empty sheet, or the server refused the request.
        ReviewOfflineError: no server answered.
    """
    _admin_jurisdiction(store)
    rows = list(entries)
    if not rows:
        raise _refused("花名册中没有人员", "the register lists nobody", "empty_register")
    return call(store, lambda c, _a: c.register_import(rows, dry_run), LONG_TIMEOUTS)
