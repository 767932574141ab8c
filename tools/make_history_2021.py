"""Generate Baoshan's 2021 disaster history (示例数据，灾情为虚构，合计与公布数一致).

Writes ``resources/sample/baoshan_history_2021.json``: 23 disaster events (灾害过程) of 2021
across exactly 73 of Baoshan's 76 townships (official 2023 codes,
``resources/divisions/baoshan_divisions_2023.csv``), each with village reports: an initial
report for every village, and for some of them continuing and verified reports, a few
corrections filed before review and a few returned by the township and filed again.  Each
version says how the township decided on it.  The latest figures of every village, added up
over villages and then over events, are **exactly** the Baoshan emergency bureau's published
figures for 2021 (docs/domain.md §8): 464,800 people affected (人次), 2 deaths, 36,800 ha of
crops affected of which 3,500 ha failed, 735 rooms (间) of houses collapsed or damaged and a
direct loss of 49,000 万元.  The totals are split by a seeded random partition (integers, in
hundredths for hectares and 万元, largest remainders), and every version passes the shared
rules (``sync.contract.validate``, rule 9 against the village's previous report included).

``city-server history load`` (``sync/server/history.py``) pushes the versions through the real
ingest path as the villages' informants and decides on them as the township reviewers.  The
seed is fixed, so the file is the same on every run::

    python tools/make_history_2021.py            # writes the file
    python tools/make_history_2021.py --check    # exit 1 when the file differs from a fresh one
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sync.contract import (  # noqa: E402
    DivisionLevel,
    ReportContent,
    ValidationContext,
    blocking_issues,
    default_divisions,
    validate,
)
from sync.contract.disasters import DISASTER_TYPE_BY_KEY  # noqa: E402
from sync.contract.report import figure_to_json  # noqa: E402

OUT = ROOT / "resources" / "sample" / "baoshan_history_2021.json"
SEED = 20211231
CITY = "530500000000"
YEAR = 2021
CHINA = timezone(timedelta(hours=8))
FORMAT = "city-server-history/1"

#: The bureau's published figures for 2021 (docs/domain.md §8).  Hectares and 万元 in units.
PUBLISHED: dict[str, int] = {
    "events": 23,
    "townships_affected": 73,
    "affected_pop": 464_800,
    "deaths": 2,
    "missing": 0,
    "crop_affected_ha": 36_800,
    "crop_failed_ha": 3_500,
    "house_rooms": 735,
    "direct_loss": 49_000,
}

#: The 23 events: (month, day, hour, county, type, subtype).  Events of one county and type
#: lie at least a month apart, so no merge rule joins two of them.
EVENTS: tuple[tuple[int, int, int, str, str, str | None], ...] = (
    (1, 9, 5, "530524000000", "cold", "frost"),
    (1, 27, 6, "530521000000", "cold", "frost"),
    (2, 16, 4, "530581000000", "cold", "chilling"),
    (3, 22, 14, "530502000000", "drought", None),
    (4, 8, 13, "530523000000", "drought", None),
    (4, 19, 16, "530521000000", "wind_hail", "hail"),
    (4, 30, 17, "530581000000", "wind_hail", "hail"),
    (5, 13, 15, "530524000000", "wind_hail", "gale"),
    (5, 27, 16, "530502000000", "wind_hail", "hail"),
    (6, 11, 3, "530523000000", "flood", "rainstorm_flood"),
    (6, 25, 2, "530502000000", "flood", "flash_flood"),
    (7, 6, 23, "530581000000", "flood", "rainstorm_flood"),
    (7, 17, 4, "530524000000", "geological", "landslide"),
    (7, 28, 1, "530521000000", "flood", "rainstorm_flood"),
    (8, 8, 22, "530523000000", "geological", "debris_flow"),
    (8, 19, 3, "530502000000", "geological", "landslide"),
    (8, 30, 2, "530581000000", "flood", "flash_flood"),
    (9, 10, 5, "530524000000", "flood", "rainstorm_flood"),
    (9, 23, 4, "530502000000", "flood", "rainstorm_flood"),
    (10, 6, 21, "530581000000", "geological", "rockfall"),
    (10, 19, 3, "530521000000", "geological", "landslide"),
    (11, 12, 10, "530502000000", "earthquake", None),
    (12, 17, 6, "530523000000", "cold", "freeze"),
)

#: What each disaster type damages: crops, houses, people relocated, drought aid.
HARMS: dict[str, frozenset[str]] = {
    "cold": frozenset({"crops"}),
    "drought": frozenset({"crops", "drought"}),
    "wind_hail": frozenset({"crops", "houses"}),
    "flood": frozenset({"crops", "houses", "relocated"}),
    "geological": frozenset({"houses", "relocated", "crops"}),
    "earthquake": frozenset({"houses", "relocated"}),
}
#: How heavy each type weighs in the split of people and losses.
WEIGHT: dict[str, float] = {
    "cold": 0.8,
    "drought": 2.5,
    "wind_hail": 0.9,
    "flood": 1.4,
    "geological": 0.7,
    "earthquake": 0.6,
}
RETURN_REASONS = (
    ("受灾人口统计不全，请逐组核实后补报", "affected_pop"),
    ("直接经济损失漏统计，请核实", "direct_loss"),
    ("受灾人口与村里台账不一致，请核实", "affected_pop"),
)
HOUSE_CLASSES = ("collapsed", "severe", "minor")


@dataclass
class Record:
    """One village in one event: its final (latest) figures and its reports."""

    event: int
    village: str
    township: str
    weight: float
    harms: frozenset[str]
    final: dict[str, int] = field(default_factory=dict)  # in units (hundredths for 2-dp)


def partition(total: int, weights: list[float], rng: random.Random, floor: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders).

    Every share with a weight gets at least ``floor``; the shares always add up to ``total``.
    """
    live = [i for i, w in enumerate(weights) if w > 0]
    out = [0] * len(weights)
    if not live:
        if total:
            raise ValueError("nothing to split the total over")
        return out
    rest = total - floor * len(live)
    if rest < 0:
        raise ValueError("the total is below the floors")
    noisy = {i: weights[i] * rng.uniform(0.6, 1.4) for i in live}
    whole = sum(noisy.values())
    exact = {i: rest * noisy[i] / whole for i in live}
    for i in live:
        out[i] = floor + int(exact[i])
    left = total - sum(out)
    by_remainder = sorted(live, key=lambda i: (exact[i] - int(exact[i]), -i), reverse=True)
    for i in by_remainder[:left]:
        out[i] += 1
    return out


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _units(field_name: str) -> int:
    """Return how many units make one of the field (100 for 2-decimal figures)."""
    return 100 if field_name.endswith("_ha") or field_name in _MONEY else 1


