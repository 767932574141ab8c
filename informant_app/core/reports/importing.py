"""Import a file of reports (docs/import-format.md): all or nothing, in one transaction.

Every record is parsed (and, when submitting, checked by the full rules) before anything is
written; one bad record refuses the whole file with problems that name the record and field.
Records already present with the same content are skipped, so importing twice is harmless.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store import report_store as store_module
from informant_app.core.store.drafts import default_event_name, dump_draft
from informant_app.core.store.duty import filing_columns
from informant_app.core.store.errors import translate_db_error
from informant_app.core.store.models import (
    EventRow,
    OutboxRow,
    ReportVersionRow,
    StateChangeRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from sync.contract import (
    ContractError,
    Issue,
    ReportContent,
    ValidationContext,
    blocking_issues,
    canonical_json,
    content_hash,
    default_divisions,
    utc_now,
    validate,
)
from sync.contract.rules import FigureFormat

FORMAT_NAME = "informant-reports"
FORMAT_VERSION = 1
#: Namespace of the ids generated for records that omit ``report_uuid``/``event_uuid``:
#: the same record always gets the same id, so importing a file twice adds nothing.
ID_NAMESPACE = uuid.UUID("8f0e4c1a-5b7d-4e21-9a3c-6d2f1b0e7a55")
_IN_CHUNK = 500
#: The largest import file read (a thousand reports take about 1 MB).
MAX_FILE_BYTES = 32 * 2**20


@dataclass(frozen=True)
class ImportProblem:
    """Why one record (or the file) cannot be imported.

    Attributes:
        index: the record's position in ``reports`` (0-based), ``None`` for the whole file.
        report_uuid: the record's ``report_uuid`` when it has one.
        field: the offending field (dotted, e.g. ``figures.crop_failed_ha``).
        rule: the rule that found it (``R0`` … ``R11``), ``None`` for format problems.
        zh: the message in Chinese.
        en: the message in English.
    """

    index: int | None
    report_uuid: str | None
    field: str
    rule: str | None
    zh: str
    en: str

    def message(self, lang: str) -> str:
        """Return one line naming the record and field, in ``lang``."""
        zh = lang.startswith("zh")
        if self.index is None:
            where = "文件" if zh else "file"
        elif zh:
            where = f"记录 reports[{self.index}]（第 {self.index + 1} 条）"
        else:
            where = f"record reports[{self.index}] (number {self.index + 1})"
        if self.report_uuid:
            where += f" report_uuid={self.report_uuid}"
        rule = f" [{self.rule}]" if self.rule else ""
        if zh:
            return f"{where}，字段 {self.field}{rule}：{self.zh}"
        return f"{where}, field {self.field}{rule}: {self.en}"


class ImportRefusedError(Exception):
    """The file was not imported (nothing was written); ``problems`` says why."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        super().__init__("; ".join(p.message("en") for p in problems[:5]))
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportSummary:
    """What an import did."""

    imported: int
    skipped: int
    submitted: bool
    version_uuids: list[str] = field(default_factory=list)


def _file_problem(zh: str, en: str) -> ImportRefusedError:
    return ImportRefusedError([ImportProblem(None, None, "file", None, zh, en)])


