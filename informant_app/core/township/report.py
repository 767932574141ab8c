"""The township report (rule 12) and the completeness panel on the reviewer's device.

Both are the server's computation: fetched online (typed by ``sync.contract.wire.township``),
kept in ``review_cache`` as the wire's JSON object, and read from that object both at once and
offline (``from_cache=True``).  Adjustments and submissions need the server.

Each online function comes in two steps: ``request_…`` asks the server and only reads the
store (falling back to the kept copy offline); the GUI runs it on the task manager's
``network`` lane, on a read-only connection.  ``save_…`` keeps a fresh answer, on the ``db``
lane, the GUI's one writer.  The plain functions (``fetch_report`` …) do both, for the headless
commands and the tests.  Figures arrive
as JSON numbers and become ``Decimal`` values through the contract's parser.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from informant_app.core.account.online import (
    Cached,
    call,
    load_cache,
    save_cache,
    signed_in_account,
    township_code_of,
)
from informant_app.core.review.types import (
    ReviewOfflineError,
    ReviewRefusedError,
    ReviewUnavailableError,
    TownshipAdjustment,
    TownshipReport,
    TownshipTotalMismatchError,
    TownshipVillageRow,
    VillageCompleteness,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.township import latest_submission as latest_stored_submission
from informant_app.core.store.township import names_of
from informant_app.core.sync.types import Account
from sync.client.api import ClientError, SyncClient, parse_server_time
from sync.contract import INDICATOR_BY_FIELD, ContractError, Issue, ReportStage, Severity
from sync.contract.china_time import CHINA_TZ
from sync.contract.report import figure_to_json, parse_figure, parse_figures
from sync.contract.wire.base import as_object
from sync.contract.wire.township import SubmitResult

log = logging.getLogger(__name__)

#: China Standard Time: the day of the zero-report rule.
CHINA = CHINA_TZ


def report_key(township_code: str, event_uuid: str, stage: ReportStage | str) -> str:
    """Return the cache key of a township report."""
    return f"township_report|{township_code}|{event_uuid}|{ReportStage(stage).value}"


def completeness_key(township_code: str, event_uuid: str | None, day: str | None) -> str:
    """Return the cache key of a completeness answer."""
    return f"completeness|{township_code}|{event_uuid or ''}|{day or ''}"


def _time(value: object) -> datetime | None:
    try:
        return parse_server_time(value)
    except ValueError:
        return None


def _figures(raw: object) -> dict[str, Decimal]:
    try:
        return dict(parse_figures(raw))
    except ContractError:
        log.warning("figures of the server do not fit the contract: %r", raw)
        return {}


def _issues(raw: object) -> list[Issue]:
    issues: list[Issue] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            severity = Severity.WARNING if item.get("severity") == "warning" else Severity.ERROR
            issues.append(
                Issue(
                    str(item.get("rule") or "R12"),
                    severity,
                    str(item.get("field") or ""),
                    str(item.get("zh") or ""),
                    str(item.get("en") or ""),
                )
            )
    return issues


def wire_figures(figures: Mapping[str, Decimal]) -> dict[str, int | float | str]:
    """Return figures as the server's JSON numbers, in the national order."""
    return {
        name: figure_to_json(name, figures[name]) for name in INDICATOR_BY_FIELD if name in figures
    }


