"""Importing the informant register (花名册): judge every row, then apply all or nothing.

Each row is one person holding one post (a division) as A or B.  The row's level gives the
account's role (village → ``village_informant``, township → ``township_reviewer``, county →
``county_admin``, city → ``city_admin``) and the post's code its jurisdiction.

**Judging.**  Every row is judged against the database and the rest of the sheet; a refused
row names its reasons (zh and en): missing name, missing or bad phone, unknown code, retired
code, a level that does not match the code's, a post outside the caller's reach, a duplicate
phone or register id in the sheet, a phone of another person in the database, two A's (or two
B's) for one post, A and B the same person, the same person on two rows, a disabled account,
an unreadable date, a value too long.  A person is matched by register id, else by phone, and
is never duplicated.

**Applying** (not a dry run, and no row refused): in one transaction, with set-based
statements whatever the number of rows: the missing posts, the new accounts (one multi-row
``INSERT``; no password anyone knows, they sign in with a set-up code), the changed accounts
(one ``UPDATE`` by primary key for all), the assignments that end (one ``UPDATE``; their open
absences end too), the new assignments (one ``INSERT``), their handovers (one ``INSERT``, with
the open items ``services.handovers.open_items`` records, read for all posts at once) and the
change-log rows devices pull.  An assignment ends when its role is given to someone else (a
handover to the newcomer, as ``roster_writes.place_holder`` does), or when its holder is
listed at another post or role (a handover to whoever remains, as ``remove_holder`` does).
People the sheet does not name keep their posts.

**Idempotent.**  Re-importing the same sheet finds every row ``unchanged`` and writes nothing
but the admin-log line (every call is recorded there: ``register.import``, with the counts).

Who: a city admin imports every level of its city, a county admin the county, township and
village posts of its county, a township reviewer the village posts of its township; the
operator at the command line (``caller`` ``None``) everything.  Rows outside the caller's
reach are refused rows.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import case, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync.contract import DivisionLevel, is_valid_code, is_within
from sync.contract.register import (
    normal_date,
    normal_gender,
    normal_level,
    normal_phone,
    normal_post_role,
)
from sync.contract.wire.register import RegisterEntry, RegisterImportResult, RegisterRowResult
from sync.server.db import Database
from sync.server.errors import FORBIDDEN, ApiError, ErrorKind
from sync.server.jurisdiction import Caller
from sync.server.models import (
    AbsenceRow,
    Assignment,
    Change,
    ChangeKind,
    DivisionRow,
    EventOpening,
    EventOpeningVillage,
    Handover,
    HandoverKind,
    Post,
    Report,
    ReportVersion,
    ReviewStatus,
    Role,
    User,
)
from sync.server.services.accounts import RoleChange, record_role_changes
from sync.server.services.admin_log import OPERATOR, record_action

#: The account role of each post level.
LEVEL_ROLE: dict[str, Role] = {
    DivisionLevel.VILLAGE.value: Role.VILLAGE_INFORMANT,
    DivisionLevel.TOWNSHIP.value: Role.TOWNSHIP_REVIEWER,
    DivisionLevel.COUNTY.value: Role.COUNTY_ADMIN,
    DivisionLevel.CITY.value: Role.CITY_ADMIN,
}
#: The post levels each role may import (inside its jurisdiction).
IMPORTED_LEVELS: dict[Role, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(LEVEL_ROLE),
    # A county's own A/B are the city's to manage (managers.MANAGED_LEVEL), as in the app.
    Role.COUNTY_ADMIN: frozenset({"township", "village"}),
    Role.TOWNSHIP_REVIEWER: frozenset({"village"}),
}
#: The stored "hash" of an imported account: no Argon2 hash, so no password ever matches it;
#: the person signs in with a set-up code.
UNUSABLE_PASSWORD = "!register-import"
#: Why imported assignments begin and end (``assignments.reason``/``ended_reason``).
REASON = "花名册导入 / register import"
#: At most this many values in one ``IN (…)`` list.
CHUNK = 500

#: 409: another import (or roster change) won a race; nothing was applied.
REGISTER_CONFLICT = ErrorKind(
    409,
    "register_conflict",
    "花名册导入时数据被同时修改，未写入任何内容，请重新导入",
    "the data changed while the register was imported; nothing was applied, import again",
)

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_OTHER_PHONE = re.compile(r"[0-9]{5,20}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LEVEL_WORDS = {"city": "市级", "county": "县级", "township": "乡镇级", "village": "村级"}
#: The stored columns of a person and how long each may be (models.User).
_LIMITS = {
    "name": (100, "姓名", "name"),
    "register_id": (64, "登记号", "register id"),
    "gender": (8, "性别", "gender"),
    "unit": (200, "工作单位", "unit"),
    "title": (100, "职务", "title"),
    "training": (200, "培训情况", "training"),
}
#: The account fields the register sets, with their names in the report.
_FIELDS = {
    "display_name": ("姓名", "name"),
    "phone": ("手机号", "phone"),
    "backup_phone": ("备用电话", "backup phone"),
    "gender": ("性别", "gender"),
    "unit": ("工作单位", "unit"),
    "title": ("职务", "title"),
    "appointed_on": ("任职日期", "appointment date"),
    "training": ("培训情况", "training"),
    "register_id": ("登记号", "register id"),
    "role": ("角色", "role"),
    "jurisdiction_code": ("辖区", "jurisdiction"),
}

#: How the report names each change of a row.
_LABELS = {**_FIELDS, "post": ("岗位", "post"), "post_ended": ("原岗位结束", "former post ended")}

T = TypeVar("T")


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# --- what is known before judging -----------------------------------------------------------


@dataclass(frozen=True)
class _Division:
    code: str
    name: str
    level: str
    retired_vintage: str | None


@dataclass(frozen=True)
class _Person:
    """An account as the register sees it."""

    id: int
    username: str
    role: str
    jurisdiction_code: str
    disabled: bool
    values: dict[str, str | None]


@dataclass(frozen=True)
class _Held:
    """An active assignment."""

    id: int
    post_id: int
    post_code: str
    user_id: int
    post_role: str
    name: str


@dataclass
class _Row:
    """One row being judged."""

    entry: RegisterEntry
    reasons: list[tuple[str, str]] = field(default_factory=list)
    division: _Division | None = None
    person: _Person | None = None
    identity: str = ""
    username: str = ""
    outcome: str = ""
    changes: list[str] = field(default_factory=list)

    def refuse(self, zh: str, en: str) -> None:
        if (zh, en) not in self.reasons:
            self.reasons.append((zh, en))

    @property
    def role(self) -> Role:
        return LEVEL_ROLE[self.entry.level]

    def values(self) -> dict[str, str | None]:
        """The account fields as this row sets them (``None`` for blank)."""
        e = self.entry
        out: dict[str, str | None] = {
            "display_name": e.name,
            "phone": e.phone or None,
            "backup_phone": e.backup_phone or None,
            "gender": e.gender or None,
            "unit": e.unit or None,
            "title": e.title or None,
            "appointed_on": e.appointed_on or None,
            "training": e.training or None,
            "role": self.role.value,
            "jurisdiction_code": e.post_code,
        }
        kept = self.person.values["register_id"] if self.person is not None else None
        out["register_id"] = e.register_id or kept
        return out


def _digits(column: Any) -> Any:
    """SQL of a stored phone as digits (numbers typed with spaces, dashes or ``+``)."""
    for char in (" ", "-", "+"):
        column = func.replace(column, char, "")
    return column


def _person_values(user: Any) -> dict[str, str | None]:
    values = {name: getattr(user, name) for name in _FIELDS}
    values["phone"] = re.sub(r"\D", "", user.phone) if user.phone else None
    return values


def _load_people(session: Session, rows: list[_Row]) -> tuple[list[_Person], set[str]]:
    """Return the accounts the sheet's register ids or phones name, and taken usernames."""
    ids = sorted({r.entry.register_id for r in rows if r.entry.register_id})
    phones = sorted({r.entry.phone for r in rows if r.entry.phone})
    found: dict[int, _Person] = {}
    columns = [User.id, User.username, User.disabled_at, *(getattr(User, n) for n in _FIELDS)]
    for column, values in ((User.register_id, ids), (_digits(User.phone), phones)):
        for part in _chunks(values):
            for user in session.execute(select(*columns).where(column.in_(part))):
                found[user.id] = _Person(
                    user.id,
                    user.username,
                    user.role,
                    user.jurisdiction_code,
                    user.disabled_at is not None,
                    _person_values(user),
                )
    candidates = sorted({name for r in rows for name in _username_candidates(r.entry)})
    taken: set[str] = set()
    for part in _chunks(candidates):
        taken.update(session.scalars(select(User.username).where(User.username.in_(part))))
    return list(found.values()), taken


