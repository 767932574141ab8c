"""Accounts and the A/B roster: create, disable, change passwords, hold and leave posts.

Disabling, password changes, device revocations and role changes write a line to the security
log (``services.security_log``) in the transaction of the change; the operator at the command
line is the actor ``cli``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, is_valid_code, is_within
from sync.server.db import utc_now
from sync.server.jurisdiction import PostHeld
from sync.server.models import (
    Assignment,
    Change,
    ChangeKind,
    Device,
    DivisionRow,
    Post,
    PostRole,
    Role,
    SecurityEvent,
    Token,
    User,
)
from sync.server.security import Passwords
from sync.server.services.admin_log import OPERATOR
from sync.server.services.password_rules import password_problem
from sync.server.services.security_log import record_event

#: The division level each role's jurisdiction must have.
ROLE_LEVELS: dict[Role, tuple[DivisionLevel, ...]] = {
    Role.VILLAGE_INFORMANT: (DivisionLevel.VILLAGE, DivisionLevel.TOWNSHIP),
    Role.TOWNSHIP_REVIEWER: (DivisionLevel.TOWNSHIP,),
    Role.COUNTY_ADMIN: (DivisionLevel.COUNTY,),
    Role.CITY_ADMIN: (DivisionLevel.CITY, DivisionLevel.PROVINCE),
}


#: A phone number as people write it: digits, an optional leading +, spaces or dashes.
_PHONE_RE = re.compile(r"\+?[0-9][0-9 -]{4,30}")


class AccountError(ValueError):
    """A request about accounts that cannot be done, in Chinese and English."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en


def _division(session: Session, code: str) -> DivisionRow:
    row = session.get(DivisionRow, code) if is_valid_code(code) else None
    if row is None:
        raise AccountError(
            "unknown_division", f"未知的区划代码：{code}", f"unknown division code: {code}"
        )
    return row


