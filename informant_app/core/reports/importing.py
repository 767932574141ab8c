"""Import a file of reports (docs/import-format.md): all or nothing, in one transaction.

Every record is parsed (and, when submitting, checked by the full rules) before anything is
written; one bad record refuses the whole file with problems that name the record and field.
Records already present with the same content are skipped, so importing twice is harmless.

Long imports report progress (``Phase.READ``: records checked of all, then ``Phase.WRITE``)
and may be cancelled while the records are checked: ``CancelledError`` then, with nothing
written.  Once writing starts it is one transaction: it commits whole or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from informant_app.core.store.imports import ImportRecord, RecordsRefusedError, write_import
from informant_app.core.store.report_store import ReportStore
from informant_app.core.sync.types import (
    CancelCheck,
    CancelledError,
    Phase,
    Progress,
    ProgressCallback,
    Unit,
    ignore,
    never_cancelled,
)
from sync.contract import (
    ContractError,
    Issue,
    ReportContent,
    ValidationContext,
)
from sync.contract.rules import FigureFormat

FORMAT_NAME = "informant-reports"
FORMAT_VERSION = 1
#: Namespace of the ids generated for records that omit ``report_uuid``/``event_uuid``:
#: the same record always gets the same id, so importing a file twice adds nothing.
ID_NAMESPACE = uuid.UUID("8f0e4c1a-5b7d-4e21-9a3c-6d2f1b0e7a55")
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


def _problem(index: int, report_uuid: str | None, issue: Issue) -> ImportProblem:
    return ImportProblem(index, report_uuid, issue.field, issue.rule, issue.zh, issue.en)


def _form_problems(content: ReportContent) -> list[Issue]:
    """Return what no draft may hold: negative or fractional counts.

    Ids stay free text of at most 64 characters (docs/import-format.md): any text is stored
    as text, never run.
    """
    return list(FigureFormat()(content, ValidationContext()))


def _parse_all(
    records: list[Any],
    progress: ProgressCallback = ignore,
    cancelled: CancelCheck = never_cancelled,
) -> tuple[list[ImportRecord], list[ImportProblem]]:
    parsed: list[ImportRecord] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    total = len(records)
    for index, record in enumerate(records):
        if cancelled():
            raise CancelledError
        progress(Progress(Phase.READ, index, total, Unit.RECORDS))
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
        parsed.append(ImportRecord(index, content))
    return parsed, problems


def import_reports(
    store: ReportStore,
    document: Any,
    *,
    submit: bool = False,
    progress: ProgressCallback = ignore,
    cancelled: CancelCheck = never_cancelled,
) -> ImportSummary:
    """Import every report of ``document`` or none.

    Without ``submit`` the records become drafts (only their form is checked); with it they
    are checked by the full rules and submitted (queued), all in one transaction.
    ``progress`` hears each record checked (``Phase.READ``), then ``Phase.WRITE``;
    ``cancelled`` is asked before each record and once more before writing.

    Raises:
        ImportRefusedError: some record (or the file) is bad; nothing was written.
        CancelledError: ``cancelled()`` said so before writing began; nothing was written.
        StoreError: a disk problem.
    """
    records = _envelope(document)
    parsed, problems = _parse_all(records, progress, cancelled)
    if problems:
        raise ImportRefusedError(problems)
    progress(Progress(Phase.READ, len(records), len(records), Unit.RECORDS))
    if cancelled():
        raise CancelledError
    progress(Progress(Phase.WRITE, 0, len(parsed), Unit.RECORDS))
    try:
        written = write_import(store, parsed, submit)
    except RecordsRefusedError as exc:
        raise ImportRefusedError(
            [_problem(index, report_uuid, issue) for index, report_uuid, issue in exc.problems]
        ) from exc
    return ImportSummary(
        imported=written.imported,
        skipped=written.skipped,
        submitted=submit,
        version_uuids=written.version_uuids,
    )