def _load_divisions(session: Session, codes: Iterable[str]) -> dict[str, _Division]:
    wanted = sorted({c for c in codes if is_valid_code(c)})
    out: dict[str, _Division] = {}
    for part in _chunks(wanted):
        for row in session.execute(
            select(
                DivisionRow.code,
                DivisionRow.name,
                DivisionRow.short_name,
                DivisionRow.level,
                DivisionRow.retired_vintage,
            ).where(DivisionRow.code.in_(part))
        ):
            out[row.code] = _Division(
                row.code, row.short_name or row.name, row.level, row.retired_vintage
            )
    return out


def _load_held(session: Session, user_ids: Sequence[int], codes: Sequence[str]) -> list[_Held]:
    """Return the active assignments of these people and at these posts."""
    base = (
        select(
            Assignment.id,
            Assignment.post_id,
            Post.division_code,
            Assignment.user_id,
            Assignment.post_role,
            User.display_name,
        )
        .join(Post, Post.id == Assignment.post_id)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.valid_to.is_(None))
    )
    found: dict[int, _Held] = {}
    for column, values in ((Assignment.user_id, list(user_ids)), (Post.division_code, codes)):
        for part in _chunks(values):
            for row in session.execute(base.where(column.in_(part))):
                found[row.id] = _Held(*row)
    return list(found.values())


