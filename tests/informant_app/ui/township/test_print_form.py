"""The township report on the national form as a PDF (QPdfWriter, A4 landscape).

The form is made from a real store (village versions pulled as on a reviewer's device); the
PDF's pages and text are read back with poppler's ``pdfinfo`` and ``pdftotext`` when present,
else from the ``QTextDocument`` the pages are painted from.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from informant_app.core.store.report_store import ReportStore
from informant_app.core.township.national_form import NationalForm, township_form
from informant_app.core.township.report import report_of
from informant_app.ui.township.print_form import form_document, write_pdf
from sync.contract.forms import form_settings
from tests.informant_app.core.review.test_review_store import sign_in_as
from tests.informant_app.core.township.test_national_form import (
    EXPORTED,
    keep_villages,
    township_payload,
)
from tests.informant_app.core.township.test_review_township import SERVER_TIME

POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReportStore]:
    s = ReportStore.open(tmp_path / "data")
    try:
        yield s
    finally:
        s.close()


def form_of(store: ReportStore, stage: str) -> NationalForm:
    sign_in_as(store)
    keep_villages(store, stage)
    return township_form(
        store, report_of(township_payload(stage), SERVER_TIME, False, {}), EXPORTED
    )


def pdf_text(path: Path) -> str:
    """Return the PDF's text without spaces, NFKC-normalised (the CJK font's glyph map gives
    some characters as Kangxi radicals: ⽂ for 文)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return norm(out)


#: Characters the font's glyph map gives for a shared glyph, which NFKC leaves alone (CJK
#: radicals-supplement forms, a traditional variant).
RADICALS = str.maketrans({"\u2ec6": "角", "\u2eda": "页", "戶": "户"})


def norm(text: str) -> str:
    """Return ``text`` NFKC-normalised without white space."""
    return "".join(unicodedata.normalize("NFKC", text).translate(RADICALS).split())


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_the_pdf_has_the_header_table_narrative_and_footer(
    qapp: QApplication, store: ReportStore, tmp_path: Path
) -> None:
    form = form_of(store, "continuing")
    target = tmp_path / "continuing.pdf"
    pages = write_pdf(form, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert pages >= 1
    document = form_document(form).toPlainText()
    for text in ("自然灾害损失情况统计快报表", "数据截止时间：2024-07-01 11:00", "乡镇调整数"):
        assert text in document, text
    if not POPPLER:
        pytest.skip("poppler-utils are not installed")
    assert pdf_pages(target) == pages
    text = pdf_text(target)
    header = form_settings().form("township").header
    for key in ("表号", "制定机关", "批准文号"):
        assert norm(f"{key}：{header[key]}") in text, key
    assert norm("填报单位：瓦房彝族苗族乡") in text
    assert norm("数据截止时间：2024-07-01") in text and "11:00" in text
    assert norm("瓦房社区：瓦房河水位上涨，冲毁农田。") in text
    assert norm("填表人：瓦房乡应急办B（B角）") in text
    assert norm(f"第1页共{pages}页") in text


def test_a_verified_pdf_adds_the_ledger_pages(
    qapp: QApplication, store: ReportStore, tmp_path: Path
) -> None:
    verified = write_pdf(form_of(store, "verified"), tmp_path / "verified.pdf")
    with ReportStore.open(tmp_path / "other") as other:
        continuing = write_pdf(form_of(other, "continuing"), tmp_path / "continuing.pdf")
    assert verified == continuing + 2  # each ledger starts a page
    if not POPPLER:
        pytest.skip("poppler-utils are not installed")
    text = pdf_text(tmp_path / "verified.pdf")
    assert (
        norm("因灾死亡失踪人员名单") in text
        and norm("张三") in text
        and norm("合计：死亡1人，失踪0人") in text
    )
    assert norm("因灾倒塌损坏住房户台账") in text and norm("合计：2户，6间") in text


def test_the_household_pages_name_each_household(
    qapp: QApplication, store: ReportStore, tmp_path: Path
) -> None:
    """A village report with a household ledger prints one line per household (户主 and 间)."""
    import dataclasses
    from decimal import Decimal

    from informant_app.core.township.national_form import HouseholdEntry

    form = form_of(store, "verified")
    named = (
        HouseholdEntry("530502208201", "瓦房社区", "collapsed", Decimal(1), Decimal(2), "李四"),
        HouseholdEntry(
            "530502208201", "瓦房社区", "collapsed", Decimal(1), Decimal(4), "王五", "借住"
        ),
    )
    text = form_document(dataclasses.replace(form, households=named)).toPlainText()
    assert "李四" in text and "王五" in text and "借住" in text
    assert "合计：2 户，6 间" in text