def report_of(
    payload: Mapping[str, Any], fetched_at: datetime, from_cache: bool, names: Mapping[str, str]
) -> TownshipReport:
    """Return the ``TownshipReport`` of the server's answer (``names``: user → display)."""
    villages = [
        TownshipVillageRow(
            village_code=str(v["village_code"]),
            village_name=str(v.get("village_name") or ""),
            version_uuid=str(v["version_uuid"]),
            filed_by=names.get(str(v.get("submitted_by")), str(v.get("submitted_by") or "")),
            filed_role=v.get("post_role"),
            figures=_figures(v.get("figures")),
            report_uuid=str(v.get("report_uuid") or ""),
            version_no=int(v.get("version_no") or 0),
            data_cutoff_at=_time(v.get("data_cutoff_at")),
            filed_by_username=str(v.get("submitted_by") or ""),
        )
        for v in payload.get("villages") or []
    ]
    adjustments = [
        TownshipAdjustment(
            field=str(a["field"]),
            delta=parse_figure(str(a["field"]), a["delta"]),
            reason=str(a.get("reason") or ""),
            made_by=str(a.get("made_by_name") or a.get("made_by") or ""),
            adjustment_uuid=str(a.get("adjustment_uuid") or ""),
            made_by_username=str(a.get("made_by") or ""),
            role=a.get("post_role"),
            server_received_at=_time(a.get("server_received_at")),
        )
        for a in payload.get("adjustments") or []
    ]
    total = _figures(payload.get("total"))
    submission = payload.get("submission")
    submitted = False
    submitted_at = None
    county_decision: str | None = None
    county_reason = ""
    if isinstance(submission, dict):
        submitted_at = _time(submission.get("server_received_at"))
        check = submission.get("check") or {}
        county_decision = submission.get("county_decision") or None
        county_reason = str(submission.get("county_reason") or "")
        # a report the county returned is to be corrected and submitted again
        submitted = (
            bool(check.get("ok"))
            and _figures(submission.get("figures")) == total
            and county_decision != "return"
        )
    check = payload.get("check") or {}
    return TownshipReport(
        township_code=str(payload["township_code"]),
        township_name=str(payload.get("township_name") or ""),
        event_uuid=str(payload["event_uuid"]),
        event_name=str(payload.get("event_name") or ""),
        stage=ReportStage(str(payload["stage"])),
        villages=villages,
        village_sum=_figures(payload.get("village_sum")),
        adjustments=adjustments,
        total=total,
        check_issues=_issues(check.get("issues")),
        fetched_at=fetched_at,
        from_cache=from_cache,
        submitted=submitted,
        raw=dict(payload),
        server_time=_time(payload.get("server_time")),
        submission_uuid=str(uuid.uuid4()),
        submitted_at=submitted_at,
        county_decision=county_decision,
        county_reason=county_reason,
    )


def _names(store: ReportStore, payload: Mapping[str, Any]) -> dict[str, str]:
    users = [str(v.get("submitted_by") or "") for v in payload.get("villages") or []]
    return names_of(store, users)


def _code(store: ReportStore, township_code: str | None) -> str:
    return township_code or township_code_of(signed_in_account(store))


@dataclass(frozen=True)
class ReportAnswer:
    """A township report as requested: the server's answer to keep, or the kept copy offline.

    Attributes:
        key: the cache key of the report.
        data: the server's answer as a JSON object (``None``: none came; ``kept`` stands).
        kept: the report to show without saving anything (the kept copy, offline).
    """

    key: str
    data: dict[str, Any] | None = None
    kept: TownshipReport | None = None


def request_report(
    store: ReportStore, event_uuid: str, stage: ReportStage, township_code: str | None = None
) -> ReportAnswer:
    """Ask the server for the township report; offline, read the kept copy (writes nothing)."""
    code = _code(store, township_code)
    stage = ReportStage(stage)
    key = report_key(code, event_uuid, stage)
    try:
        payload = call(store, lambda c, _a: c.township_report(code, event_uuid, stage.value))
    except ReviewOfflineError as exc:
        cached = load_cache(store, key)
        if cached is None:
            raise ReviewUnavailableError(
                f"乡镇报表需要连接服务器，本机也没有保存的副本（{exc.zh}）",
                f"the township report needs the server and no copy is kept here ({exc.en})",
            ) from exc
        return ReportAnswer(key, kept=_from_cache(store, cached))
    return ReportAnswer(key, data=as_object(payload))  # one reader for answer and copy