def _username_candidates(entry: RegisterEntry) -> list[str]:
    base = "u" + (entry.phone or re.sub(r"[^0-9A-Za-z_.-]", "", entry.register_id))[:50]
    return [base] + [f"{base}-{n}" for n in range(2, 10)]


# --- judging --------------------------------------------------------------------------------


def _in_reach(caller: Caller | None, code: str, level: str) -> bool:
    if caller is None:
        return True
    levels = IMPORTED_LEVELS.get(caller.role, frozenset())
    return level in levels and is_within(code, caller.jurisdiction_code)


def _account_in_reach(caller: Caller | None, person: _Person) -> bool:
    if caller is None:
        return True
    levels = IMPORTED_LEVELS.get(caller.role, frozenset())
    roles = {LEVEL_ROLE[level].value for level in levels}
    return person.role in roles and is_within(person.jurisdiction_code, caller.jurisdiction_code)


def _check_values(row: _Row) -> None:
    """The checks of one row on its own."""
    e = row.entry
    if not e.name:
        row.refuse("缺少姓名", "the name is missing")
    if not e.phone:
        row.refuse("缺少手机号", "the phone number is missing")
    elif not _MOBILE.fullmatch(e.phone):
        row.refuse(
            f"手机号格式不正确：{e.phone}（须为 11 位手机号码）",
            f"not a mobile phone number: {e.phone} (11 digits)",
        )
    if e.backup_phone and not _OTHER_PHONE.fullmatch(e.backup_phone):
        row.refuse(f"备用电话格式不正确：{e.backup_phone}", f"not a phone number: {e.backup_phone}")
    if e.post_role not in ("A", "B"):
        row.refuse(
            f"AB角须为 A角 或 B角：{e.post_role or '（空）'}",
            f"A or B must be A or B: {e.post_role or '(blank)'}",
        )
    if e.level not in LEVEL_ROLE:
        row.refuse(
            f"层级无法识别：{e.level or '（空）'}（须为 市级、县级、乡镇级 或 村级）",
            f"unknown level: {e.level or '(blank)'} (city, county, township or village)",
        )
    if e.appointed_on and not _valid_date(e.appointed_on):
        row.refuse(
            f"任职日期无法识别：{e.appointed_on}（如 2023-05-01）",
            f"not a date: {e.appointed_on} (e.g. 2023-05-01)",
        )
    for name, (limit, zh, en) in _LIMITS.items():
        if len(getattr(e, name)) > limit:
            row.refuse(f"{zh}过长（最多 {limit} 字）", f"the {en} is too long (at most {limit})")


def _valid_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_division(row: _Row, divisions: dict[str, _Division], caller: Caller | None) -> None:
    e = row.entry
    division = divisions.get(e.post_code)
    if division is None:
        row.refuse(
            f"未知的区划代码：{e.post_code or '（空）'}",
            f"unknown division code: {e.post_code or '(blank)'}",
        )
        return
    row.division = division
    if division.retired_vintage is not None:
        row.refuse(
            f"区划代码 {e.post_code} 已撤销（{division.retired_vintage}），不能再使用",
            f"the division code {e.post_code} was retired ({division.retired_vintage})",
        )
    if e.level in LEVEL_ROLE and e.level != division.level:
        row.refuse(
            f"层级“{_LEVEL_WORDS[e.level]}”与区划代码 {e.post_code}（{division.name}，"
            f"{_LEVEL_WORDS.get(division.level, division.level)}）不符",
            f"the level {e.level} does not match the code {e.post_code} "
            f"({division.name}, {division.level})",
        )
    if not _in_reach(caller, division.code, division.level):
        row.refuse(
            f"岗位 {e.post_code}（{division.name}）不在您的管辖范围内",
            f"the post {e.post_code} ({division.name}) lies outside your reach",
        )


