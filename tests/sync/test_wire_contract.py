"""The wire contract (``sync.contract.wire``) and the server's pydantic models agree.

Every JSON answer of the city server's OpenAPI has a row in ``ANSWERS`` naming its contract
type; the server's response schema and ``msgspec.json.schema`` of that type are reduced to
the same shape (field names, which are required, JSON types, enums, nested objects) and must
agree, so a field added, dropped, renamed or retyped on one side only fails here.  The one
leeway: the contract may accept more than the server sends (a field the server always sends
may be optional, or also null, in the contract: ``Health`` for older servers), never less.  Every
request the client makes is recorded and must decode its answer with that row's type.  The
real answers of the real server go through the client's types in the integration tests
(``tests/integration/test_sync_roundtrip.py``, ``test_review_flow.py``, ``test_duty_flow.py``)
and the UI tests against a city server.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from sync.client.api import SyncClient, _RawChanges
from sync.contract.wire import (
    account,
    admin,
    divisions,
    duty,
    feed,
    reports,
    review,
    township,
    unit_reports,
)
from sync.contract.wire import events as events_wire
from sync.contract.wire import register as register_wire
from sync.contract.wire import summary as summary_wire

Route = tuple[str, str]
#: Each JSON answer of the server (method, OpenAPI path) and its contract type.
ANSWERS: dict[Route, type[msgspec.Struct]] = {
    ("GET", "/health"): account.Health,
    ("POST", "/api/v1/auth/login"): account.Login,
    ("POST", "/api/v1/auth/provision"): account.Login,
    ("POST", "/api/v1/auth/logout"): account.Logout,
    ("GET", "/api/v1/me"): account.Me,
    ("POST", "/api/v1/provisioning"): account.SetupCode,
    ("POST", "/api/v1/reports/batch"): reports.BatchResult,
    ("GET", "/api/v1/reports"): review.ReportPage,
    ("GET", "/api/v1/reports/{report_uuid}"): review.Report,
    ("GET", "/api/v1/reports/{report_uuid}/history"): review.History,
    ("POST", "/api/v1/decisions/batch"): review.DecisionBatchResult,
    ("GET", "/api/v1/photos/{sha256}"): reports.PhotoUpload,
    ("PUT", "/api/v1/photos/{sha256}"): reports.PhotoUpload,
    ("GET", "/api/v1/changes"): feed.Changes,
    ("GET", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}"): township.TownshipReport,
    (
        "POST",
        "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/adjustments",
    ): township.AdjustmentResult,
    ("POST", "/api/v1/townships/{code}/reports/{event_uuid}/{stage}/submit"): township.SubmitResult,
    ("GET", "/api/v1/townships/{code}/reports"): township.Submissions,
    ("GET", "/api/v1/townships/{code}/completeness"): township.Completeness,
    ("GET", "/api/v1/roster"): duty.Roster,
    ("GET", "/api/v1/roster/history"): duty.PostHistory,
    ("POST", "/api/v1/roster/assignments"): duty.AssignResult,
    ("POST", "/api/v1/roster/assignments/{assignment_id}/end"): duty.EndAssignmentResult,
    ("POST", "/api/v1/absences"): duty.AbsenceResult,
    ("POST", "/api/v1/absences/{absence_uuid}/end"): duty.AbsenceResult,
    ("POST", "/api/v1/handovers/{handover_uuid}/sign-off"): duty.SignOffResult,
    ("POST", "/api/v1/events/open"): duty.OpeningResult,
    ("POST", "/api/v1/events/{event_uuid}/close"): duty.OpeningResult,
    ("GET", "/api/v1/duty"): duty.Duty,
    ("GET", "/api/v1/events"): events_wire.EventList,
    ("GET", "/api/v1/events/similar"): events_wire.EventList,
    ("POST", "/api/v1/events"): events_wire.EventResult,
    ("POST", "/api/v1/events/{event_uuid}/merge"): events_wire.EventResult,
    ("GET", "/api/v1/users"): duty.Users,
    ("GET", "/api/v1/divisions"): divisions.Divisions,
    ("POST", "/api/v1/admin/register/import"): register_wire.RegisterImportResult,
    ("GET", "/api/v1/admin/accounts"): admin.AdminAccounts,
    ("POST", "/api/v1/admin/accounts"): admin.AdminAccount,
    ("POST", "/api/v1/admin/accounts/{username}/disable"): admin.AdminAccount,
    ("POST", "/api/v1/admin/accounts/{username}/enable"): admin.AdminAccount,
    ("POST", "/api/v1/admin/devices/revoke"): admin.RevokeDevicesResult,
    ("POST", "/api/v1/admin/setup-codes"): admin.SetupSheet,
    ("GET", "/api/v1/admin/completeness"): admin.RosterCompleteness,
    ("GET", "/api/v1/admin/contacts"): admin.Contacts,
    ("GET", "/api/v1/admin/actions"): admin.AdminActions,
    ("GET", "/api/v1/admin/security-log"): admin.SecurityLog,
    ("GET", "/api/v1/summary/{code}"): summary_wire.YearSummary,
    ("GET", "/api/v1/units/{code}/reports/{event_uuid}/{stage}"): unit_reports.UnitReport,
    (
        "POST",
        "/api/v1/units/{code}/reports/{event_uuid}/{stage}/decisions",
    ): unit_reports.UnitDecisionResult,
    (
        "POST",
        "/api/v1/units/{code}/reports/{event_uuid}/{stage}/adjustments",
    ): township.AdjustmentResult,
    (
        "POST",
        "/api/v1/units/{code}/reports/{event_uuid}/{stage}/submit",
    ): unit_reports.UnitSubmitResult,
}
#: Answers that are not JSON (no contract type).
NOT_JSON = {("GET", "/api/v1/photos/{sha256}/content")}
#: Where the client decodes in two steps: the feed's page first, then each change by its
#: kind (``feed.Change``), so that an unknown kind never stops an older app's sync.
DECODED_AS: dict[Route, type[msgspec.Struct]] = {("GET", "/api/v1/changes"): _RawChanges}

T = datetime(2026, 7, 1, 2, tzinfo=UTC)
#: Each request method of the client, called with stand-in arguments.
CALLS: dict[str, Callable[[SyncClient], object]] = {
    "health": lambda c: c.health(),
    "login": lambda c: c.login("u", "p"),
    "provision": lambda c: c.provision("K7QM-3XHP-W9TD"),
    "issue_setup_code": lambda c: c.issue_setup_code("u"),
    "logout": lambda c: c.logout(),
    "me": lambda c: c.me(),
    "divisions": lambda c: c.divisions("530502208000"),
    "push_batch": lambda c: c.push_batch([], T),
    "photo_state": lambda c: c.photo_state("ab" * 32),
    "put_photo_chunk": lambda c: c.put_photo_chunk("ab" * 32, 0, 1, b"x"),
    "changes": lambda c: c.changes("cursor"),
    "push_decisions": lambda c: c.push_decisions([], T),
    "report_history": lambda c: c.report_history("r-1"),
    "township_report": lambda c: c.township_report("530502208000", "ev-1", "initial"),
    "add_township_adjustment": lambda c: c.add_township_adjustment(
        "530502208000",
        "ev-1",
        "initial",
        adjustment_uuid="a-1",
        field_name="affected_pop",
        delta=1,
        reason="r",
    ),
    "submit_township_report": lambda c: c.submit_township_report(
        "530502208000", "ev-1", "initial", submission_uuid="s-1", figures={}
    ),
    "township_completeness": lambda c: c.township_completeness("530502208000", "ev-1"),
    "roster": lambda c: c.roster(),
    "roster_history": lambda c: c.roster_history("530502208201"),
    "users": lambda c: c.users(),
    "assign": lambda c: c.assign("530502208201", "li", "B", "r"),
    "end_assignment": lambda c: c.end_assignment(5, "r"),
    "mark_absent": lambda c: c.mark_absent("ab-1", "530502208201", T, T, "leave", "r", {}),
    "end_absence": lambda c: c.end_absence("ab-1"),
    "sign_off_handover": lambda c: c.sign_off_handover("ho-1"),
    "open_event": lambda c: c.open_event("ev-1", "n", "flood", T, "530502208000"),
    "close_event": lambda c: c.close_event("ev-1", "530502208000"),
    "events": lambda c: c.events("530502208201", open_only=True),
    "similar_events": lambda c: c.similar_events("flood", "530502000000", T),
    "open_area_event": lambda c: c.open_area_event("ev-1", "n", "flood", T, "530502208000"),
    "merge_event": lambda c: c.merge_event("ev-2", "ev-1"),
    "duty": lambda c: c.duty(),
    "register_import": lambda c: c.register_import([], dry_run=True),
    "admin_accounts": lambda c: c.admin_accounts("530502208000"),
    "create_account": lambda c: c.create_account(
        admin.AccountCreateRequest(
            username="u",
            display_name="n",
            role="village_informant",
            jurisdiction_code="530502208201",
        )
    ),
    "disable_account": lambda c: c.disable_account("u"),
    "enable_account": lambda c: c.enable_account("u"),
    "revoke_devices": lambda c: c.revoke_devices("u", "d"),
    "issue_setup_codes": lambda c: c.issue_setup_codes("530502208000"),
    "roster_completeness": lambda c: c.roster_completeness("530502000000", 30),
    "contacts": lambda c: c.contacts("530502000000"),
    "admin_actions": lambda c: c.admin_actions("530502000000"),
    "security_log": lambda c: c.security_log("signin.failed", "u", before=9, limit=5),
    "year_summary": lambda c: c.year_summary("530500000000", 2021),
    "unit_report": lambda c: c.unit_report("530502000000", "ev-1", "initial"),
    "decide_unit_submission": lambda c: c.decide_unit_submission(
        "530502000000",
        "ev-1",
        "initial",
        decision_uuid="d-1",
        submission_uuid="s-1",
        decision="return",
        reason="r",
    ),
    "add_unit_adjustment": lambda c: c.add_unit_adjustment(
        "530502000000",
        "ev-1",
        "initial",
        adjustment_uuid="a-1",
        field_name="affected_pop",
        delta=1,
        reason="r",
    ),
    "submit_unit_report": lambda c: c.submit_unit_report(
        "530502000000", "ev-1", "initial", submission_uuid="s-1", figures={}
    ),
}
#: Public members of the client that make no request.
NOT_REQUESTS = {"close", "server_time", "clock_skew_seconds"}


# --- the server's OpenAPI -----------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from sync.server.app import create_app
    from sync.server.settings import Settings

    folder = tmp_path_factory.mktemp("openapi")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'city.db'}", data_dir=folder, migrate_on_start=False
    )
    spec: dict[str, Any] = create_app(settings).openapi()
    return spec


def json_answers(spec: Mapping[str, Any]) -> dict[Route, dict[str, Any]]:
    """Return each route's 200 JSON answer schema (``{}`` for an answer that is not JSON)."""
    out: dict[Route, dict[str, Any]] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"].get("200", {}).get("content", {})
            out[(method.upper(), path)] = content.get("application/json", {}).get("schema") or {}
    return out


