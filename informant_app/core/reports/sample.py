"""Realistic sample reports for 瓦房彝族苗族乡 (530502208000): generated files and the demo.

``make_reports(n, seed)`` returns an import document (docs/import-format.md) of ``n`` reports
that pass every rule, the same for the same seed.  ``seed_demo(store)`` fills a store with a
profile and a few reports in every state the list shows.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole, Profile, ReportState
from sync.contract import ReportStage, default_divisions, format_time
from sync.contract.china_time import china_time

TOWNSHIP = "530502208000"  # 瓦房彝族苗族乡, 隆阳区
DEMO_VILLAGES = ("530502208201", "530502208206")  # 瓦房社区, 水沟洼村 (official 2023 codes)

DEMO_PROFILE = Profile(
    informant_name="张明",
    phone="13808751234",
    role=PostRole.A,
    post_code="530502208201",
    village_codes=DEMO_VILLAGES,
)

#: (disaster type, subtype, what the narrative says happened)
EVENT_KINDS: tuple[tuple[str, str | None, str], ...] = (
    ("flood", "flash_flood", "突降暴雨引发山洪，冲毁沿河农田和便道"),
    ("flood", "rainstorm_flood", "持续强降雨导致河水上涨，低洼处农田和民房进水"),
    ("geological", "landslide", "连日降雨引发山体滑坡，掩埋部分耕地，后山民房受损"),
    ("geological", "debris_flow", "强降雨引发泥石流，冲毁村组道路和饮水管道"),
    ("wind_hail", "hail", "遭受冰雹袭击，烤烟和玉米叶片被打烂，部分房屋瓦片受损"),
    ("drought", None, "持续少雨，山区小水窖干涸，群众饮水和春播受影响"),
    ("cold", "frost", "出现霜冻，核桃和蔬菜受冻"),
)

BASE_TIME = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _cents(value: int) -> float:
    return round(value / 100, 2)


@dataclass
class _Tally:
    """Cumulative figures of one village in one event, grown by each continuing report."""

    affected: int
    deaths: int
    central: int
    dispersed: int
    urgent: int
    houses: dict[str, tuple[int, int]]
    crop_cents: tuple[int, int, int]
    loss_cents: dict[str, int]

    @classmethod
    def first(cls, rng: random.Random) -> _Tally:
        affected = rng.randint(20, 900)
        houses = {}
        for cls_name, most in (("collapsed", 2), ("severe", 4), ("minor", 12)):
            hh = rng.randint(0, most)
            houses[cls_name] = (hh, hh + rng.randint(0, 2 * hh))
        affected_c = rng.randint(0, 6000)
        damaged_c = rng.randint(0, affected_c)
        failed_c = rng.randint(0, damaged_c)
        return cls(
            affected=affected,
            deaths=1 if rng.random() < 0.02 else 0,
            central=rng.randint(0, affected // 6),
            dispersed=rng.randint(0, affected // 6),
            urgent=rng.randint(0, affected // 4),
            houses=houses,
            crop_cents=(affected_c, damaged_c, failed_c),
            loss_cents={
                "loss_housing": rng.randint(0, 3000),
                "loss_agri": rng.randint(0, 5000),
                "loss_infra": rng.randint(0, 4000),
            },
        )

    def grow(self, rng: random.Random) -> None:
        self.affected += rng.randint(0, 150)
        self.central += rng.randint(0, 10)
        self.dispersed += rng.randint(0, 10)
        self.affected = max(self.affected, self.central + self.dispersed, self.urgent)
        self.urgent = min(self.affected, self.urgent + rng.randint(0, 20))
        for name, (hh, rooms) in self.houses.items():
            more = rng.randint(0, 2)
            self.houses[name] = (hh + more, rooms + more + rng.randint(0, more))
        x = rng.randint(0, 800)
        y = rng.randint(0, x)
        z = rng.randint(0, y)
        a, d, f = self.crop_cents
        self.crop_cents = (a + x, d + y, f + z)
        for name in self.loss_cents:
            self.loss_cents[name] += rng.randint(0, 600)

    def figures(self) -> dict[str, int | float]:
        relocated = self.central + self.dispersed
        affected = max(self.affected, relocated, self.urgent, self.deaths)
        figures: dict[str, int | float] = {
            "affected_pop": affected,
            "deaths": self.deaths,
            "missing": 0,
            "relocated": relocated,
            "relocated_central": self.central,
            "relocated_dispersed": self.dispersed,
            "urgent_aid": self.urgent,
        }
        for name, (hh, rooms) in self.houses.items():
            figures[f"house_{name}_hh"] = hh
            figures[f"house_{name}_rooms"] = rooms
        a, d, f = self.crop_cents
        figures.update(
            crop_affected_ha=_cents(a), crop_damaged_ha=_cents(d), crop_failed_ha=_cents(f)
        )
        figures.update({k: _cents(v) for k, v in self.loss_cents.items()})
        figures["direct_loss"] = _cents(sum(self.loss_cents.values()))
        return figures


def _village_names() -> dict[str, str]:
    """Return the township's villages by code, with the names screens show (瓦房社区, 水沟洼村)."""
    return {d.code: d.short_name for d in default_divisions().villages_under(TOWNSHIP)}