@dataclass(frozen=True)
class _People:
    """The accounts the sheet names, by register id and by phone (digits)."""

    by_id: dict[str, _Person]
    by_phone: dict[str, list[_Person]]

    @classmethod
    def of(cls, people: Iterable[_Person]) -> _People:
        by_id: dict[str, _Person] = {}
        by_phone: dict[str, list[_Person]] = defaultdict(list)
        for p in people:
            if p.values["register_id"]:
                by_id[str(p.values["register_id"])] = p
            if p.values["phone"]:
                by_phone[str(p.values["phone"])].append(p)
        return cls(by_id, dict(by_phone))


def _match(row: _Row, people: _People, caller: Caller | None) -> None:
    """Find the row's person: by register id, else by phone; refuse a phone of someone else."""
    e = row.entry
    by_id, by_phone = people.by_id, people.by_phone
    person = by_id.get(e.register_id) if e.register_id else None
    owners = by_phone.get(e.phone, []) if e.phone else []
    if person is None and owners:
        person = owners[0]
        if len(owners) > 1:
            row.refuse(
                f"手机号 {e.phone} 属于多个账号（{'、'.join(p.username for p in owners)}）",
                f"the phone {e.phone} belongs to several accounts "
                f"({', '.join(p.username for p in owners)})",
            )
        elif e.register_id and person.values["register_id"]:
            row.refuse(
                f"手机号 {e.phone} 已属于另一人（登记号 {person.values['register_id']}，"
                f"账号 {person.username}）",
                f"the phone {e.phone} belongs to another person (register id "
                f"{person.values['register_id']}, account {person.username})",
            )
    elif person is not None and any(o.id != person.id for o in owners):
        other = next(o for o in owners if o.id != person.id)
        row.refuse(
            f"手机号 {e.phone} 已属于另一人（账号 {other.username}）",
            f"the phone {e.phone} belongs to another person (account {other.username})",
        )
    row.person = person
    if person is None:
        row.identity = f"new:{e.register_id}" if e.register_id else f"phone:{e.phone}"
        return
    row.identity = f"user:{person.id}"
    row.username = person.username
    if person.disabled:
        row.refuse(
            f"此人的账号 {person.username} 已停用，请先启用再导入",
            f"the account {person.username} of this person is disabled; enable it first",
        )
    if not _account_in_reach(caller, person):
        row.refuse(
            f"此人的账号 {person.username} 不在您的管辖范围内",
            f"the account {person.username} of this person lies outside your reach",
        )
    elif (
        caller is not None
        and person.id == caller.user_id
        and e.level in LEVEL_ROLE
        and (row.role.value != person.role or e.post_code != person.jurisdiction_code)
    ):
        row.refuse(
            "不能通过导入改变您自己账号的角色或辖区",
            "an import cannot change the role or jurisdiction of your own account",
        )


def _same_keys(a: _Row, b: _Row) -> bool:
    return (a.entry.phone != "" and a.entry.phone == b.entry.phone) or (
        a.entry.register_id != "" and a.entry.register_id == b.entry.register_id
    )


def _rows_text(rows: Iterable[_Row]) -> tuple[str, str]:
    numbers = [str(r.entry.row) for r in rows]
    return "、".join(numbers), ", ".join(numbers)