# --- reducing a JSON Schema to its shape --------------------------------------------------

Shape = tuple[Any, ...]
ANY: Shape = ("any",)
NULL: Shape = ("null",)


class Shapes:
    """Reduces JSON Schema nodes of one document (with its definitions) to comparable shapes."""

    def __init__(self, definitions: Mapping[str, Any]) -> None:
        self.definitions = definitions

    def of(self, node: Mapping[str, Any]) -> Shape:
        """Return the shape of ``node``: names, required-ness, JSON types, enums, nesting."""
        if "$ref" in node:
            return self.of(self.definitions[str(node["$ref"]).rsplit("/", 1)[1]])
        for key in ("anyOf", "oneOf"):
            if key in node:
                return union([self.of(member) for member in node[key]])
        if "const" in node:
            return ("enum", frozenset([node["const"]]))
        if "enum" in node:
            return ("enum", frozenset(node["enum"]))
        kind = node.get("type")
        if isinstance(kind, list):
            return union([self.of({**node, "type": k}) for k in kind])
        if kind == "string":
            fmt = node.get("format")
            return ("string", fmt) if fmt in ("date-time", "date") else ("string",)
        if kind in ("integer", "number", "boolean", "null"):
            return (kind,)
        if kind == "array":
            return ("array", self.of(node.get("items") or {}))
        if "properties" in node:
            required = set(node.get("required", ()))
            fields = []
            for name, prop in node["properties"].items():
                shape = self.of(prop)
                # A tag (one fixed value) is required on one side and defaulted on the other.
                tag = shape[0] == "enum" and len(shape[1]) == 1
                fields.append((name, shape, tag or name in required))
            return ("object", tuple(sorted(fields, key=lambda f: f[0])))
        if kind == "object":
            extra = node.get("additionalProperties")
            return ("dict", self.of(extra)) if isinstance(extra, dict) else ANY
        return ANY


