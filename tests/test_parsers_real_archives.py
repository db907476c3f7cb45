"""Reports posted as .zip (and .rar) attachments, through `parsers.parse`."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from golden.rar import stored_rar
from golden.stats_docx import build_docx
from test_parsers_real import HUAIAN_FIGURES, REAL

from parsers import DocumentTooLarge, UnsupportedArchive, UnsupportedFormat, parse
from parsers.archives import MAX_RATIO

RAR_FILES = Path(__file__).parent / "files" / "rar"


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


def _inflated_claim(rar: bytes, size: int) -> bytes:
    """The rar with its first member's unpacked size field (after the 7-byte marker, the
    13-byte archive header, 7 bytes of block header and the packed size) set to `size`, and
    that header's CRC made right again."""
    start, at = 7 + 13, 7 + 13 + 7 + 4
    patched = rar[:at] + struct.pack("<I", size) + rar[at + 4 :]
    (length,) = struct.unpack("<H", patched[start + 5 : start + 7])
    crc = zlib.crc32(patched[start + 2 : start + length]) & 0xFFFF
    return patched[:start] + struct.pack("<H", crc) + patched[start + 2 :]


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


def test_a_stored_zip_is_an_archive_not_the_pdf_it_stores():
    report = (REAL / "gov_huaian_2024.pdf").read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("报告.pdf", report)
    assert b"%PDF-" in out.getvalue()[:1024]
    doc = parse(out.getvalue(), filename="a.zip")
    assert doc.warnings[0] == "read from 报告.pdf inside the zip"
    assert doc.text == parse(report).text


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
    with pytest.raises(UnsupportedArchive, match="^UnsupportedArchive: a RAR archive libarchive"):
        parse(b"Rar!\x1a\x07\x01\x00" + b"\0" * 64, filename="report.rar")


@pytest.mark.parametrize("gbk", [False, True])
def test_rar_with_report_and_annex(gbk):
    """A .rar as WinRAR (GBK names) or RAR for Unix (UTF-8) writes it: the same document as
    the zip of the same files."""
    report = (REAL / "gov_huaian_2024.pdf").read_bytes()
    annex, _, annex_tables, _ = build_docx(2)
    members = [("附件：统计表.docx", annex), ("淮安市2024年政府信息公开工作年度报告.pdf", report)]
    doc = parse(stored_rar(members, gbk_names=gbk), filename="2024年报.rar")
    alone = parse(report, "application/pdf")
    assert doc.text == alone.text
    assert [t.rows for t in doc.tables] == [t.rows for t in alone.tables] + annex_tables
    assert doc.warnings == [
        "read from 淮安市2024年政府信息公开工作年度报告.pdf inside the rar",
        "annex 附件：统计表.docx: 2 tables added",
    ]
    assert {f.name: f.value for f in doc.figures if f.table is not None} == HUAIAN_FIGURES


def test_rar_compressed_solid_and_unreadable():
    """Compressed RAR 5 (solid) is unpacked; RAR 4 solid, which libarchive cannot unpack, and
    a rar of no documents are named errors (rarfile's test archives, tests/files/rar)."""
    from parsers.archives import open_rar

    members = open_rar((RAR_FILES / "rar5-solid.rar").read_bytes())
    assert [(m.name, len(m.data)) for m in members] == [("stest1.txt", 2048), ("stest2.txt", 2048)]
    with pytest.raises(UnsupportedArchive, match="RAR solid archive support unavailable"):
        parse((RAR_FILES / "rar3-solid.rar").read_bytes(), filename="a.rar")
    with pytest.raises(UnsupportedArchive, match="the rar holds no report document"):
        parse(stored_rar([("照片.jpg", b"\xff\xd8")]), filename="a.rar")


def test_rar_limits():
    big = b"%PDF-1.4\n" + b"0" * (MAX_RATIO * 4000)
    stored = stored_rar([("报告.pdf", b"%PDF-1.4\n%%EOF\n")])
    with pytest.raises(UnsupportedArchive, match="Header CRC error"):
        parse(stored[:31] + b"\xff" + stored[32:], filename="a.rar")  # a damaged header
    with pytest.raises(DocumentTooLarge, match="rar bomb"):
        # A directory claiming 200x the archive's size is refused before a byte is read.
        parse(_inflated_claim(stored_rar([("报告.pdf", big[:100])]), len(big)), filename="a.rar")


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
