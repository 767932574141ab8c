"""Property: the township total is the sum of each village's latest approved version (plus
adjustments); a pending or returned later version takes nothing out.

Random reports (one per village, each a chain of versions) meet random approve/return
decisions on random versions, current or stale.  A small model of the review rules predicts
every decision's outcome; the server's total must equal the model's sum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.server.models import PostRole, Role
from sync.server.services.accounts import add_user, assign
from tests.server.factories import WAFANG_TOWNSHIP, content, decision, item, new_id
from tests.server.steps import decide, push
from tests.server.world import PASSWORD, World

VILLAGES = ("530502208204", "530502208205", "530502208208", "530502208209")  # no sample posts
USER = "multi_a"

figures = st.builds(
    lambda pop, loss, hh, extra: {
        "affected_pop": pop,
        "direct_loss": str(loss),
        "house_collapsed_hh": hh,
        "house_collapsed_rooms": hh + extra,
    },
    st.integers(1, 10**6),
    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
    st.integers(0, 50),
    st.integers(0, 20),
)
#: Each op: push the next version of report r, or decide (verdict) on version k of report r
#: (k = -1: the current version, the most common case).
ops = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.integers(0, 3), figures),
        st.tuples(
            st.just("decide"),
            st.integers(0, 3),
            st.sampled_from([-1, -1, 0, 1]),
            st.sampled_from(["approve", "approve", "return"]),
        ),
    ),
    min_size=2,
    max_size=14,
)
adjustments = st.lists(st.tuples(st.integers(-50, 50).filter(bool)), max_size=2)


@dataclass
class ModelReport:
    """What the model knows of one report: its versions and their review states."""

    body: dict[str, Any]
    versions: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def informant(world: World) -> str:
    """One informant holding the A post of four otherwise empty villages."""
    with world.app.state.db.writing() as session:
        add_user(
            session,
            world.app.state.passwords,
            USER,
            Role.VILLAGE_INFORMANT,
            WAFANG_TOWNSHIP,
            PASSWORD,
        )
        for village in VILLAGES:
            assign(session, USER, village, PostRole.A)
    return USER


def _push(client: TestClient, world: World, report: ModelReport, figs: dict[str, Any]) -> None:
    parent = report.versions[-1] if report.versions else None
    version = item(
        dict(report.body, figures=figs), parent=parent, version_no=len(report.versions) + 1
    )
    assert push(client, world, [version], USER)[0]["status"] == "accepted"
    report.versions.append(version["version_uuid"])
    report.states.append("pending")
    report.figures.append(figs)


def _decide(client: TestClient, world: World, report: ModelReport, k: int, verdict: str) -> None:
    if not report.versions:
        return
    k = len(report.versions) - 1 if k < 0 else min(k, len(report.versions) - 1)
    current = k == len(report.versions) - 1
    frozen = report.states[k] == "approved"
    [result] = decide(client, world, [decision(report.versions[k], verdict, "原因")])
    if current and not frozen:
        assert result["status"] == "accepted", result
        report.states[k] = "approved" if verdict == "approve" else "returned"
    else:
        expected = "version_frozen" if current else "version_superseded"
        assert (result["status"], result["code"]) == ("conflict", expected), result


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(figures, min_size=len(VILLAGES), max_size=len(VILLAGES)),
    steps=ops,
    adjusts=adjustments,
)
def test_total_is_the_sum_of_latest_approved_versions(
    client: TestClient,
    world: World,
    informant: str,
    first: list[dict[str, Any]],
    steps: list[tuple[Any, ...]],
    adjusts: list[tuple[int]],
) -> None:
    event = new_id()
    reports = [ModelReport(content(v, event_uuid=event)) for v in VILLAGES]
    for report, figs in zip(reports, first, strict=True):
        _push(client, world, report, figs)
    for op in steps:
        if op[0] == "push":
            _push(client, world, reports[op[1]], op[2])
        else:
            _decide(client, world, reports[op[1]], op[2], op[3])
    url = f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/initial"
    h = world.headers(client, "wafang_reviewer")
    for (delta,) in adjusts:
        r = client.post(
            f"{url}/adjustments",
            headers=h,
            json={
                "adjustment_uuid": new_id(),
                "field": "affected_pop",
                "delta": delta,
                "reason": "乡镇核实",
            },
        )
        assert r.status_code == 200, r.text
    expected: dict[str, Decimal] = {}
    counted = []
    for report in reports:
        approved = [k for k, state in enumerate(report.states) if state == "approved"]
        if approved:  # the latest approved version counts, whatever came after it
            counted.append(report.versions[approved[-1]])
            for name, value in report.figures[approved[-1]].items():
                expected[name] = expected.get(name, Decimal(0)) + Decimal(str(value))
    village_sum = dict(expected)
    for (delta,) in adjusts:
        expected["affected_pop"] = expected.get("affected_pop", Decimal(0)) + delta
    got = client.get(url, headers=h).json()
    assert [r["version_uuid"] for r in got["villages"]] == counted
    assert {k: Decimal(str(v)) for k, v in got["village_sum"].items()} == village_sum
    assert {k: Decimal(str(v)) for k, v in got["total"].items()} == expected
    assert got["check"]["ok"] is True