def _check_sheet(rows: list[_Row]) -> None:
    """The checks across rows: duplicates, two A's (or B's), A and B the same person."""
    by_phone: dict[str, list[_Row]] = defaultdict(list)
    by_id: dict[str, list[_Row]] = defaultdict(list)
    by_person: dict[str, list[_Row]] = defaultdict(list)
    by_role: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for r in rows:
        if r.entry.phone:
            by_phone[r.entry.phone].append(r)
        if r.entry.register_id:
            by_id[r.entry.register_id].append(r)
        if r.identity.startswith("user:"):
            by_person[r.identity].append(r)
        if r.entry.post_code and r.entry.post_role in ("A", "B"):
            by_role[(r.entry.post_code, r.entry.post_role)].append(r)

    def same_post_other_role(r: _Row, others: list[_Row]) -> list[_Row]:
        return [
            o
            for o in others
            if o.entry.post_code == r.entry.post_code and o.entry.post_role != r.entry.post_role
        ]

    for groups, zh_what, en_what in (
        (by_phone, "手机号", "phone"),
        (by_id, "登记号", "register id"),
        (by_person, "人员", "person"),
    ):
        for group in groups.values():
            if len(group) < 2:
                continue
            for r in group:
                others = [o for o in group if o is not r]
                if groups is by_person:  # rows sharing a phone or id are reported above
                    others = [o for o in others if not _same_keys(r, o)]
                pair = same_post_other_role(r, others)
                if pair:
                    zh, en = _rows_text(pair)
                    r.refuse(
                        f"A角和B角是同一人（第 {zh} 行）",
                        f"A and B are the same person (row {en})",
                    )
                    others = [o for o in others if o not in pair]
                if others:
                    zh, en = _rows_text(others)
                    if groups is by_person:
                        r.refuse(
                            f"与第 {zh} 行是同一人（一人只能登记一个岗位）",
                            f"the same person as row {en} (one post per person)",
                        )
                    else:
                        r.refuse(
                            f"{zh_what}与第 {zh} 行重复",
                            f"the {en_what} is also on row {en}",
                        )
    for (code, post_role), group in by_role.items():
        if len(group) < 2:
            continue
        for r in group:
            zh, en = _rows_text(o for o in group if o is not r)
            r.refuse(
                f"岗位 {code} 有两个 {post_role}角（另见第 {zh} 行）",
                f"the post {code} has two {post_role}s (also row {en})",
            )


# --- the plan -------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What applying the sheet writes."""

    new_posts: list[_Division] = field(default_factory=list)
    new_users: list[_Row] = field(default_factory=list)
    changed_users: list[_Row] = field(default_factory=list)
    #: assignment id → (ended assignment, handed over to: the row taking its role, or None)
    ended: dict[int, tuple[_Held, _Row | None]] = field(default_factory=dict)
    new_assignments: list[_Row] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """Whether applying it changes anything."""
        return bool(self.new_users or self.changed_users or self.ended or self.new_assignments)


def _plan(session: Session, rows: list[_Row], taken: set[str]) -> _Plan:
    """Decide each row's outcome (create/update/unchanged) and what applying writes."""
    plan = _Plan()
    codes = sorted({r.entry.post_code for r in rows})
    existing_posts: set[str] = set()
    for part in _chunks(codes):
        existing_posts.update(
            session.scalars(select(Post.division_code).where(Post.division_code.in_(part)))
        )
    plan.new_posts = [
        r.division
        for r in {r.entry.post_code: r for r in rows}.values()
        if r.division is not None and r.division.code not in existing_posts
    ]
    user_ids = sorted({r.person.id for r in rows if r.person is not None})
    held = _load_held(session, user_ids, codes)
    holder_of = {(h.post_code, h.post_role): h for h in held}
    held_by: dict[int, list[_Held]] = defaultdict(list)
    for h in held:
        held_by[h.user_id].append(h)
    for r in rows:
        e = r.entry
        wanted = (e.post_code, e.post_role)
        person = r.person
        if person is None:
            r.username = next(n for n in _username_candidates(e) if n not in taken)
            taken.add(r.username)
            r.outcome = "create"
            plan.new_users.append(r)
            plan.new_assignments.append(r)
        else:
            values = r.values()
            r.changes = [n for n in values if (person.values.get(n) or None) != values[n]]
            if r.changes:
                plan.changed_users.append(r)
            mine = held_by.get(person.id, [])
            if not any((h.post_code, h.post_role) == wanted for h in mine):
                r.changes.append("post")
                plan.new_assignments.append(r)
            for h in mine:
                if (h.post_code, h.post_role) != wanted:
                    plan.ended.setdefault(h.id, (h, None))
                    if "post_ended" not in r.changes:
                        r.changes.append("post_ended")
            r.outcome = "update" if r.changes else "unchanged"
        holder = holder_of.get(wanted)
        if holder is not None and (person is None or holder.user_id != person.id):
            plan.ended[holder.id] = (holder, r)
    return plan


def _describe(row: _Row, names: dict[int, str]) -> tuple[str, str]:
    """The report's reason of a row that is not refused."""
    e = row.entry
    place = row.division.name if row.division else e.post_code
    if row.outcome == "create":
        zh = f"新建账号 {row.username}：{place} {e.post_role}角"
        en = f"new account {row.username}: {place} {e.post_role}"
    elif row.outcome == "unchanged":
        return "与系统中一致", "as in the system"
    else:
        labels = [_LABELS[c] for c in row.changes]
        zh = "更新：" + "、".join(z for z, _ in labels)
        en = "updated: " + ", ".join(x for _, x in labels)
        if "post" in row.changes:
            zh += f"（{place} {e.post_role}角）"
            en += f" ({place} {e.post_role})"
    replaced = names.get(row.entry.row)
    if replaced:
        zh += f"；接替 {replaced}"
        en += f"; replaces {replaced}"
    return zh, en


