"""One-time set-up codes: a manager issues one for an account; a new device redeems it once.

Only the code's SHA-256 is stored.  A new code for an account revokes its older unused ones.
Redeeming is one atomic ``UPDATE … WHERE used_at IS NULL … RETURNING`` in the transaction
that issues the device token, so two devices racing with the same code get one token between
them.  An unknown, used, revoked or expired code all answer the same 401
``setup_code_invalid``; failed tries are counted per client address in the database (any
server process sees them): they slow down like failed sign-ins and, past
``provision_failures_max`` within ``provision_failures_minutes``, are refused with 429.
Neither a code nor a token is ever logged.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sync.contract import is_within
from sync.contract.setup_code import new_code, normalize_code
from sync.server.db import Database, utc_now
from sync.server.errors import (
    ACCOUNT_DISABLED,
    FORBIDDEN,
    NOT_FOUND,
    SETUP_CODE_INVALID,
    TOO_MANY_ATTEMPTS,
    USER_DISABLED,
    ApiError,
)
from sync.server.jurisdiction import Caller
from sync.server.models import ProvisionFailure, Role, SetupCode, User
from sync.server.services.accounts import find_user
from sync.server.services.admin_log import record_action
from sync.server.services.auth import SignIn, issue_token, slowdown_seconds
from sync.server.settings import Settings

log = logging.getLogger(__name__)

#: The account roles each role may issue set-up codes for: those it manages, below it.
PROVISIONED_ROLES: dict[Role, frozenset[Role]] = {
    Role.TOWNSHIP_REVIEWER: frozenset({Role.VILLAGE_INFORMANT}),
    Role.COUNTY_ADMIN: frozenset({Role.VILLAGE_INFORMANT, Role.TOWNSHIP_REVIEWER}),
    Role.CITY_ADMIN: frozenset({Role.VILLAGE_INFORMANT, Role.TOWNSHIP_REVIEWER, Role.COUNTY_ADMIN}),
}
#: The longest client key stored (an IPv6 address fits).
CLIENT_KEY_MAX = 64


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued: the plain code is here once and nowhere else."""

    code: str
    expires_at: datetime
    username: str
    display_name: str


