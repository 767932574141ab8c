"""Schemathesis against the city server's own ``/openapi.json``, on SQLite and PostgreSQL.

Every operation is fuzzed with the bearer token of each role (village informant, township
reviewer, county admin, city admin), first with data that fits the schema, then with data
that does not.  Generated cases are steered half of the time towards real codes, ids and
devices of the sample world (a real report, event, absence, handover, assignment, photo), so
the fuzzer reaches the authorised paths instead of stopping at 401, 403 or 404.

Every answer must pass: no 5xx, a status the operation documents, a documented content
type, a body that validates against the documented schema, the documented headers.

``make test`` tries a few examples per operation and role; ``SOAK_ITERATIONS`` raises them.
The figures (calls, answers by status) are printed at the end of each backend's run.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sync.contract import PROTOCOL_VERSION
from sync.server.settings import Settings
from tests.integration.helpers import soak_iterations
from tests.server.conftest import fast_settings
from tests.server.factories import (
    GUDONG,
    LUJIANG,
    SHUIGOU,
    WAFANG,
    WAFANG_TOWNSHIP,
    XINZHAI,
    content,
    item,
    photo_bytes,
)
from tests.server.steps import filed
from tests.server.world import PASSWORD, World, sign_in

ROLES = {
    "village": "wafang_a",
    "township": "wafang_reviewer",
    "county": "longyang_admin",
    "city": "baoshan_city",
}
#: Examples per operation and role: schema-conforming, then schema-violating.
POSITIVE = soak_iterations(4, per=5)
NEGATIVE = soak_iterations(2, per=10)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
#: Signing out revokes the token it is sent with: it gets a fresh device each time.
LOGOUT = "POST /api/v1/auth/logout"

Operation = schemathesis.APIOperation[Any, Any, Any, Any]
Case = schemathesis.Case[Operation]
#: The account the sign-in route is fuzzed with (failed tries may lock it; nobody else uses it).
LOGIN_TARGET = "dangxi_b"


class Known:
    """Real values of the world that steered cases use."""

    def __init__(self, client: TestClient, world: World) -> None:
        body, version = filed(client, world)
        data, sha = photo_bytes("fuzz-photo", 3000)
        headers = world.headers(client, "wafang_a")
        r = client.put(
            f"/api/v1/photos/{sha}",
            headers=headers,
            params={"offset": 0, "size": len(data)},
            content=data,
        )
        assert r.status_code == 200, r.text
        reviewer = world.headers(client, "wafang_reviewer")
        r = client.post(
            "/api/v1/events/open",
            headers=reviewer,
            json={
                "event_uuid": "fuzz-event",
                "event_name": "模糊测试事件",
                "disaster_type": "flood",
                "township_code": WAFANG_TOWNSHIP,
                "village_codes": [WAFANG, SHUIGOU],
            },
        )
        assert r.status_code == 200, r.text
        now = datetime.now(UTC)
        r = client.post(
            "/api/v1/absences",
            headers=world.headers(client, "shuigou_a"),
            json={
                "absence_uuid": "fuzz-absence",
                "post_code": SHUIGOU,
                "starts_at": now.isoformat(),
                "ends_at": (now + timedelta(days=30)).isoformat(),
                "kind": "leave",
                "reason": "探亲",
            },
        )
        assert r.status_code == 200, r.text
        handover = r.json()["handover"]
        r = client.get("/api/v1/roster", headers=world.headers(client, "baoshan_city"))
        assert r.status_code == 200, r.text
        assignments = [
            h["assignment_id"]
            for p in r.json()["posts"]
            for h in p.get("holders", [])
            if isinstance(h, dict) and "assignment_id" in h
        ]
        codes = [WAFANG, SHUIGOU, WAFANG_TOWNSHIP, LUJIANG, XINZHAI, GUDONG, "530502000000"]
        self.values: dict[str, list[Any]] = {
            "code": [WAFANG_TOWNSHIP, LUJIANG, WAFANG],
            "under": codes,
            "post": codes,
            "post_code": codes,
            "township_code": [WAFANG_TOWNSHIP, LUJIANG],
            "event_uuid": ["fuzz-event", body["event_uuid"]],
            "stage": ["initial", "continuing", "verified"],
            "report_uuid": [body["report_uuid"]],
            "version_uuid": [version["version_uuid"]],
            "sha256": [sha],
            "assignment_id": assignments or [1],
            "absence_uuid": ["fuzz-absence"],
            "handover_uuid": [handover["handover_uuid"]] if handover else ["none"],
            "username": ["wafang_a", "shuigou_b", "dangxi_a", "xinzhai_a", "gudong_a"],
            "village_codes": [[], [WAFANG], [SHUIGOU, WAFANG], [XINZHAI]],
        }


def steer(case: Case, draw: Callable[[Any], Any], known: Known) -> bool:
    """Replace parts of ``case`` by real values of the world, each one half of the time.

    Return whether the body should carry the sending role's own device id.
    """

    def real(name: str) -> bool:
        return name in known.values and draw(st.booleans())

    for name in list(case.path_parameters or {}):
        if real(name):
            case.path_parameters[name] = draw(st.sampled_from(known.values[name]))
    for name in list(case.query or {}):
        if real(name):
            case.query[name] = draw(st.sampled_from(known.values[name]))
    body = case.body
    if not isinstance(body, dict):
        return False
    own_device = "device_id" in body and bool(draw(st.integers(0, 3)))
    if own_device:
        body["protocol_version"] = PROTOCOL_VERSION
    for name in list(body):
        if name != "items" and real(name):
            body[name] = draw(st.sampled_from(known.values[name]))
    items = body.get("items")
    if isinstance(items, list) and items and draw(st.booleans()):
        if case.operation.path == "/api/v1/reports/batch":
            village = draw(st.sampled_from([WAFANG, SHUIGOU, XINZHAI]))
            items[0] = item(content(village))
        elif isinstance(items[0], dict):
            items[0]["version_uuid"] = known.values["version_uuid"][0]
    if case.operation.path == "/api/v1/auth/login":
        if draw(st.booleans()):
            body["username"] = LOGIN_TARGET
        if draw(st.booleans()):
            body["password"] = PASSWORD
    return own_device


@pytest.fixture(scope="module", name="settings")
def fuzz_settings(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The usual test settings without the sign-in slowdown.

    Thousands of generated sign-ins with wrong passwords would slow the address and the sample
    accounts the fuzzing needs tokens of (the slowdown is tested in test_signin_guard.py).
    """
    return fast_settings(
        db_url,
        tmp_path_factory.mktemp("fuzz"),
        login_free_failures_per_address=1_000_000,
        login_free_failures_per_name=1_000_000,
        login_refusal_pause_seconds=0,
    )