_MONEY = frozenset(
    {
        "direct_loss",
        "loss_housing",
        "loss_agri",
        "loss_industry",
        "loss_infra",
        "loss_public",
        "loss_other",
    }
)


def _figures(units: dict[str, int]) -> dict[str, int | float | str]:
    out: dict[str, int | float | str] = {}
    for name, value in units.items():
        scale = _units(name)
        out[name] = figure_to_json(name, Decimal(value) / scale if scale > 1 else Decimal(value))
    return out


def choose_places(rng: random.Random) -> tuple[list[list[str]], list[str]]:
    """Return each event's townships (73 townships, each in at least one event) and all 73."""
    table = default_divisions()
    townships = [d.code for d in table.of_level(DivisionLevel.TOWNSHIP) if not d.retired]
    assert len(townships) == 76, len(townships)
    spared = set(rng.sample(townships, 76 - PUBLISHED["townships_affected"]))
    hit = [t for t in townships if t not in spared]
    by_county: dict[str, list[str]] = {}
    for t in hit:
        by_county.setdefault(t[:6] + "000000", []).append(t)
    events_of: dict[str, list[int]] = {}
    for i, ev in enumerate(EVENTS):
        events_of.setdefault(ev[3], []).append(i)
    places: list[list[str]] = [[] for _ in EVENTS]
    for county, towns in sorted(by_county.items()):
        mine = events_of[county]
        shuffled = towns[:]
        rng.shuffle(shuffled)
        for k, t in enumerate(shuffled):  # every township at least once
            places[mine[k % len(mine)]].append(t)
        for i in mine:  # and some townships twice in a year
            extra = [t for t in towns if t not in places[i]]
            places[i].extend(rng.sample(extra, min(len(extra), rng.randint(0, 2))))
    return [sorted(p) for p in places], hit


