"""Reports posted as .zip (and .rar) attachments, through `parsers.parse`."""

from __future__ import annotations

import io
import zipfile

import pytest
from golden.stats_docx import build_docx
from test_parsers_real import HUAIAN_FIGURES, REAL

from parsers import DocumentTooLarge, UnsupportedArchive, UnsupportedFormat, parse
from parsers.archives import MAX_RATIO


def _zip(members: list[tuple[str, bytes]], *, gbk: bool = False) -> bytes:
    """A zip of the members; `gbk` stores the names as Windows zip tools do: GBK bytes
    without the UTF-8 flag (written under same-length ASCII stand-ins, then swapped in)."""
    out = io.BytesIO()
    names = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for k, (name, data) in enumerate(members):
            if gbk:
                raw = name.encode("gb18030")
                stand_in = f"{k:02d}".encode() + b"_" * (len(raw) - 2)
                names[stand_in] = raw
                name = stand_in.decode()
            archive.writestr(name, data)
    body = out.getvalue()
    for stand_in, raw in names.items():
        body = body.replace(stand_in, raw)
    return body


def test_zip_with_report_and_annex():
    report = (REAL / "gov_huaian_2024.pdf").read_bytes()
    annex, _, annex_tables, _ = build_docx(2)
    body = _zip(
        [("附件：统计表.docx", annex), ("淮安市2024年政府信息公开工作年度报告.pdf", report)],
        gbk=True,
    )
    doc = parse(body, "application/zip", filename="2024年报.zip")
    alone = parse(report, "application/pdf")
    assert doc.text == alone.text
    assert doc.format == "pdf"
    assert [t.rows for t in doc.tables] == [t.rows for t in alone.tables] + annex_tables
    assert doc.warnings == [
        "read from 淮安市2024年政府信息公开工作年度报告.pdf inside the zip",
        "annex 附件：统计表.docx: 2 tables added",
    ]
    # The report's own tables come first: its figures win over the annex's.
    assert {f.name: f.value for f in doc.figures if f.table is not None} == HUAIAN_FIGURES


def test_zip_limits_before_reading():
    bomb = _zip([("报告.pdf", b"%PDF-1.4\n" + b"0" * (MAX_RATIO * 2000))])
    with pytest.raises(DocumentTooLarge, match=r"报告\.pdf inflates \d+x \(zip bomb\?\)"):
        parse(bomb, filename="a.zip")


def test_zip_errors():
    inner = _zip([("报告.pdf", (REAL / "gov_huaian_2024.pdf").read_bytes())])
    with pytest.raises(UnsupportedArchive, match="内层.pdf is an archive inside the zip"):
        parse(_zip([("内层.pdf", inner)]), filename="a.zip")
    with pytest.raises(UnsupportedFormat, match="a zip archive without word/document.xml"):
        parse(_zip([("说明.xls", b"x")]), filename="a.zip")
    with pytest.raises(UnsupportedArchive, match="^UnsupportedArchive: a RAR archive"):
        parse(b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, filename="report.rar")


def test_report_with_annex_file():
    """正文 and 附件 posted as two files: one document, the annex's tables and figures in it."""
    from parsers import analyse, extract, join_annexes

    cqupt = (REAL / "uni_cqupt_2012_gongwen_344.pdf").read_bytes()
    annex, _, annex_tables, figures = build_docx(6)
    doc = analyse(join_annexes(extract(cqupt, filename="正文.pdf"), [("附件1.docx", annex)]))
    assert doc.text == parse(cqupt).text
    assert [t.rows for t in doc.tables] == annex_tables
    assert {f.name: f.value for f in doc.figures if f.table is not None} == figures
    assert doc.warnings == ["annex 附件1.docx: 2 tables added"]
    broken = analyse(join_annexes(extract(cqupt), [("附件2.pdf", b"%PDF-1.4 truncated")]))
    assert broken.warnings == [
        "annex 附件2.pdf not read: BrokenDocument: no %%EOF marker at the end: truncated download"
    ]
