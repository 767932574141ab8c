"""The report: one definition of a report version's content, its parsing and canonical form.

Both ends build a ``ReportContent`` from plain JSON with ``ReportContent.from_dict`` and write it
back with ``to_dict``.  ``canonical_json`` is the byte form that identifies a version's content:
the server compares it to decide "duplicate" versus "conflicting re-use of a version id".
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from sync.contract.bilingual import BilingualError
from sync.contract.disasters import DISASTER_TYPE_BY_KEY
from sync.contract.indicators import INDICATOR_BY_FIELD
from sync.contract.stages import ReportStage

#: Version of the wire format; bumped on incompatible changes.
PROTOCOL_VERSION = 1

Figures = dict[str, Decimal]


class ContractError(BilingualError, ValueError):
    """A value that does not fit the report definition, naming the field.

    Attributes:
        field: the offending field (dotted for nested values, e.g. ``figures.deaths``).
    """

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.args = (f"{field}: {en}",)
        self.field = field


class ContentTooLargeError(ContractError):
    """A part of a version (or the whole) above its size limit (``Limits``), naming the field."""


@dataclass(frozen=True)
class Limits:
    """How large each part of a report version may be: one definition for app and server.

    Generous for real use (a village of several thousand households, every house damaged;
    hundreds of dead or missing), far below what would burden the server or the devices that
    pull every version of their area.  Counted in characters (``len``) for texts and in rows
    for lists; ``content_bytes`` bounds the whole canonical JSON (UTF-8), whatever the parts.
    """

    narrative_chars: int = 20_000
    event_name_chars: int = 200
    notes: int = 200
    note_key_chars: int = 100
    note_chars: int = 500
    ledger_rows: int = 5_000
    name_chars: int = 100
    row_note_chars: int = 500
    household_rows: int = 5_000
    photos: int = 100
    mime_chars: int = 100
    content_bytes: int = 256 * 1024


#: The limits every version is held to (the app before queueing, the server at ingest).
LIMITS = Limits()


@dataclass(frozen=True)
class PhotoRef:
    """A photo attached to a report version, identified by the SHA-256 of its bytes."""

    sha256: str
    size: int
    mime: str = "image/jpeg"


@dataclass(frozen=True)
class LedgerEntry:
    """One row of the name ledger of the dead and missing (死亡失踪人员名单)."""

    name: str
    status: str  # "death" or "missing"
    note: str = ""


LEDGER_STATUSES = ("death", "missing")


@dataclass(frozen=True)
class HouseholdLedgerEntry:
    """One row of the household ledger (户数台账): a household whose house fell or was damaged.

    Attributes:
        head: the head of household (户主).
        damage: ``collapsed`` (倒塌), ``severe`` (严重损坏) or ``minor`` (一般损坏): the house
            class whose ``house_<damage>_hh`` and ``house_<damage>_rooms`` figures it counts in.
        rooms: the household's rooms of that class (间).
        note: a remark.
    """

    head: str
    damage: str
    rooms: int
    note: str = ""


#: The damage kinds of the household ledger, in the order of the indicators.
HOUSE_DAMAGE_KINDS = ("collapsed", "severe", "minor")
#: Rooms one household may list; far above any real house.
MAX_HOUSEHOLD_ROOMS = 1000

_SHA256_RE = re.compile(r"[0-9a-fA-F]{64}")


def utc_now() -> datetime:
    """Return the current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def format_time(value: datetime) -> str:
    """Return ``value`` as an ISO-8601 UTC string ending in ``Z``."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    # isoformat, not strftime("%Y"): strftime does not zero-pad years below 1000 on every
    # platform, and "999-01-01T00:00:00Z" would not parse back.
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_time(value: object, field_name: str) -> datetime:
    """Parse an ISO-8601 time with a zone; raise ``ContractError`` naming ``field_name``."""
    if type(value) is str:  # a report's times repeat (one event, one day): parsed once each
        parsed = _parse_time_text(value)
        if parsed is not None:
            return parsed
    return _parse_time(value, field_name)


@lru_cache(maxsize=4096)
def _parse_time_text(value: str) -> datetime | None:
    """Return the time ``value`` gives, or ``None`` when it gives none (a datetime is immutable)."""
    try:
        return _parse_time(value, "")
    except ContractError:
        return None


def _parse_time(value: object, field_name: str) -> datetime:
    """Parse an ISO-8601 time with a zone; raise ``ContractError`` naming ``field_name``."""
    if not isinstance(value, str):
        raise ContractError(field_name, "时间格式不正确", "time must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ContractError(
            field_name, f"时间格式不正确：{value}", f"not an ISO-8601 time: {value}"
        ) from None
    if parsed.tzinfo is None:
        raise ContractError(
            field_name, "时间必须带时区（如 +08:00 或 Z）", "time needs a zone (e.g. +08:00 or Z)"
        )
    try:
        return parsed.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # e.g. 0001-01-01T00:00+08:00 lies before the first UTC datetime
        raise ContractError(
            field_name, f"时间超出范围：{value}", f"time out of range: {value}"
        ) from None


#: The report stages by value (a look-up: quicker than the enum's call, which ``from_dict``
#: would make for every report).
_STAGES = {stage.value: stage for stage in ReportStage}
#: A figure not given (one shared value: a Decimal never changes).
_ZERO = Decimal(0)
#: Figures must stay below this magnitude (far above any real total).
FIGURE_LIMIT = Decimal("1e12")
_INT_LIMIT = int(FIGURE_LIMIT)
_FLOAT_LIMIT = float(FIGURE_LIMIT)
#: Digits after the point a figure may carry at all (trailing zeros aside).  Rule 1 allows only
#: an indicator's own decimals; this bound merely keeps absurd inputs such as ``1e-999999999``
#: (which would expand to a billion digits when printed) out of the system.
MAX_FRACTION_DIGITS = 20


def parse_figure(field_name: str, value: object) -> Decimal:
    """Parse one figure; the rules (not this parser) judge sign and decimals."""
    if type(value) is int and -_INT_LIMIT < value < _INT_LIMIT:  # a count: the common case
        return Decimal(value)
    if type(value) is float and -_FLOAT_LIMIT < value < _FLOAT_LIMIT:  # (not NaN) an area
        text = repr(value)  # what str() gives: the shortest text that reads back as the float
        if "e" not in text:  # positional: at most 20 decimals (1e-4 and above), no exponent
            number = Decimal(text)
            return _ZERO if number.is_zero() else number
    name = f"figures.{field_name}"
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ContractError(name, "数值必须是数字", "figure must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ContractError(name, "数值无效", "figure is not a finite number")
    if isinstance(value, int) and abs(value) >= FIGURE_LIMIT:  # before str(): huge ints
        raise ContractError(name, "数值过大", "figure is too large")
    if type(value) is int:  # a count: exactly the number its text would give, without the text
        return Decimal(value)
    text = str(value).strip()
    if "_" in text:  # Decimal() accepts "1_000"; a typed figure with underscores is a typo
        raise ContractError(name, f"不是数字：{value}", f"not a number: {value}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ContractError(name, f"不是数字：{value}", f"not a number: {value}") from None
    if not number.is_finite():
        raise ContractError(name, "数值无效", "figure is not a finite number")
    if number.copy_abs() >= FIGURE_LIMIT:  # copy_abs: no context, so no Overflow
        raise ContractError(name, "数值过大", "figure is too large")
    if number.is_zero():
        return Decimal(0)  # one zero: not -0, 0E+99 or 0.000
    _sign, digits, exponent = number.as_tuple()
    if int(exponent) >= -MAX_FRACTION_DIGITS:  # trailing zeros could only add to it
        return number
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if int(exponent) + trailing_zeros < -MAX_FRACTION_DIGITS:
        raise ContractError(name, "小数位数过多", "figure has far too many decimals")
    return number


def parse_figures(raw: object) -> Figures:
    """Parse the ``figures`` object: known indicator names only, empty values dropped."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ContractError("figures", "figures 必须是对象", "figures must be an object")
    figures: Figures = {}
    for name, value in raw.items():
        if name not in INDICATOR_BY_FIELD:
            raise ContractError(
                f"figures.{name}", f"未知指标：{name}", f"unknown indicator: {name}"
            )
        if value is not None and value != "":
            figures[name] = parse_figure(name, value)
    return figures


