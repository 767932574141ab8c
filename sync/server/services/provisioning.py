"""One-time set-up codes: a manager issues one for an account; a new device redeems it once.

Only the code's SHA-256 is stored.  A new code for an account revokes its older unused ones.
Redeeming is one atomic ``UPDATE … WHERE used_at IS NULL … RETURNING`` in the transaction
that issues the device token, so two devices racing with the same code get one token between
them.  An unknown, used, revoked or expired code all answer the same 401
``setup_code_invalid``.  Neither a code nor a token is ever logged.

**Taking over is visible.**  A code may be issued for an account that is signed in elsewhere
(a replaced computer), but the answer says how many devices will be signed out
(``devices_signed_out``).  Redeeming it revokes every other live token of the account in the
same transaction and writes ``device.replaced`` for each such device; that device's next
request answers 401 ``token_revoked`` with ``reason: "replaced"`` and a message naming when,
on which device and by whose code (``signin_path.replaced_notice``).  The security log holds
``setup_code.issue`` (actor: the manager), ``setup_code.redeem`` and ``setup_code.failed``
(at most one line per client address and minute).

**Throttle.**  Every try is recorded *before* it is judged (a ``provision_failures`` row, in
its own committed transaction), then the tries within ``provision_failures_minutes`` are
counted, in-flight ones included: per client address and ``device_id`` (at most
``provision_failures_max``) and per client address (``provision_failures_per_address_max``).
A try over either limit deletes its row and answers 429; a successful one deletes its row in
the redeeming transaction; a failed one keeps it.  Of the tries that pass, the last to commit
its row counts every other one, so concurrent tries never pass a limit.  Typos on one device
do not block a colleague's device behind the same address.
"""

from __future__ import annotations

import hashlib
import logging
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
from sync.server.models import (
    Device,
    ProvisionFailure,
    Role,
    SecurityEvent,
    SetupCode,
    Token,
    User,
)
from sync.server.services.accounts import find_user
from sync.server.services.admin_log import record_action
from sync.server.services.auth import SignIn, issue_token, slowdown_seconds
from sync.server.services.security_log import record_event
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
    devices_signed_out: int = 0


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


def _live_devices(session: Session, user_id: int, now: datetime) -> list[tuple[int, str, str]]:
    """Return ``(device pk, device_id, name)`` of the account's devices with a live token."""
    rows = session.execute(
        select(Device.id, Device.device_id, Device.device_name)
        .join(Token, Token.device_pk == Device.id)
        .where(Device.user_id == user_id, Token.revoked_at.is_(None), Token.expires_at > now)
        .distinct()
        .order_by(Device.id)
    ).all()
    return [(int(pk), device_id, name) for pk, device_id, name in rows]


def issue_code(
    db: Database,
    caller: Caller | None,
    username: str,
    now: datetime,
    settings: Settings,
    client: str = "",
) -> IssuedCode:
    """Issue a code for ``username``; its older unused codes stop working.

    The answer counts the account's devices signed in now: redeeming the code signs them out.

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
        live = _live_devices(session, user.id, now)
        issued = IssuedCode(code, expires, user.username, user.display_name, len(live))
        record_action(session, caller, "setup_code.issue", user.username, now)
        record_event(
            session,
            "setup_code.issue",
            now,
            username=user.username,
            user_id=user.id,
            actor=caller.username if caller else "cli",
            client=client,
            detail={
                "devices_signed_out": len(live),
                "devices": [device_id for _pk, device_id, _name in live],
                "expires_at": expires.isoformat(),
            },
        )
    log.info(
        "set-up code issued for %s by %s (%d device(s) to be signed out)",
        issued.username,
        caller.username if caller else "the operator",
        issued.devices_signed_out,
    )
    return issued


class CodeRefusedError(ApiError):
    """401 ``setup_code_invalid``, to be answered after ``pause`` seconds (the slowdown).

    The caller pauses, not ``redeem_code``: the route waits on the event loop, so a flood of
    bad codes holds none of the threads the sync routes share.
    """

    def __init__(self, pause: float) -> None:
        super().__init__(SETUP_CODE_INVALID)
        self.pause = pause


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

    Every other device of the account is signed out (``device.replaced``).

    Raises:
        CodeRefusedError: 401 ``setup_code_invalid`` (unknown, used, revoked or expired: one
            answer), with the pause to wait before answering.
        ApiError: 401 ``account_disabled`` (the code stays unused), 429 ``too_many_attempts``.
    """
    key = client_key[:CLIENT_KEY_MAX]
    device = device_id[:100]
    try_id = _begin_try(db, settings, key, device, now)
    plain = normalize_code(code)
    try:
        signed = (
            _redeem(db, settings, plain, device_id, device_name, key, try_id, now)
            if plain
            else None
        )
    except ApiError:
        _end_try(db, try_id)  # a disabled account: not a guess
        raise
    if signed is None:
        failures = _failed(db, settings, key, device, now)
        raise CodeRefusedError(slowdown_seconds(failures, settings))
    log.info(
        "set-up code redeemed for %s on device %s", signed.caller.username, signed.caller.device_id
    )
    return signed