def build_records(rng: random.Random, places: list[list[str]]) -> list[Record]:
    """Choose the villages of each event and township and give them weights."""
    table = default_divisions()
    records: list[Record] = []
    for i, towns in enumerate(places):
        kind = EVENTS[i][4]
        for t in towns:
            villages = [v.code for v in table.villages_under(t)]
            count = min(len(villages), rng.choice((1, 1, 2, 2, 3)))
            for v in sorted(rng.sample(villages, count)):
                records.append(Record(i, v, t, WEIGHT[kind] * rng.uniform(0.3, 1.7), HARMS[kind]))
    return records


def split_totals(rng: random.Random, records: list[Record]) -> None:
    """Give every record its final figures so that they add up to the published totals."""
    n = len(records)
    w = [r.weight for r in records]
    pop = partition(PUBLISHED["affected_pop"], w, rng, floor=60)
    crops = [r.weight if "crops" in r.harms else 0.0 for r in records]
    affected = partition(PUBLISHED["crop_affected_ha"] * 100, crops, rng, floor=50)
    failed_w = [a * rng.uniform(0.4, 1.6) for a in affected]
    failed = partition(PUBLISHED["crop_failed_ha"] * 100, failed_w, rng)
    loss = partition(PUBLISHED["direct_loss"] * 100, w, rng, floor=500)
    # Houses: rooms in three classes over the records of types that damage houses.
    house_w = [
        r.weight * rng.uniform(0, 1) if "houses" in r.harms and rng.random() < 0.55 else 0.0
        for r in records
    ]
    rooms_total = PUBLISHED["house_rooms"]
    collapsed_total = 62
    severe_total = 171
    minor_total = rooms_total - collapsed_total - severe_total
    rooms: dict[str, list[int]] = {
        "collapsed": partition(
            collapsed_total, [x if rng.random() < 0.4 else 0.0 for x in house_w], rng
        ),
        "severe": partition(severe_total, [x if rng.random() < 0.7 else 0.0 for x in house_w], rng),
        "minor": partition(minor_total, house_w, rng),
    }
    # Two deaths, in one landslide village (a name ledger is only needed at the verified stage).
    slides = [k for k, r in enumerate(records) if EVENTS[r.event][5] == "landslide"]
    dead_at = max(slides, key=lambda k: records[k].weight)
    for k, r in enumerate(records):
        f: dict[str, int] = {"affected_pop": pop[k]}
        if k == dead_at:
            f["deaths"] = PUBLISHED["deaths"]
            f["missing"] = 0
            f["injured"] = 3
            f["injured_severe"] = 1
        if affected[k]:
            f["crop_affected_ha"] = affected[k]
            damaged = failed[k] + int((affected[k] - failed[k]) * rng.uniform(0.2, 0.6))
            f["crop_damaged_ha"] = damaged
            f["crop_failed_ha"] = failed[k]
        for cls in HOUSE_CLASSES:
            rm = rooms[cls][k]
            if rm:
                f[f"house_{cls}_hh"] = max(1, min(rm, round(rm / rng.uniform(2.0, 4.0))))
                f[f"house_{cls}_rooms"] = rm
        if "relocated" in r.harms:
            central = int(pop[k] * rng.uniform(0.0, 0.03))
            dispersed = int(pop[k] * rng.uniform(0.0, 0.05))
            f["relocated"] = central + dispersed
            f["relocated_central"] = central
            f["relocated_dispersed"] = dispersed
        if "drought" in r.harms:
            f["drought_aid"] = int(pop[k] * rng.uniform(0.2, 0.5))
            f["drought_water_aid"] = int(f["drought_aid"] * rng.uniform(0.5, 0.9))
        f["urgent_aid"] = int(pop[k] * rng.uniform(0.0, 0.08))
        f["direct_loss"] = loss[k]
        if rng.random() < 0.6:  # the parts of the loss, adding up to it
            parts = ["loss_agri" if affected[k] else "loss_other", "loss_infra"]
            if any(rooms[c][k] for c in HOUSE_CLASSES):
                parts.append("loss_housing")
            if rng.random() < 0.3:
                parts.append("loss_public")
            shares = partition(loss[k], [rng.uniform(0.5, 2.0) for _ in parts], rng)
            f.update({p: s for p, s in zip(parts, shares, strict=True) if s})
        r.final = f
    assert n == len(records)


