"""PDF extraction on golden PDFs (generated, and Word-like made with LibreOffice) and on
unreadable files. Truths come from the source paragraphs, never from extraction."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from golden.cer import cer
from golden.content import TABLE, golden_docs
from golden.layout import render, truth
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from fixtureworld import handmade
from parsers.errors import (
    BrokenDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    OcrUnavailable,
    UnmappedGlyphs,
    UnreadableScan,
)
from parsers.ocr import OCR_PACKAGES, engine
from parsers.pdf import PDF_EXTRACTOR_VERSION, _check_text_layer, extract_pdf
from parsers.pdf_chars import PageContent
from parsers.textnorm import is_heading, is_page_number

FILES = Path(__file__).parent / "files" / "pdf"
DOCS = {d.name: d for d in golden_docs()}
WORD = ["word_cn_total", "word_dash", "word_slash"]
HEADINGS = [
    "一、信息公开工作概述",
    "（一）健全工作机制",
    "(二)拓展公开渠道",
    "三、依申请公开和不予公开情况",
    "2．完善监督检查机制，将信息公开纳入年度考核。",
    "（1）定期开展信息公开自查自纠。",
]


@pytest.fixture(scope="module")
def golden() -> dict[str, bytes]:
    return {name: render(doc) for name, doc in DOCS.items()}


def _raw_text(body: bytes) -> str:
    pdf = pdfium.PdfDocument(body)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize("name", list(DOCS))
def test_generated_pdf_whole_text(golden, name):
    result = extract_pdf(golden[name])
    assert result.text == truth(DOCS[name])  # CER 0: every character, line and break
    assert result.format == "pdf" and result.pages == 3
    assert result.extractor.startswith("pypdfium2") and PDF_EXTRACTOR_VERSION


@pytest.mark.parametrize("name", list(DOCS))
def test_generated_pdf_furniture_gone(golden, name):
    doc, lines = DOCS[name], extract_pdf(golden[name]).text.split("\n")
    footers = [doc.footer.format(p=p, n=3) for p in (1, 2, 3)]
    raw = _raw_text(golden[name])
    assert all(f.replace(" ", "") in raw.replace(" ", "") for f in footers)  # they were there
    assert not [ln for ln in lines if is_page_number(ln)]
    if doc.header:
        assert lines.count(doc.header) <= 1  # at most the title, never the running header
    for heading in HEADINGS:
        assert heading in lines and is_heading(heading)


def test_page_break_splits(golden):
    text = extract_pdf(golden["slash"]).text
    assert "共收到信息公开申请9项，其中予以公开5项" in text  # number split over a page break
    assert "（https://gaokao.chsi.com.cn）" in text  # URL split `（h` / `ttps://`
    assert "（http://xxgk.ecnu-demo.edu.cn）在线提交" in text  # paragraph over a page break
    assert "Open Data Portal" in text  # real Latin spaces kept
    assert "二、主动公开情况" in text.split("\n")  # fake-bold heading, not `二二、、`


@pytest.mark.parametrize("name", ["dash", "cn_total"])
def test_table_rows_out_of_text(golden, name):
    result = extract_pdf(golden[name])
    assert [t.rows for t in result.tables] == [TABLE]
    assert result.tables[0].page == 3
    for row in TABLE[1:]:
        assert row[2] not in result.text
    assert "附件：清单事项公开情况表" in result.text.split("\n")


def test_header_rule_is_not_a_table(golden):
    assert extract_pdf(golden["emdash"]).tables == []


@pytest.mark.parametrize("name", WORD)
def test_word_like_pdfs(name):
    body = (FILES / f"{name}.pdf").read_bytes()
    expected = (FILES / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
    result = extract_pdf(body)
    assert cer(result.text, expected) <= 0.002
    assert result.text == expected
    assert not [ln for ln in result.text.split("\n") if is_page_number(ln)]
    if name != "word_dash":
        assert [t.rows for t in result.tables] == [TABLE]


def test_zero_bytes():
    with pytest.raises(BrokenDocument, match="zero bytes"):
        extract_pdf(b"")


def test_not_a_pdf():
    with pytest.raises(BrokenDocument, match="not a PDF"):
        extract_pdf(b"<html>404</html>")


def test_truncated(golden):
    body = golden["dash"]
    with pytest.raises(BrokenDocument, match="truncated"):
        extract_pdf(body[: len(body) // 2])


def test_malformed():
    with pytest.raises(BrokenDocument):
        extract_pdf(b"%PDF-1.4\n1 0 obj garbage endobj\n%%EOF\n")


def _canvas_pdf(draw, **kwargs) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kwargs)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_encrypted_with_password():
    body = _canvas_pdf(lambda c: c.drawString(72, 720, "secret"), encrypt="user-password")
    with pytest.raises(EncryptedDocument, match="password"):
        extract_pdf(body)


def test_encrypted_permissions_only():
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0)

    def draw(c):
        c.setFont("Helvetica", 12)
        c.drawString(90, 720, "Annual report")

    result = extract_pdf(_canvas_pdf(draw, encrypt=enc))
    assert result.text == "Annual report"
    assert any("encrypted" in w for w in result.warnings)


def test_scanned():
    image = Image.new("L", (400, 300), 200)

    def draw(c):
        c.drawImage(ImageReader(image), 50, 300, 500, 375)

    with pytest.raises(NoTextLayer, match="scanned"):
        extract_pdf(_canvas_pdf(draw), ocr_scans=False)
    if engine() is None:
        with pytest.raises(OcrUnavailable, match=OCR_PACKAGES):
            extract_pdf(_canvas_pdf(draw))
        pytest.skip(f"OCR half needs the Debian packages {OCR_PACKAGES}")
    # With OCR a blank grey scan is read and found empty: a named error, not empty text.
    with pytest.raises(
        UnreadableScan,
        match=r"^UnreadableScan: OCR recognised no trustworthy text on page 1 \(confidence 0\)$",
    ):
        extract_pdf(_canvas_pdf(draw))


def test_blank_pages():
    with pytest.raises(NoTextLayer, match="no text"):
        extract_pdf(_canvas_pdf(lambda c: None))


def test_page_cap(golden):
    with pytest.raises(DocumentTooLarge, match="3 pages"):
        extract_pdf(golden["dash"], max_pages=2)


def _page(chars: int, unmapped: int = 0, images: int = 0) -> PageContent:
    return PageContent(1, 595, 842, chars=chars, unmapped=unmapped, images=images)


def test_unmapped_glyphs_detector():
    # No fixture font lacks a ToUnicode map, so the share rule is tested on page counts.
    with pytest.raises(UnmappedGlyphs, match="no Unicode mapping"):
        _check_text_layer([_page(100, unmapped=900)], [])
    with pytest.raises(UnmappedGlyphs):
        _check_text_layer([_page(0, unmapped=50)], [])
    warnings: list[str] = []
    _check_text_layer([_page(1000, unmapped=5), _page(0, images=1)], warnings)
    assert warnings == [
        "5 glyphs without Unicode mapping dropped",
        "pages without text but with images (scanned?): [1]",
    ]


# --- fast table reader against pdfplumber, nasty PDFs ----------------------------------------


def test_fast_tables_match_pdfplumber(golden):
    """pdfplumber's table finder on pdfium edges and characters gives what pdfplumber alone
    gives: same text, tables and warnings on every golden and Word-like file."""
    bodies = [*golden.values(), *[(FILES / f"{n}.pdf").read_bytes() for n in WORD]]
    for body in bodies:
        fast, reference = extract_pdf(body), extract_pdf(body, table_reader="pdfplumber")
        assert fast.text == reference.text
        assert [t.rows for t in fast.tables] == [t.rows for t in reference.tables]
        assert [t.page for t in fast.tables] == [t.page for t in reference.tables]
        assert fast.warnings == reference.warnings


def test_unknown_table_reader(golden):
    with pytest.raises(ValueError):
        extract_pdf(golden["dash"], table_reader="camelot")


def test_malformed_header():
    with pytest.raises(BrokenDocument, match="not a PDF"):
        extract_pdf(b"%PFD-1.4\n" + b"x" * 2000 + b"\n%%EOF\n")
    with pytest.raises(BrokenDocument, match="pdfium cannot open"):
        extract_pdf(b"%PDF-1.4\n%%EOF\n")


def test_cid_font_without_unicode_map():
    # pdfium returns the bare CIDs (`"3D`): they must count as unmapped, not as text.
    with pytest.raises(UnmappedGlyphs, match="40 of 40 glyphs"):
        extract_pdf(handmade.cid_font_pdf())


def test_type3_font_without_unicode_map():
    with pytest.raises(UnmappedGlyphs, match="no Unicode mapping"):
        extract_pdf(handmade.type3_font_pdf())


@pytest.mark.parametrize(("layers", "ascii85"), [(1, False), (2, False), (1, True)])
def test_decompression_bomb_named(layers, ascii85):
    with pytest.raises(DocumentTooLarge, match="decompression bomb"):
        extract_pdf(handmade.bomb_pdf(100, layers=layers, ascii85=ascii85))


@pytest.mark.parametrize("ascii85", [False, True])
def test_small_stream_under_limits(ascii85):
    assert extract_pdf(handmade.bomb_pdf(1, ascii85=ascii85)).text == "Annual report"


_BOMB_RSS = """
import resource, sys
sys.path[:0] = {paths!r}
from fixtureworld import handmade
from parsers.errors import DocumentTooLarge
from parsers.pdf import extract_pdf
body = handmade.bomb_pdf(400)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    extract_pdf(body)
except DocumentTooLarge as exc:
    print("refused", exc)
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_decompression_bomb_memory():
    """A 400 MB bomb (400 KB on disk) is refused without the peak RSS growing past 64 MB
    (pdfium alone takes ~620 MB on a 300 MB one)."""
    root = Path(__file__).resolve().parents[1]
    code = _BOMB_RSS.format(paths=[str(root / "tests"), str(root)])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert out[0].startswith("refused DocumentTooLarge")
    before, peak = map(int, out[1].split())
    assert peak - before < 64 * 1024  # ru_maxrss is in KB on Linux