def _redeem(
    db: Database,
    settings: Settings,
    plain: str,
    device_id: str,
    device_name: str,
    client: str,
    try_id: int,
    now: datetime,
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
            .returning(SetupCode.id, SetupCode.user_id, SetupCode.issued_by)
        ).first()
        if row is None:
            return None
        code_id, user_id, issuer_id = row
        user = session.get(User, user_id)
        assert user is not None
        if user.disabled_at is not None:
            raise ApiError(ACCOUNT_DISABLED)  # rolls back: the code stays unused
        issuer = session.get(User, issuer_id) if issuer_id is not None else None
        signed = issue_token(session, settings, user, device_id, device_name, utc_now())
        new_pk = signed.caller.device_pk
        session.execute(
            update(SetupCode).where(SetupCode.id == code_id).values(used_by_device=new_pk)
        )
        session.execute(delete(ProvisionFailure).where(ProvisionFailure.id == try_id))
        replaced = [d for d in _live_devices(session, user.id, now) if d[0] != new_pk]
        if replaced:
            session.execute(
                update(Token)
                .where(
                    Token.device_pk.in_([pk for pk, _id, _name in replaced]),
                    Token.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
        by = {
            "issued_by": issuer.username if issuer else "cli",
            "issued_by_name": issuer.display_name if issuer else "",
            "new_device_id": device_id,
            "new_device_name": device_name,
        }
        for _pk, old_id, old_name in replaced:
            record_event(
                session,
                "device.replaced",
                now,
                username=user.username,
                user_id=user.id,
                actor=by["issued_by"],
                client=client,
                device_id=old_id,
                detail={**by, "device_name": old_name},
            )
        record_event(
            session,
            "setup_code.redeem",
            now,
            username=user.username,
            user_id=user.id,
            actor=by["issued_by"],
            client=client,
            device_id=device_id,
            detail={**by, "devices_signed_out": [old_id for _pk, old_id, _n in replaced]},
        )
    return signed


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.provision_failures_minutes)


def _counts(
    session: Session, key: str, device_id: str, cutoff: datetime
) -> tuple[int, int, datetime | None, datetime | None]:
    """Return the tries of the device and of the address in the window, and their oldest."""
    in_window = (ProvisionFailure.client_key == key, ProvisionFailure.failed_at > cutoff)
    per_device, oldest_device = session.execute(
        select(func.count(), func.min(ProvisionFailure.failed_at)).where(
            *in_window, ProvisionFailure.device_id == device_id
        )
    ).one()
    per_address, oldest_address = session.execute(
        select(func.count(), func.min(ProvisionFailure.failed_at)).where(*in_window)
    ).one()
    return int(per_device), int(per_address), oldest_device, oldest_address


def _begin_try(db: Database, settings: Settings, key: str, device_id: str, now: datetime) -> int:
    """Record a try, then count (in-flight tries included); refuse (429) one over a limit."""
    window = _window(settings)
    cutoff = now - window
    with db.writing() as session:
        session.execute(delete(ProvisionFailure).where(ProvisionFailure.failed_at <= cutoff))
        row = ProvisionFailure(client_key=key, device_id=device_id, failed_at=now)
        session.add(row)
        session.flush()
        try_id = int(row.id)
    with db.read_session() as session:  # every committed try, the concurrent ones too
        per_device, per_address, oldest_device, oldest_address = _counts(
            session, key, device_id, cutoff
        )
    oldest = None
    if per_device > settings.provision_failures_max:
        oldest = oldest_device
    elif per_address > settings.provision_failures_per_address_max:
        oldest = oldest_address
    else:
        return try_id
    _end_try(db, try_id)
    _log_failed(db, key, device_id, now, throttled=True, failures=per_device)
    seconds = max(1, int(((oldest or now) + window - now).total_seconds() + 0.999))
    minutes = (seconds + 59) // 60
    raise ApiError(
        TOO_MANY_ATTEMPTS,
        headers={"Retry-After": str(seconds)},
        zh=f"设置码尝试次数过多，请 {minutes} 分钟后再试",
        en=f"too many set-up code tries; try again in {minutes} min",
        retry_after=seconds,
    )


def _end_try(db: Database, try_id: int) -> None:
    """Forget a try that was not a guess (refused, or the account disabled)."""
    with db.writing() as session:
        session.execute(delete(ProvisionFailure).where(ProvisionFailure.id == try_id))


def _failed(db: Database, settings: Settings, key: str, device_id: str, now: datetime) -> int:
    """Keep the failed try on record; log it; return the device's count in the window."""
    with db.read_session() as session:
        per_device, _per_address, _old, _old_address = _counts(
            session, key, device_id, now - _window(settings)
        )
    _log_failed(db, key, device_id, now, throttled=False, failures=per_device)
    return per_device


def _log_failed(
    db: Database, key: str, device_id: str, now: datetime, *, throttled: bool, failures: int
) -> None:
    """Write ``setup_code.failed``: at most one line per client address and minute."""
    with db.writing() as session:
        recent = session.scalar(
            select(SecurityEvent.id)
            .where(
                SecurityEvent.kind == "setup_code.failed",
                SecurityEvent.client == key,
                SecurityEvent.at > now - timedelta(minutes=1),
            )
            .limit(1)
        )
        if recent is None:
            record_event(
                session,
                "setup_code.failed",
                now,
                client=key,
                device_id=device_id,
                detail={"throttled": throttled, "device_failures_in_window": failures},
            )
