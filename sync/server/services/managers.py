"""Who manages which posts, and who may be given one (docs/duty.md "Who manages which posts").

A township reviewer manages the village posts of their township, a county admin the township
posts of their county, a city admin the county posts of their city and the city's own post (its
A and B are city admins).  "Manage" is: assign A or
B, replace or end an assignment, mark A off duty, end an absence, sign a handover off.  What
lies outside the caller's reach answers 404; inside it but not theirs to manage, 403.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, is_valid_code, is_within
from sync.server.errors import ASSIGNEE_NOT_ELIGIBLE, FORBIDDEN, NOT_FOUND, ApiError
from sync.server.jurisdiction import Caller
from sync.server.models import DivisionRow, Role, User

#: The levels of the posts each role manages (the city admin also its own city's post).
MANAGED_LEVEL: dict[Role, frozenset[DivisionLevel]] = {
    Role.TOWNSHIP_REVIEWER: frozenset({DivisionLevel.VILLAGE}),
    Role.COUNTY_ADMIN: frozenset({DivisionLevel.TOWNSHIP}),
    Role.CITY_ADMIN: frozenset({DivisionLevel.COUNTY, DivisionLevel.CITY}),
}
#: The account role that may hold a post of each level.
HOLDER_ROLE: dict[str, Role] = {
    DivisionLevel.VILLAGE.value: Role.VILLAGE_INFORMANT,
    DivisionLevel.TOWNSHIP.value: Role.TOWNSHIP_REVIEWER,
    DivisionLevel.COUNTY.value: Role.COUNTY_ADMIN,
    DivisionLevel.CITY.value: Role.CITY_ADMIN,
}
_ROLE_NAMES = {
    Role.VILLAGE_INFORMANT: ("村级信息员", "a village informant"),
    Role.TOWNSHIP_REVIEWER: ("乡镇审核人员", "a township reviewer"),
    Role.COUNTY_ADMIN: ("县级管理员", "a county admin"),
    Role.CITY_ADMIN: ("市级管理员", "a city admin"),
}


def manages(caller: Caller, post_code: str, level: str) -> bool:
    """Return whether the caller manages the post at ``post_code`` (of division ``level``)."""
    managed = MANAGED_LEVEL.get(caller.role, frozenset())
    return level in {m.value for m in managed} and is_within(post_code, caller.jurisdiction_code)


def visible_division(session: Session, caller: Caller, code: str) -> DivisionRow:
    """Return the division ``code`` if the caller may see it; 404 otherwise."""
    if not is_valid_code(code) or not caller.can_see(code):
        raise ApiError(NOT_FOUND)
    row = session.get(DivisionRow, code)
    if row is None:
        raise ApiError(NOT_FOUND)
    return row


def require_manager(caller: Caller, post_code: str, level: str) -> None:
    """Refuse (403) a caller who sees the post but does not manage it."""
    if not manages(caller, post_code, level):
        raise ApiError(
            FORBIDDEN,
            zh="只有上级管理人员可以调整该岗位（乡镇管村级岗位，县管乡镇岗位，"
            "市管县级岗位和市级岗位）",
            en="only the level above manages this post (the township its "
            "villages', the county its townships', the city its counties' and its own)",
        )


def _not_eligible(zh: str, en: str) -> ApiError:
    return ApiError(ASSIGNEE_NOT_ELIGIBLE, zh=zh, en=en)


def find_assignee(
    session: Session, caller: Caller | None, username: str, post_code: str, level: str
) -> User:
    """Return the account to give the post at ``post_code``; 422 when it may not hold it.

    It must be enabled, of the role the post's level needs, inside the manager's jurisdiction
    (``caller`` ``None``: the operator, anywhere), and its own jurisdiction must hold the post.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None or (
        caller is not None and not is_within(user.jurisdiction_code, caller.jurisdiction_code)
    ):
        raise _not_eligible(
            f"您的辖区内没有此账号：{username}",
            f"no such account within your jurisdiction: {username}",
        )
    if user.disabled_at is not None:
        raise _not_eligible(f"账号 {username} 已停用", f"the account {username} is disabled")
    needed = HOLDER_ROLE.get(level)
    if needed is None:
        raise _not_eligible("该级区划没有可安排的岗位", "posts of this level are not assigned")
    if user.role != needed.value:
        zh, en = _ROLE_NAMES[needed]
        raise _not_eligible(f"该岗位只能安排{zh}", f"this post can only be given to {en}")
    if not is_within(post_code, user.jurisdiction_code):
        raise _not_eligible(
            f"岗位不在账号 {username} 的辖区内",
            f"the post lies outside the jurisdiction of {username}",
        )
    return user
