"""A township opens a disaster event for its villages (deadlines start) and closes it.

Only the township's reviewer opens or closes, for villages of their township; an empty
``village_codes`` means every village of the township that has a post.  Opening is idempotent
by ``(township_code, event_uuid)``: opening again adds the villages not yet opened (each keeps
its own ``opened_at``; the event keeps its first), and reopens a closed event.  The deadline
settings in force at the first opening are kept with it.  Every change logs one
``event_opening`` row per village it concerns and one for the township.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract import DISASTER_TYPE_BY_KEY, DivisionLevel, is_within
from sync.contract.duty import DeadlineSettings
from sync.server.db import Database
from sync.server.dialect import insert_ignore
from sync.server.errors import (
    FORBIDDEN,
    NOT_A_VILLAGE_OF_TOWNSHIP,
    NOT_FOUND,
    VALIDATION_FAILED,
    ApiError,
)
from sync.server.jurisdiction import Caller, within_sql
from sync.server.models import (
    ChangeKind,
    DivisionRow,
    EventOpening,
    EventOpeningVillage,
    Post,
    Role,
)
from sync.server.services.admin_log import record_action
from sync.server.services.change_log import log_changes
from sync.server.services.duty_payloads import opening_dicts
from sync.server.services.events import register_opening, set_closed
from sync.server.services.managers import visible_division


@dataclass(frozen=True)
class OpeningRequest:
    """A township reviewer's request to open an event for villages."""

    event_uuid: str
    event_name: str
    disaster_type: str
    occurred_at: datetime | None
    township_code: str
    village_codes: tuple[str, ...]


@dataclass(frozen=True)
class OpeningOutcome:
    """``accepted`` (something changed) or ``duplicate``, and the opening."""

    status: str
    opening: dict[str, Any]


def _township(session: Session, caller: Caller, code: str) -> DivisionRow:
    township = visible_division(session, caller, code)
    if township.level != DivisionLevel.TOWNSHIP.value:
        raise ApiError(NOT_FOUND)
    if caller.role is not Role.TOWNSHIP_REVIEWER or not is_within(
        township.code, caller.jurisdiction_code
    ):
        raise ApiError(
            FORBIDDEN,
            zh="只有本乡镇的审核人员可以启动或结束灾害过程的报送",
            en="only the township's reviewer may open or close an event",
        )
    return township


def _villages(session: Session, township: DivisionRow, asked: tuple[str, ...]) -> list[str]:
    if asked:
        known = set(
            session.scalars(
                select(DivisionRow.code).where(
                    DivisionRow.code.in_(set(asked)),
                    DivisionRow.parent_code == township.code,
                    DivisionRow.level == DivisionLevel.VILLAGE.value,
                )
            )
        )
        wrong = sorted(set(asked) - known)
        if wrong:
            raise ApiError(
                NOT_A_VILLAGE_OF_TOWNSHIP,
                zh=f"以下代码不是{township.name}的村（社区）：{'、'.join(wrong)}",
                en=f"not villages of {township.code}: {', '.join(wrong)}",
                village_codes=wrong,
            )
        return sorted(known)
    codes = list(
        session.scalars(
            select(Post.division_code)
            .where(
                within_sql(Post.division_code, township.code),
                Post.level == DivisionLevel.VILLAGE.value,
            )
            .order_by(Post.division_code)
        )
    )
    if not codes:
        raise ApiError(
            NOT_A_VILLAGE_OF_TOWNSHIP,
            zh="该乡镇还没有设置村级岗位，请列出村（社区）",
            en="the township has no village posts yet; list the villages",
            village_codes=[],
        )
    return codes


def _check(req: OpeningRequest) -> None:
    if not req.event_name.strip():
        raise ApiError(VALIDATION_FAILED, zh="请填写灾害过程名称", en="the event needs a name")
    if req.disaster_type not in DISASTER_TYPE_BY_KEY:
        raise ApiError(
            VALIDATION_FAILED,
            zh=f"未知的灾种：{req.disaster_type}",
            en=f"unknown disaster type: {req.disaster_type}",
        )


