"""Real documents published by public bodies (../shared/samples/real, see its SOURCE.md),
through the production path `parsers.parse`, against their truths."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from golden.cer import cer

from parsers import parse
from parsers.word import find_converter

REAL = ROOT.parent / "shared" / "samples" / "real"

# The three statistics tables of gov_huaian_2024 (二 主动公开, 三 依申请公开, 四 复议诉讼),
# read off the printed pages (gov_huaian_2024.tables.json).
HUAIAN_FIGURES = {
    "proactive_rules_issued": 1,
    "proactive_rules_repealed": 0,
    "proactive_rules_in_force": 11,
    "proactive_normative_issued": 8,
    "proactive_normative_repealed": 26,
    "proactive_normative_in_force": 66,
    "proactive_licences": 447228,
    "proactive_penalties": 3985758,
    "proactive_enforcement": 88283,
    "proactive_fees_yuan": 961716000,  # 96171.6 万元
    "requests_received": 3119,
    "requests_carried_over": 34,
    "requests_carried_forward": 103,
    "requests_handled": 3050,
    "requests_granted": 1362,
    "requests_partially_granted": 454,
    "requests_denied_state_secret": 2,
    "requests_denied_law": 31,
    "requests_denied_security": 5,
    "requests_denied_third_party": 6,
    "requests_denied_internal": 8,
    "requests_denied_process": 12,
    "requests_denied_enforcement": 9,
    "requests_denied_query": 105,
    "requests_denied": 178,
    "requests_not_exist": 769,
    "requests_needs_creation": 11,
    "requests_unclear": 1,
    "requests_unavailable": 781,
    "requests_not_processed_complaint": 62,
    "requests_not_processed_repeated": 25,
    "requests_not_processed_publication": 0,
    "requests_not_processed_excessive": 0,
    "requests_not_processed_confirmation": 1,
    "requests_not_processed": 88,
    "requests_other_uncorrected": 71,
    "requests_other_unpaid": 6,
    "requests_other_other": 110,
    "requests_other": 187,
    "reconsiderations_upheld": 72,
    "reconsiderations_corrected": 64,
    "reconsiderations_other": 178,
    "reconsiderations_pending": 37,
    "reconsiderations": 351,
    "lawsuits_direct_upheld": 13,
    "lawsuits_direct_corrected": 4,
    "lawsuits_direct_other": 8,
    "lawsuits_direct_pending": 1,
    "lawsuits_direct": 26,
    "lawsuits_after_review_upheld": 12,
    "lawsuits_after_review_corrected": 1,
    "lawsuits_after_review_other": 1,
    "lawsuits_after_review_pending": 6,
    "lawsuits_after_review": 20,
    "lawsuits": 46,
}


def _read(name: str) -> bytes:
    return (REAL / name).read_bytes()


def _truth(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8").strip()


def test_huaian_text_tables_figures():
    doc = parse(_read("gov_huaian_2024.pdf"), "application/pdf")
    truth = _truth("gov_huaian_2024.truth.txt")
    # The centred two-line title reads as one line; everything else as the truth.
    assert doc.text == truth.replace("淮安市人民政府\n2024年", "淮安市人民政府2024年", 1)
    assert cer(doc.text, truth) < 0.001
    expected = json.loads(_truth("gov_huaian_2024.tables.json"))
    assert [t.rows for t in doc.tables] == [t["rows"] for t in expected]
    assert [t.pages for t in doc.tables] == [[3, 4], [4, 5], [5]]
    assert [t.header_rows for t in doc.tables] == [2, 3, 3]
    from_tables = {f.name: f.value for f in doc.figures if f.table is not None}
    assert from_tables == HUAIAN_FIGURES
    # The text states received, 复议 and 诉讼 too, and agrees with the tables.
    assert [f.name for f in doc.figures if f.table is None] == []
    assert doc.warnings == []
    assert (doc.title, doc.year, doc.published) == (
        "淮安市人民政府2024年政府信息公开工作年度报告",
        2024,
        None,
    )


def test_cqupt_gongwen():
    doc = parse(_read("uni_cqupt_2012_gongwen_344.pdf"), "application/pdf")
    assert doc.text == _truth("uni_cqupt_2012_gongwen_344.truth.txt")
    # Signed on page 1 (重庆邮电大学 / 2012年12月3日); the imprint 12月6日印发 is not it.
    assert (doc.published, doc.published_source) == ("2012-12-03", "signature block")
    assert doc.tables == []


def test_template_docx_tables():
    doc = parse(_read("tpl_gov_annual_report_template.docx"), filename="template.docx")
    huaian = json.loads(_truth("gov_huaian_2024.tables.json"))
    # Table 四's one row of numbers is blank in the template: an empty row is no row.
    assert [len(t.rows) for t in doc.tables] == [14, 28, 3]
    # The blank template's header rows are the printed report's, merges included.
    for table, printed, head in zip(doc.tables, huaian, (2, 3, 3), strict=True):
        assert table.rows[:head] == printed["rows"][:head]
    assert [f for f in doc.figures if f.table is not None] == []  # blank: no figures


def test_article_page_dates():
    doc = parse(_read("page_wanzai_gov_tjgb_2022.html"), "text/html")
    # Which of the page's dates is its publication date is parsers.dates' call; the
    # printed dates of the body never replace a date the page gives.
    assert (doc.title, doc.published_source) == ("万载县2022年国民经济和社会发展统计公报", "page")
    assert doc.published is not None and doc.published.startswith("2023-")


@pytest.mark.skipif(not find_converter(), reason="needs LibreOffice (libreoffice-writer-nogui)")
def test_legacy_doc_month_signature():
    doc = parse(_read("uni_cqupt_2014_employment_report.doc"), filename="report.doc")
    assert (doc.format, doc.published, doc.published_source) == (
        "doc",
        "2014-12",  # 二〇一四年十二月: a month, no day
        "signature block",
    )
    assert len(doc.tables) == 13