def find_user(session: Session, username: str) -> User:
    """Return the account ``username``; raise ``AccountError`` when there is none."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise AccountError("unknown_user", f"没有此用户：{username}", f"no such user: {username}")
    return user


def check_phone(phone: str | None) -> str | None:
    """Return the phone number stripped (``None`` when blank); raise ``AccountError`` if bad."""
    phone = (phone or "").strip()
    if not phone:
        return None
    if not _PHONE_RE.fullmatch(phone):
        raise AccountError(
            "bad_phone", f"电话号码格式不正确：{phone}", f"not a phone number: {phone}"
        )
    return phone


def _check_password(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise AccountError("weak_password", *problem)


def add_user(
    session: Session,
    passwords: Passwords,
    username: str,
    role: Role,
    jurisdiction: str,
    password: str,
    display_name: str = "",
    phone: str | None = None,
) -> User:
    """Create an account; raise ``AccountError`` on a taken name or a wrong jurisdiction."""
    phone = check_phone(phone)
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError(
            "bad_username", "用户名须为 1–64 个字符", "a username has 1 to 64 characters"
        )
    _check_password(password)
    division = _division(session, jurisdiction)
    if DivisionLevel(division.level) not in ROLE_LEVELS[role]:
        levels = "/".join(level.value for level in ROLE_LEVELS[role])
        raise AccountError(
            "wrong_jurisdiction_level",
            f"角色 {role.value} 的辖区必须是 {levels} 级区划",
            f"role {role.value} needs a {levels} division as jurisdiction",
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(
            "username_taken", f"用户名已存在：{username}", f"username already exists: {username}"
        )
    user = User(
        username=username,
        display_name=display_name or username,
        role=role.value,
        jurisdiction_code=division.code,
        password_hash=passwords.hash(password),
        phone=phone,
        created_at=utc_now(),
    )
    session.add(user)
    session.flush()
    return user


def disable_user(session: Session, username: str, actor: str = OPERATOR) -> User:
    """Disable an account and revoke every token of its devices (security log: ``actor``)."""
    user = find_user(session, username)
    now = utc_now()
    if user.disabled_at is None:
        user.disabled_at = now
    revoked = revoke_tokens(session, user_id=user.id, now=now)
    record_event(
        session,
        "account.disable",
        now,
        username=user.username,
        user_id=user.id,
        actor=actor,
        detail={"revoked": revoked},
    )
    return user


def set_password(
    session: Session, passwords: Passwords, username: str, password: str, actor: str = OPERATOR
) -> User:
    """Set a new password and sign out every device (security log)."""
    _check_password(password)
    user = find_user(session, username)
    now = utc_now()
    user.password_hash = passwords.hash(password)
    revoked = revoke_tokens(session, user_id=user.id, now=now)
    record_event(
        session,
        "account.password",
        now,
        username=user.username,
        user_id=user.id,
        actor=actor,
        detail={"revoked": revoked},
    )
    return user


def revoke_logged(
    session: Session,
    *,
    username: str | None = None,
    device_id: str | None = None,
    actor: str = OPERATOR,
    now: datetime | None = None,
) -> int:
    """Revoke the live tokens of an account's devices or of one device id; log each account.

    One ``device.revoke`` line per account that had a device concerned (a device id is
    per account, so the same id may name devices of several accounts).

    Raises:
        AccountError: ``unknown_user``.
    """
    now = now or utc_now()
    owners = select(Device.user_id)
    if username is not None:
        owners = owners.where(Device.user_id == find_user(session, username).id)
    if device_id is not None:
        owners = owners.where(Device.device_id == device_id)
    concerned = session.execute(
        select(User.id, User.username).where(User.id.in_(owners)).order_by(User.id)
    ).all()
    total = 0
    for user_id, name in concerned:
        revoked = revoke_tokens(session, user_id=user_id, device_id=device_id, now=now)
        total += revoked
        detail: dict[str, Any] = {"revoked": revoked}
        record_event(
            session,
            "device.revoke",
            now,
            username=name,
            user_id=user_id,
            actor=actor,
            device_id=device_id or "",
            detail=detail,
        )
    return total


@dataclass(frozen=True)
class RoleChange:
    """An account whose role or jurisdiction changed (the register import does that)."""

    user_id: int
    username: str
    old_role: str
    new_role: str
    old_jurisdiction: str
    new_jurisdiction: str


def record_role_changes(
    session: Session, changes: Sequence[RoleChange], actor: str, now: datetime
) -> None:
    """Write one ``account.role`` line per change, in one multi-row ``INSERT``."""
    if not changes:
        return
    session.execute(
        insert(SecurityEvent),
        [
            {
                "at": now,
                "kind": "account.role",
                "username": c.username[:64],
                "user_id": c.user_id,
                "actor": actor[:64],
                "client": "",
                "device_id": "",
                "detail": json.dumps(
                    {
                        "from_role": c.old_role,
                        "role": c.new_role,
                        "from_jurisdiction": c.old_jurisdiction,
                        "jurisdiction_code": c.new_jurisdiction,
                    },
                    sort_keys=True,
                ),
            }
            for c in changes
        ],
    )


def revoke_tokens(
    session: Session,
    *,
    user_id: int | None = None,
    device_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """Revoke the live tokens of a user's devices or of one device id; return how many."""
    devices = select(Device.id)
    if user_id is not None:
        devices = devices.where(Device.user_id == user_id)
    if device_id is not None:
        devices = devices.where(Device.device_id == device_id)
    result = session.execute(
        update(Token)
        .where(Token.device_pk.in_(devices), Token.revoked_at.is_(None))
        .values(revoked_at=now or utc_now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- roster ---------------------------------------------------------------------------------


def ensure_post(session: Session, division_code: str, now: datetime | None = None) -> Post:
    """Return the post at ``division_code``, creating it when there is none.

    A retired division code takes no new assignments (``AccountError`` ``division_retired``).
    """
    division = _division(session, division_code)
    if division.retired_vintage is not None:
        raise AccountError(
            "division_retired",
            f"区划代码 {division_code} 已在区划调整中撤销，不能再安排岗位",
            f"the division code {division_code} was retired; its post takes no new assignments",
        )
    post = session.scalar(select(Post).where(Post.division_code == division.code))
    if post is None:
        post = Post(division_code=division.code, level=division.level, created_at=now or utc_now())
        session.add(post)
        session.flush()
    return post


def assign(
    session: Session,
    username: str,
    division_code: str,
    post_role: PostRole,
    valid_from: datetime | None = None,
) -> Assignment:
    """Give ``username`` the post at ``division_code`` as A or B (from now, open-ended).

    The database refuses a second active A (or B) on one post with an ``IntegrityError``.
    """
    user = find_user(session, username)
    if not is_within(division_code, user.jurisdiction_code):
        raise AccountError(
            "post_outside_jurisdiction",
            "岗位不在该用户的辖区内",
            "the post lies outside the user's jurisdiction",
        )
    post = ensure_post(session, division_code)
    assignment = Assignment(
        post_id=post.id,
        user_id=user.id,
        post_role=post_role.value,
        valid_from=valid_from or utc_now(),
        valid_to=None,
    )
    session.add(assignment)
    session.flush()
    log_roster_change(session, assignment, post)
    return assignment


def end_assignment(session: Session, assignment: Assignment, when: datetime | None = None) -> None:
    """End an active assignment (it stays in the history)."""
    assignment.valid_to = when or utc_now()
    session.flush()
    post = session.get(Post, assignment.post_id)
    assert post is not None
    log_roster_change(session, assignment, post)


def log_roster_change(
    session: Session, assignment: Assignment, post: Post, now: datetime | None = None
) -> None:
    """Announce a roster change to the devices that can see the post."""
    session.add(
        Change(
            kind=ChangeKind.ROSTER.value,
            division_code=post.division_code,
            ref=str(assignment.id),
            created_at=now or utc_now(),
        )
    )


def active_posts(session: Session, user_id: int) -> tuple[PostHeld, ...]:
    """Return the posts ``user_id`` holds now."""
    rows = session.execute(
        select(Post.division_code, Post.level, Assignment.post_role)
        .join(Assignment, Assignment.post_id == Post.id)
        .where(Assignment.user_id == user_id, Assignment.valid_to.is_(None))
        .order_by(Post.division_code)
    ).all()
    return tuple(PostHeld(code, level, role) for code, level, role in rows)


@dataclass(frozen=True)
class RosterEntry:
    """One active assignment, for the roster listing."""

    post_code: str
    post_level: str
    post_role: str
    username: str
    display_name: str
    valid_from: datetime
    assignment_id: int
