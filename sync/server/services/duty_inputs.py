"""The roster and absences of posts as ``sync.contract.duty`` values, loaded in a few queries.

``load_duty`` reads every assignment and absence of many posts at once (three queries per
500 posts), so a batch of a thousand reports or a township's duty page never queries per item.
The rules themselves (who is on duty, in which role a filing was made) are the contract's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.contract.duty import Absence, AbsenceKind, Duty, Holding, on_duty_at
from sync.server.models import AbsenceRow, Assignment, Post, User

CHUNK = 500


@dataclass(frozen=True)
class Person:
    """An account as the duty rules and their answers need it."""

    user_id: int
    username: str
    display_name: str
    phone: str | None
    disabled: bool


@dataclass
class PostDuty:
    """One post's assignments (as ``Holding``) and its A's absences (as ``Absence``)."""

    post_id: int
    post_code: str
    level: str
    holdings: list[Holding] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)

    def on_duty(self, people: dict[str, Person], at: datetime) -> Duty:
        """Return who is on duty at ``at``; a disabled account is never on duty."""
        holdings = [
            h for h in self.holdings if h.username in people and not people[h.username].disabled
        ]
        return on_duty_at(holdings, self.absences, at)


@dataclass
class DutyData:
    """Posts by code, and the people they name by username."""

    posts: dict[str, PostDuty] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def load_duty(
    session: Session, post_codes: Collection[str], *, now: datetime | None = None
) -> DutyData:
    """Return the duty data of the posts at ``post_codes`` (codes without a post are absent).

    With ``now``, only what can matter from then on is read: assignments still active and
    absences not planned to end by then (enough to ask who is on duty now).
    """
    data = DutyData()
    codes = sorted(set(post_codes))
    for chunk in _chunks(codes):
        for post in session.scalars(select(Post).where(Post.division_code.in_(chunk))):
            data.posts[post.division_code] = PostDuty(post.id, post.division_code, post.level)
    by_id = {d.post_id: d for d in data.posts.values()}
    ids = sorted(by_id)
    for i in range(0, len(ids), CHUNK):
        query = (
            select(Assignment, User)
            .join(User, User.id == Assignment.user_id)
            .where(Assignment.post_id.in_(ids[i : i + CHUNK]))
            .order_by(Assignment.valid_from, Assignment.id)
        )
        if now is not None:
            query = query.where(Assignment.valid_to.is_(None))
        for assignment, user in session.execute(query).all():
            _remember(data, user)
            by_id[assignment.post_id].holdings.append(
                Holding(
                    user.username, assignment.post_role, assignment.valid_from, assignment.valid_to
                )
            )
        absences = (
            select(AbsenceRow, User)
            .join(User, User.id == AbsenceRow.user_id)
            .where(AbsenceRow.post_id.in_(ids[i : i + CHUNK]))
            .order_by(AbsenceRow.starts_at, AbsenceRow.id)
        )
        if now is not None:
            absences = absences.where(AbsenceRow.ends_at > now)
        for row, user in session.execute(absences).all():
            _remember(data, user)
            by_id[row.post_id].absences.append(as_absence(row, user.username))
    return data


def _remember(data: DutyData, user: User) -> None:
    data.people.setdefault(
        user.username,
        Person(user.id, user.username, user.display_name, user.phone, user.disabled_at is not None),
    )


def as_absence(row: AbsenceRow, username: str) -> Absence:
    """Return a stored absence as the contract's ``Absence``."""
    return Absence(
        row.absence_uuid,
        username,
        row.starts_at,
        row.ends_at,
        AbsenceKind(row.kind),
        row.reason,
        row.ended_at,
    )


def duty_dict(duty: Duty, people: dict[str, Person]) -> dict[str, Any]:
    """Return who is on duty as JSON data (all nulls when nobody is)."""
    person = people.get(duty.username) if duty.username else None
    acting = people.get(duty.acting_for) if duty.acting_for else None
    return {
        "username": duty.username,
        "display_name": person.display_name if person else None,
        "phone": person.phone if person else None,
        "post_role": duty.post_role,
        "acting_for": duty.acting_for if duty.username else None,
        "acting_for_name": acting.display_name if acting and duty.username else None,
        "absence_uuid": duty.absence.absence_uuid if duty.absence else None,
    }


def filing_moment(
    received: datetime,
    submitted_at: datetime | None,
    skew_seconds: float | None,
    server_clock: bool = False,
) -> datetime:
    """Return when a version was filed: ``submitted_at`` corrected by the device's clock skew.

    Never later than the server's receipt; the receipt when either value is unknown, or when
    a device clock thousands of years off puts the corrected time outside the calendar.
    ``server_clock``: the server already corrected ``submitted_at`` at ingest (the version has
    a ``device_submitted_at``), so the skew is not taken off again.
    """
    if submitted_at is not None and server_clock:
        return min(received, submitted_at)
    if submitted_at is None or skew_seconds is None:
        return received
    try:
        return min(received, submitted_at - timedelta(seconds=skew_seconds))
    except OverflowError:
        return received