def save_report(store: ReportStore, answer: ReportAnswer) -> TownshipReport:
    """Keep a fresh answer (``request_report``) and return its report."""
    if answer.data is None:
        if answer.kept is None:
            raise ValueError("a report answer carries either data or the kept report")
        return answer.kept
    fetched = save_cache(store, answer.key, "township_report", answer.data)
    return report_of(answer.data, fetched, False, _names(store, answer.data))


def fetch_report(
    store: ReportStore, event_uuid: str, stage: ReportStage, township_code: str | None = None
) -> TownshipReport:
    """Fetch the township report and cache it; offline, the cached copy."""
    return save_report(store, request_report(store, event_uuid, stage, township_code))


def _from_cache(store: ReportStore, cached: Cached) -> TownshipReport:
    report = report_of(cached.payload, cached.fetched_at, True, _names(store, cached.payload))
    latest = latest_submission(store, report.township_code, report.event_uuid, report.stage)
    if latest is not None and (report.submitted_at is None or latest[0] > report.submitted_at):
        # A submission pulled since this copy was fetched (by the reviewer's colleague).
        return _with_submission(report, latest)
    return report


def _with_submission(
    report: TownshipReport, latest: tuple[datetime, dict[str, Any]]
) -> TownshipReport:
    submitted = _figures(latest[1].get("figures")) == report.total
    return replace(report, submitted=submitted, submitted_at=latest[0])


def latest_submission(
    store: ReportStore, township_code: str, event_uuid: str, stage: ReportStage
) -> tuple[datetime, dict[str, Any]] | None:
    """Return the newest submission the change feed brought, with its server time."""
    return latest_stored_submission(store, township_code, event_uuid, stage.value)


def request_adjustment(
    store: ReportStore, event_uuid: str, stage: ReportStage, field: str, delta: Decimal, reason: str
) -> ReportAnswer:
    """Record an adjustment on the server; return the report requested again (writes nothing)."""
    if field not in INDICATOR_BY_FIELD:
        raise ReviewRefusedError(
            f"未知指标：{field}", f"unknown indicator: {field}", "unknown_field"
        )
    if not reason.strip():
        raise ReviewRefusedError(
            "调整数必须说明原因", "an adjustment needs a reason", "reason_required"
        )
    code = _code(store, None)
    stage = ReportStage(stage)
    value = figure_to_json(field, Decimal(delta))
    adjustment_uuid = str(uuid.uuid4())
    call(
        store,
        lambda c, _a: c.add_township_adjustment(
            code,
            event_uuid,
            stage.value,
            adjustment_uuid=adjustment_uuid,
            field_name=field,
            delta=value,
            reason=reason.strip(),
        ),
    )
    return request_report(store, event_uuid, stage, code)


def add_adjustment(
    store: ReportStore, event_uuid: str, stage: ReportStage, field: str, delta: Decimal, reason: str
) -> TownshipReport:
    """Record an adjustment on the server; return the report fetched again."""
    answer = request_adjustment(store, event_uuid, stage, field, delta, reason)
    return save_report(store, answer)


def request_submission(store: ReportStore, report: TownshipReport) -> ReportAnswer:
    """Submit ``report.total`` upward and request the report again (writes nothing).

    A total that no longer adds up raises the server's 409 (``TownshipTotalMismatchError``).
    """
    figures = wire_figures(report.total)
    submission_uuid = report.submission_uuid or str(uuid.uuid4())

    def request(client: SyncClient, _account: Account) -> SubmitResult:
        try:
            answer = client.submit_township_report(
                report.township_code,
                report.event_uuid,
                report.stage.value,
                submission_uuid=submission_uuid,
                figures=figures,
            )
        except ClientError as exc:
            if exc.code == "township_total_mismatch":
                raise TownshipTotalMismatchError(
                    exc.zh,
                    exc.en,
                    _figures(exc.extra.get("figures")),
                    _issues(exc.extra.get("issues")),
                ) from exc
            raise
        return answer

    call(store, request)
    try:
        return request_report(store, report.event_uuid, report.stage, report.township_code)
    except ReviewUnavailableError:
        key = report_key(report.township_code, report.event_uuid, report.stage)
        return ReportAnswer(key, kept=replace(report, submitted=True))


