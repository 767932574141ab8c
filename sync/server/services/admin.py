"""Administration of accounts: list, create, disable and enable, revoke devices, set-up sheets.

Who administers whom (docs/server.md "Administration"): a township reviewer the village
informants of its township; a county admin the township reviewers and village informants of its
county; a city admin every account below it and the city admins of its city.  A village informant
administers nobody (403 on every admin route).  Outside the caller's jurisdiction: 404; inside it
but of a role the caller does not administer: 403.  Every change is recorded in the admin log
(``services.admin_log``) in the transaction of the change; disabling, enabling, revoking devices
and issuing set-up codes also write the security log (``services.security_log``), and
:func:`security_log` reads it back within the same limits.

Reads and writes are set-based: a list of accounts is three queries (accounts, posts, devices)
whatever its length; a set-up sheet for a county is one ``UPDATE`` of older codes and one
multi-row ``INSERT`` of new ones.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, insert, select, true, update
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, is_valid_code, is_within
from sync.contract.setup_code import format_code, new_code
from sync.server.db import Database
from sync.server.errors import FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, ApiError, ErrorKind
from sync.server.jurisdiction import Caller, check_under, within_sql
from sync.server.models import (
    AdminAction,
    Assignment,
    Device,
    DivisionRow,
    Post,
    Role,
    SecurityEvent,
    SetupCode,
    Token,
    User,
)
from sync.server.security import Passwords
from sync.server.services.accounts import (
    ROLE_LEVELS,
    AccountError,
    add_user,
    check_phone,
    revoke_tokens,
)
from sync.server.services.admin_log import OPERATOR, record_action
from sync.server.services.provisioning import PROVISIONED_ROLES, code_hash
from sync.server.services.security_log import KINDS, record_event
from sync.server.settings import Settings

#: 422: an account that cannot be created as asked (the reason in ``zh``/``en``, ``reason``).
ACCOUNT_INVALID = ErrorKind(
    422, "account_invalid", "无法创建该账号", "the account cannot be created as asked"
)

#: The account roles each role administers (create, disable, enable, revoke devices, list).
ADMINISTERED_ROLES: dict[Role, frozenset[Role]] = {
    Role.TOWNSHIP_REVIEWER: frozenset({Role.VILLAGE_INFORMANT}),
    Role.COUNTY_ADMIN: frozenset({Role.VILLAGE_INFORMANT, Role.TOWNSHIP_REVIEWER}),
    Role.CITY_ADMIN: frozenset(
        {Role.VILLAGE_INFORMANT, Role.TOWNSHIP_REVIEWER, Role.COUNTY_ADMIN, Role.CITY_ADMIN}
    ),
}
#: What the operator at the command line may provision in a sheet: every level below the city.
OPERATOR_PROVISIONED = PROVISIONED_ROLES[Role.CITY_ADMIN]


def administered_roles(caller: Caller) -> frozenset[Role]:
    """Return the roles the caller administers; 403 for a caller who administers nobody."""
    roles = ADMINISTERED_ROLES.get(caller.role)
    if roles is None:
        raise ApiError(
            FORBIDDEN,
            zh="只有乡镇审核人员和县、市管理员可以管理账号",
            en="only township reviewers and county or city admins administer accounts",
        )
    return roles


def admin_under(caller: Caller, under: str | None) -> str:
    """Return the code to look inside (default: the caller's jurisdiction); 403 / 404."""
    administered_roles(caller)
    return check_under(caller, under) or caller.jurisdiction_code


def _forbidden_role() -> ApiError:
    return ApiError(
        FORBIDDEN,
        zh="您不能管理该级别的账号（乡镇管理本乡镇的村级信息员，县管理乡镇和村级账号，"
        "市管理以下各级账号和本市管理员）",
        en="you do not administer accounts of this level (a township its village "
        "informants, a county its township and village accounts, a city every level below "
        "it and its city admins)",
    )


def _invalid(reason: str, zh: str, en: str) -> ApiError:
    return ApiError(ACCOUNT_INVALID, zh=zh, en=en, reason=reason)


# --- reading accounts -----------------------------------------------------------------------


def _signed_in(now: datetime) -> ColumnElement[bool]:
    """SQL true for a device (``Device``) holding a token that is not revoked and not expired."""
    return exists().where(
        Token.device_pk == Device.id, Token.revoked_at.is_(None), Token.expires_at > now
    )


def account_dicts(
    session: Session, where: ColumnElement[bool], now: datetime
) -> list[dict[str, Any]]:
    """Return the accounts matching ``where`` (on ``User``) with posts, devices and last sync.

    Three queries whatever the number of accounts; ordered by jurisdiction, then username.
    """
    users = session.execute(
        select(User, DivisionRow.name)
        .join(DivisionRow, DivisionRow.code == User.jurisdiction_code)
        .where(where)
        .order_by(User.jurisdiction_code, User.username)
    ).all()
    if not users:
        return []
    ids = select(User.id).where(where).scalar_subquery()
    posts: dict[int, list[dict[str, str]]] = {}
    for user_id, post_code, post_role in session.execute(
        select(Assignment.user_id, Post.division_code, Assignment.post_role)
        .join(Post, Post.id == Assignment.post_id)
        .where(Assignment.user_id.in_(ids), Assignment.valid_to.is_(None))
        .order_by(Post.division_code, Assignment.post_role)
    ).all():
        posts.setdefault(user_id, []).append({"post_code": post_code, "post_role": post_role})
    devices: dict[int, list[dict[str, Any]]] = {}
    for device, signed_in in session.execute(
        select(Device, _signed_in(now).label("signed_in"))
        .where(Device.user_id.in_(ids))
        .order_by(Device.created_at, Device.id)
    ).all():
        devices.setdefault(device.user_id, []).append(
            {
                "device_id": device.device_id,
                "device_name": device.device_name,
                "created_at": device.created_at,
                "last_seen_at": device.last_seen_at,
                "signed_in": bool(signed_in),
            }
        )
    out = []
    for user, jurisdiction_name in users:
        own = devices.get(user.id, [])
        seen = [d["last_seen_at"] for d in own if d["last_seen_at"] is not None]
        out.append(
            {
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
                "jurisdiction_code": user.jurisdiction_code,
                "jurisdiction_name": jurisdiction_name,
                "phone": user.phone,
                "backup_phone": user.backup_phone,
                "register_id": user.register_id,
                "disabled": user.disabled_at is not None,
                "posts": posts.get(user.id, []),
                "devices": own,
                "last_sync_at": max(seen) if seen else None,
            }
        )
    return out


def _administered_sql(roles: Iterable[Role], under: str) -> ColumnElement[bool]:
    return and_(
        within_sql(User.jurisdiction_code, under),
        User.role.in_(sorted(r.value for r in roles)),
    )


def list_accounts(
    session: Session, caller: Caller, under: str | None, now: datetime
) -> dict[str, Any]:
    """Return the accounts inside ``under`` that the caller administers (``AdminAccounts``)."""
    code = admin_under(caller, under)
    roles = administered_roles(caller)
    return {"under": code, "accounts": account_dicts(session, _administered_sql(roles, code), now)}


def _administered_user(session: Session, caller: Caller, username: str) -> User:
    """Return the account ``username`` if the caller administers it (404 / 403 otherwise)."""
    roles = administered_roles(caller)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not is_within(user.jurisdiction_code, caller.jurisdiction_code):
        raise ApiError(NOT_FOUND)
    if Role(user.role) not in roles:
        raise _forbidden_role()
    return user


def one_account(session: Session, user_id: int, now: datetime) -> dict[str, Any]:
    """Return one account as ``AdminAccount``."""
    return account_dicts(session, User.id == user_id, now)[0]


# --- changing accounts ----------------------------------------------------------------------


@dataclass(frozen=True)
class NewAccount:
    """What ``POST /admin/accounts`` asks for (``AccountCreateRequest``)."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    phone: str = ""
    backup_phone: str = ""


def _check_new(session: Session, caller: Caller, new: NewAccount) -> tuple[Role, DivisionRow]:
    """Return the role and jurisdiction of a new account, or refuse (422 / 403 / 404)."""
    try:
        role = Role(new.role)
    except ValueError:
        raise _invalid(
            "bad_role",
            f"未知的角色：{new.role}",
            f"unknown role: {new.role}",
        ) from None
    if role not in administered_roles(caller):
        raise _forbidden_role()
    code = new.jurisdiction_code.strip()
    division = session.get(DivisionRow, code) if is_valid_code(code) else None
    if division is None:
        raise _invalid(
            "unknown_division", f"未知的区划代码：{code}", f"unknown division code: {code}"
        )
    if not caller.can_see(code):
        raise ApiError(NOT_FOUND)
    if division.retired_vintage is not None:
        raise _invalid(
            "retired_division",
            f"区划代码 {code} 已撤销（{division.retired_vintage}），不能再使用",
            f"the division code {code} was retired ({division.retired_vintage})",
        )
    if DivisionLevel(division.level) not in ROLE_LEVELS[role]:
        levels = "/".join(level.value for level in ROLE_LEVELS[role])
        raise _invalid(
            "wrong_jurisdiction_level",
            f"角色 {role.value} 的辖区必须是 {levels} 级区划",
            f"role {role.value} needs a {levels} division as jurisdiction",
        )
    return role, division


def create_account(
    db: Database, passwords: Passwords, caller: Caller, new: NewAccount, now: datetime
) -> dict[str, Any]:
    """Create an account the caller administers; it signs in with a set-up code.

    It gets no password anyone knows (the hash of a random secret that is thrown away).

    Raises:
        ApiError: 403 (a role the caller does not administer), 404 (outside the jurisdiction),
            422 ``account_invalid`` (bad role, unknown or retired code, wrong level, username
            taken, bad phone; ``reason`` names which).
    """
    with db.writing() as session:
        role, division = _check_new(session, caller, new)
        try:
            backup = check_phone(new.backup_phone)
            user = add_user(
                session,
                passwords,
                new.username,
                role,
                division.code,
                secrets.token_urlsafe(24),
                new.display_name.strip(),
                new.phone,
            )
        except AccountError as exc:
            raise _invalid(exc.code, exc.zh, exc.en) from None
        user.backup_phone = backup
        user.created_at = now
        session.flush()
        record_action(
            session,
            caller,
            "account.create",
            user.username,
            now,
            {"role": role.value, "jurisdiction_code": division.code},
        )
        return one_account(session, user.id, now)


def set_disabled(
    db: Database,
    caller: Caller,
    username: str,
    disabled: bool,
    now: datetime,
    client: str = "",
) -> dict[str, Any]:
    """Disable (signing out every device) or re-enable an account the caller administers.

    Recorded in the admin log and the security log (``account.disable`` / ``account.enable``,
    actor the caller, ``client`` its address) in the transaction of the change.

    Raises:
        ApiError: 403 (not administered by the caller, or the caller's own account), 404.
    """
    with db.writing() as session:
        user = _administered_user(session, caller, username)
        if user.id == caller.user_id:
            raise ApiError(
                FORBIDDEN,
                zh="不能停用或启用自己的账号",
                en="you cannot disable or enable your own account",
            )
        revoked = 0
        if disabled:
            if user.disabled_at is None:
                user.disabled_at = now
            revoked = revoke_tokens(session, user_id=user.id, now=now)
        else:
            user.disabled_at = None
        session.flush()
        action = "account.disable" if disabled else "account.enable"
        detail = {"revoked": revoked} if disabled else {}
        record_action(session, caller, action, user.username, now, detail)
        record_event(
            session,
            action,
            now,
            username=user.username,
            user_id=user.id,
            actor=caller.username,
            client=client,
            detail=detail,
        )
        return one_account(session, user.id, now)


def revoke_devices(
    db: Database,
    caller: Caller,
    username: str,
    device_id: str | None,
    now: datetime,
    client: str = "",
) -> int:
    """Sign out one device of an account the caller administers, or all of them.

    Recorded in the admin log and the security log (``device.revoke``) with the change.

    Returns:
        How many tokens were revoked.

    Raises:
        ApiError: 403 (not administered by the caller), 404 (unknown account or device).
    """
    with db.writing() as session:
        user = _administered_user(session, caller, username)
        if device_id is not None:
            known = session.scalar(
                select(Device.id).where(Device.user_id == user.id, Device.device_id == device_id)
            )
            if known is None:
                raise ApiError(NOT_FOUND)
            revoked = int(
                session.execute(
                    update(Token)
                    .where(Token.device_pk == known, Token.revoked_at.is_(None))
                    .values(revoked_at=now)
                ).rowcount  # type: ignore[attr-defined]
                or 0
            )
        else:
            revoked = revoke_tokens(session, user_id=user.id, now=now)
        detail: dict[str, Any] = {"revoked": revoked}
        if device_id is not None:
            detail["device_id"] = device_id
        record_action(session, caller, "device.revoke", user.username, now, detail)
        record_event(
            session,
            "device.revoke",
            now,
            username=user.username,
            user_id=user.id,
            actor=caller.username,
            client=client,
            device_id=device_id or "",
            detail={"revoked": revoked},
        )
        return revoked


# --- the set-up code sheet ------------------------------------------------------------------


@dataclass(frozen=True)
class SheetIssued:
    """The codes just issued for a sheet (the plain codes are here once and nowhere else)."""

    under: str
    issued_at: datetime
    expires_at: datetime
    entries: list[dict[str, Any]]


def _township_of(code: str, level: str) -> str | None:
    """Return the township code of a village or township code (``None`` above)."""
    if level in (DivisionLevel.VILLAGE.value, DivisionLevel.TOWNSHIP.value):
        return code[:9] + "000"
    return None


def sheet_candidates(
    session: Session, roles: frozenset[Role], under: str, now: datetime
) -> list[dict[str, Any]]:
    """Return the enabled accounts inside ``under`` of ``roles`` without a signed-in device.

    Each with its first active post (by code), the post's name and level, and its township;
    sorted by township, then post, then username.
    """
    no_device = ~exists().where(Device.user_id == User.id, _signed_in(now))
    where = and_(_administered_sql(roles, under), User.disabled_at.is_(None), no_device)
    users = session.execute(
        select(User.id, User.username, User.display_name, User.role, User.jurisdiction_code).where(
            where
        )
    ).all()
    if not users:
        return []
    ids = select(User.id).where(where).scalar_subquery()
    first_post: dict[int, tuple[str | None, str | None]] = {}
    for user_id, post_code, post_role in session.execute(
        select(Assignment.user_id, Post.division_code, Assignment.post_role)
        .join(Post, Post.id == Assignment.post_id)
        .where(Assignment.user_id.in_(ids), Assignment.valid_to.is_(None))
        .order_by(Post.division_code)
    ).all():
        first_post.setdefault(user_id, (post_code, post_role))
    place_codes = {u.jurisdiction_code for u in users} | {
        p for p, _ in first_post.values() if p is not None
    }
    places = {
        row.code: row
        for row in session.execute(
            select(
                DivisionRow.code, DivisionRow.name, DivisionRow.short_name, DivisionRow.level
            ).where(DivisionRow.code.in_(sorted(place_codes)))
        ).all()
    }
    township_codes = {
        t
        for c in place_codes
        if c in places and (t := _township_of(c, places[c].level)) is not None
    }
    township_names = dict(
        session.execute(
            select(DivisionRow.code, DivisionRow.name).where(
                DivisionRow.code.in_(sorted(township_codes))
            )
        ).all()
    )
    out = []
    for user in users:
        held_code, held_role = first_post.get(user.id, (None, None))
        place = places.get(held_code or user.jurisdiction_code)
        township = _township_of(place.code, place.level) if place else None
        out.append(
            {
                "user_id": user.id,
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role,
                "post_code": held_code,
                "post_name": (place.short_name or place.name) if place else "",
                "post_role": held_role,
                "township_code": township,
                "township_name": township_names.get(township or "", ""),
            }
        )
    out.sort(key=lambda e: (e["township_code"] or "", e["post_code"] or "", e["username"]))
    return out


def issue_sheet(
    db: Database,
    caller: Caller | None,
    under: str,
    now: datetime,
    settings: Settings,
    client: str = "",
) -> SheetIssued:
    """Issue a set-up code for everyone inside ``under`` the caller provisions, without a device.

    "Without a device": no device of the account holds a live token.  Disabled accounts are
    left out.  Each account's older unused codes stop working.  ``caller`` ``None`` is the
    operator at the command line (every account below the city level).  Each code issued is
    a ``setup_code.issue`` line in the security log (``client``: the caller's address).

    Raises:
        ApiError: 403 (a village informant), 404 (``under`` outside the jurisdiction).
        AccountError: the operator named an unknown division.
    """
    if caller is not None:
        administered_roles(caller)
        code = check_under(caller, under) or caller.jurisdiction_code
        roles = PROVISIONED_ROLES[caller.role]
    else:
        code, roles = under, OPERATOR_PROVISIONED
    expires = now + timedelta(hours=settings.provision_ttl_hours)
    with db.writing() as session:
        if caller is None and (not is_valid_code(code) or session.get(DivisionRow, code) is None):
            raise AccountError(
                "unknown_division", f"未知的区划代码：{code}", f"unknown division code: {code}"
            )
        entries = sheet_candidates(session, roles, code, now)
        if entries:
            ids = [e["user_id"] for e in entries]
            session.execute(
                update(SetupCode)
                .where(
                    SetupCode.user_id.in_(ids),
                    SetupCode.used_at.is_(None),
                    SetupCode.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            codes = [new_code() for _ in entries]
            session.execute(
                insert(SetupCode),
                [
                    {
                        "code_hash": code_hash(plain),
                        "user_id": e["user_id"],
                        "issued_by": caller.user_id if caller else None,
                        "created_at": now,
                        "expires_at": expires,
                    }
                    for e, plain in zip(entries, codes, strict=True)
                ],
            )
            session.execute(
                insert(AdminAction),
                [
                    {
                        "at": now,
                        "actor_id": caller.user_id if caller else None,
                        "actor": caller.username if caller else OPERATOR,
                        "action": "setup_code.issue",
                        "target": e["username"],
                        "detail": json.dumps({"sheet": code}),
                    }
                    for e in entries
                ],
            )
            session.execute(
                insert(SecurityEvent),
                [
                    {
                        "at": now,
                        "kind": "setup_code.issue",
                        "username": e["username"],
                        "user_id": e["user_id"],
                        "actor": caller.username if caller else OPERATOR,
                        "client": client,
                        "device_id": "",
                        "detail": json.dumps({"sheet": code}),
                    }
                    for e in entries
                ],
            )
            for e, plain in zip(entries, codes, strict=True):
                e["code"] = format_code(plain)
                del e["user_id"]
        record_action(session, caller, "setup_code.sheet", code, now, {"count": len(entries)})
    return SheetIssued(code, now, expires, entries)


# --- the security log ------------------------------------------------------------------------

#: The most lines one page of the security log holds.
SECURITY_LOG_MAX = 500


def _security_scope(session: Session, caller: Caller, username: str | None) -> ColumnElement[bool]:
    """SQL on ``SecurityEvent``: the lines the caller may read, narrowed to ``username``.

    A city admin reads every line (failed sign-ins under unknown names and address-level
    lines too); a county admin or township reviewer the lines of the accounts it administers
    (``user_id`` set); anyone else 403.  A non-city caller naming an account it does not
    administer gets what :func:`_administered_user` answers (404 / 403).
    """
    roles = administered_roles(caller)
    if caller.role is Role.CITY_ADMIN:
        return SecurityEvent.username == username if username else true()
    if username:
        return SecurityEvent.user_id == _administered_user(session, caller, username).id
    administered = select(User.id).where(_administered_sql(roles, caller.jurisdiction_code))
    return SecurityEvent.user_id.in_(administered)


def security_log(
    session: Session,
    caller: Caller,
    *,
    kind: str | None = None,
    username: str | None = None,
    before: int | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Return one page of the security log the caller may read, newest first (``SecurityLog``).

    ``before``: only lines older than this line id (the ``next_before`` of the previous page).
    ``next_before`` is ``None`` on the last page.  Reading the log is not itself logged.

    Raises:
        ApiError: 403 (a caller who administers nobody, or an account of a role it does not
            administer), 404 (an account outside its jurisdiction), 422 ``invalid_request``
            (an unknown ``kind``).
    """
    if kind is not None and kind not in KINDS:
        raise ApiError(
            VALIDATION_FAILED,
            zh=f"未知的安全日志事件类型：{kind}",
            en=f"unknown security log kind: {kind}",
        )
    where = [_security_scope(session, caller, (username or "").strip() or None)]
    if kind is not None:
        where.append(SecurityEvent.kind == kind)
    if before is not None:
        where.append(SecurityEvent.id < before)
    limit = max(1, min(limit, SECURITY_LOG_MAX))
    rows = session.scalars(
        select(SecurityEvent).where(*where).order_by(SecurityEvent.id.desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "events": [
            {
                "id": row.id,
                "at": row.at,
                "kind": row.kind,
                "username": row.username,
                "actor": row.actor,
                "client": row.client,
                "device_id": row.device_id,
                "detail": json.loads(row.detail or "{}"),
            }
            for row in rows
        ],
        "next_before": rows[-1].id if more and rows else None,
    }
