"""Property: whatever the order of filing, correcting, returning and approving, the township
total equals the sum of each village's latest approved figures of any stage (issue 16).

Random operations on four villages of one event: file a new report (any stage, a day's
cut-off), correct a report (a new version of it), approve or return a report's current
version.  A small model keeps every version and its review state and predicts, per village,
the latest approved version (per report its newest approved version, then the latest cut-off,
then the latest received); the server's township report must show exactly those versions and
their sum.  SQLite only (a file in memory-backed storage when there is one), kept small.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
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
USER = "agg_a"
NOTES = {"R9:affected_pop": "复核核减", "R9:direct_loss": "复核核减"}


@pytest.fixture(scope="module")
def db_url() -> Iterator[str]:
    """A SQLite file on memory-backed storage (``/dev/shm``) when there is one."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as folder:
        yield f"sqlite:///{folder}/city.db"


@dataclass
class Version:
    """One pushed version: its id, figures, review state and order of receipt."""

    uuid: str
    pop: int
    loss: int
    seq: int
    state: str = "pending"


@dataclass
class ModelReport:
    """One report of the model: its village, cut-off day, content and versions."""

    village: str
    day: int
    body: dict[str, Any]
    versions: list[Version] = field(default_factory=list)


figures = st.tuples(st.integers(1, 500), st.integers(0, 900))
ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("file"),
            st.integers(0, len(VILLAGES) - 1),
            st.sampled_from(["initial", "continuing", "verified"]),
            st.integers(1, 4),
            figures,
        ),
        st.tuples(st.just("correct"), st.integers(0, 20), figures),
        st.tuples(
            st.just("decide"), st.integers(0, 20), st.sampled_from(["approve", "approve", "return"])
        ),
    ),
    min_size=1,
    max_size=16,
)


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


def _push(
    client: TestClient, world: World, report: ModelReport, figs: tuple[int, int], seq: int
) -> None:
    pop, loss = figs
    parent = report.versions[-1].uuid if report.versions else None
    body = dict(report.body, figures={"affected_pop": pop, "direct_loss": loss})
    version = item(body, parent=parent, version_no=len(report.versions) + 1)
    [result] = push(client, world, [version], USER)
    assert result["status"] == "accepted", result
    report.versions.append(Version(version["version_uuid"], pop, loss, seq))


def _expected(reports: list[ModelReport]) -> dict[str, Version]:
    """Per village, the latest approved version (the rule of ``latest_approved``)."""
    best: dict[str, tuple[tuple[int, int], Version]] = {}
    for report in reports:
        approved = [v for v in report.versions if v.state == "approved"]
        if not approved:
            continue
        chosen = approved[-1]  # the report's newest approved version
        key = (report.day, chosen.seq)
        if report.village not in best or best[report.village][0] < key:
            best[report.village] = (key, chosen)
    return {village: v for village, (_, v) in best.items()}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=ops)
def test_total_is_the_sum_of_latest_approved_figures(
    client: TestClient, world: World, informant: str, steps: list[tuple[Any, ...]]
) -> None:
    event = new_id()
    reports: list[ModelReport] = []
    for seq, op in enumerate(steps):
        if op[0] == "file":
            _, v, stage, day, figs = op
            body = content(
                VILLAGES[v],
                event_uuid=event,
                stage=stage,
                event_stable=stage == "verified",
                notes=NOTES if stage != "initial" else {},
                data_cutoff_at=f"2024-07-0{day + 1}T00:00:00+08:00",
                submitted_at=f"2024-07-0{day + 1}T07:00:00+08:00",
            )
            report = ModelReport(VILLAGES[v], day, body)
            reports.append(report)
            _push(client, world, report, figs, seq)
        elif reports and op[0] == "correct":
            _push(client, world, reports[op[1] % len(reports)], op[2], seq)
        elif reports:
            current = reports[op[1] % len(reports)].versions[-1]
            if current.state != "pending":
                continue
            [result] = decide(client, world, [decision(current.uuid, op[2], "数字待核")])
            assert result["status"] == "accepted", result
            current.state = "approved" if op[2] == "approve" else "returned"
    expected = _expected(reports)
    got = client.get(
        f"/api/v1/townships/{WAFANG_TOWNSHIP}/reports/{event}/continuing",
        headers=world.headers(client, "wafang_reviewer"),
    ).json()
    assert {r["village_code"]: r["version_uuid"] for r in got["villages"]} == {
        village: v.uuid for village, v in expected.items()
    }
    pop = sum(v.pop for v in expected.values())
    loss = sum(v.loss for v in expected.values())
    assert got["total"].get("affected_pop", 0) == pop
    assert got["total"].get("direct_loss", 0) == loss
    assert got["check"]["ok"] is True