def union(members: list[Shape]) -> Shape:
    flat: set[Shape] = set()
    for member in members:
        flat |= member[1] if member[0] == "union" else {member}
    return next(iter(flat)) if len(flat) == 1 else ("union", frozenset(flat))


def differences(server: Shape, contract: Shape, where: str = "$") -> list[str]:
    """Return where two shapes differ, readably (empty when they agree)."""
    if server == contract:
        return []
    if server[0] == contract[0] == "object":
        ours = {name: (shape, req) for name, shape, req in contract[1]}
        theirs = {name: (shape, req) for name, shape, req in server[1]}
        out = [f"{where}.{n}: only the server has it" for n in sorted(set(theirs) - set(ours))]
        out += [f"{where}.{n}: only the contract has it" for n in sorted(set(ours) - set(theirs))]
        for name in sorted(set(ours) & set(theirs)):
            if ours[name][1] and not theirs[name][1]:
                out.append(f"{where}.{name}: required in the contract, optional on the server")
            out += differences(theirs[name][0], ours[name][0], f"{where}.{name}")
        return out
    if contract[0] == "union" and server in contract[1] and contract[1] - {server} <= {NULL}:
        return []  # the contract also accepts null
    if server[0] == contract[0] and server[0] in ("array", "dict"):
        return differences(server[1], contract[1], f"{where}[]")
    if server[0] == contract[0] == "union":
        tagged_s, tagged_c = _by_tag(server[1]), _by_tag(contract[1])
        if tagged_s and set(tagged_s) == set(tagged_c):
            return [
                d
                for tag in sorted(tagged_s, key=str)
                for d in differences(tagged_s[tag], tagged_c[tag], f"{where}<{tag}>")
            ]
    return [f"{where}: server {_show(server)}, contract {_show(contract)}"]