def _events(rng: random.Random) -> Iterator[dict[str, Any]]:
    number = 0
    while True:
        kind, subtype, story = EVENT_KINDS[rng.randrange(len(EVENT_KINDS))]
        occurred = BASE_TIME + timedelta(days=3 * number, hours=rng.randint(0, 11))
        yield {
            "event_uuid": _uuid(rng),
            "disaster_type": kind,
            "disaster_subtype": subtype,
            "story": story,
            "occurred_at": occurred,
            "number": number,
        }
        number += 1


def _narrative(village: str, event: dict[str, Any], stage: ReportStage, step: int) -> str:
    local = china_time(event["occurred_at"])
    when = f"{local.month}月{local.day}日"
    if stage is ReportStage.INITIAL:
        return f"{when}{village}{event['story']}。村委会已组织排查，暂无人员伤亡报告，详情续报。"
    return f"{village}第{step}次续报：灾情仍在核查，受灾人口和损失较上次有所增加，群众已妥善安置。"


def make_reports(n: int, seed: int = 0) -> dict[str, Any]:
    """Return an import document of ``n`` valid reports (deterministic for ``seed``).

    Reports come in chains per event and village: an initial report, then up to two
    continuing reports whose cumulative figures never fall.  Villages are those of
    瓦房彝族苗族乡; events repeat the township's usual disasters three days apart.
    """
    rng = random.Random(seed)
    names = _village_names()
    villages = sorted(names)
    reports: list[dict[str, Any]] = []
    events = _events(rng)
    while len(reports) < n:
        event = next(events)
        local = china_time(event["occurred_at"])
        kind_zh = {
            "flood": "洪涝",
            "geological": "地质灾害",
            "wind_hail": "风雹",
            "drought": "干旱",
            "cold": "低温冷冻",
        }[event["disaster_type"]]
        event_name = f"{local.year}年{local.month}月{local.day}日隆阳区{kind_zh}"
        for village in rng.sample(villages, rng.randint(1, len(villages))):
            tally = _Tally.first(rng)
            for step in range(rng.randint(1, 3)):
                if len(reports) >= n:
                    break
                stage = ReportStage.INITIAL if step == 0 else ReportStage.CONTINUING
                if step:
                    tally.grow(rng)
                cutoff = event["occurred_at"] + timedelta(hours=2 + 24 * step)
                reports.append(
                    {
                        "report_uuid": _uuid(rng),
                        "event_uuid": event["event_uuid"],
                        "event_name": event_name,
                        "stage": stage.value,
                        "disaster_type": event["disaster_type"],
                        "disaster_subtype": event["disaster_subtype"],
                        "village_code": village,
                        "occurred_at": format_time(event["occurred_at"]),
                        "data_cutoff_at": format_time(cutoff),
                        "narrative": _narrative(names[village], event, stage, step),
                        "figures": tally.figures(),
                        "notes": {},
                        "photos": [],
                        "ledger": [],
                        "emergency_response": False,
                        "event_stable": False,
                    }
                )
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "reports": reports}


