"""ReportContent parsing, its errors, the canonical form and the content hash."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from contract_factories import CLEAN_RAW, SHA, VILLAGE, raw, raw_with_figures
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.contract import (
    PROTOCOL_VERSION,
    ContractError,
    LedgerEntry,
    PhotoRef,
    ReportContent,
    ReportStage,
    canonical_json,
    content_hash,
    format_time,
    parse_time,
    utc_now,
)
from sync.contract.report import parse_figure

# --- parsing what is good ---------------------------------------------------------------------


def test_protocol_version() -> None:
    assert PROTOCOL_VERSION == 1


def test_from_dict_parses_every_part() -> None:
    data = raw(
        photos=[
            {"sha256": SHA.upper(), "size": 1234, "mime": "image/png"},
            {"sha256": SHA, "size": 0},
        ],
        ledger=[
            {"name": " 张三 ", "status": "death", "note": "户主"},
            {"name": "李四", "status": "missing"},
        ],
        notes={"R6:affected_pop": "已核实", "R8:affected_pop": "  "},
        emergency_response=True,
        event_stable=True,
        stage="verified",
    )
    report = ReportContent.from_dict(data)
    assert report.stage is ReportStage.VERIFIED
    assert report.disaster_type == "flood" and report.disaster_subtype == "flash_flood"
    assert report.village_code == VILLAGE
    assert report.occurred_at == datetime(2024, 6, 30, 21, 30, tzinfo=UTC)
    assert report.data_cutoff_at.tzinfo is UTC
    assert report.submitted_at == datetime(2024, 6, 30, 23, 20, tzinfo=UTC)
    assert report.latitude == 25.05 and report.longitude == 99.05
    assert report.figures["deaths"] == Decimal(1)
    assert report.figures["crop_damaged_ha"] == Decimal("20.25")
    assert report.figure("deaths") == 1
    assert report.photos == (PhotoRef(SHA, 1234, "image/png"), PhotoRef(SHA, 0, "image/jpeg"))
    assert report.ledger == (LedgerEntry("张三", "death", "户主"), LedgerEntry("李四", "missing"))
    assert report.notes == {"R6:affected_pop": "已核实"}, "blank notes are dropped"
    assert report.emergency_response is True and report.event_stable is True


def test_minimal_report_defaults() -> None:
    data = {
        k: CLEAN_RAW[k]
        for k in (
            "report_uuid",
            "event_uuid",
            "stage",
            "disaster_type",
            "village_code",
            "occurred_at",
            "data_cutoff_at",
        )
    }
    report = ReportContent.from_dict(data)
    assert report.event_name == "" and report.narrative == ""
    assert report.disaster_subtype is None and report.submitted_at is None
    assert report.latitude is None and report.longitude is None
    assert report.figures == {} and report.notes == {}
    assert report.photos == () and report.ledger == ()
    assert report.emergency_response is False and report.event_stable is False
    assert report.figure("deaths") == Decimal(0)


def test_empty_figures_are_dropped_and_strings_parsed() -> None:
    report = ReportContent.from_dict(
        raw_with_figures(
            {
                "deaths": None,
                "missing": "",
                "injured": " 3 ",
                "crop_affected_ha": "1.50",
                "direct_loss": Decimal("2.5"),
            }
        )
    )
    assert report.figures == {
        "injured": 3,
        "crop_affected_ha": Decimal("1.5"),
        "direct_loss": Decimal("2.5"),
    }


def test_figures_may_be_null() -> None:
    assert ReportContent.from_dict(raw(figures=None)).figures == {}


def test_blank_optional_fields() -> None:
    report = ReportContent.from_dict(
        raw(
            submitted_at="",
            event_name=None,
            narrative=None,
            disaster_subtype="",
            notes=None,
            photos=None,
            ledger=None,
        )
    )
    assert report.submitted_at is None and report.disaster_subtype is None
    assert report.event_name == "" and report.narrative == ""
    assert (report.notes, report.photos, report.ledger) == ({}, (), ())


def test_boundary_coordinates_are_accepted() -> None:
    report = ReportContent.from_dict(raw(latitude=-90, longitude=180.0))
    assert report.latitude == -90.0 and isinstance(report.latitude, float)
    assert report.longitude == 180.0
    assert ReportContent.from_dict(raw(latitude="", longitude=None)).latitude is None


def test_times_are_normalised_to_utc_seconds() -> None:
    report = ReportContent.from_dict(
        raw(occurred_at="2024-07-01T05:30:00.987654+08:00", data_cutoff_at="2024-06-30T23:00:00Z")
    )
    assert report.occurred_at == datetime(2024, 6, 30, 21, 30, tzinfo=UTC)
    assert report.data_cutoff_at == datetime(2024, 6, 30, 23, 0, tzinfo=UTC)


def test_format_and_parse_time() -> None:
    t = datetime(2024, 7, 1, 8, 0, 0, 123, tzinfo=timezone(timedelta(hours=8)))
    assert format_time(t) == "2024-07-01T00:00:00Z"
    assert parse_time("2024-07-01T00:00:00Z", "x") == t.replace(microsecond=0)
    with pytest.raises(ValueError):
        format_time(datetime(2024, 7, 1))
    now = utc_now()
    assert now.tzinfo is UTC and now.microsecond == 0


def test_format_time_pads_early_years() -> None:
    early = datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert format_time(early) == "0999-01-02T03:04:05Z"
    assert parse_time(format_time(early), "x") == early
    report = ReportContent.from_dict(raw(occurred_at="0999-01-01T00:00:00Z"))
    assert ReportContent.from_dict(report.to_dict()) == report


# --- ContractError names the field ----------------------------------------------------------


def _without(key: str) -> dict[str, Any]:
    data: dict[str, Any] = raw()
    del data[key]
    return data


def _fig(name: str, value: object) -> dict[str, Any]:
    data: dict[str, Any] = raw_with_figures({name: value})
    return data


BAD_INPUTS: list[tuple[str, object, str]] = [
    # (id, raw input, field the error must name)
    ("not-a-mapping", ["report"], "report"),
    ("none", None, "report"),
    *[
        (f"missing-{k}", _without(k), k)
        for k in (
            "report_uuid",
            "event_uuid",
            "stage",
            "disaster_type",
            "village_code",
            "occurred_at",
            "data_cutoff_at",
        )
    ],
    ("blank-report-uuid", raw(report_uuid=""), "report_uuid"),
    ("uuid-not-text", raw(report_uuid=12345), "report_uuid"),
    ("uuid-too-long", raw(event_uuid="x" * 65), "event_uuid"),
    ("village-not-text", raw(village_code=530502208201), "village_code"),
    ("event-name-not-text", raw(event_name=["a"]), "event_name"),
    ("event-name-too-long", raw(event_name="灾" * 201), "event_name"),
    ("narrative-not-text", raw(narrative=5), "narrative"),
    ("event-name-false", raw(event_name=False), "event_name"),  # falsy is not blank
    ("narrative-zero", raw(narrative=0), "narrative"),
    ("subtype-not-text", raw(disaster_subtype=["flash_flood"]), "disaster_subtype"),
    ("subtype-false", raw(disaster_subtype=False), "disaster_subtype"),
    ("submitted-zero", raw(submitted_at=0), "submitted_at"),
    ("submitted-false", raw(submitted_at=False), "submitted_at"),
    ("narrative-too-long", raw(narrative="灾" * 20_001), "narrative"),
    # stage, type, subtype
    ("unknown-stage", raw(stage="final"), "stage"),
    ("stage-label", raw(stage="初报"), "stage"),
    ("stage-unhashable", raw(stage=["initial"]), "stage"),
    ("unknown-type", raw(disaster_type="meteor"), "disaster_type"),
    ("unknown-subtype", raw(disaster_subtype="tsunami"), "disaster_subtype"),
    ("foreign-subtype", raw(disaster_subtype="hail"), "disaster_subtype"),
    # figures
    ("figures-not-object", raw(figures=[1, 2]), "figures"),
    ("unknown-indicator", _fig("casualties", 1), "figures.casualties"),
    ("non-number-text", _fig("deaths", "three"), "figures.deaths"),
    ("non-number-list", _fig("deaths", [1]), "figures.deaths"),
    ("non-number-dict", _fig("deaths", {"v": 1}), "figures.deaths"),
    ("bool-true", _fig("deaths", True), "figures.deaths"),
    ("bool-false", _fig("crop_affected_ha", False), "figures.crop_affected_ha"),
    ("nan", _fig("crop_affected_ha", float("nan")), "figures.crop_affected_ha"),
    ("inf", _fig("direct_loss", float("inf")), "figures.direct_loss"),
    ("-inf", _fig("direct_loss", float("-inf")), "figures.direct_loss"),
    ("nan-text", _fig("deaths", "NaN"), "figures.deaths"),
    ("inf-text", _fig("deaths", "-Infinity"), "figures.deaths"),
    ("snan-decimal", _fig("deaths", Decimal("sNaN")), "figures.deaths"),
    ("huge-int", _fig("affected_pop", 10**12), "figures.affected_pop"),
    ("huge-negative-int", _fig("affected_pop", -(10**12)), "figures.affected_pop"),
    ("giant-int", _fig("affected_pop", 10**5000), "figures.affected_pop"),
    ("huge-float", _fig("direct_loss", 1e300), "figures.direct_loss"),
    ("huge-text", _fig("direct_loss", "1e12"), "figures.direct_loss"),
    ("huge-exponent", _fig("direct_loss", "1e999999999999999999"), "figures.direct_loss"),
    ("tiny-exponent", _fig("crop_failed_ha", "1e-999999999"), "figures.crop_failed_ha"),
    # times
    ("bad-time", raw(occurred_at="yesterday"), "occurred_at"),
    ("time-not-text", raw(occurred_at=1719792000), "occurred_at"),
    ("naive-time", raw(occurred_at="2024-07-01T05:30:00"), "occurred_at"),
    ("date-only", raw(data_cutoff_at="2024-07-01"), "data_cutoff_at"),
    ("naive-submitted", raw(submitted_at="2024-07-01T08:00:00"), "submitted_at"),
    ("time-before-utc-range", raw(occurred_at="0001-01-01T00:00:00+08:00"), "occurred_at"),
    ("time-after-utc-range", raw(data_cutoff_at="9999-12-31T23:59:59-08:00"), "data_cutoff_at"),
    # flags, notes
    ("flag-not-bool", raw(emergency_response="yes"), "emergency_response"),
    ("flag-int", raw(event_stable=1), "event_stable"),
    ("notes-not-object", raw(notes=["x"]), "notes"),
    ("note-not-text", raw(notes={"R6:affected_pop": 1}), "notes"),
    # photos
    ("photos-not-list", raw(photos={"sha256": SHA}), "photos"),
    ("photo-not-object", raw(photos=[{"sha256": SHA, "size": 1}, "x.jpg"]), "photos[1]"),
    ("photo-no-size", raw(photos=[{"sha256": SHA}]), "photos[0]"),
    ("photo-short-sha", raw(photos=[{"sha256": "ab" * 31, "size": 1}]), "photos[0]"),
    ("photo-non-hex-sha", raw(photos=[{"sha256": "zz" * 32, "size": 1}]), "photos[0]"),
    ("photo-size-text", raw(photos=[{"sha256": SHA, "size": "12"}]), "photos[0]"),
    ("photo-size-bool", raw(photos=[{"sha256": SHA, "size": True}]), "photos[0]"),
    ("photo-size-negative", raw(photos=[{"sha256": SHA, "size": -1}]), "photos[0]"),
    ("photo-mime-null", raw(photos=[{"sha256": SHA, "size": 1, "mime": None}]), "photos[0]"),
    # ledger
    ("ledger-not-list", raw(ledger="张三"), "ledger"),
    ("ledger-row-not-object", raw(ledger=[["张三", "death"]]), "ledger[0]"),
    ("ledger-no-name", raw(ledger=[{"status": "death"}]), "ledger[0]"),
    ("ledger-blank-name", raw(ledger=[{"name": "  ", "status": "death"}]), "ledger[0]"),
    ("ledger-bad-status", raw(ledger=[{"name": "张三", "status": "injured"}]), "ledger[0]"),
    (
        "ledger-note-not-text",
        raw(ledger=[{"name": "张三", "status": "death", "note": 3}]),
        "ledger[0]",
    ),
    (
        "ledger-second-row",
        raw(ledger=[{"name": "张三", "status": "death"}, {"name": "李四"}]),
        "ledger[1]",
    ),
    # coordinates
    ("latitude-too-big", raw(latitude=90.0001), "latitude"),
    ("latitude-too-small", raw(latitude=-91), "latitude"),
    ("longitude-too-big", raw(longitude=180.5), "longitude"),
    ("longitude-too-small", raw(longitude=-181), "longitude"),
    ("latitude-text", raw(latitude="25.1"), "latitude"),
    ("latitude-bool", raw(latitude=True), "latitude"),
    ("latitude-nan", raw(latitude=float("nan")), "latitude"),
    ("longitude-inf", raw(longitude=float("inf")), "longitude"),
    ("latitude-giant-int", raw(latitude=10**400), "latitude"),
]


@pytest.mark.parametrize(
    ("data", "field"), [(d, f) for _i, d, f in BAD_INPUTS], ids=[i for i, _d, _f in BAD_INPUTS]
)
def test_contract_error_names_the_field(data: object, field: str) -> None:
    with pytest.raises(ContractError) as err:
        ReportContent.from_dict(data)
    assert err.value.field == field
    assert err.value.zh.strip() and err.value.en.strip()
    assert err.value.message("zh") == err.value.zh
    assert err.value.message("en") == err.value.en
    assert str(err.value).startswith(f"{field}: ")
    assert isinstance(err.value, ValueError)


# --- round trip and canonical form ------------------------------------------------------------


def test_round_trip_is_identity() -> None:
    report = ReportContent.from_dict(
        raw(
            photos=[{"sha256": SHA, "size": 9}],
            ledger=[{"name": "张三", "status": "death"}],
            notes={"R7:direct_loss": "按评估"},
        )
    )
    again = ReportContent.from_dict(report.to_dict())
    assert again == report
    assert again.to_dict() == report.to_dict()
    assert canonical_json(again) == canonical_json(report)


def test_to_dict_shapes() -> None:
    d = ReportContent.from_dict(
        raw_with_figures({"deaths": 2.0, "crop_affected_ha": 10, "direct_loss": "3.50"})
    ).to_dict()
    assert d["figures"] == {"deaths": 2, "crop_affected_ha": 10.0, "direct_loss": 3.5}
    assert isinstance(d["figures"]["deaths"], int)
    assert isinstance(d["figures"]["crop_affected_ha"], float)
    assert d["stage"] == "initial"
    assert d["occurred_at"] == "2024-06-30T21:30:00Z"
    assert d["disaster_subtype"] == "flash_flood"
    assert json.loads(json.dumps(d)) == d, "JSON-ready"


def test_values_that_do_not_fit_are_kept_not_rounded() -> None:
    d = ReportContent.from_dict(
        raw_with_figures({"deaths": 1.5, "crop_affected_ha": "1.005", "direct_loss": -2})
    ).to_dict()
    assert d["figures"] == {"deaths": "1.5", "crop_affected_ha": "1.005", "direct_loss": -2.0}


def _reorder(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: data[k] for k in reversed(list(data))}
    out["figures"] = {k: data["figures"][k] for k in reversed(list(data["figures"]))}
    return out


def test_canonical_json_ignores_insertion_order() -> None:
    a = ReportContent.from_dict(raw())
    b = ReportContent.from_dict(_reorder(raw()))
    assert list(a.figures) != list(b.figures)
    assert canonical_json(a) == canonical_json(b)
    assert content_hash(a) == content_hash(b)


@pytest.mark.parametrize(
    ("field", "spellings"),
    [
        ("crop_affected_ha", [10, 10.0, "10", "10.00", Decimal("10.000"), "1e1", " 10 "]),
        ("direct_loss", [0.5, "0.50", Decimal("0.5"), "5e-1"]),
        ("deaths", [3, 3.0, "3", "3.0", Decimal("3.00")]),
        ("crop_failed_ha", [0, 0.0, -0.0, "-0", "0.00", "0e-9", "0e9"]),
        ("deaths", [1.5, "1.50", Decimal("1.500")]),  # rejected by R1, still one spelling
    ],
)
def test_canonical_json_one_spelling_per_number(field: str, spellings: list[object]) -> None:
    blobs = {
        canonical_json(ReportContent.from_dict(raw_with_figures({field: s}))) for s in spellings
    }
    assert len(blobs) == 1, blobs


def test_canonical_json_same_instant_any_zone() -> None:
    a = ReportContent.from_dict(raw(occurred_at="2024-07-01T05:30:00+08:00"))
    b = ReportContent.from_dict(raw(occurred_at="2024-06-30T21:30:00Z"))
    c = ReportContent.from_dict(raw(occurred_at="2024-06-30T21:30:00.4+00:00"))
    assert canonical_json(a) == canonical_json(b) == canonical_json(c)


def test_canonical_json_format() -> None:
    report = ReportContent.from_dict(raw())
    blob = canonical_json(report)
    text = blob.decode("utf-8")
    assert "暴雨" in text, "UTF-8, not \\u escapes"
    assert ": " not in text and ", " not in text
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert list(parsed["figures"]) == sorted(parsed["figures"])
    assert canonical_json(ReportContent.from_dict(parsed)) == blob


def test_content_hash() -> None:
    report = ReportContent.from_dict(raw())
    assert content_hash(report) == hashlib.sha256(canonical_json(report)).hexdigest()
    assert len(content_hash(report)) == 64
    changed = ReportContent.from_dict(raw(narrative=CLEAN_RAW["narrative"] + "。"))
    assert content_hash(changed) != content_hash(report)
    more = ReportContent.from_dict(raw_with_figures({**CLEAN_RAW["figures"], "deaths": 2}))
    assert content_hash(more) != content_hash(report)
    unentered = ReportContent.from_dict(raw_with_figures({"deaths": 0}))
    assert content_hash(unentered) != content_hash(ReportContent.from_dict(raw_with_figures())), (
        "0 entered differs from not entered"
    )


def test_unknown_top_level_key_is_named_not_dropped() -> None:
    with pytest.raises(ContractError) as err:
        ReportContent.from_dict({**CLEAN_RAW, "narative": "typo"})
    assert err.value.field == "narative"
    assert "narative" in err.value.zh and "unknown field" in err.value.en


def test_content_keys_are_exactly_the_json_form() -> None:
    from sync.contract.report import CONTENT_KEYS, OPTIONAL_CONTENT_KEYS

    keys = set(ReportContent.from_dict(CLEAN_RAW).to_dict())
    assert keys == CONTENT_KEYS - OPTIONAL_CONTENT_KEYS
    with_households = {
        **CLEAN_RAW,
        "households": [{"head": "张三", "damage": "minor", "rooms": 2, "note": ""}],
    }
    assert set(ReportContent.from_dict(with_households).to_dict()) == CONTENT_KEYS


# --- the household ledger (户数台账): optional, and invisible when empty -------------------------

#: Content hashes computed with the contract before the household ledger existed (commit
#: b1adad6): content without households must keep its bytes, or every stored version's hash and
#: the server's duplicate check would break.
HASHES_BEFORE_HOUSEHOLDS = {
    "clean": "540bf2ff326da993304ab5462319c754693bc2ee3d898edb2eaaaa0dfa751bba",
    "verified": "e97d1c1434afcff72b599df11b75d217baf35f3154ff712ef2939e40a3c1f17e",
    "3d0f6a52-9c1e-4b57-8a34-0b6f2e1c7a01": (
        "3787928fb9db61675cd95947344a595f65e00f5270e704ce9fe2b5c3332d12dd"
    ),
    "3d0f6a52-9c1e-4b57-8a34-0b6f2e1c7a02": (
        "0b31d690ed2973460e3496709b3a4c08ddaf419ac48935f302885b01b39e0532"
    ),
    "3d0f6a52-9c1e-4b57-8a34-0b6f2e1c7a03": (
        "84533f8499ee917c4f89e5f9d44711efd57c5ac806cd629eb95590ec6e840429"
    ),
}
HOUSEHOLDS = [
    {"head": "张三", "damage": "collapsed", "rooms": 3, "note": "已搬至亲戚家"},
    {"head": "李四", "damage": "minor", "rooms": 2, "note": ""},
]


def test_content_without_households_keeps_its_hash() -> None:
    clean = ReportContent.from_dict(CLEAN_RAW)
    verified = ReportContent.from_dict({**CLEAN_RAW, "stage": "verified", "event_stable": True})
    assert content_hash(clean) == HASHES_BEFORE_HOUSEHOLDS["clean"]
    assert content_hash(verified) == HASHES_BEFORE_HOUSEHOLDS["verified"]
    assert b"households" not in canonical_json(clean)
    # an empty list is the same content as no list
    assert (
        content_hash(ReportContent.from_dict({**CLEAN_RAW, "households": []}))
        == (HASHES_BEFORE_HOUSEHOLDS["clean"])
    )


def test_the_sample_reports_keep_their_hashes() -> None:
    from pathlib import Path

    path = Path(__file__).parents[2] / "resources" / "sample" / "reports_example.json"
    reports = json.loads(path.read_text(encoding="utf-8"))["reports"]
    seen = 0
    for data in reports:
        expected = HASHES_BEFORE_HOUSEHOLDS.get(str(data.get("report_uuid")))
        if expected is not None:
            assert content_hash(ReportContent.from_dict(data)) == expected
            seen += 1
    assert seen == 3


def test_stored_fixture_versions_keep_their_bytes() -> None:
    """Every frozen version of the app's stored fixture databases re-encodes to its bytes."""
    import sqlite3
    from pathlib import Path

    fixtures = Path(__file__).parents[1] / "informant_app" / "core" / "fixtures"
    checked = 0
    for db in sorted(fixtures.glob("informant-*.db")):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT content, content_hash FROM report_versions WHERE content_hash IS NOT NULL"
            ).fetchall()
        for text, digest in rows:
            report = ReportContent.from_dict(json.loads(text))
            assert canonical_json(report).decode("utf-8") == text
            assert content_hash(report) == digest
            checked += 1
    assert checked > 0