def _by_tag(members: frozenset[Shape]) -> dict[object, Shape]:
    """Return the object members of a union by the value of their ``kind`` tag."""
    out: dict[object, Shape] = {}
    for member in members:
        if member[0] != "object":
            return {}
        kind = next((s for n, s, _ in member[1] if n == "kind"), None)
        if kind is None or kind[0] != "enum" or len(kind[1]) != 1:
            return {}
        out[next(iter(kind[1]))] = member
    return out


def _show(shape: Shape) -> str:
    return "object" if shape[0] == "object" else repr(shape)[:200]


def server_shape(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> Shape:
    return Shapes(spec["components"]["schemas"]).of(schema)


def contract_shape(kind: type[msgspec.Struct]) -> Shape:
    schema = msgspec.json.schema(kind)
    return Shapes(schema.get("$defs", {})).of(schema)


# --- the tests ----------------------------------------------------------------------------


def test_every_answer_of_the_server_has_a_contract_type(openapi: dict[str, Any]) -> None:
    routes = json_answers(openapi)
    not_json = {route for route, schema in routes.items() if not schema}
    assert not_json == NOT_JSON
    assert set(routes) - NOT_JSON == set(ANSWERS), "a new route needs a row in ANSWERS"


@pytest.mark.parametrize("route", sorted(ANSWERS), ids=[f"{m} {p}" for m, p in sorted(ANSWERS)])
def test_the_contract_type_has_the_servers_shape(openapi: dict[str, Any], route: Route) -> None:
    server = server_shape(openapi, json_answers(openapi)[route])
    contract = contract_shape(ANSWERS[route])
    assert server[0] == "object"
    assert differences(server, contract) == []


def test_a_drift_is_caught(openapi: dict[str, Any]) -> None:
    """The comparison sees a dropped field, a new one, a retyped one and a required one."""

    class Drifted(msgspec.Struct, frozen=True, kw_only=True):
        user: account.User
        device_id: int  # retyped
        server_time: str  # lost its format
        divisions_revision: int = 0
        events_revision: str = ""
        extra: str  # only in the contract

    class Lenient(msgspec.Struct, frozen=True, kw_only=True):
        user: account.User
        device_id: str | None = None  # accepts more than the server sends: agrees
        server_time: datetime  # without a zone: not an RFC 3339 date-time
        divisions_revision: int = 0
        events_revision: str = ""

    class Strict(msgspec.Struct, frozen=True, kw_only=True):
        revoked: bool  # the server may leave it out

    server = server_shape(openapi, json_answers(openapi)[("GET", "/api/v1/me")])
    assert differences(server, contract_shape(Drifted)) == [
        "$.extra: only the contract has it",
        "$.device_id: server ('string',), contract ('integer',)",
        "$.server_time: server ('string', 'date-time'), contract ('string',)",
    ]
    assert differences(server, contract_shape(Lenient)) == [
        "$.server_time: server ('string', 'date-time'), contract ('string',)"
    ]
    logout = server_shape(openapi, json_answers(openapi)[("POST", "/api/v1/auth/logout")])
    assert differences(logout, contract_shape(Strict)) == [
        "$.revoked: required in the contract, optional on the server"
    ]
    feed_server = server_shape(openapi, json_answers(openapi)[("GET", "/api/v1/changes")])
    assert differences(feed_server, contract_shape(feed.Changes)) == []


def _request_method(name: str) -> bool:
    return not name.startswith("_") and name not in NOT_REQUESTS


class _RecordedError(Exception):
    """Stops a recorded request before anything is sent."""


class RecordingClient(SyncClient):
    """Records each request's method, path and answer type instead of sending it."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9", device_id="d", token="t")
        self.seen: list[tuple[str, str, type[Any]]] = []

    def _call(self, method: str, path: str, *, answer: type[Any], **_: Any) -> Any:
        self.seen.append((method, path, answer))
        raise _RecordedError


def route_of(spec: Mapping[str, Any], method: str, path: str) -> Route:
    """Return the OpenAPI route a concrete request path matches."""
    found = [
        (m, template)
        for (m, template) in json_answers(spec)
        if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path)
    ]
    assert len(found) == 1, (method, path, found)
    return found[0]


def test_every_request_of_the_client_decodes_with_its_rows_type(openapi: dict[str, Any]) -> None:
    requests = {name for name in dir(SyncClient) if _request_method(name)}
    assert requests == set(CALLS), "a new client request needs a row in CALLS"
    client = RecordingClient()
    for name, call in CALLS.items():
        with pytest.raises(_RecordedError):
            call(client)
        method, path, answer = client.seen[-1]
        route = route_of(openapi, method, path.split("?")[0])
        assert route in ANSWERS, (name, route)
        assert answer is DECODED_AS.get(route, ANSWERS[route]), (name, route, answer)
    client.close()


def test_the_feed_is_decoded_page_first_then_change_by_change() -> None:
    raw = {f.name: f.type for f in msgspec.structs.fields(_RawChanges)}
    typed = {f.name: f.type for f in msgspec.structs.fields(feed.Changes)}
    assert set(raw) == set(typed) and raw["cursor"] == typed["cursor"]
    assert typed["changes"] == list[feed.Change]


def test_the_contract_and_the_client_import_no_pydantic() -> None:
    code = (
        "import sys, sync.client.api, sync.contract.wire.feed, sync.contract.wire.duty, "
        "sync.contract.wire.township, sync.contract.wire.divisions; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'fastapi')]"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