def code_hash(code: str) -> str:
    """Return the SHA-256 (hex) under which a code (plain form) is stored."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _target(session: Session, caller: Caller | None, username: str) -> User:
    """Return the account ``caller`` may issue a code for (``None``: the operator)."""
    if caller is None:
        user = find_user(session, username)
    else:
        allowed = PROVISIONED_ROLES.get(caller.role)
        if allowed is None:
            raise ApiError(
                FORBIDDEN,
                zh="只有乡镇审核人员和县、市管理员可以发放设置码",
                en="only township reviewers and county or city admins issue set-up codes",
            )
        found = session.scalar(select(User).where(User.username == username))
        if found is None or not is_within(found.jurisdiction_code, caller.jurisdiction_code):
            raise ApiError(NOT_FOUND)
        if Role(found.role) not in allowed:
            raise ApiError(
                FORBIDDEN,
                zh="只能为您管理的下级账号发放设置码（乡镇为本乡镇的村级"
                "信息员，县、市为辖区内的下级账号）",
                en="set-up codes are issued only for the accounts you manage (a "
                "township for its village informants, a county or city for "
                "the levels below it)",
            )
        user = found
    if user.disabled_at is not None:
        raise ApiError(USER_DISABLED)
    return user


def issue_code(
    db: Database, caller: Caller | None, username: str, now: datetime, settings: Settings
) -> IssuedCode:
    """Issue a code for ``username``; its older unused codes stop working.

    Raises:
        ApiError: 403 ``forbidden`` (not the account's manager), 404 ``not_found`` (unknown
            or outside the caller's jurisdiction), 422 ``user_disabled``.
        AccountError: the operator named an unknown account.
    """
    code = new_code()
    expires = now + timedelta(hours=settings.provision_ttl_hours)
    with db.writing() as session:
        user = _target(session, caller, username)
        session.execute(
            update(SetupCode)
            .where(
                SetupCode.user_id == user.id,
                SetupCode.used_at.is_(None),
                SetupCode.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        session.add(
            SetupCode(
                code_hash=code_hash(code),
                user_id=user.id,
                issued_by=caller.user_id if caller else None,
                created_at=now,
                expires_at=expires,
            )
        )
        issued = IssuedCode(code, expires, user.username, user.display_name)
        record_action(session, caller, "setup_code.issue", user.username, now)
    log.info(
        "set-up code issued for %s by %s",
        issued.username,
        caller.username if caller else "the operator",
    )
    return issued


def redeem_code(
    db: Database,
    settings: Settings,
    *,
    code: str,
    device_id: str,
    device_name: str,
    client_key: str,
    now: datetime,
) -> SignIn:
    """Redeem ``code`` once for a token of the device ``device_id``.

    Raises:
        ApiError: 401 ``setup_code_invalid`` (unknown, used, revoked or expired: one answer),
            401 ``account_disabled`` (the code stays unused), 429 ``too_many_attempts``.
    """
    key = client_key[:CLIENT_KEY_MAX]
    _check_throttle(db, settings, key, now)
    plain = normalize_code(code)
    signed = _redeem(db, settings, plain, device_id, device_name, now) if plain else None
    if signed is None:
        failures = _count_failure(db, settings, key, now)
        time.sleep(slowdown_seconds(failures, settings))
        raise ApiError(SETUP_CODE_INVALID)
    log.info(
        "set-up code redeemed for %s on device %s", signed.caller.username, signed.caller.device_id
    )
    return signed


def _redeem(
    db: Database, settings: Settings, plain: str, device_id: str, device_name: str, now: datetime
) -> SignIn | None:
    with db.writing() as session:
        row = session.execute(
            update(SetupCode)
            .where(
                SetupCode.code_hash == code_hash(plain),
                SetupCode.used_at.is_(None),
                SetupCode.revoked_at.is_(None),
                SetupCode.expires_at > now,
            )
            .values(used_at=now)
            .returning(SetupCode.id, SetupCode.user_id)
        ).first()
        if row is None:
            return None
        code_id, user_id = row
        user = session.get(User, user_id)
        assert user is not None
        if user.disabled_at is not None:
            raise ApiError(ACCOUNT_DISABLED)  # rolls back: the code stays unused
        signed = issue_token(session, settings, user, device_id, device_name, utc_now())
        session.execute(
            update(SetupCode)
            .where(SetupCode.id == code_id)
            .values(used_by_device=signed.caller.device_pk)
        )
    return signed


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.provision_failures_minutes)


def _check_throttle(db: Database, settings: Settings, key: str, now: datetime) -> None:
    """Refuse (429) a client with too many failed tries within the window."""
    window = _window(settings)
    with db.read_session() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(ProvisionFailure.failed_at)).where(
                ProvisionFailure.client_key == key, ProvisionFailure.failed_at > now - window
            )
        ).one()
    if count < settings.provision_failures_max or oldest is None:
        return
    seconds = max(1, int((oldest + window - now).total_seconds() + 0.999))
    minutes = (seconds + 59) // 60
    raise ApiError(
        TOO_MANY_ATTEMPTS,
        headers={"Retry-After": str(seconds)},
        zh=f"设置码尝试次数过多，请 {minutes} 分钟后再试",
        en=f"too many set-up code tries; try again in {minutes} min",
        retry_after=seconds,
    )


def _count_failure(db: Database, settings: Settings, key: str, now: datetime) -> int:
    """Record one failed try; drop those past the window; return the client's count."""
    cutoff = now - _window(settings)
    with db.writing() as session:
        session.execute(delete(ProvisionFailure).where(ProvisionFailure.failed_at <= cutoff))
        session.add(ProvisionFailure(client_key=key, failed_at=now))
        session.flush()
        count: int = (
            session.scalar(
                select(func.count())
                .select_from(ProvisionFailure)
                .where(ProvisionFailure.client_key == key, ProvisionFailure.failed_at > cutoff)
            )
            or 0
        )
    return count
