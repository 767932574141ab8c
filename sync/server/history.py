"""Loading a past year's village reports (e.g. ``resources/sample/baoshan_history_2021.json``).

A history file (``tools/make_history_2021.py``) lists report versions, each with the
township's decision on it.  ``load_history`` files them through the real paths, not around
them:

- each version is pushed by the **A of its village** (the B when the post has no A), as
  ``POST /api/v1/reports/batch`` would: ``services.ingest.ingest_batch``, one batch per
  informant, so every rule of the ingest applies (validation, jurisdiction, filing role);
- each decision is made by the **A of the village's township** as ``POST
  /api/v1/decisions/batch`` would: ``services.decisions.decide_batch``, one batch per reviewer.

Versions go in rounds by ``version_no``: first versions, their decisions (approvals and
returns), then the versions filed after a return or a correction, and their decisions.  Each
person files from a device ``history-<year>`` that is registered once for them.  Everyone
must hold their post already (import the register first).  Loading the same file again
changes nothing: every version and decision answers ``duplicate``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sync.contract import DivisionTable
from sync.server.db import Database, utc_now
from sync.server.dialect import insert_ignore
from sync.server.jurisdiction import Caller, PostHeld
from sync.server.models import Assignment, Device, Post, Role, User
from sync.server.services.decisions import decide_batch
from sync.server.services.divisions import division_table
from sync.server.services.ingest import ingest_batch

FORMAT = "city-server-history/1"
#: The batch size of one push or decision request (the server's default limit is 1000).
BATCH = 500


class HistoryError(Exception):
    """A history file that cannot be loaded, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass
class HistoryLoad:
    """What a load did: counts per outcome, and every item that was not taken."""

    versions: int = 0
    decisions: int = 0
    accepted: int = 0
    duplicate: int = 0
    decided: int = 0
    decisions_duplicate: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form."""
        return {
            "versions": self.versions,
            "decisions": self.decisions,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "decided": self.decided,
            "decisions_duplicate": self.decisions_duplicate,
            "problems": list(self.problems),
        }


def read_history(path: Path) -> dict[str, Any]:
    """Read a history file; raise ``HistoryError`` when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HistoryError(
            f"无法读取历史文件：{exc}", f"cannot read the history file: {exc}"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HistoryError(
            f"不是历史文件（需要 format = {FORMAT}）",
            f"not a history file (format {FORMAT} expected)",
        )
    versions = data.get("versions")
    if not isinstance(versions, list) or not all(
        isinstance(v, dict) and isinstance(v.get("content"), dict) for v in versions
    ):
        raise HistoryError("历史文件缺少报告版本", "the history file has no report versions")
    return data


@dataclass(frozen=True)
class _Person:
    user_id: int
    username: str
    display_name: str
    role: Role
    jurisdiction_code: str


def _holders(session: Any, codes: Iterable[str], role: Role) -> dict[str, _Person]:
    """Return who files for each post: its active A, else its B (enabled accounts of ``role``)."""
    wanted = sorted(set(codes))
    found: dict[str, tuple[str, _Person]] = {}
    for start in range(0, len(wanted), BATCH):
        rows = session.execute(
            select(
                Post.division_code,
                Assignment.post_role,
                User.id,
                User.username,
                User.display_name,
                User.jurisdiction_code,
            )
            .join(Assignment, Assignment.post_id == Post.id)
            .join(User, User.id == Assignment.user_id)
            .where(
                Post.division_code.in_(wanted[start : start + BATCH]),
                Assignment.valid_to.is_(None),
                User.disabled_at.is_(None),
                User.role == role.value,
            )
        ).all()
        for code, post_role, user_id, username, name, jurisdiction in rows:
            person = _Person(user_id, username, name, role, jurisdiction)
            if code not in found or post_role < found[code][0]:  # "A" before "B"
                found[code] = (post_role, person)
    return {code: person for code, (_, person) in found.items()}


def _callers(
    db: Database, people: Iterable[_Person], device_id: str, now: datetime
) -> dict[str, Caller]:
    """Register the history device of each person (once) and return their callers."""
    unique = {p.user_id: p for p in people}
    ids = sorted(unique)
    with db.writing() as session:
        rows = [
            {
                "user_id": user_id,
                "device_id": device_id,
                "device_name": "历史灾情导入 / history load",
                "created_at": now,
            }
            for user_id in ids
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(
                insert_ignore(session, Device, ["user_id", "device_id"]),
                rows[start : start + BATCH],
            )
    devices: dict[int, int] = {}
    posts: dict[int, list[PostHeld]] = defaultdict(list)
    with db.read_session() as session:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            devices.update(
                session.execute(
                    select(Device.user_id, Device.id).where(
                        Device.user_id.in_(chunk), Device.device_id == device_id
                    )
                ).all()
            )
            for user_id, code, level, post_role in session.execute(
                select(Assignment.user_id, Post.division_code, Post.level, Assignment.post_role)
                .join(Post, Post.id == Assignment.post_id)
                .where(Assignment.user_id.in_(chunk), Assignment.valid_to.is_(None))
                .order_by(Post.division_code)
            ):
                posts[user_id].append(PostHeld(code, level, post_role))
    return {
        p.username: Caller(
            user_id=p.user_id,
            username=p.username,
            display_name=p.display_name,
            role=p.role,
            jurisdiction_code=p.jurisdiction_code,
            device_pk=devices[p.user_id],
            device_id=device_id,
            token_id=0,  # no token: the load runs on the server, on the person's behalf
            posts=tuple(posts[p.user_id]),
        )
        for p in unique.values()
    }


def load_history(db: Database, data: Mapping[str, Any], now: datetime | None = None) -> HistoryLoad:
    """File every version of ``data`` and its decision through the real ingest and review.

    Args:
        db: the server's database (divisions and the register already loaded).
        data: a history file as read by ``read_history``.
        now: the time of receipt (default: the clock).

    Returns:
        The counts; ``problems`` names every version or decision that was not taken.

    Raises:
        HistoryError: a village without an informant or a township without a reviewer.
    """
    received = now or utc_now()
    versions: list[dict[str, Any]] = list(data["versions"])
    result = HistoryLoad(versions=len(versions))
    village_of = {v["version_uuid"]: str(v["content"]["village_code"]) for v in versions}
    with db.read_session() as session:
        divisions: DivisionTable = division_table(session)
        informants = _holders(session, set(village_of.values()), Role.VILLAGE_INFORMANT)
        townships = {code: code[:9] + "000" for code in village_of.values()}
        reviewers = _holders(session, set(townships.values()), Role.TOWNSHIP_REVIEWER)
    missing = sorted(set(village_of.values()) - set(informants))
    missing += sorted(set(townships.values()) - set(reviewers))
    if missing:
        raise HistoryError(
            f"这些岗位没有在岗人员（请先导入花名册）：{', '.join(missing[:10])}",
            f"these posts have nobody on them (import the register first): "
            f"{', '.join(missing[:10])}",
        )
    device_id = f"history-{data.get('year', 'past')}"
    callers = _callers(db, [*informants.values(), *reviewers.values()], device_id, received)
    rounds = sorted({int(v.get("version_no", 1)) for v in versions})
    for number in rounds:
        batch = [v for v in versions if int(v.get("version_no", 1)) == number]
        _push(db, result, batch, callers, informants, divisions, received)
        _decide(db, result, batch, callers, reviewers, townships)
    return result


def _push(
    db: Database,
    result: HistoryLoad,
    batch: list[dict[str, Any]],
    callers: Mapping[str, Caller],
    informants: Mapping[str, _Person],
    divisions: DivisionTable,
    received: datetime,
) -> None:
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in batch:
        person = informants[v["content"]["village_code"]]
        by_person[person.username].append(
            {k: v[k] for k in ("version_uuid", "parent_version_uuid", "version_no", "content")}
        )
    for username, items in sorted(by_person.items()):
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            outcome = ingest_batch(db, callers[username], chunk, None, divisions, received)
            for item, r in zip(chunk, outcome.results, strict=True):
                if r.status == "accepted":
                    result.accepted += 1
                elif r.status == "duplicate":
                    result.duplicate += 1
                else:
                    result.problems.append(
                        f"{item['version_uuid']} ({item['content']['village_code']}): "
                        f"{r.code} {r.message_en} {r.issues}"
                    )


def _decide(
    db: Database,
    result: HistoryLoad,
    batch: list[dict[str, Any]],
    callers: Mapping[str, Caller],
    reviewers: Mapping[str, _Person],
    townships: Mapping[str, str],
) -> None:
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in batch:
        review = v.get("review")
        if not review:
            continue
        result.decisions += 1
        person = reviewers[townships[v["content"]["village_code"]]]
        by_person[person.username].append({**review, "version_uuid": v["version_uuid"]})
    for username, items in sorted(by_person.items()):
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            outcome = decide_batch(db, callers[username], chunk, None)
            for item, r in zip(chunk, outcome.results, strict=True):
                if r.status == "accepted":
                    result.decided += 1
                elif r.status == "duplicate" and r.applied:
                    result.decisions_duplicate += 1
                else:
                    result.problems.append(
                        f"decision {item['decision_uuid']} on {item['version_uuid']}: "
                        f"{r.status} {r.code} {r.message_en}"
                    )
