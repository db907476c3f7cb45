"""A parse's table structure reaches the archive whole (m006): each table's page span and header
rows, the table cell a figure was read from, and where the publication date came from. Runs the
real WPS report of `../shared/samples/real/` through the production path."""

from __future__ import annotations

import json
from pathlib import Path

import parsers
from archive import Archive
from archive.reports import ReportCandidate, SourceFile, save_report

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "real"
SHA = "cd" * 32


def _candidate(published: str | None) -> ReportCandidate:
    page = "http://xxgk.example.edu.cn/info/1/1.htm"
    return ReportCandidate(
        school_code="4100000000",
        school_name="淮安示范大学",
        title="淮安示范大学2024年信息公开年度报告",
        page_url=page,
        source=SourceFile(page, SHA, "attachment", page, "report.pdf", "application/pdf"),
        year=2024,
        label="2024年",
        published=published,
    )


def test_tables_and_table_figures_keep_their_cells(tmp_path):
    parsed = parsers.parse((REAL / "gov_huaian_2024.pdf").read_bytes(), "application/pdf")
    archive = Archive(tmp_path)
    archive.db["schools"].insert({"code": "4100000000", "name": "淮安示范大学"})
    report_id, outcome = save_report(archive.db, _candidate("2025-01-20"), parsed, None, "pdf")
    assert outcome == "inserted"
    tables = list(
        archive.db.query(
            "select ordinal, page, pages, header_rows from tables where report_id = ? "
            "order by ordinal",
            [report_id],
        )
    )
    assert tables == [
        {"ordinal": i, "page": t.page, "pages": json.dumps(t.pages), "header_rows": t.header_rows}
        for i, t in enumerate(parsed.tables)
    ]
    assert [t["pages"] for t in tables] == ["[3, 4]", "[4, 5]", "[5]"]
    figures = list(
        archive.db.query(
            "select name, value, table_ordinal, row_label, column_label from figures "
            "where report_id = ? order by id",
            [report_id],
        )
    )
    assert figures == [
        {
            "name": f.name,
            "value": f.value,
            "table_ordinal": f.table,
            "row_label": f.row,
            "column_label": f.column,
        }
        for f in parsed.figures
    ]
    assert figures[0] == {
        "name": "proactive_rules_issued",
        "value": 1,
        "table_ordinal": 0,
        "row_label": "第二十条第（一）项 / 规章",
        "column_label": "本年制发件数",
    }
    (source,) = archive.db.execute("select published_source from reports").fetchone()
    assert source == "portal"
    archive.close()


def test_a_date_from_the_document_says_so(tmp_path):
    parsed = parsers.parse(
        (REAL / "uni_cqupt_2012_gongwen_344.pdf").read_bytes(), "application/pdf"
    )
    archive = Archive(tmp_path)
    archive.db["schools"].insert({"code": "4100000000", "name": "淮安示范大学"})
    save_report(archive.db, _candidate(None), parsed, None, "pdf")
    row = archive.db.execute("select published, published_source from reports").fetchone()
    assert tuple(row) == (parsed.published, parsed.published_source)
    assert tuple(row) == ("2012-12-03", "signature block")
    archive.close()