# --- applying -------------------------------------------------------------------------------


def _open_items_of(session: Session, posts: dict[int, tuple[str, str]]) -> dict[int, str]:
    """The open items of each post (as ``services.handovers.open_items``), read for all at once.

    ``posts``: post id → (division code, level).  Returns post id → the JSON to store.
    """
    codes = sorted({code for code, _ in posts.values()})
    returned: dict[str, list[dict[str, Any]]] = defaultdict(list)
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    townships = sorted({c for c, level in posts.values() if level == "township"})
    others = sorted({c for c, level in posts.values() if level != "township"})
    for part in _chunks(codes):
        for village, report_uuid, version_uuid, stage, content_json in session.execute(
            select(
                Report.village_code,
                Report.report_uuid,
                ReportVersion.version_uuid,
                ReportVersion.stage,
                ReportVersion.content_json,
            )
            .join(ReportVersion, ReportVersion.version_uuid == Report.current_version_uuid)
            .where(
                Report.village_code.in_(part),
                ReportVersion.review_status == ReviewStatus.RETURNED.value,
            )
            .order_by(Report.report_uuid)
        ):
            returned[village].append(
                {
                    "report_uuid": report_uuid,
                    "version_uuid": version_uuid,
                    "event_name": json.loads(content_json).get("event_name", ""),
                    "stage": stage,
                }
            )
    for part in _chunks(townships):
        for code, event_uuid, name in session.execute(
            select(EventOpening.township_code, EventOpening.event_uuid, EventOpening.event_name)
            .where(EventOpening.township_code.in_(part), EventOpening.closed_at.is_(None))
            .order_by(EventOpening.opened_at)
        ):
            events[code].append({"event_uuid": event_uuid, "event_name": name})
    for part in _chunks(others):
        for code, event_uuid, name in session.execute(
            select(
                EventOpeningVillage.village_code, EventOpening.event_uuid, EventOpening.event_name
            )
            .join(EventOpeningVillage, EventOpeningVillage.opening_id == EventOpening.id)
            .where(EventOpeningVillage.village_code.in_(part), EventOpening.closed_at.is_(None))
            .order_by(EventOpening.opened_at)
        ):
            events[code].append({"event_uuid": event_uuid, "event_name": name})
    return {
        post_id: json.dumps(
            {
                "unsent_reports": None,
                "returned_reports": returned.get(code, []),
                "open_events": events.get(code, []),
            },
            ensure_ascii=False,
        )
        for post_id, (code, _) in posts.items()
    }