def figure_to_json(field_name: str, value: Decimal) -> int | float | str:
    """Return the JSON value of a figure: ints for counts, floats for 2-decimal figures.

    A value that does not fit its indicator (a fraction of a person) is kept as a string so
    that nothing is silently rounded; the rules reject it.
    """
    decimals = INDICATOR_BY_FIELD[field_name].decimals
    if value != value.quantize(Decimal(1).scaleb(-decimals)):
        # One spelling per number, so that equal content gives equal bytes ("1.50" == "1.5").
        return str(value.normalize(Context(prec=max(len(value.as_tuple().digits), 1))))
    if decimals == 0:
        return int(value)
    return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class ReportContent:
    """The content of one report version: what the informant files.

    Figures hold only the indicators that were given; a missing key means "not entered".
    ``notes`` maps an issue key (``rule:field``) to the informant's explanation of a warning.
    """

    report_uuid: str
    event_uuid: str
    event_name: str
    stage: ReportStage
    disaster_type: str
    village_code: str
    occurred_at: datetime
    data_cutoff_at: datetime
    disaster_subtype: str | None = None
    submitted_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    narrative: str = ""
    figures: Figures = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    photos: tuple[PhotoRef, ...] = ()
    ledger: tuple[LedgerEntry, ...] = ()
    emergency_response: bool = False
    event_stable: bool = False
    households: tuple[HouseholdLedgerEntry, ...] = ()

    def figure(self, name: str) -> Decimal:
        """Return a figure, 0 when not given."""
        return self.figures.get(name, _ZERO)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form of this content (the wire and storage format).

        ``households`` appears only when the report lists households: content without them
        keeps the bytes (and the content hash) it had before the household ledger existed,
        and older apps and servers, which know no such key, accept it.
        """
        data: dict[str, Any] = {
            "report_uuid": self.report_uuid,
            "event_uuid": self.event_uuid,
            "event_name": self.event_name,
            "stage": self.stage.value,
            "disaster_type": self.disaster_type,
            "disaster_subtype": self.disaster_subtype,
            "village_code": self.village_code,
            "occurred_at": format_time(self.occurred_at),
            "data_cutoff_at": format_time(self.data_cutoff_at),
            "submitted_at": format_time(self.submitted_at) if self.submitted_at else None,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "narrative": self.narrative,
            "figures": {k: figure_to_json(k, v) for k, v in self.figures.items()},
            "notes": dict(self.notes),
            "photos": [{"sha256": p.sha256, "size": p.size, "mime": p.mime} for p in self.photos],
            "ledger": [{"name": e.name, "status": e.status, "note": e.note} for e in self.ledger],
            "emergency_response": self.emergency_response,
            "event_stable": self.event_stable,
        }
        if self.households:
            data["households"] = [
                {"head": h.head, "damage": h.damage, "rooms": h.rooms, "note": h.note}
                for h in self.households
            ]
        return data

    @classmethod
    def from_dict(cls, data: object) -> ReportContent:
        """Build content from its JSON form; raise ``ContractError`` naming the bad field."""
        if not isinstance(data, Mapping):
            raise ContractError("report", "报告必须是 JSON 对象", "a report must be a JSON object")
        d = dict(data)
        unknown = (
            [] if CONTENT_KEYS.issuperset(d) else sorted(str(k) for k in d if k not in CONTENT_KEYS)
        )
        if unknown:  # a misspelt key ("narative") must not vanish silently
            raise ContractError(
                unknown[0], f"未知字段：{unknown[0]}", f"unknown field: {unknown[0]}"
            )
        required = (
            "report_uuid",
            "event_uuid",
            "stage",
            "disaster_type",
            "village_code",
            "occurred_at",
            "data_cutoff_at",
        )
        for name in required:
            if d.get(name) in (None, ""):
                raise ContractError(name, "必填项缺失", "required field is missing")
        stage = _STAGES.get(d["stage"]) if isinstance(d["stage"], str) else None
        if stage is None:
            raise ContractError(
                "stage", f"未知的报告阶段：{d['stage']}", f"unknown report stage: {d['stage']}"
            )
        disaster = DISASTER_TYPE_BY_KEY.get(str(d["disaster_type"]))
        if disaster is None:
            raise ContractError(
                "disaster_type",
                f"未知的灾种：{d['disaster_type']}",
                f"unknown disaster type: {d['disaster_type']}",
            )
        subtype = d.get("disaster_subtype")
        if subtype in (None, ""):  # not "or None": 0, false or [] are errors, not "no subtype"
            subtype = None
        if subtype is not None and (
            not isinstance(subtype, str) or disaster.subtype(subtype) is None
        ):
            raise ContractError(
                "disaster_subtype",
                f"“{disaster.zh}”没有子类“{subtype}”",
                f"{disaster.en} has no subtype {subtype}",
            )
        for text_field in ("report_uuid", "event_uuid", "village_code"):
            if not isinstance(d[text_field], str) or len(d[text_field]) > 64:
                raise ContractError(text_field, "格式不正确", "must be a short text")
        return cls(
            report_uuid=d["report_uuid"],
            event_uuid=d["event_uuid"],
            event_name=_text(d, "event_name", LIMITS.event_name_chars),
            stage=stage,
            disaster_type=disaster.key,
            disaster_subtype=subtype,
            village_code=d["village_code"],
            occurred_at=parse_time(d["occurred_at"], "occurred_at"),
            data_cutoff_at=parse_time(d["data_cutoff_at"], "data_cutoff_at"),
            submitted_at=(
                None
                if d.get("submitted_at") in (None, "")
                else parse_time(d["submitted_at"], "submitted_at")
            ),
            latitude=_coordinate(d, "latitude", 90.0),
            longitude=_coordinate(d, "longitude", 180.0),
            narrative=_text(d, "narrative", LIMITS.narrative_chars),
            figures=parse_figures(d.get("figures")),
            notes=_notes(d.get("notes")),
            photos=_photos(d.get("photos")),
            ledger=_ledger(d.get("ledger")),
            emergency_response=_flag(d, "emergency_response"),
            event_stable=_flag(d, "event_stable"),
            households=_households(d.get("households")),
        )


def _text(d: Mapping[str, Any], name: str, limit: int) -> str:
    value = d.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ContractError(name, "必须是文字", "must be text")
    if len(value) > limit:
        raise _too_long(name, limit, len(value))
    return value


def _too_long(name: str, limit: int, length: int) -> ContentTooLargeError:
    return ContentTooLargeError(
        name,
        f"文字过长：{length} 字，最多 {limit} 字",
        f"text too long: {length} characters, at most {limit}",
    )


def _too_many(
    name: str, zh_what: str, en_what: str, limit: int, count: int
) -> ContentTooLargeError:
    return ContentTooLargeError(
        name,
        f"{zh_what}过多：{count} 条，最多 {limit} 条",
        f"too many {en_what}: {count}, at most {limit}",
    )


def _flag(d: Mapping[str, Any], name: str) -> bool:
    value = d.get(name, False)
    if not isinstance(value, bool):
        raise ContractError(name, "必须是 true 或 false", "must be true or false")
    return value


def _coordinate(d: Mapping[str, Any], name: str, limit: float) -> float | None:
    value = d.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ContractError(name, "坐标必须是数字", "coordinate must be a number")
    # An int is compared as it is: math.isfinite() cannot convert a huge int to float.
    in_range = (
        abs(value) <= limit
        if isinstance(value, int)
        else (math.isfinite(value) and abs(value) <= limit)
    )
    if not in_range:
        raise ContractError(
            name, f"坐标超出范围（±{limit:g}）", f"coordinate out of range (±{limit:g})"
        )
    return float(value)


def _notes(raw: object) -> dict[str, str]:
    if raw is None or raw == {}:  # (most reports carry none)
        return {}
    if not isinstance(raw, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ContractError("notes", "说明必须是文字", "notes must map keys to text")
    if len(raw) > LIMITS.notes:
        raise _too_many("notes", "说明", "notes", LIMITS.notes, len(raw))
    for key, text in raw.items():
        if len(key) > LIMITS.note_key_chars:
            raise ContentTooLargeError(
                "notes", "说明的问题编号格式不正确", "a note's issue key is far too long"
            )
        if len(text) > LIMITS.note_chars:
            raise ContentTooLargeError(
                f"notes[{key}]",
                f"说明过长：{len(text)} 字，最多 {LIMITS.note_chars} 字",
                f"note too long: {len(text)} characters, at most {LIMITS.note_chars}",
            )
    return {k: v for k, v in raw.items() if v.strip()}


def _photos(raw: object) -> tuple[PhotoRef, ...]:
    if raw is None or raw == []:  # (most reports list none)
        return ()
    if not isinstance(raw, list):
        raise ContractError("photos", "照片列表格式不正确", "photos must be a list")
    if len(raw) > LIMITS.photos:
        raise _too_many("photos", "照片", "photos", LIMITS.photos, len(raw))
    photos = []
    for i, p in enumerate(raw):
        if not (
            isinstance(p, Mapping)
            and isinstance(p.get("sha256"), str)
            and _SHA256_RE.fullmatch(p["sha256"])
            and isinstance(p.get("size"), int)
            and not isinstance(p["size"], bool)
            and p["size"] >= 0
            and isinstance(p.get("mime", "image/jpeg"), str)
            and len(p.get("mime", "image/jpeg")) <= LIMITS.mime_chars
        ):
            raise ContractError(f"photos[{i}]", "照片信息不正确", "photo needs sha256 and size")
        photos.append(PhotoRef(p["sha256"].lower(), p["size"], p.get("mime", "image/jpeg")))
    return tuple(photos)


def _ledger(raw: object) -> tuple[LedgerEntry, ...]:
    if raw is None or raw == []:  # (most reports list none)
        return ()
    if not isinstance(raw, list):
        raise ContractError("ledger", "名单格式不正确", "ledger must be a list")
    if len(raw) > LIMITS.ledger_rows:
        raise _too_many("ledger", "名单行数", "ledger rows", LIMITS.ledger_rows, len(raw))
    entries = []
    for i, e in enumerate(raw):
        if not (
            isinstance(e, Mapping)
            and isinstance(e.get("name"), str)
            and e["name"].strip()
            and e.get("status") in LEDGER_STATUSES
            and isinstance(e.get("note") or "", str)
        ):
            raise ContractError(
                f"ledger[{i}]",
                "名单每行需要姓名和状态（死亡/失踪）",
                "each ledger row needs a name and a status (death/missing)",
            )
        _row_texts(f"ledger[{i}]", e["name"], e.get("note") or "")
        entries.append(LedgerEntry(e["name"].strip(), e["status"], e.get("note") or ""))
    return tuple(entries)


def _households(raw: object) -> tuple[HouseholdLedgerEntry, ...]:
    if raw is None or raw == []:  # (most reports list none)
        return ()
    if not isinstance(raw, list):
        raise ContractError("households", "户数台账格式不正确", "households must be a list")
    if len(raw) > LIMITS.household_rows:
        raise _too_many(
            "households", "户数台账行数", "household rows", LIMITS.household_rows, len(raw)
        )
    entries = []
    for i, e in enumerate(raw):
        rooms = e.get("rooms") if isinstance(e, Mapping) else None
        if not (
            isinstance(e, Mapping)
            and set(e) <= {"head", "damage", "rooms", "note"}
            and isinstance(e.get("head"), str)
            and e["head"].strip()
            and e.get("damage") in HOUSE_DAMAGE_KINDS
            and isinstance(rooms, int)
            and not isinstance(rooms, bool)
            and 0 < rooms <= MAX_HOUSEHOLD_ROOMS
            and isinstance(e.get("note") or "", str)
        ):
            raise ContractError(
                f"households[{i}]",
                "户数台账每行需要户主姓名、损坏程度（倒塌/严重损坏/一般损坏）和间数（正整数）",
                "each household row needs the head of household, the damage "
                "(collapsed/severe/minor) and a whole number of rooms above 0",
            )
        _row_texts(f"households[{i}]", e["head"], e.get("note") or "")
        entries.append(
            HouseholdLedgerEntry(e["head"].strip(), e["damage"], rooms, e.get("note") or "")
        )
    return tuple(entries)


def _row_texts(row: str, name: str, note: str) -> None:
    """Hold a ledger row's name and remark to their limits (``ContentTooLargeError``)."""
    if len(name) > LIMITS.name_chars:
        raise ContentTooLargeError(
            row,
            f"姓名过长：{len(name)} 字，最多 {LIMITS.name_chars} 字",
            f"name too long: {len(name)} characters, at most {LIMITS.name_chars}",
        )
    if len(note) > LIMITS.row_note_chars:
        raise ContentTooLargeError(
            row,
            f"备注过长：{len(note)} 字，最多 {LIMITS.row_note_chars} 字",
            f"remark too long: {len(note)} characters, at most {LIMITS.row_note_chars}",
        )


