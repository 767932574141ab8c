"""The Baoshan sample: accounts and A/B posts for a trial, with random passwords shown once.

A city admin, the county admin of 隆阳区, the reviewer of 瓦房彝族苗族乡 (the A of the
township's post), A and B informants for its villages 瓦房社区 (530502208201) and 水沟洼村
(530502208206), and for 党西村 (530502208207) an A and a second informant without a post (the
township assigns them as B in the demo), each with a plausible (made-up) mobile number.  The
codes are official (2023); the names shown are the villages' short names.  Re-running adds
only the accounts that are missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server.models import PostRole, Role, User
from sync.server.security import Passwords, random_password
from sync.server.services.accounts import add_user, assign


@dataclass(frozen=True)
class SampleAccount:
    """One sample account as printed (the password only when just created)."""

    username: str
    display_name: str
    role: str
    jurisdiction: str
    post: str | None = None
    post_role: str | None = None
    phone: str | None = None


BAOSHAN: tuple[SampleAccount, ...] = (
    SampleAccount(
        "baoshan_city", "保山市应急管理局", Role.CITY_ADMIN, "530500000000", phone="13808750001"
    ),
    SampleAccount(
        "longyang_admin", "隆阳区应急管理局", Role.COUNTY_ADMIN, "530502000000", phone="13808750002"
    ),
    SampleAccount(
        "wafang_reviewer",
        "瓦房乡应急办",
        Role.TOWNSHIP_REVIEWER,
        "530502208000",
        "530502208000",
        PostRole.A,
        "13808752080",
    ),
    SampleAccount(
        "wafang_a",
        "瓦房社区信息员A",
        Role.VILLAGE_INFORMANT,
        "530502208201",
        "530502208201",
        PostRole.A,
        "13808752011",
    ),
    SampleAccount(
        "wafang_b",
        "瓦房社区信息员B",
        Role.VILLAGE_INFORMANT,
        "530502208201",
        "530502208201",
        PostRole.B,
        "13808752012",
    ),
    SampleAccount(
        "shuigou_a",
        "水沟洼村信息员A",
        Role.VILLAGE_INFORMANT,
        "530502208206",
        "530502208206",
        PostRole.A,
        "13808752021",
    ),
    SampleAccount(
        "shuigou_b",
        "水沟洼村信息员B",
        Role.VILLAGE_INFORMANT,
        "530502208206",
        "530502208206",
        PostRole.B,
        "13808752022",
    ),
    SampleAccount(
        "dangxi_a",
        "党西村信息员A",
        Role.VILLAGE_INFORMANT,
        "530502208207",
        "530502208207",
        PostRole.A,
        "13808752031",
    ),
    SampleAccount(
        "dangxi_b", "党西村信息员B", Role.VILLAGE_INFORMANT, "530502208207", phone="13808752032"
    ),
)

SAMPLES = {"baoshan": BAOSHAN}


def create_sample(
    session: Session,
    passwords: Passwords,
    name: str = "baoshan",
    password_for: dict[str, str] | None = None,
) -> tuple[list[dict[str, object]], list[str]]:
    """Create the sample's missing accounts and posts.

    Args:
        session: a session in a write transaction.
        passwords: the hasher.
        name: the sample's name (``baoshan``).
        password_for: fixed passwords by username (tests); random otherwise.

    Returns:
        The accounts created (with their passwords) and the usernames that already existed.
    """
    created: list[dict[str, object]] = []
    existing: list[str] = []
    for account in SAMPLES[name]:
        if session.scalar(select(User.id).where(User.username == account.username)):
            existing.append(account.username)
            continue
        password = (password_for or {}).get(account.username) or random_password()
        add_user(
            session,
            passwords,
            account.username,
            Role(account.role),
            account.jurisdiction,
            password,
            account.display_name,
            account.phone,
        )
        if account.post is not None and account.post_role is not None:
            assign(session, account.username, account.post, PostRole(account.post_role))
        created.append(
            {
                **asdict(account),
                "role": str(account.role),
                "post_role": None if account.post_role is None else str(account.post_role),
                "password": password,
            }
        )
    return created, existing