def test_households_round_trip_and_change_the_hash() -> None:
    data = raw(households=HOUSEHOLDS)
    report = ReportContent.from_dict(data)
    assert [(h.head, h.damage, h.rooms, h.note) for h in report.households] == [
        ("张三", "collapsed", 3, "已搬至亲戚家"),
        ("李四", "minor", 2, ""),
    ]
    assert report.to_dict()["households"] == HOUSEHOLDS
    assert ReportContent.from_dict(json.loads(canonical_json(report))) == report
    assert content_hash(report) != HASHES_BEFORE_HOUSEHOLDS["clean"]
    # a missing note reads as an empty one, and the head is trimmed
    short = raw(households=[{"head": " 王五 ", "damage": "severe", "rooms": 1}])
    assert ReportContent.from_dict(short).to_dict()["households"] == [
        {"head": "王五", "damage": "severe", "rooms": 1, "note": ""}
    ]


@pytest.mark.parametrize(
    "households",
    [
        {"head": "张三"},
        "张三",
        [{"damage": "collapsed", "rooms": 1}],
        [{"head": "  ", "damage": "collapsed", "rooms": 1}],
        [{"head": "张三", "damage": "burnt", "rooms": 1}],
        [{"head": "张三", "damage": "collapsed", "rooms": 0}],
        [{"head": "张三", "damage": "collapsed", "rooms": -2}],
        [{"head": "张三", "damage": "collapsed", "rooms": 1.5}],
        [{"head": "张三", "damage": "collapsed", "rooms": "2"}],
        [{"head": "张三", "damage": "collapsed", "rooms": True}],
        [{"head": "张三", "damage": "collapsed", "rooms": 10_000}],
        [{"head": "张三", "damage": "collapsed", "rooms": 1, "romms": 2}],
        [{"head": "张三", "damage": "collapsed", "rooms": 1, "note": 5}],
    ],
)
def test_bad_household_rows_are_named(households: object) -> None:
    with pytest.raises(ContractError) as err:
        ReportContent.from_dict(raw(households=households))
    assert err.value.field.startswith("households")
    assert err.value.zh.strip() and err.value.en.strip()