#: The keys of a report's JSON form (``ReportContent.to_dict``).
CONTENT_KEYS = frozenset(
    {
        "report_uuid",
        "event_uuid",
        "event_name",
        "stage",
        "disaster_type",
        "disaster_subtype",
        "village_code",
        "occurred_at",
        "data_cutoff_at",
        "submitted_at",
        "latitude",
        "longitude",
        "narrative",
        "figures",
        "notes",
        "photos",
        "ledger",
        "emergency_response",
        "event_stable",
        "households",
    }
)
#: Keys ``to_dict`` writes only when they hold something (added after the first release: old
#: content, without them, keeps its canonical bytes).
OPTIONAL_CONTENT_KEYS = frozenset({"households"})


def canonical_json(content: ReportContent) -> bytes:
    """Return the canonical bytes of ``content``: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        content.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


#: The parts of a report that can grow large, in the order a size error names them.
_LARGE_PARTS = ("households", "ledger", "narrative", "notes", "photos")


def size_error(content: ReportContent) -> ContentTooLargeError | None:
    """Return the error when the whole canonical JSON exceeds ``LIMITS.content_bytes``.

    The error names the largest part (``households``, ``ledger``, ``narrative``, ``notes`` or
    ``photos``), so that the form can show it beside what to shorten.
    """
    size = len(canonical_json(content))
    if size <= LIMITS.content_bytes:
        return None
    data = content.to_dict()
    part = max(
        _LARGE_PARTS,
        key=lambda k: len(json.dumps(data.get(k), ensure_ascii=False).encode("utf-8")),
    )
    kib, limit = -(-size // 1024), LIMITS.content_bytes // 1024
    return ContentTooLargeError(
        part,
        f"报告过大：{kib} KiB，最多 {limit} KiB；请精简此项",
        f"the report is too large: {kib} KiB, at most {limit} KiB; shorten this part",
    )


def content_hash(content: ReportContent) -> str:
    """Return the SHA-256 (hex) of the canonical content."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