def scaled(final: dict[str, int], share: float) -> dict[str, int]:
    """Return earlier cumulative figures: ``share`` of the final ones, every rule kept."""
    if share >= 1:
        return dict(final)
    out = {k: int(v * share) for k, v in final.items()}
    for keep in ("deaths", "missing", "injured", "injured_severe"):
        if keep in final:
            out[keep] = final[keep]
    floor = sum(final.get(k, 0) for k in ("deaths", "missing", "injured")) + 1
    out["affected_pop"] = max(out["affected_pop"], min(final["affected_pop"], floor + 20))
    for cls in HOUSE_CLASSES:
        hh, rm = f"house_{cls}_hh", f"house_{cls}_rooms"
        if hh in out and out[hh] == 0 and out[rm] > 0:
            out[hh] = 1
        if hh in out and out[hh] > 0 and out[rm] == 0:
            out[rm] = out[hh]
    if "relocated" in out:
        out["relocated"] = out["relocated_central"] + out["relocated_dispersed"]
    parts = [k for k in out if k.startswith("loss_")]
    if parts:
        out["direct_loss"] = sum(out[k] for k in parts)
    return {k: v for k, v in out.items() if v or k in ("deaths", "missing")}


def _time(value: datetime) -> str:
    return value.astimezone(CHINA).isoformat()


def build_versions(rng: random.Random, records: list[Record]) -> list[dict[str, Any]]:
    """Return every village report version of the year with how the township decided."""
    table = default_divisions()
    events: list[dict[str, Any]] = []
    for month, day, hour, county, kind, subtype in EVENTS:
        division = table.get(county)
        assert division is not None
        county_name = division.short_name
        events.append(
            {
                "event_uuid": _uuid(rng),
                "event_name": f"{YEAR}{month:02d}{day:02d}{county_name}"
                f"{DISASTER_TYPE_BY_KEY[kind].zh}",
                "disaster_type": kind,
                "disaster_subtype": subtype,
                "occurred_at": datetime(YEAR, month, day, hour, rng.randint(0, 59), tzinfo=CHINA),
            }
        )
    versions: list[dict[str, Any]] = []
    for r in records:
        ev = events[r.event]
        occurred: datetime = ev["occurred_at"]
        village = table.get(r.village)
        assert village is not None
        disaster = DISASTER_TYPE_BY_KEY[ev["disaster_type"]]
        sub = disaster.subtype(ev["disaster_subtype"]) if ev["disaster_subtype"] else None
        what = sub.zh if sub is not None else disaster.zh
        houses = any(f"house_{c}_rooms" in r.final for c in HOUSE_CLASSES)
        deaths = r.final.get("deaths", 0) > 0
        continuing = rng.choices((0, 1, 2), (0.45, 0.35, 0.2))[0]
        verified = not houses and not deaths and rng.random() < 0.35
        stages = ["initial"] + ["continuing"] * continuing + (["verified"] if verified else [])
        shares = [*sorted(rng.uniform(0.35, 0.95) for _ in stages[:-1]), 1.0]
        previous: dict[str, int] | None = None
        step = 10 if ev["disaster_type"] == "drought" else 1
        for n, (stage, share) in enumerate(zip(stages, shares, strict=True)):
            # Cumulative figures rise with the share of the final ones (rule 9 holds).
            units = scaled(r.final, share)
            below = scaled(r.final, ((shares[n - 1] if n else 0.2) + share) / 2)
            if stage == "initial":
                cutoff = occurred + timedelta(minutes=rng.randint(40, 150))
                submitted = cutoff + timedelta(minutes=rng.randint(5, 40))
                narrative = (
                    f"{occurred.month}月{occurred.day}日，{village.short_name}遭受{what}，"
                    f"初步统计受灾{units['affected_pop']}人，村组正在核查损失。"
                )
            else:
                day0 = occurred.replace(hour=0, minute=0) + timedelta(days=1 + step * n)
                if stage == "verified":
                    day0 += timedelta(days=rng.randint(3, 8))
                cutoff = day0
                submitted = day0 + timedelta(hours=7, minutes=rng.randint(0, 55))
                narrative = (
                    f"截至{cutoff.month}月{cutoff.day}日0时，{village.short_name}{what}"
                    f"累计受灾{units['affected_pop']}人，"
                    + (
                        "灾情已稳定，数据经村组逐户核实。"
                        if stage == "verified"
                        else "灾情持续关注中。"
                    )
                )
            content = {
                "report_uuid": _uuid(rng),
                "event_uuid": ev["event_uuid"],
                "event_name": ev["event_name"],
                "stage": stage,
                "disaster_type": ev["disaster_type"],
                "disaster_subtype": ev["disaster_subtype"],
                "village_code": r.village,
                "occurred_at": _time(occurred),
                "data_cutoff_at": _time(cutoff),
                "submitted_at": _time(submitted),
                "narrative": narrative,
                "figures": _figures(units),
                "event_stable": stage == "verified",
            }
            decided = submitted + timedelta(minutes=rng.randint(10, 90))
            first: dict[str, Any] = {
                "version_uuid": _uuid(rng),
                "parent_version_uuid": None,
                "version_no": 1,
                "content": content,
            }
            fate = rng.random()
            if fate < 0.12:  # first filed short, then complete: returned, or corrected unasked
                first["content"] = {**content, "figures": _figures(below)}
                check(first["content"], previous)
                if fate < 0.06:
                    reason, field_name = RETURN_REASONS[rng.randrange(len(RETURN_REASONS))]
                    first["review"] = _decision(rng, "return", reason, decided, field_name)
                    later = submitted + timedelta(hours=2)
                    again = decided + timedelta(hours=3)
                else:
                    first["review"] = None
                    later = submitted + timedelta(minutes=30)
                    again = decided + timedelta(hours=1)
                second = _next(rng, first, content, later)
                second["review"] = _decision(rng, "approve", "", again)
                versions += [first, second]
            else:
                first["review"] = _decision(rng, "approve", "", decided)
                versions.append(first)
            check(content, previous)
            previous = units
    return versions