# --- the fast paths give what the general ones give -------------------------------------------
# ``parse_figure`` takes whole numbers and plain floats without going through their text, and
# ``parse_time`` remembers the times it read: each must give exactly (value and spelling) what
# the general path gives, and refuse what it refuses.


def _outcome(parse: Any, *args: object) -> tuple[str, str]:
    try:
        value = parse(*args)
    except ContractError as exc:
        return "refused", f"{exc.field}: {exc.en}"
    return "parsed", repr(value)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**13), max_value=10**13),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(min_value=-1e-3, max_value=1e-3),
        st.floats(min_value=-2e12, max_value=2e12),
    )
)
def test_a_figure_parses_as_its_text_does(value: int | float) -> None:
    fast = _outcome(parse_figure, "crop_affected_ha", value)
    if isinstance(value, float) and not math.isfinite(value):
        assert fast[0] == "refused"
        return
    assert fast == _outcome(parse_figure, "crop_affected_ha", str(value))


@settings(max_examples=200, deadline=None)
@given(st.datetimes(timezones=st.timezones()), st.sampled_from(["occurred_at", "submitted_at"]))
def test_a_time_read_again_is_the_same_time(moment: datetime, name: str) -> None:
    text = moment.isoformat()
    first = _outcome(parse_time, text, name)
    assert _outcome(parse_time, text, name) == first  # the second read comes from memory
    if first[0] == "parsed":
        assert parse_time(text, name) == moment.astimezone(UTC).replace(microsecond=0)


@pytest.mark.parametrize("text", ["2024-07-01T00:00:00", "not a time", "0001-01-01T00:00+08:00"])
def test_a_bad_time_read_again_is_refused_again_naming_its_field(text: str) -> None:
    for name in ("occurred_at", "data_cutoff_at"):
        with pytest.raises(ContractError) as refused:
            parse_time(text, name)
        assert refused.value.field == name
