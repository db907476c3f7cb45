"""Tables as printed, through `parsers.parse`, on generated reports that reproduce each failure
class real files show (prose inside the ruling lines, a table across pages with a repeated
header and a cut row or merged cell, vertical text, digit gaps), from three producers:
reportlab drawing like WPS, python-docx, and python-docx printed by LibreOffice."""

from __future__ import annotations

import pytest
from golden.cer import cer
from golden.stats_docx import build_docx, soffice, to_pdf
from golden.stats_pdf import build

from parsers import Extracted, Table, analyse, parse
from parsers.tables import Grid, clean_cell, header_rows, stitch


def _table_figures(doc) -> dict[str, int]:
    return {f.name: f.value for f in doc.figures if f.table is not None}


@pytest.mark.parametrize("split", ["merged", "row"])
@pytest.mark.parametrize("border", [True, False], ids=["page-border", "no-border"])
def test_wps_like_report(split, border):
    built = build(7, border=border, split=split)
    doc = parse(built.pdf, "application/pdf")
    assert doc.text == built.text  # prose inside the border stays text, tables stay out
    assert [t.rows for t in doc.tables] == built.tables
    assert [t.pages for t in doc.tables] == built.pages == [[1, 2], [2]]
    assert [t.header_rows for t in doc.tables] == [3, 3]
    assert _table_figures(doc) == built.figures
    assert doc.warnings == []


def test_figures_point_at_cells():
    doc = parse(build(2).pdf)
    by_name = {f.name: f for f in doc.figures}
    granted = by_name["requests_granted"]
    assert (granted.table, granted.row, granted.column) == (
        0,
        "三、本年度办理结果 / （一）予以公开",
        "申请人情况 / 总计",
    )
    assert granted.evidence == (
        "table 1, row 「三、本年度办理结果 / （一）予以公开」, column 「申请人情况 / 总计」"
    )
    upheld = by_name["lawsuits_after_review_upheld"]
    assert (upheld.table, upheld.column) == (1, "行政诉讼 / 复议后起诉 / 结果维持")
    denied = by_name["requests_denied"]
    assert (
        denied.evidence
        == "table 1: sum of the 8 rows under 「三、本年度办理结果 / （三）不予公开」"
    )


def test_docx_report():
    docx, text, tables, figures = build_docx(4)
    doc = parse(docx, filename="report.docx")
    assert doc.text == text
    assert [t.rows for t in doc.tables] == tables
    assert [t.header_rows for t in doc.tables] == [3, 3]
    assert _table_figures(doc) == figures


@pytest.mark.skipif(not soffice(), reason="needs LibreOffice (libreoffice-writer-nogui)")
def test_libreoffice_report():
    docx, text, tables, figures = build_docx(9)
    doc = parse(to_pdf(docx), "application/pdf")
    assert cer(doc.text, text) == 0.0
    assert [t.rows for t in doc.tables] == tables  # header repeated on page 3 dropped
    assert [len(t.pages) for t in doc.tables] == [2, 1]
    assert _table_figures(doc) == figures


def test_text_and_table_disagree():
    built = build(3)
    rows = built.tables[0]
    received = int(rows[3][-1])
    text = f"三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请{received + 5}件。"
    doc = analyse(Extracted(text=text, format="pdf", tables=[Table(rows=rows, header_rows=3)]))
    found = [(f.name, f.value, f.table) for f in doc.figures if f.name == "requests_received"]
    assert found == [("requests_received", received, 0), ("requests_received", received + 5, None)]
    assert doc.warnings == [
        f"requests_received: the table says {received} (table 1, row 「一、本年新收政府信息公开申请"
        f"数量」, column 「申请人情况 / 总计」), the text says {received + 5} "
        f"('本年度共收到政府信息公开申请{received + 5}件。'); both kept"
    ]


def test_text_and_table_agree():
    rows = build(3).tables[0]
    text = f"本年度共收到政府信息公开申请{rows[3][-1]}件。"
    doc = analyse(Extracted(text=text, format="pdf", tables=[Table(rows=rows, header_rows=3)]))
    assert [f.table for f in doc.figures if f.name == "requests_received"] == [0]
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2 1", "21"), ("3 119", "3119"), ("96 171.6", "96171.6"), ("总 计", "总计"),
     ("Open Data", "Open Data"), ("1 2 3", "123")],
)  # fmt: skip
def test_clean_cell(text, expected):
    assert clean_cell(text) == expected