@pytest.fixture(scope="module")
def known(client: TestClient, world: World) -> Known:
    return Known(client, world)


@pytest.fixture(scope="module")
def schema(app: FastAPI) -> schemathesis.BaseSchema:
    """The schema the app publishes at ``/openapi.json``."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def http(app: FastAPI, world: World) -> Iterator[TestClient]:
    """The client cases go through: a 500 comes back as an answer, not as an exception."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def send(http: TestClient, case: Case, headers: dict[str, str]) -> httpx2.Response:
    """Send ``case`` through one long-lived client (Schemathesis' own ASGI call starts the
    app's lifespan for every request).  JSON goes out as Python writes it: NaN, Infinity and
    lone surrogate escapes reach the server as generated."""
    kwargs = case.as_transport_kwargs(headers=headers)
    method, url = kwargs.pop("method"), kwargs.pop("url")
    sent_headers, params = kwargs.pop("headers"), kwargs.pop("params", None)
    assert not kwargs.pop("cookies", None)
    content = None
    if "json" in kwargs:
        content = json.dumps(kwargs.pop("json")).encode()
        sent_headers = {**sent_headers, "Content-Type": "application/json"}
    elif "data" in kwargs:
        content = kwargs.pop("data")
    assert not kwargs, f"unexpected request parts: {sorted(kwargs)}"
    return http.request(method, url, headers=sent_headers, params=params, content=content)


@pytest.fixture(scope="module")
def figures(db_url: str, pytestconfig: pytest.Config) -> Iterator[Counter[str]]:
    """Calls and answers by status, printed when the backend's run ends."""
    counts: Counter[str] = Counter()
    yield counts
    backend = db_url.split(":", 1)[0]
    statuses = ", ".join(
        f"{k[7:]}: {v}" for k, v in sorted(counts.items()) if k.startswith("status ")
    )
    line = (
        f"\nschema fuzz ({backend}): {counts['operations']} operations x "
        f"{len(ROLES)} roles, {counts['calls']} calls "
        f"({counts['positive']} conforming, {counts['negative']} violating); {statuses}"
    )
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