def seed_demo(store: ReportStore) -> dict[ReportState, list[str]]:
    """Fill ``store`` with the demo: 张明's profile and reports in every state.

    Two drafts, and submitted reports left queued, received, refused with a server message
    (error) and in conflict.  Returns the version ids by state.
    """
    store.save_profile(DEMO_PROFILE)
    rng = random.Random(2024)
    names = _village_names()
    now = store.now_to_the_second()
    by_state: dict[ReportState, list[str]] = {s: [] for s in ReportState}

    def filed(
        village: str,
        kind: tuple[str, str | None, str],
        hours_ago: int,
        event_uuid: str | None = None,
    ) -> str:
        draft = store.new_draft(event_uuid=event_uuid, village_code=village)
        content = dict(draft.content)
        occurred = now - timedelta(hours=hours_ago)
        if event_uuid is None:
            content.update(
                disaster_type=kind[0], disaster_subtype=kind[1], occurred_at=format_time(occurred)
            )
        content.update(
            data_cutoff_at=format_time(now - timedelta(minutes=30)),
            narrative=f"{names[village]}{kind[2]}。村委会已组织群众转移，正在逐户核查损失。",
            figures=_Tally.first(rng).figures(),
        )
        store.save_draft(draft.version_uuid, content)
        result = store.submit(draft.version_uuid)
        if not result.ok:
            raise RuntimeError(f"demo report refused: {[i.key for i in result.issues]}")
        return draft.version_uuid

    flood, landslide, hail = EVENT_KINDS[0], EVENT_KINDS[2], EVENT_KINDS[4]
    received = filed(DEMO_VILLAGES[0], flood, 30)
    store.set_state(received, ReportState.RECEIVED)
    by_state[ReportState.RECEIVED].append(received)
    event_uuid = store.version_content(received).event_uuid

    queued = filed(DEMO_VILLAGES[1], flood, 30, event_uuid=event_uuid)
    by_state[ReportState.QUEUED].append(queued)

    continuing = store.new_continuing(event_uuid, DEMO_VILLAGES[0])
    content = dict(continuing.content)
    figures = dict(content["figures"])
    figures["affected_pop"] = int(figures["affected_pop"]) + 35
    content.update(
        figures=figures,
        data_cutoff_at=format_time(now - timedelta(minutes=10)),
        narrative="雨势减弱，新增受灾群众35人，已全部妥善安置。",
    )
    store.save_draft(continuing.version_uuid, content)
    if not store.submit(continuing.version_uuid).ok:
        raise RuntimeError("demo continuing report refused")
    store.set_state(
        continuing.version_uuid,
        ReportState.ERROR,
        "服务器拒收：数据截止时间晚于乡镇汇总截止时间，请核对后重新报送。",
    )
    by_state[ReportState.ERROR].append(continuing.version_uuid)

    conflict = filed(DEMO_VILLAGES[1], landslide, 6)
    store.set_state(
        conflict,
        ReportState.CONFLICT,
        "服务器上已有该报告更新的版本（B角李芳提交），请核对后重新修订。",
    )
    by_state[ReportState.CONFLICT].append(conflict)

    partial = store.new_draft(village_code=DEMO_VILLAGES[0])
    content = dict(partial.content)
    content.update(
        disaster_type=hail[0],
        disaster_subtype=hail[1],
        narrative="下午突降冰雹，烤烟受损，正在统计。",
        figures={"affected_pop": 60, "crop_affected_ha": 8.5},
    )
    store.save_draft(partial.version_uuid, content)
    by_state[ReportState.DRAFT].append(partial.version_uuid)
    empty = store.new_continuing(event_uuid, DEMO_VILLAGES[1])
    by_state[ReportState.DRAFT].append(empty.version_uuid)
    return by_state