def _lock(session: Session) -> None:
    """One import at a time (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('city-server:register'))"))


def _apply(
    session: Session, rows: list[_Row], plan: _Plan, actor: int | None, now: datetime
) -> int:
    """Write the plan; return how many handovers were recorded."""
    if plan.new_posts:
        session.execute(
            insert(Post),
            [
                {"division_code": d.code, "level": d.level, "created_at": now}
                for d in plan.new_posts
            ],
        )
    codes = sorted({r.entry.post_code for r in rows})
    post_ids: dict[str, int] = {}
    for part in _chunks(codes):
        query = select(Post.division_code, Post.id).where(Post.division_code.in_(part))
        post_ids.update((code, post_id) for code, post_id in session.execute(query))
    levels = {r.entry.post_code: r.entry.level for r in rows}
    if plan.new_users:
        session.execute(
            insert(User),
            [
                {
                    **r.values(),
                    "username": r.username,
                    "password_hash": UNUSABLE_PASSWORD,
                    "created_at": now,
                }
                for r in plan.new_users
            ],
        )
    user_ids = {r.username: r.person.id for r in rows if r.person is not None}
    new_names = [r.username for r in plan.new_users]
    for part in _chunks(new_names):
        query_ids = select(User.username, User.id).where(User.username.in_(part))
        user_ids.update((name, user_id) for name, user_id in session.execute(query_ids))
    if plan.changed_users:
        session.execute(
            update(User),
            [{"id": user_ids[r.username], **r.values()} for r in plan.changed_users],
        )
    ended = sorted(plan.ended)
    for ids_part in _chunks(ended):
        session.execute(
            update(Assignment)
            .where(Assignment.id.in_(ids_part), Assignment.valid_to.is_(None))
            .values(
                valid_to=case((Assignment.valid_from > now, Assignment.valid_from), else_=now),
                ended_reason=REASON,
                ended_by=actor,
            )
            .execution_options(synchronize_session=False)
        )
    changes: list[dict[str, Any]] = []
    for ids_part in _chunks(ended):
        absences = session.execute(
            select(AbsenceRow.id, AbsenceRow.absence_uuid, Post.division_code)
            .join(Post, Post.id == AbsenceRow.post_id)
            .where(
                AbsenceRow.assignment_id.in_(ids_part),
                AbsenceRow.ended_at.is_(None),
                AbsenceRow.ends_at > now,
            )
        ).all()
        if absences:
            session.execute(
                update(AbsenceRow)
                .where(AbsenceRow.id.in_([a.id for a in absences]))
                .values(ended_at=now)
                .execution_options(synchronize_session=False)
            )
            changes += [
                _change(ChangeKind.ABSENCE, a.division_code, a.absence_uuid, now) for a in absences
            ]
    if plan.new_assignments:
        session.execute(
            insert(Assignment),
            [
                {
                    "post_id": post_ids[r.entry.post_code],
                    "user_id": user_ids[r.username],
                    "post_role": r.entry.post_role,
                    "valid_from": now,
                    "valid_to": None,
                    "reason": REASON,
                    "created_by": actor,
                }
                for r in plan.new_assignments
            ],
        )
    # The holders of the touched posts now: the new assignments' ids and the handovers' "to".
    now_holding: dict[tuple[str, str], tuple[int, int]] = {}
    touched = sorted(
        {post_ids[r.entry.post_code] for r in plan.new_assignments}
        | {h.post_id for h, _ in plan.ended.values()}
    )
    for post_part in _chunks(touched):
        for assignment_id, code, user_id, post_role in session.execute(
            select(
                Assignment.id,
                Post.division_code,
                Assignment.user_id,
                Assignment.post_role,
            )
            .join(Post, Post.id == Assignment.post_id)
            .where(Assignment.post_id.in_(post_part), Assignment.valid_to.is_(None))
        ):
            now_holding[(code, post_role)] = (assignment_id, user_id)
    new_ids = [now_holding[(r.entry.post_code, r.entry.post_role)][0] for r in plan.new_assignments]
    changes += [
        _change(ChangeKind.ROSTER, h.post_code, str(h.id), now) for h, _ in plan.ended.values()
    ]
    changes += [
        _change(ChangeKind.ROSTER, r.entry.post_code, str(i), now)
        for r, i in zip(plan.new_assignments, new_ids, strict=True)
    ]
    handovers = []
    for held, taker in plan.ended.values():
        if taker is not None:
            to_user = user_ids[taker.username]
        else:
            remaining = [
                now_holding[(held.post_code, role)][1]
                for role in ("A", "B")
                if (held.post_code, role) in now_holding
            ]
            others = [u for u in remaining if u != held.user_id]
            if not others:
                continue
            to_user = others[0]
        if to_user == held.user_id:
            continue
        handovers.append((held, to_user))
    if handovers:
        posts = {
            h.post_id: (h.post_code, levels.get(h.post_code) or _level_of(h.post_code))
            for h, _ in handovers
        }
        items = _open_items_of(session, posts)
        records: list[dict[str, Any]] = [
            {
                "handover_uuid": str(uuid.uuid4()),
                "post_id": held.post_id,
                "kind": HandoverKind.ASSIGNMENT.value,
                "from_user_id": held.user_id,
                "to_user_id": to_user,
                "reason": REASON,
                "open_items_json": items[held.post_id],
                "created_at": now,
                "created_by": actor,
                "assignment_id": held.id,
            }
            for held, to_user in handovers
        ]
        session.execute(insert(Handover), records)
        changes += [
            _change(ChangeKind.HANDOVER, held.post_code, str(record["handover_uuid"]), now)
            for (held, _), record in zip(handovers, records, strict=True)
        ]
    if changes:
        session.execute(insert(Change), changes)
    return len(handovers)


def _level_of(code: str) -> str:
    if code[9:] != "000":
        return DivisionLevel.VILLAGE.value
    if code[6:] != "000000":
        return DivisionLevel.TOWNSHIP.value
    if code[4:] != "00000000":
        return DivisionLevel.COUNTY.value
    return DivisionLevel.CITY.value


def _change(kind: ChangeKind, code: str, ref: str, now: datetime) -> dict[str, Any]:
    return {"kind": kind.value, "division_code": code, "ref": ref, "created_at": now}


# --- the import -----------------------------------------------------------------------------


def _judge(
    session: Session, caller: Caller | None, entries: Sequence[RegisterEntry]
) -> tuple[list[_Row], _Plan]:
    rows = [_Row(_strip(e)) for e in entries]
    for r in rows:
        _check_values(r)
    divisions = _load_divisions(session, (r.entry.post_code for r in rows))
    people, taken = _load_people(session, rows)
    known = _People.of(people)
    for r in rows:
        _check_division(r, divisions, caller)
        _match(r, known, caller)
    _check_sheet(rows)
    fine = [r for r in rows if not r.reasons]
    plan = _plan(session, fine, taken)
    return rows, plan


def _strip(entry: RegisterEntry) -> RegisterEntry:
    """The entry normalised as ``sync.contract.register`` reads a sheet (for any client)."""
    e = entry
    return RegisterEntry(
        row=e.row,
        register_id=e.register_id.strip(),
        name=" ".join(e.name.split()),
        phone=normal_phone(e.phone),
        backup_phone=normal_phone(e.backup_phone),
        gender=normal_gender(e.gender),
        unit=e.unit.strip(),
        title=e.title.strip(),
        level=normal_level(e.level),
        post_code="".join(e.post_code.split()),
        post_role=normal_post_role(e.post_role),
        appointed_on=normal_date(e.appointed_on) if e.appointed_on.strip() else "",
        training=e.training.strip(),
    )


def _result(rows: list[_Row], plan: _Plan, dry_run: bool, applied: bool) -> RegisterImportResult:
    refused = sum(1 for r in rows if r.reasons)
    names = {taker.entry.row: held.name for held, taker in plan.ended.values() if taker is not None}
    out: list[RegisterRowResult] = []
    for r in rows:
        if r.reasons:
            outcome = "refused"
            zh = "；".join(z for z, _ in r.reasons)
            en = "; ".join(x for _, x in r.reasons)
        else:
            outcome = r.outcome
            zh, en = _describe(r, names)
            if refused:
                zh += "（因有被拒绝的行，本次未写入）"
                en += " (not applied: some rows were refused)"
        out.append(
            RegisterRowResult(
                row=r.entry.row,
                outcome=outcome,
                username=r.username or None,
                reason_zh=zh,
                reason_en=en,
            )
        )
    counts = {k: sum(1 for o in out if o.outcome == k) for k in ("create", "update", "unchanged")}
    return RegisterImportResult(
        dry_run=dry_run,
        applied=applied,
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        refused=refused,
        rows=out,
    )


def _role_changes(plan: _Plan) -> list[RoleChange]:
    """The accounts whose role or jurisdiction the plan changes (security log ``account.role``)."""
    out = []
    for r in plan.changed_users:
        person = r.person
        if person is None or not {"role", "jurisdiction_code"} & set(r.changes):
            continue
        out.append(
            RoleChange(
                user_id=person.id,
                username=person.username,
                old_role=person.role,
                new_role=r.role.value,
                old_jurisdiction=person.jurisdiction_code,
                new_jurisdiction=r.entry.post_code,
            )
        )
    return out


def import_register(
    db: Database,
    caller: Caller | None,
    entries: Sequence[RegisterEntry],
    dry_run: bool,
    now: datetime,
) -> RegisterImportResult:
    """Judge every row; unless ``dry_run`` or a row is refused, apply all in one transaction.

    ``caller`` ``None`` is the operator at the command line (no limit of reach).  Every call is
    recorded in the admin log (``register.import``).

    Raises:
        ApiError: 403 for a caller who may not import (a village informant), 409
            ``register_conflict`` when a concurrent change won a race (nothing applied).
    """
    if caller is not None and caller.role not in IMPORTED_LEVELS:
        raise ApiError(
            FORBIDDEN,
            zh="只有乡镇审核人员和县、市管理员可以导入花名册",
            en="only township reviewers and county or city admins import the register",
        )
    try:
        with db.writing() as session:
            _lock(session)
            rows, plan = _judge(session, caller, entries)
            refused = any(r.reasons for r in rows)
            handovers = 0
            applied = not dry_run and not refused and plan.writes
            if applied:
                handovers = _apply(session, rows, plan, caller.user_id if caller else None, now)
                record_role_changes(
                    session,
                    _role_changes(plan),
                    caller.username if caller else OPERATOR,
                    now,
                )
            result = _result(rows, plan, dry_run, applied)
            record_action(
                session,
                caller,
                "register.import",
                caller.jurisdiction_code if caller else "register",
                now,
                {
                    "dry_run": dry_run,
                    "applied": applied,
                    "rows": len(rows),
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "refused": result.refused,
                    "ended": len(plan.ended) if applied else 0,
                    "handovers": handovers,
                },
            )
            return result
    except IntegrityError:
        raise ApiError(REGISTER_CONFLICT) from None