def operations(schema: schemathesis.BaseSchema) -> list[Operation]:
    ops: list[Operation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        ops.append(result.ok())
    # Sign-out last: it is the only operation that ends a session.
    return sorted(ops, key=lambda op: op.label == LOGOUT)


@dataclass
class Fuzzing:
    """The run on one backend: tokens by role, the world's values, and what was seen."""

    tokens: dict[str, str]
    client: TestClient
    http: TestClient
    known: Known
    figures: Counter[str]
    seen: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    devices: Iterator[int] = field(default_factory=lambda: iter(range(10**9)))


def fuzz_operation(op: Operation, mode: GenerationMode, examples: int, run: Fuzzing) -> None:
    """Send ``examples`` generated cases of ``op`` with the token of every role.

    Generating a case costs more than sending it, so each case goes out once per role (the
    device id of a steered batch follows the role).
    """

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=op.as_strategy(generation_mode=mode), data=st.data())
    def fuzz(case: Case, data: st.DataObject) -> None:
        own_device = steer(case, data.draw, run.known)
        for role, username in ROLES.items():
            if own_device:
                assert isinstance(case.body, dict)  # steer() says so of an object body only
                case.body["device_id"] = f"dev-{username}"
            bearer = run.tokens[role]
            if op.label == LOGOUT:
                bearer = sign_in(run.client, username, f"fuzz-{role}-{next(run.devices)}")
            headers = {"Authorization": f"Bearer {bearer}"}
            response = send(run.http, case, headers)
            run.figures["calls"] += 1
            run.figures[mode.value] += 1
            run.figures[f"status {response.status_code}"] += 1
            run.seen[f"{role} {op.label} {response.status_code}"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except Exception as exc:  # every failed check is reported, not only the first
                run.failures.append(
                    f"{role} {op.label} [{mode.value}] -> "
                    f"{response.status_code}: {str(exc).strip()[:1500]}"
                )

    try:
        fuzz()
    except Unsatisfiable:
        # Only an operation without any input (GET /health) has no schema-violating case.
        assert mode is GenerationMode.NEGATIVE, op.label
        run.figures["operations without a violating case"] += 1


def test_every_operation_answers_within_its_schema(
    schema: schemathesis.BaseSchema,
    client: TestClient,
    http: TestClient,
    world: World,
    known: Known,
    figures: Counter[str],
) -> None:
    tokens = {role: world.token(client, username) for role, username in ROLES.items()}
    run = Fuzzing(tokens, client, http, known, figures)
    ops = operations(schema)
    assert len(ops) >= 30, [op.label for op in ops]
    figures["operations"] = len(ops)
    for op in ops:
        for mode, examples in (
            (GenerationMode.POSITIVE, POSITIVE),
            (GenerationMode.NEGATIVE, NEGATIVE),
        ):
            fuzz_operation(op, mode, examples, run)

    assert not run.failures, f"{len(run.failures)} failing cases:\n" + "\n\n".join(
        run.failures[:10]
    )
    # The steering works: every role reaches real answers, not only refusals.  A quarter of
    # the operations at least: a village informant is rightly refused the managers' routes
    # (administration, county and city reports, summaries), about two thirds of them now.
    for role in ROLES:
        ok = {k for k in run.seen if k.startswith(f"{role} ") and k.endswith(" 200")}
        assert len(ok) >= len(ops) // 4, (role, sorted(run.seen.items()))


def test_documented_errors_use_the_error_body(schema: schemathesis.BaseSchema) -> None:
    """Every 4xx and 5xx the schema documents is our ``{"error": ...}`` body."""
    spec = schema.raw_schema
    undocumented = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"].get("$ref", "")
                    if not ref.endswith("/ErrorBody"):
                        undocumented.append(f"{method.upper()} {path} {status} {ref}")
                    continue
            for status in ("400", "413", "422", "503"):
                if status not in operation["responses"]:
                    undocumented.append(f"{method.upper()} {path} lacks {status}")
    assert not undocumented, undocumented