def _next(
    rng: random.Random, parent: dict[str, Any], content: dict[str, Any], submitted: datetime
) -> dict[str, Any]:
    return {
        "version_uuid": _uuid(rng),
        "parent_version_uuid": parent["version_uuid"],
        "version_no": parent["version_no"] + 1,
        "content": {**content, "submitted_at": _time(submitted)},
    }


def _decision(
    rng: random.Random, kind: str, reason: str, at: datetime, field_name: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "decision_uuid": _uuid(rng),
        "decision": kind,
        "reason": reason,
        "device_decided_at": _time(at),
    }
    if field_name:
        out["field_comments"] = {field_name: "请核实后重新报送"}
    return out


def check(content: dict[str, Any], previous: dict[str, int] | None) -> None:
    """Fail when a version breaks a shared rule (rule 9 against the previous report too)."""
    report = ReportContent.from_dict(content)
    prev = None
    if previous is not None:
        prev = {k: Decimal(v) / _units(k) for k, v in previous.items()}
    ctx = ValidationContext(previous_figures=prev, divisions=default_divisions())
    issues = blocking_issues(validate(report, ctx), report.notes)
    if issues:
        raise AssertionError(f"{content['village_code']} {content['stage']}: {issues}")


def totals(records: list[Record]) -> dict[str, int]:
    """Return the year's totals of the final figures (units as in ``PUBLISHED``)."""
    out = {
        "events": len({r.event for r in records}),
        "townships_affected": len({r.township for r in records}),
    }
    for name in ("affected_pop", "deaths", "missing", "crop_affected_ha", "crop_failed_ha"):
        out[name] = sum(r.final.get(name, 0) for r in records) // _units(name)
    out["house_rooms"] = sum(
        r.final.get(f"house_{c}_rooms", 0) for r in records for c in HOUSE_CLASSES
    )
    out["direct_loss"] = sum(r.final.get("direct_loss", 0) for r in records) // 100
    return out


def generate() -> str:
    """Return the history file's text (deterministic)."""
    rng = random.Random(SEED)
    places, hit = choose_places(rng)
    records = build_records(rng, places)
    split_totals(rng, records)
    for name in ("crop_affected_ha", "crop_failed_ha", "direct_loss"):
        assert sum(r.final.get(name, 0) for r in records) % 100 == 0, name
    assert totals(records) == PUBLISHED, totals(records)
    versions = build_versions(rng, records)
    head = {
        "format": FORMAT,
        "city_code": CITY,
        "year": YEAR,
        "title_zh": "保山市2021年自然灾害（示例数据，灾情为虚构，年度合计与公布数一致）",
        "title_en": "Baoshan city's natural disasters of 2021 (sample data: the reports are "
        "made up, the year's totals are the published ones)",
        "published": PUBLISHED,
        "townships": hit,
    }
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "versions": [')
    body = [
        "    " + json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        for v in versions
    ]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the file, or with ``--check`` compare it with a fresh one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python tools/make_history_2021.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {args.out}: {len(data['versions'])} versions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
