"""The division table in the database: loading, importing a new vintage, reading it back.

``import_divisions`` compares an official table (a CSV of ``code,name,level,parent_code``)
with the database and applies the difference in a few set-based statements:

- **scope**: the subtrees of the file's roots (rows whose parent is not in the file).  Rows
  listed only to place the file (a chain of single children from a root, like 云南省 above
  保山市 in the Baoshan file) are context: the scope starts at the first row of the chain that
  has several children in the file (or whose only child has none), so a Baoshan-only file
  never retires codes elsewhere in the province.
- **added**: a code not in the database; **renamed**: its official name changed; **moved**:
  its parent changed; **updated**: its level or official flag changed; **restored**: a
  retired code listed again; **retired**: a code in scope, in the database and not retired,
  that the file no longer lists (it stays, for the history of old reports, and takes no new
  ones).
- Every changed row gets one new ``revision`` (``max(revision) + 1``, one number per
  import); every listed row gets the file's vintage.  Re-importing the same file changes
  nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, false, func, or_, select, update
from sqlalchemy.orm import Session

from sync.contract import Division, DivisionLevel, DivisionTable, default_divisions, is_within
from sync.contract.divisions import short_name
from sync.server.dialect import insert_ignore
from sync.server.jurisdiction import within_sql
from sync.server.models import DivisionRow

#: Levels from the top, the order in which counts are shown.
LEVELS = tuple(level.value for level in DivisionLevel)
#: Kinds of change an import reports, in the order they are shown.
KINDS = ("added", "renamed", "moved", "updated", "restored", "retired")
#: Above this many added codes the output counts them per level instead of listing them.
LIST_ADDED_MAX = 30
_CHUNK = 500


class DivisionFileError(ValueError):
    """A division file that cannot be imported, in Chinese and English (naming the line)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def max_revision(session: Session) -> int:
    """Return the division table's revision (``max(revision)``; 0 when empty)."""
    return int(session.scalar(select(func.max(DivisionRow.revision))) or 0)


def load_divisions(session: Session, table: DivisionTable | None = None) -> int:
    """Insert the divisions of ``table`` (default: the bundled one) that are missing.

    Rows already there are left as they are (a newer import wins).  Added rows get the next
    revision, so devices that synced the table before fetch it again.

    Returns:
        The number of divisions added (0 when re-run).
    """
    table = table or default_divisions()
    if not len(table):
        return 0
    existing = set(session.scalars(select(DivisionRow.code)).all())
    missing = [d for d in table if d.code not in existing]
    if not missing:
        return 0
    revision = max_revision(session) + 1
    rows = [_row(d, table.vintage, revision) for d in missing]
    for chunk in _chunks(rows):
        session.execute(insert_ignore(session, DivisionRow, ["code"]), chunk)
    return len(rows)


def add_division(session: Session, division: Division, vintage: str = "") -> None:
    """Add one division (a no-op when its code exists); it raises the table's revision."""
    if session.get(DivisionRow, division.code) is not None:
        return
    session.execute(
        insert_ignore(session, DivisionRow, ["code"]),
        [_row(division, vintage, max_revision(session) + 1)],
    )


def _row(d: Division, vintage: str, revision: int) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "short_name": d.short_name or short_name(d.name, d.level),
        "level": d.level.value,
        "parent_code": d.parent_code,
        "official": d.official,
        "vintage": vintage,
        "retired_vintage": None,
        "revision": revision,
    }


def division_table(session: Session, within: Iterable[str] | None = None) -> DivisionTable:
    """Return the divisions stored in the database as a contract ``DivisionTable``.

    Retired codes are in it (marked ``retired``); its vintage is the newest of the codes in
    force.

    Args:
        session: the session to read with.
        within: only the divisions inside these codes (e.g. an informant's posts, so that a
            pushed batch does not read a province's 16,000 rows); ``None``: all of them.
    """
    query = select(
        DivisionRow.code,
        DivisionRow.name,
        DivisionRow.level,
        DivisionRow.parent_code,
        DivisionRow.official,
        DivisionRow.retired_vintage,
        DivisionRow.short_name,
        DivisionRow.vintage,
    )
    if within is not None:
        codes = sorted(set(within))
        query = query.where(or_(false(), *(within_sql(DivisionRow.code, c) for c in codes)))
    rows = session.execute(query).all()
    vintages = [r.vintage for r in rows if r.retired_vintage is None and r.vintage]
    return DivisionTable(
        (
            Division(
                r.code,
                r.name,
                DivisionLevel(r.level),
                r.parent_code,
                r.official,
                retired=r.retired_vintage is not None,
                short_name=r.short_name,
            )
            for r in rows
        ),
        vintage=max(vintages) if vintages else "",
    )


