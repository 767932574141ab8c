"""Builders of A/B duty feed changes (as docs/duty.md and the server send them) for core tests.

瓦房社区's post: A is zhang (张三), B is li (李四).  ``T0`` is 10:00 China time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from informant_app.core.account.sign_in import save_account_and_profile
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import Account, AccountPost, TokenStorage
from tests.support.places import SHUIGOU, WAFANG

VILLAGE = WAFANG  # 瓦房社区
OTHER_VILLAGE = SHUIGOU  # 水沟洼村
TOWNSHIP = "530502208000"  # 瓦房彝族苗族乡
T0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)  # 10:00 China time
SINCE = datetime(2020, 1, 1, tzinfo=UTC)
EVENT = "ev-duty-1"
DEADLINES = {"initial_minutes": 60, "continuing_due": "08:00", "escalate_fraction": 0.5}


def at(minutes: float, base: datetime = T0) -> datetime:
    """Return ``minutes`` after ``base``."""
    return base + timedelta(minutes=minutes)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def sign_in(
    store: ReportStore,
    username: str = "li",
    *,
    role: str = "village_informant",
    posts: tuple[tuple[str, str], ...] = ((VILLAGE, "B"),),
    name: str | None = None,
) -> Account:
    """Record an account as if signed in (no server)."""
    names = {"zhang": "张三", "li": "李四", "wang": "王五", "reviewer": "瓦房乡应急办"}
    jurisdiction = TOWNSHIP if role != "village_informant" else (posts[0][0] if posts else VILLAGE)
    account = Account(
        "http://127.0.0.1:9",
        username,
        name or names.get(username, username),
        role,
        jurisdiction,
        tuple(
            AccountPost(code, "", "village" if code[9:] != "000" else "township", post_role)
            for code, post_role in posts
        ),
        f"dev-{username}",
        TokenStorage.FILE,
    )
    with store.write_session() as s, s.begin():
        save_account_and_profile(s, account)
    return account


def roster(
    assignment: int,
    username: str,
    post_role: str,
    name: str,
    *,
    post: str = VILLAGE,
    since: datetime = SINCE,
    until: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ``roster`` change."""
    return {
        "kind": "roster",
        "changed_at": iso(since),
        "assignment_id": assignment,
        "post_code": post,
        "post_level": "village" if post[9:] != "000" else "township",
        "post_role": post_role,
        "username": username,
        "display_name": name,
        "valid_from": iso(since),
        "valid_to": iso(until),
        **extra,
    }


def a_and_b(post: str = VILLAGE) -> list[dict[str, Any]]:
    """The post's A (zhang) and B (li)."""
    return [
        roster(1, "zhang", "A", "张三", post=post, reason="村支书"),
        roster(2, "li", "B", "李四", post=post, reason="村委委员"),
    ]


def absence(
    absence_uuid: str = "ab-1",
    *,
    starts: datetime = T0,
    ends: datetime | None = None,
    ended: datetime | None = None,
    kind: str = "leave",
    reason: str = "探亲",
    post: str = VILLAGE,
    username: str = "zhang",
    name: str = "张三",
) -> dict[str, Any]:
    """An ``absence`` change (the absence's own kind is ``absence_kind`` in the feed)."""
    return {
        "kind": "absence",
        "changed_at": iso(starts),
        "absence_uuid": absence_uuid,
        "post_code": post,
        "username": username,
        "display_name": name,
        "starts_at": iso(starts),
        "ends_at": iso(ends or starts + timedelta(days=3)),
        "ended_at": iso(ended),
        "absence_kind": kind,
        "reason": reason,
        "created_by": username,
        "created_by_name": name,
        "created_at": iso(starts),
    }


def handover(
    handover_uuid: str = "ho-1",
    *,
    kind: str = "absence",
    signed: bool = False,
    created: datetime = T0,
    post: str = VILLAGE,
) -> dict[str, Any]:
    """A ``handover`` change (its own kind is ``handover_kind`` in the feed)."""
    return {
        "kind": "handover",
        "changed_at": iso(created),
        "handover_uuid": handover_uuid,
        "post_code": post,
        "handover_kind": kind,
        "from_username": "zhang",
        "from_name": "张三",
        "to_username": "li",
        "to_name": "李四",
        "reason": "探亲",
        "open_items": {
            "unsent_reports": None,
            "returned_reports": [
                {
                    "report_uuid": "r-9",
                    "version_uuid": "v-9",
                    "event_name": "山洪",
                    "stage": "initial",
                }
            ],
            "open_events": [{"event_uuid": EVENT, "event_name": "山洪"}],
        },
        "created_at": iso(created),
        "created_by": "zhang",
        "signed_off_by": "reviewer" if signed else None,
        "signed_off_name": "瓦房乡应急办" if signed else None,
        "signed_off_at": iso(created + timedelta(hours=1)) if signed else None,
        "sign_off_note": "已核实" if signed else "",
    }


def opening(
    event: str = EVENT,
    *,
    opened: datetime = T0,
    closed: datetime | None = None,
    villages: tuple[str, ...] = (VILLAGE,),
    name: str = "7月1日瓦房乡山洪",
    per_village: dict[str, datetime] | None = None,
    occurred: datetime | None = None,
) -> dict[str, Any]:
    """An ``event_opening`` change (``occurred`` ``None``: the occurrence is unknown, the
    villages' deadlines count from the opening)."""
    change: dict[str, Any] = {
        "kind": "event_opening",
        "changed_at": iso(closed or opened),
        "event_uuid": event,
        "township_code": TOWNSHIP,
        "event_name": name,
        "disaster_type": "flood",
        "occurred_at": iso(occurred),
        "opened_at": iso(opened),
        "closed_at": iso(closed),
        "village_codes": list(villages),
        "deadlines": DEADLINES,
        "opened_by_name": "瓦房乡应急办",
    }
    if per_village is not None:
        change["villages"] = [
            {"village_code": c, "opened_at": iso(t)} for c, t in per_village.items()
        ]
    return change
