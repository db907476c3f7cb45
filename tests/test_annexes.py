"""A report split into 正文 + 附件 (the statistics tables posted as a file of their own) is one
report: the crawl's parse and `xxgk reparse` both read the annex's tables and figures."""

from __future__ import annotations

from golden.content import golden_docs
from golden.layout import render
from golden.stats_pdf import build

from archive import Archive
from archive.ingest import annexes_of, parse_stored
from archive.reparse import reparse
from archive.reports import ReportCandidate, SourceFile, save_report
from parsers import parse

PAGE = "http://xxgk.example.edu.cn/info/1010/8337.htm"
PDF = "application/pdf"


def _figures(parsed) -> dict[str, int]:
    return {f.name: f.value for f in parsed.figures if f.table is not None}


def test_the_annex_tables_join_the_report():
    main, annex = render(golden_docs()[0]), build(seed=3)
    alone = parse(main, PDF)
    joined = parse(main, PDF, annexes=[("附件：信息公开统计表.pdf", annex.pdf)])
    assert joined.text == alone.text
    assert [t.rows for t in joined.tables] == [t.rows for t in alone.tables] + annex.tables
    assert _figures(joined) == {**_figures(alone), **annex.figures}
    assert "annex 附件：信息公开统计表.pdf: 2 tables added" in joined.warnings


def test_an_unreadable_annex_is_a_warning_not_a_failure():
    main = render(golden_docs()[0])
    joined = parse(main, PDF, annexes=[("附件1.pdf", b"%PDF-1.4 truncated")])
    assert joined.text == parse(main, PDF).text
    assert any(w.startswith("annex 附件1.pdf not read: BrokenDocument") for w in joined.warnings)


def test_crawl_and_reparse_read_the_same_annex(tmp_path):
    archive = Archive(tmp_path)
    archive.db["schools"].insert({"code": "4100000000", "name": "示范大学"})
    main, annex = render(golden_docs()[0]), build(seed=5)
    source = SourceFile(
        PAGE + "#r", archive.store_raw(main), "attachment", PAGE, "年度报告.pdf", PDF
    )
    files = [
        SourceFile(PAGE, archive.store_raw(b"<html>article</html>"), "article", PAGE, None, None),
        SourceFile(PAGE + "#a", archive.store_raw(annex.pdf), "attachment", PAGE, "附件 统计表.pdf",
                   PDF),
        SourceFile(PAGE + "#d", archive.store_raw(b"PK\x03\x04"), "attachment", PAGE, "报告.docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]  # fmt: skip
    assert [f.file_name for f in annexes_of(source, files)] == ["附件 统计表.pdf"]
    annexes = tuple(
        (str(archive.raw_path(f.sha256)), f.file_name) for f in annexes_of(source, files)
    )
    parsed, error = parse_stored(
        str(archive.raw_path(source.sha256)), PDF, source.url, source.file_name, annexes
    )
    assert error is None
    candidate = ReportCandidate(
        school_code="4100000000", school_name="示范大学", title="示范大学2023年信息公开年度报告",
        page_url=PAGE, source=source, files=files, year=2023, label="2023年",
        published="2023-10-30",
    )  # fmt: skip
    save_report(archive.db, candidate, parsed, error, "pdf")

    def stored() -> tuple[list, dict]:
        tables = [r[0] for r in archive.db.execute("select rows from tables order by ordinal")]
        figures = {
            r[0]: r[1]
            for r in archive.db.execute(
                "select name, value from figures where table_ordinal is not null"
            )
        }
        return tables, figures

    before = stored()
    assert before[1] == {**before[1], **annex.figures} and len(before[0]) >= 2
    stats = reparse(archive, workers=1)
    assert (stats.reports, stats.changed, stats.failed) == (1, 0, 0)
    assert stored() == before
    archive.close()