# --- import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import changed (or would change, on a dry run)."""

    source: str
    vintage: str
    dry_run: bool
    revision: int
    added: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    restored: list[dict[str, Any]] = field(default_factory=list)
    retired: list[dict[str, Any]] = field(default_factory=list)
    vintage_updated: int = 0
    scope: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    retired_total: int = 0

    @property
    def changes(self) -> int:
        """The number of codes changed (a code renamed and moved counts once)."""
        return len({c["code"] for kind in KINDS for c in getattr(self, kind)})

    def counts(self) -> dict[str, dict[str, int]]:
        """Return, per kind of change, the total and the count per level."""
        out: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            items: list[dict[str, Any]] = getattr(self, kind)
            per_level = Counter(str(c["level"]) for c in items)
            out[kind] = {"total": len(items), **{lv: per_level[lv] for lv in LEVELS}}
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-able data (added codes listed only up to 30)."""
        return {
            "file": self.source,
            "vintage": self.vintage,
            "dry_run": self.dry_run,
            "revision": self.revision,
            "changes": self.changes,
            "counts": self.counts(),
            "scope": self.scope,
            "added": self.added if len(self.added) <= LIST_ADDED_MAX else [],
            "added_listed": len(self.added) <= LIST_ADDED_MAX,
            "renamed": self.renamed,
            "moved": self.moved,
            "updated": self.updated,
            "restored": self.restored,
            "retired": self.retired,
            "vintage_updated": self.vintage_updated,
            "totals": self.totals,
            "retired_total": self.retired_total,
        }

    def summary(self) -> dict[str, int]:
        """Return the counts recorded in the admin log."""
        return {
            "changes": self.changes,
            "revision": self.revision,
            **{kind: len(getattr(self, kind)) for kind in KINDS},
        }


@dataclass(frozen=True)
class _Stored:
    code: str
    name: str
    level: str
    parent_code: str | None
    official: bool
    vintage: str
    retired_vintage: str | None


def check_file(divisions: Sequence[Division], known: Iterable[str]) -> None:
    """Refuse a file with a repeated code or a parent that is neither listed nor known.

    Lines are counted as in the file (the header is line 1).

    Raises:
        DivisionFileError: naming the first bad line.
    """
    known_codes = set(known)
    seen: dict[str, int] = {}
    for index, d in enumerate(divisions):
        line = index + 2
        if d.code in seen:
            raise DivisionFileError(
                f"第 {line} 行：代码 {d.code} 与第 {seen[d.code]} 行重复",
                f"line {line}: the code {d.code} repeats line {seen[d.code]}",
            )
        seen[d.code] = line
    for index, d in enumerate(divisions):
        line = index + 2
        parent = d.parent_code
        if parent is None:
            continue
        if parent == d.code or not is_within(d.code, parent):
            raise DivisionFileError(
                f"第 {line} 行：{d.code} 不在上级 {parent} 之内",
                f"line {line}: {d.code} does not lie inside its parent {parent}",
            )
        if parent not in seen and parent not in known_codes:
            raise DivisionFileError(
                f"第 {line} 行：上级代码 {parent} 既不在文件中，也不在数据库中",
                f"line {line}: the parent {parent} is neither in the file nor in the database",
            )


def import_scope(divisions: Sequence[Division]) -> list[str]:
    """Return the codes whose subtrees the file covers (see the module's docstring)."""
    listed = {d.code for d in divisions}
    children: dict[str, list[str]] = {}
    for d in divisions:
        if d.parent_code in listed:
            children.setdefault(d.parent_code or "", []).append(d.code)
    scope: list[str] = []
    for d in divisions:
        if d.parent_code in listed:
            continue
        code = d.code
        # Descend through context: a single child that has children of its own.
        while len(children.get(code, ())) == 1 and children.get(children[code][0]):
            code = children[code][0]
        scope.append(code)
    return sorted(scope)


def import_divisions(
    session: Session,
    divisions: Sequence[Division],
    vintage: str,
    *,
    source: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Bring the division table in line with ``divisions`` (an official table of ``vintage``).

    Reads the table once, works out the difference in memory, and writes it with one
    statement per kind of change (in chunks).  On a dry run nothing is written.

    Raises:
        DivisionFileError: a repeated code, or a parent that is nowhere.
    """
    stored = {
        r.code: _Stored(*r)
        for r in session.execute(
            select(
                DivisionRow.code,
                DivisionRow.name,
                DivisionRow.level,
                DivisionRow.parent_code,
                DivisionRow.official,
                DivisionRow.vintage,
                DivisionRow.retired_vintage,
            )
        ).all()
    }
    check_file(divisions, stored)
    current = max_revision(session)
    revision = current + 1
    result = ImportResult(source, vintage, dry_run, current, scope=import_scope(divisions))

    new_rows: list[dict[str, Any]] = []
    changed: dict[str, dict[str, Any]] = {}
    relisted: list[str] = []
    for d in divisions:
        old = stored.get(d.code)
        item = {"code": d.code, "name": d.name, "level": d.level.value}
        if old is None:
            result.added.append({**item, "parent_code": d.parent_code})
            new_rows.append(_row(d, vintage, revision))
            continue
        differs = False
        if old.retired_vintage is not None:
            result.restored.append({**item, "retired_vintage": old.retired_vintage})
            differs = True
        if old.name != d.name:
            result.renamed.append({**item, "old": old.name, "new": d.name})
            differs = True
        if old.parent_code != d.parent_code:
            result.moved.append({**item, "old": old.parent_code, "new": d.parent_code})
            differs = True
        if old.level != d.level.value or old.official != d.official:
            result.updated.append(
                {
                    **item,
                    "old": f"{old.level} official={old.official}",
                    "new": f"{d.level.value} official={d.official}",
                }
            )
            differs = True
        if differs:
            changed[d.code] = {
                "c": d.code,
                "n": d.name,
                "s": d.short_name or short_name(d.name, d.level),
                "l": d.level.value,
                "p": d.parent_code,
                "o": d.official,
            }
        elif old.vintage != vintage:
            relisted.append(d.code)

    listed = {d.code for d in divisions}
    retiring = sorted(
        code
        for code, old in stored.items()
        if old.retired_vintage is None
        and code not in listed
        and any(is_within(code, root) for root in result.scope)
    )
    result.retired = [
        {"code": c, "name": stored[c].name, "level": stored[c].level} for c in retiring
    ]
    result.vintage_updated = len(relisted)
    anything = bool(new_rows or changed or retiring or relisted)
    if anything:
        result.revision = revision
    if not dry_run and anything:
        _write(session, new_rows, list(changed.values()), relisted, retiring, vintage, revision)
    _project_totals(result, stored, divisions, retiring)
    return result


def _write(
    session: Session,
    new_rows: list[dict[str, Any]],
    changed: list[dict[str, Any]],
    relisted: list[str],
    retiring: list[str],
    vintage: str,
    revision: int,
) -> None:
    """Write an import's difference: a few statements, each for many rows."""
    conn = session.connection()
    for chunk in _chunks(new_rows):
        conn.execute(insert_ignore(session, DivisionRow, ["code"]), chunk)
    if changed:
        stmt = (
            update(DivisionRow)
            .where(DivisionRow.code == bindparam("c"))
            .values(
                name=bindparam("n"),
                short_name=bindparam("s"),
                level=bindparam("l"),
                parent_code=bindparam("p"),
                official=bindparam("o"),
                vintage=vintage,
                retired_vintage=None,
                revision=revision,
            )
        )
        for chunk in _chunks(changed):
            conn.execute(stmt, chunk)
    for codes in _chunks(relisted):
        conn.execute(
            update(DivisionRow)
            .where(DivisionRow.code.in_(codes))
            .values(vintage=vintage, revision=revision)
        )
    for codes in _chunks(retiring):
        conn.execute(
            update(DivisionRow)
            .where(DivisionRow.code.in_(codes))
            .values(retired_vintage=vintage, revision=revision)
        )


def _project_totals(
    result: ImportResult,
    stored: Mapping[str, _Stored],
    divisions: Sequence[Division],
    retiring: Sequence[str],
) -> None:
    """Fill the table's totals per level as they are after the import (also on a dry run)."""
    levels = {code: (old.level, old.retired_vintage is not None) for code, old in stored.items()}
    for d in divisions:
        levels[d.code] = (d.level.value, False)
    for code in retiring:
        levels[code] = (levels[code][0], True)
    in_force = Counter(level for level, retired in levels.values() if not retired)
    result.totals = {lv: in_force[lv] for lv in LEVELS}
    result.retired_total = sum(1 for _, retired in levels.values() if retired)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def read_division_file(path: str, lines: Iterable[str]) -> list[Division]:
    """Parse a division CSV; a bad row raises ``DivisionFileError`` naming its line."""
    from sync.contract.divisions import read_divisions

    try:
        return read_divisions(lines)
    except ValueError as exc:
        raise DivisionFileError(
            f"区划文件 {path} 有误：{_zh_line(str(exc))}", f"bad division file {path}: {exc}"
        ) from None


def _zh_line(message: str) -> str:
    """Return the contract's English message with its line number said in Chinese."""
    if message.startswith("line ") and ":" in message:
        head, rest = message.split(":", 1)
        return f"第 {head[5:]} 行：{rest.strip()}"
    return message


_ZH_LEVEL = {
    "province": "省",
    "city": "市",
    "county": "县（市、区）",
    "township": "乡镇（街道）",
    "village": "村（社区）",
}
_EN_PLURAL = {
    "province": ("province", "provinces"),
    "city": ("city", "cities"),
    "county": ("county", "counties"),
    "township": ("township", "townships"),
    "village": ("village", "villages"),
}
_ZH_KIND = {
    "added": "新增",
    "renamed": "更名",
    "moved": "调整上级",
    "updated": "级别或标记变更",
    "restored": "恢复",
    "retired": "撤销",
}


def level_counts(counts: Mapping[str, int]) -> tuple[str, str]:
    """Return counts per level in Chinese and in English (levels with none left out)."""
    zh = "、".join(f"{_ZH_LEVEL[lv]} {counts[lv]:,} 个" for lv in LEVELS if counts.get(lv))
    en = ", ".join(
        f"{counts[lv]:,} {_EN_PLURAL[lv][counts[lv] != 1]}" for lv in LEVELS if counts.get(lv)
    )
    return zh or "无", en or "none"


def format_import(result: ImportResult) -> str:
    """Return the import's report as text: counts, the changed codes, the table's totals."""
    head = (
        "试运行，未作任何更改 / dry run, nothing changed" if result.dry_run else "已导入 / imported"
    )
    lines = [
        f"区划导入 / division import: {result.source} (vintage {result.vintage}) — {head}",
        f"范围 / scope: {', '.join(result.scope) or '-'}",
        f"变更的代码 / codes changed: {result.changes:,}  "
        f"(区划表修订号 / table revision {result.revision})",
    ]
    counts = result.counts()
    for kind in KINDS:
        zh, en = level_counts(counts[kind])
        total = counts[kind]["total"]
        detail = f"  [{zh} / {en}]" if total else ""
        lines.append(f"  {_ZH_KIND[kind]} / {kind}: {total:,}{detail}")
    if result.vintage_updated:
        lines.append(f"  仅更新年份 / vintage only: {result.vintage_updated:,}")

    def section(kind: str, items: list[dict[str, Any]], show: Any) -> None:
        if items:
            lines.append(f"{_ZH_KIND[kind]} / {kind}:")
            lines.extend(f"  {show(c)}" for c in items)

    section("renamed", result.renamed, lambda c: f"{c['code']} {c['old']} → {c['new']}")
    section(
        "moved",
        result.moved,
        lambda c: f"{c['code']} {c['name']}: {c['old'] or '-'} → {c['new'] or '-'}",
    )
    section(
        "updated", result.updated, lambda c: f"{c['code']} {c['name']}: {c['old']} → {c['new']}"
    )
    section("restored", result.restored, lambda c: f"{c['code']} {c['name']}")
    section("retired", result.retired, lambda c: f"{c['code']} {c['name']} ({c['level']})")
    if len(result.added) <= LIST_ADDED_MAX:
        section(
            "added",
            result.added,
            lambda c: f"{c['code']} {c['name']} ({c['level']}, ← {c['parent_code'] or '-'})",
        )
    zh, en = level_counts(result.totals)
    lines.append(f"区划表现有 / the table now: {zh}")
    lines.append(f"  {en}")
    if result.retired_total:
        lines.append(f"  已撤销保留 / retired, kept for history: {result.retired_total:,}")
    return "\n".join(lines)