def submit_report(store: ReportStore, report: TownshipReport) -> TownshipReport:
    """Submit ``report.total`` upward; a total that no longer adds up raises the server's 409."""
    return save_report(store, request_submission(store, report))


def china_today(now: datetime | None = None) -> str:
    """Return today's date in China time, ``YYYY-MM-DD``."""
    return (now or datetime.now(UTC)).astimezone(CHINA).date().isoformat()


@dataclass(frozen=True)
class CompletenessAnswer:
    """A completeness answer as requested: the server's to keep, or the kept copy offline.

    Attributes:
        key: the cache key of the answer.
        data: the server's answer as a JSON object (``None``: none came; ``kept`` stands).
        kept: the villages to show without saving anything (the kept copy, offline).
    """

    key: str
    data: dict[str, Any] | None = None
    kept: list[VillageCompleteness] | None = None


def request_completeness(
    store: ReportStore,
    event_uuid: str | None = None,
    day: str | date | None = None,
    township_code: str | None = None,
) -> CompletenessAnswer:
    """Ask the server which villages reported; offline, read the kept copy (writes nothing).

    Without an event and a day, today (China time) is asked.
    """
    code = _code(store, township_code)
    day_text = day.isoformat() if isinstance(day, date) else day
    if event_uuid is None and not day_text:
        day_text = china_today()
    key = completeness_key(code, event_uuid, day_text)
    try:
        payload = call(store, lambda c, _a: c.township_completeness(code, event_uuid, day_text))
    except ReviewOfflineError as exc:
        cached = load_cache(store, key)
        if cached is None:
            raise ReviewUnavailableError(
                f"上报情况需要连接服务器，本机也没有保存的副本（{exc.zh}）",
                f"the reporting overview needs the server and no copy is kept here ({exc.en})",
            ) from exc
        return CompletenessAnswer(
            key, kept=completeness_of(cached.payload, cached.fetched_at, True)
        )
    return CompletenessAnswer(key, data=as_object(payload))  # one reader for answer and copy


def save_completeness(store: ReportStore, answer: CompletenessAnswer) -> list[VillageCompleteness]:
    """Keep a fresh completeness answer (``request_completeness``) and return its villages."""
    if answer.data is None:
        return list(answer.kept or [])
    fetched = save_cache(store, answer.key, "completeness", answer.data)
    return completeness_of(answer.data, fetched, False)


def fetch_completeness(
    store: ReportStore,
    event_uuid: str | None = None,
    day: str | date | None = None,
    township_code: str | None = None,
) -> list[VillageCompleteness]:
    """Return every village of the township and whether it reported (online, cached).

    Without an event and a day, today (China time) is asked.
    """
    answer = request_completeness(store, event_uuid, day, township_code)
    return save_completeness(store, answer)


def completeness_of(
    payload: Mapping[str, Any], fetched_at: datetime, from_cache: bool
) -> list[VillageCompleteness]:
    """Return the villages of a completeness answer."""
    out = []
    for v in payload.get("villages") or []:
        duty = v.get("on_duty") if isinstance(v.get("on_duty"), dict) else None
        out.append(
            VillageCompleteness(
                village_code=str(v["village_code"]),
                village_name=str(v.get("village_name") or ""),
                reported=bool(v.get("reported")),
                on_duty_name=duty.get("display_name") if duty else None,
                on_duty_phone=duty.get("phone") if duty else None,
                on_duty_role=duty.get("post_role") if duty else None,
                report_count=int(v.get("report_count") or 0),
                last_received_at=_time(v.get("last_received_at")),
                on_duty_username=duty.get("username") if duty else None,
                from_cache=from_cache,
                fetched_at=fetched_at,
            )
        )
    return out
