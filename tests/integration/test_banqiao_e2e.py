"""A township outside the old sample, from the bureau's register to an approved report.

板桥镇 (隆阳区) had no villages in the old division table, so nobody there could file.  Here the
city imports its informant register (the 1,434-person example), prints 板桥镇's set-up code
sheet with ``city-server setup-codes``, and two fresh computers sign in with the codes read
back from that sheet: the A of 板桥社区 files an initial report, and 板桥镇's A reviews and
approves it.  Everything goes through the real city server and the real stores.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import openpyxl

from informant_app.core.account.sign_in import sign_in_with_code
from informant_app.core.reports.importing import FORMAT_NAME, FORMAT_VERSION, import_reports
from informant_app.core.review.service import (
    DecisionKind,
    ReviewFilter,
    ReviewStatus,
    decide,
    review_queue,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import PostRole
from informant_app.core.sync.engine import SyncEngine
from sync.contract import default_divisions
from sync.contract.resources import resource_path
from tests.integration.helpers import report_record
from tests.support.city_server import CityServer

BANQIAO = "530502101000"  # 板桥镇, 隆阳区
BANQIAO_SHEQU = "530502101201"  # 板桥社区村民委员会
REGISTER = resource_path("sample", "baoshan_register_sample.csv")


def codes_on_sheet(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Return (post name, A/B) → (username, code) as printed on the sheet's worksheets."""
    book = openpyxl.load_workbook(path, read_only=True)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for ws in book.worksheets:
        rows = [[str(c or "") for c in r] for r in ws.iter_rows(values_only=True)]
        header = next(i for i, r in enumerate(rows) if r[:2] == ["姓名", "岗位"])
        for row in rows[header + 1 :]:
            _name, post, role, username, code = row[:5]
            found[(post, role)] = (username, code)
    return found


def test_banqiao_informant_files_with_a_printed_code_and_the_township_approves(
    tmp_path: Path,
) -> None:
    with CityServer(tmp_path / "city") as city:
        out = city.cli("register", "import", str(REGISTER))
        # The sample's six post holders are in the register too: matched by phone, updated.
        assert "新建 created 1428，更新 updated 6，不变 unchanged 0，拒绝 refused 0" in out, out
        sheet = tmp_path / "板桥镇设置码.xlsx"
        city.cli("setup-codes", "--under", BANQIAO, "--server-url", city.url, "--xlsx", str(sheet))
        codes = codes_on_sheet(sheet)

        village_name = default_divisions().get(BANQIAO_SHEQU)
        assert village_name is not None and village_name.short_name == "板桥社区"
        informant, informant_code = codes[("板桥社区", "A")]
        reviewer, reviewer_code = codes[("板桥镇", "A")]
        assert len(codes) > 30  # every post of the township and its villages is on the sheet

        event = str(uuid.uuid4())
        with ReportStore.open(tmp_path / "village") as store:
            account = sign_in_with_code(store, city.url, informant_code, device_name="村委会电脑")
            assert account.username == informant
            assert [p.division_code for p in account.posts] == [BANQIAO_SHEQU]
            profile = store.profile()
            assert profile is not None and profile.role is PostRole.A
            record = report_record(
                BANQIAO_SHEQU, random.Random(15), event_uuid=event, event_name="板桥镇洪涝"
            )
            summary = import_reports(
                store,
                {"format": FORMAT_NAME, "version": FORMAT_VERSION, "reports": [record]},
                submit=True,
            )
            assert summary.imported == 1, summary
            [version] = summary.version_uuids
            assert SyncEngine(store).run_round().ok

        with ReportStore.open(tmp_path / "township") as store:
            account = sign_in_with_code(store, city.url, reviewer_code, device_name="乡镇电脑")
            assert account.username == reviewer and account.role == "township_reviewer"
            assert SyncEngine(store).run_round().ok
            only = ReviewFilter(event_uuid=event)
            [item] = review_queue(store, only, 0, 50)
            assert (item.version_uuid, item.village_code) == (version, BANQIAO_SHEQU)
            assert item.status is ReviewStatus.PENDING
            decide(store, version, DecisionKind.APPROVE)
            assert SyncEngine(store).run_round().ok
            [item] = review_queue(store, only, 0, 50)
            assert item.status is ReviewStatus.APPROVED

        [held] = [r for r in city.reports() if r["report_uuid"] == record["report_uuid"]]
        assert held["village_code"] == BANQIAO_SHEQU
        assert held["review_status"] == "approved", held