class _BadJsonError(ValueError):
    """A value the import refuses while parsing (duplicate key, NaN)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice (which value was meant is unknown)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _BadJsonError(
                f"键 “{key}” 在同一个对象中出现了两次",
                f"the key '{key}' appears twice in one object",
            )
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _BadJsonError(f"文件含有 {name}，不是有效的数字", f"the file holds {name}, not a number")


def _what_it_looks_like(raw: bytes) -> tuple[str, str] | None:
    """Name a common wrong file (a spreadsheet, a CSV export) for a clearer message."""
    if raw.startswith(b"PK\x03\x04"):
        return (
            "这是 Excel 或其他压缩文件，不是导入用的 JSON 文件",
            "this is an Excel (or other zip) file, not a JSON import file",
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            "这是旧版 Excel 或 Word 文件，不是导入用的 JSON 文件",
            "this is an old Excel or Word file, not a JSON import file",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return (
            "文件是 UTF-16 编码，请另存为 UTF-8 编码",
            "the file is UTF-16 text, not UTF-8; save it as UTF-8",
        )
    first_line = raw[:4096].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    if (
        b"," in first_line
        and b"\0" not in first_line
        and not first_line.lstrip().startswith((b"{", b"["))
    ):
        return (
            "这看起来是 CSV 表格，不是导入用的 JSON 文件（CSV 导出只供 Excel 查看）",
            "this looks like a CSV table, not a JSON import file (the CSV export is "
            "for Excel only)",
        )
    return None


def read_document(path: Path) -> Any:
    """Read an import file as JSON; ``ImportRefusedError`` when it cannot be read or parsed.

    Refused before anything is imported: a file larger than ``MAX_FILE_BYTES``, bytes that
    are not UTF-8, text that is not JSON (a spreadsheet or CSV is named as such), a key given
    twice in one object, ``NaN``/``Infinity``, nesting deeper than the parser allows and
    integers too long to convert.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_problem(
                f"文件有 {size / 2**20:.1f} MB，超过导入文件的上限 {MAX_FILE_BYTES // 2**20} MB，"
                "请分成几个文件导入",
                f"the file has {size / 2**20:.1f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                "an import file may have; split it into several files",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise _file_problem(
            f"无法读取文件 {path}：{exc.strerror}", f"cannot read {path}: {exc.strerror}"
        ) from exc
    looks = _what_it_looks_like(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        zh, en = looks or ("", "")
        raise _file_problem(
            zh or f"文件不是 UTF-8 编码的文本（第 {exc.start} 字节起无法解码）",
            en or f"the file is not UTF-8 text (cannot decode from byte {exc.start})",
        ) from exc
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_no_constant
        )
    except _BadJsonError as exc:
        raise _file_problem(exc.zh, exc.en) from exc
    except RecursionError as exc:
        raise _file_problem(
            "文件的 JSON 嵌套层数太深，无法读取", "the file's JSON is nested too deeply to read"
        ) from exc
    except json.JSONDecodeError as exc:
        if looks is not None:
            raise _file_problem(*looks) from exc
        raise _file_problem(
            f"文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
            f"the file is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})",
        ) from exc
    except ValueError as exc:  # an integer literal of thousands of digits
        raise _file_problem(
            "文件含有位数过多的数字，无法读取", f"the file holds a number too long to read: {exc}"
        ) from exc


def _envelope(document: Any) -> list[Any]:
    def refuse(zh: str, en: str, where: str) -> ImportRefusedError:
        return ImportRefusedError([ImportProblem(None, None, where, None, zh, en)])

    if not isinstance(document, Mapping):
        raise refuse("文件必须是 JSON 对象", "the file must hold a JSON object", "file")
    if document.get("format") != FORMAT_NAME:
        raise refuse(f"format 必须是 “{FORMAT_NAME}”", f"format must be '{FORMAT_NAME}'", "format")
    if document.get("version") != FORMAT_VERSION:
        raise refuse(
            f"不支持的格式版本：{document.get('version')}（支持 {FORMAT_VERSION}）",
            f"unsupported format version {document.get('version')} (supported: {FORMAT_VERSION})",
            "version",
        )
    reports = document.get("reports")
    if not isinstance(reports, list):
        raise refuse("reports 必须是列表", "reports must be a list", "reports")
    return reports