def open_event(
    db: Database, caller: Caller, req: OpeningRequest, deadlines: DeadlineSettings, now: datetime
) -> OpeningOutcome:
    """Open (or extend, or reopen) an event for villages of the caller's township.

    Raises:
        ApiError: 404 outside the reach or not a township; 403 not its reviewer; 422 a
            village that is not the township's, or a bad name or disaster type.
    """
    _check(req)
    with db.writing() as session:
        township = _township(session, caller, req.township_code)
        villages = _villages(session, township, req.village_codes)
        created = (
            session.execute(
                insert_ignore(session, EventOpening, ["township_code", "event_uuid"]).returning(
                    EventOpening.id
                ),
                [
                    {
                        "township_code": township.code,
                        "event_uuid": req.event_uuid,
                        "event_name": req.event_name.strip()[:200],
                        "disaster_type": req.disaster_type,
                        "occurred_at": req.occurred_at,
                        "opened_at": now,
                        "closed_at": None,
                        "opened_by": caller.user_id,
                        "deadlines_json": json.dumps(deadlines.to_wire()),
                    }
                ],
            ).first()
            is not None
        )
        opening = session.scalars(
            select(EventOpening)
            .where(
                EventOpening.township_code == township.code,
                EventOpening.event_uuid == req.event_uuid,
            )
            .with_for_update()
        ).one()
        reopened = opening.closed_at is not None
        opening.closed_at = None
        registered = register_opening(
            session,
            event_uuid=req.event_uuid,
            name=req.event_name,
            disaster_type=req.disaster_type,
            occurred_at=req.occurred_at,
            code=township.code,
            level=DivisionLevel.TOWNSHIP.value,
            user_id=caller.user_id,
            now=now,
        )
        if reopened:
            set_closed(session, req.event_uuid, None)
        if registered or reopened:
            record_action(
                session,
                caller,
                "event.open" if registered else "event.reopen",
                req.event_uuid,
                now,
                {"area": township.code, "type": req.disaster_type},
            )
        had = set(
            session.scalars(
                select(EventOpeningVillage.village_code).where(
                    EventOpeningVillage.opening_id == opening.id
                )
            )
        )
        new = [code for code in villages if code not in had]
        if new:
            session.execute(
                insert_ignore(session, EventOpeningVillage, ["opening_id", "village_code"]),
                [
                    {"opening_id": opening.id, "village_code": code, "opened_at": now}
                    for code in new
                ],
            )
        session.flush()
        announce = sorted(had | set(new)) if created or reopened else new
        if announce:
            log_changes(
                session, ChangeKind.EVENT_OPENING, [*announce, township.code], str(opening.id), now
            )
        status = "accepted" if announce else "duplicate"
        return OpeningOutcome(status, opening_dicts(session, [opening.id])[opening.id])


def close_event(
    db: Database, caller: Caller, event_uuid: str, township_code: str, now: datetime
) -> OpeningOutcome:
    """Close an event: no more continuing reports are due (closing again changes nothing).

    Raises:
        ApiError: 404 outside the reach or never opened; 403 not the township's reviewer.
    """
    with db.writing() as session:
        township = _township(session, caller, township_code)
        opening = session.scalars(
            select(EventOpening)
            .where(
                EventOpening.township_code == township.code, EventOpening.event_uuid == event_uuid
            )
            .with_for_update()
        ).first()
        if opening is None:
            raise ApiError(NOT_FOUND)
        if opening.closed_at is not None:
            return OpeningOutcome("duplicate", opening_dicts(session, [opening.id])[opening.id])
        opening.closed_at = now
        session.flush()
        still_open = session.scalar(
            select(EventOpening.id).where(
                EventOpening.event_uuid == event_uuid, EventOpening.closed_at.is_(None)
            )
        )
        if still_open is None:
            set_closed(session, event_uuid, now)
        record_action(session, caller, "event.close", event_uuid, now, {"area": township.code})
        villages = session.scalars(
            select(EventOpeningVillage.village_code).where(
                EventOpeningVillage.opening_id == opening.id
            )
        )
        log_changes(
            session, ChangeKind.EVENT_OPENING, [*villages, township.code], str(opening.id), now
        )
        return OpeningOutcome("accepted", opening_dicts(session, [opening.id])[opening.id])