def test_header_rows():
    assert header_rows([["类别", "件数"], ["予以公开", "3"]]) == 1
    assert header_rows([["a", ""], ["", "b"], ["c", "4"]]) == 2
    assert header_rows([["一段很长的说明文字，不是表头，而是一句完整的话。"], ["x"]]) == 0


def _grid(page: int, rows: list[list[str]], *, above: bool, below: bool, cols=None) -> Grid:
    width = len(rows[0])
    return Grid(
        page=page,
        bbox=(0, 0, 100, 100),
        rows=[list(r) for r in rows],
        covered=[[not c and j > 0 for j, c in enumerate(r)] for r in rows],
        cols=cols or [float(10 * j) for j in range(width + 1)],
        row_boxes=[(0, 10 * i, 100, 10 * i + 10) for i in range(len(rows))],
        alone_above=above,
        alone_below=below,
    )


def test_stitch_only_a_table_alone_at_the_break():
    head = [["类别", "件数"]]
    first = _grid(1, head + [["予以公开", "3"]], above=False, below=True)
    second = _grid(2, head + [["不予公开", "1"]], above=True, below=False)
    joined = stitch([first, second])
    assert [(g.pages, g.rows) for g in joined] == [
        ([1, 2], [["类别", "件数"], ["予以公开", "3"], ["不予公开", "1"]])
    ]
    # Text between them (a caption above the second): two tables.
    first = _grid(1, head + [["予以公开", "3"]], above=False, below=True)
    second = _grid(2, head + [["不予公开", "1"]], above=False, below=False)
    assert [g.pages for g in stitch([first, second])] == [[1], [2]]
    # Different outer edges: two tables.
    first = _grid(1, head + [["予以公开", "3"]], above=False, below=True)
    other = _grid(2, [["甲", "乙"], ["1", "2"]], above=True, below=False, cols=[0.0, 30.0, 80.0])
    assert [g.pages for g in stitch([first, other])] == [[1], [2]]


def test_cli_shows_tables(tmp_path):
    from click.testing import CliRunner

    from xxgk.cli_parse import parse_command

    built = build(5)
    path = tmp_path / "report.pdf"
    path.write_bytes(built.pdf)
    result = CliRunner().invoke(parse_command, [str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[4] == "# parser: xxgk-parsers | tables: 2"
    at = lines.index("## table 2 (page 2, 4 rows)")
    review = built.tables[1]
    assert lines[at + 1 :] == [
        *("| " + " | ".join(row) + " |" for row in review[:3]),
        "|" + "|".join(["---"] * 15) + "|",
        "| " + " | ".join(review[3]) + " |",
    ]
    assert "## table 1 (page 1–2, 28 rows)" in lines


def test_university_variant_of_table_3():
    """Universities copy table 三 with their own rows: one number column, 不属于本校."""
    rows = [
        ["项目", "数量（件）"],
        ["一、收到信息公开申请", "12"],
        ["二、予以公开", "8"],
        ["三、部分公开", "1"],
        ["四、不予公开", "1"],
        ["五、信息不存在", "1"],
        ["六、不属于本校公开范围", "1"],
    ]
    doc = analyse(Extracted(text="", format="docx", tables=[Table(rows=rows, header_rows=1)]))
    assert [(f.name, f.value, f.row, f.column) for f in doc.figures] == [
        ("requests_received", 12, "一、收到信息公开申请", "数量（件）"),
        ("requests_granted", 8, "二、予以公开", "数量（件）"),
        ("requests_partially_granted", 1, "三、部分公开", "数量（件）"),
        ("requests_denied", 1, "四、不予公开", "数量（件）"),
        ("requests_not_exist", 1, "五、信息不存在", "数量（件）"),
        ("requests_not_school", 1, "六、不属于本校公开范围", "数量（件）"),
    ]