def _with_ids(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record with generated (stable) ids where it omits them."""
    data = dict(record)
    if not data.get("event_uuid"):
        key = "|".join(
            str(data.get(k) or "")
            for k in ("event_name", "disaster_type", "disaster_subtype", "occurred_at")
        )
        data["event_uuid"] = str(uuid.uuid5(ID_NAMESPACE, f"event|{key}"))
    if not data.get("report_uuid"):
        body = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
        data["report_uuid"] = str(uuid.uuid5(ID_NAMESPACE, f"report|{body}"))
    return data


def _identity(content: Mapping[str, Any]) -> dict[str, Any]:
    """Return what identifies a version's content for re-import: all but ``submitted_at``."""
    return {k: v for k, v in content.items() if k != "submitted_at"}


@dataclass
class _Parsed:
    index: int
    content: ReportContent
    existing_draft: str | None = None  # an identical draft to freeze instead of inserting


def _problem(index: int, report_uuid: str | None, issue: Issue) -> ImportProblem:
    return ImportProblem(index, report_uuid, issue.field, issue.rule, issue.zh, issue.en)


def _form_problems(content: ReportContent) -> list[Issue]:
    """Return what no draft may hold: negative or fractional counts.

    Ids stay free text of at most 64 characters (docs/import-format.md): any text is stored
    as text, never run.
    """
    return list(FigureFormat()(content, ValidationContext()))


def _parse_all(records: list[Any]) -> tuple[list[_Parsed], list[ImportProblem]]:
    parsed: list[_Parsed] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.append(
                ImportProblem(
                    index,
                    None,
                    "report",
                    "R0",
                    "每条记录必须是 JSON 对象",
                    "each record must be a JSON object",
                )
            )
            continue
        data = _with_ids(record)
        given_uuid = (
            record.get("report_uuid") if isinstance(record.get("report_uuid"), str) else None
        )
        try:
            content = ReportContent.from_dict(data)
        except ContractError as err:
            problems.append(ImportProblem(index, given_uuid, err.field, "R0", err.zh, err.en))
            continue
        form = _form_problems(content)
        if form:
            problems.extend(_problem(index, given_uuid, issue) for issue in form)
            continue
        if content.report_uuid in seen:
            first = seen[content.report_uuid]
            problems.append(
                ImportProblem(
                    index,
                    given_uuid,
                    "report_uuid",
                    "R0",
                    f"与 reports[{first}] 的 report_uuid 重复",
                    f"same report_uuid as reports[{first}]",
                )
            )
            continue
        seen[content.report_uuid] = index
        parsed.append(_Parsed(index, content))
    return parsed, problems


def _existing(s: Session, report_uuids: list[str]) -> dict[str, list[ReportVersionRow]]:
    found: dict[str, list[ReportVersionRow]] = {}
    for start in range(0, len(report_uuids), _IN_CHUNK):
        chunk = report_uuids[start : start + _IN_CHUNK]
        rows = s.scalars(select(ReportVersionRow).where(ReportVersionRow.report_uuid.in_(chunk)))
        for row in rows:
            found.setdefault(row.report_uuid, []).append(row)
    return found


def _same_content(row: ReportVersionRow, content: ReportContent) -> bool:
    try:
        stored = ReportContent.from_dict(json.loads(row.content))
    except ContractError:
        return False
    return _identity(stored.to_dict()) == _identity(content.to_dict())


def _sort_out_existing(
    s: Session, parsed: list[_Parsed], submit: bool, problems: list[ImportProblem]
) -> tuple[list[_Parsed], int]:
    """Drop records already present (identical); flag those present with other content."""
    existing = _existing(s, [p.content.report_uuid for p in parsed])
    fresh: list[_Parsed] = []
    skipped = 0
    for p in parsed:
        rows = existing.get(p.content.report_uuid)
        if not rows:
            fresh.append(p)
            continue
        same = next((r for r in rows if _same_content(r, p.content)), None)
        if same is None:
            problems.append(
                ImportProblem(
                    p.index,
                    p.content.report_uuid,
                    "report_uuid",
                    "R0",
                    "本机已有该报告，但内容不同（如需修改，请在软件中修订）",
                    "a report with this report_uuid exists here with different content "
                    "(revise it in the app to change it)",
                )
            )
        elif submit and same.state == ReportState.DRAFT.value and same.is_latest:
            p.existing_draft = same.version_uuid
            fresh.append(p)
        else:
            skipped += 1
    return fresh, skipped


class _Checker:
    """Runs the full rules over a batch, with each village's previous figures in the batch."""

    def __init__(self, s: Session, now: datetime) -> None:
        self._s = s
        self._now = now
        self._last: dict[tuple[str, str], dict[str, Decimal] | None] = {}
        self._event_names: dict[str, str] = {}
        profile = store_module.read_profile(s)
        self._allowed = frozenset(profile.village_codes) if profile is not None else None

    def named(self, content: ReportContent) -> ReportContent:
        if content.event_name.strip():
            self._event_names.setdefault(content.event_uuid, content.event_name)
            return content
        name = self._event_names.get(content.event_uuid)
        if name is None:
            event = self._s.get(EventRow, content.event_uuid)
            name = (
                event.name
                if event is not None
                else default_event_name(content, default_divisions())
            )
            self._event_names[content.event_uuid] = name
        return replace(content, event_name=name)

    def issues(self, content: ReportContent) -> list[Issue]:
        key = (content.event_uuid, content.village_code)
        if key not in self._last:
            self._last[key] = store_module.read_previous_figures(
                self._s, content.event_uuid, content.village_code, content.report_uuid
            )
        ctx = ValidationContext(
            previous_figures=self._last[key],
            now=self._now,
            divisions=default_divisions(),
            allowed_villages=self._allowed,
        )
        blocking = blocking_issues(validate(content, ctx), content.notes)
        if not blocking:  # a refused record is no "previous report" for the next one
            self._last[key] = dict(content.figures)
        return blocking


def import_reports(store: ReportStore, document: Any, *, submit: bool = False) -> ImportSummary:
    """Import every report of ``document`` or none.

    Without ``submit`` the records become drafts (only their form is checked); with it they
    are checked by the full rules and submitted (queued), all in one transaction.

    Raises:
        ImportRefusedError: some record (or the file) is bad; nothing was written.
        StoreError: a disk problem.
    """
    records = _envelope(document)
    parsed, problems = _parse_all(records)
    if problems:
        raise ImportRefusedError(problems)
    try:
        with store.write_session() as s, s.begin():
            fresh, skipped = _sort_out_existing(s, parsed, submit, problems)
            if problems:
                raise ImportRefusedError(problems)
            now = utc_now()
            contents = _prepared(s, fresh, submit, now, problems)
            if problems:
                raise ImportRefusedError(problems)
            versions = _write(s, fresh, contents, submit)
    except ImportRefusedError:
        raise
    except Exception as exc:
        translated = translate_db_error(exc)
        if translated is None:
            raise
        raise translated from exc
    return ImportSummary(
        imported=len(fresh), skipped=skipped, submitted=submit, version_uuids=versions
    )


def _prepared(
    s: Session, fresh: list[_Parsed], submit: bool, now: datetime, problems: list[ImportProblem]
) -> list[ReportContent]:
    if not submit:
        return [replace(p.content, submitted_at=None) for p in fresh]
    checker = _Checker(s, now)
    contents: list[ReportContent] = []
    for p in fresh:
        content = checker.named(p.content)
        if content.submitted_at is None:
            content = replace(content, submitted_at=now)
        for issue in checker.issues(content):
            problems.append(_problem(p.index, p.content.report_uuid, issue))
        contents.append(content)
    return contents


def _write(
    s: Session, fresh: list[_Parsed], contents: list[ReportContent], submit: bool
) -> list[str]:
    base = datetime.now(UTC)
    who = store_module.signer(s)
    filing = filing_columns(s)
    versions: list[str] = []
    rows: list[dict[str, Any]] = []
    events: dict[str, dict[str, Any]] = {}
    state = ReportState.QUEUED.value if submit else ReportState.DRAFT.value
    for offset, (p, content) in enumerate(zip(fresh, contents, strict=True)):
        stamp = base + timedelta(microseconds=offset)  # the list shows file order, newest last
        if p.existing_draft is not None:
            row = s.get(ReportVersionRow, p.existing_draft)
            if row is None:
                raise RuntimeError(f"draft {p.existing_draft} vanished during the import")
            store_module.freeze_version(s, row, content, stamp)
            versions.append(row.version_uuid)
            continue
        version_uuid = str(uuid.uuid4())
        versions.append(version_uuid)
        rows.append(
            {
                "version_uuid": version_uuid,
                "report_uuid": content.report_uuid,
                "parent_version_uuid": None,
                "version_no": 1,
                "is_latest": True,
                "event_uuid": content.event_uuid,
                "village_code": content.village_code,
                "stage": content.stage.value,
                "content": (
                    canonical_json(content).decode("utf-8")
                    if submit
                    else dump_draft(content.to_dict())
                ),
                "content_hash": content_hash(content) if submit else None,
                "state": state,
                "error_message": None,
                "created_at": stamp,
                "updated_at": stamp,
                "submitted_at": content.submitted_at if submit else None,
                "filing_role": None,
                "acting_for_name": None,
                **(
                    filing(content.village_code, content.submitted_at)
                    if submit and content.submitted_at is not None
                    else {}
                ),
            }
        )
        if submit:
            events.setdefault(
                content.event_uuid,
                {
                    "event_uuid": content.event_uuid,
                    "name": content.event_name,
                    "disaster_type": content.disaster_type,
                    "disaster_subtype": content.disaster_subtype,
                    "occurred_at": content.occurred_at,
                    "created_at": stamp,
                },
            )
    if rows:
        s.execute(insert(ReportVersionRow), rows)
    if submit and rows:
        s.execute(
            sqlite_insert(EventRow).on_conflict_do_nothing(index_elements=["event_uuid"]),
            list(events.values()),
        )
        s.execute(
            insert(OutboxRow),
            [
                {"version_uuid": r["version_uuid"], "created_at": r["created_at"], "attempts": 0}
                for r in rows
            ],
        )
        s.execute(
            insert(StateChangeRow),
            [
                {
                    "version_uuid": r["version_uuid"],
                    "state": state,
                    "message": None,
                    "changed_at": r["created_at"],
                    "informant_name": who[0],
                    "role": who[1],
                }
                for r in rows
            ],
        )
    return versions
