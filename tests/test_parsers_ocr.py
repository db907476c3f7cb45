"""Scanned PDFs through `parsers.parse`: pages without a text layer are OCR'd (Tesseract,
Debian tesseract-ocr + tesseract-ocr-chi-sim), on fixtures made by rendering generated reports
to images (golden.scan), so the truth is known."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from golden.cer import cer
from golden.content import TABLE, golden_docs
from golden.layout import render, truth
from golden.scan import scanned_pdf
from PIL import Image

from parsers import UnmappedGlyphs, parse
from parsers.ocr import OCR_PACKAGES, engine, engine_name
from parsers.pdf import extract_pdf

pytestmark = pytest.mark.skipif(engine() is None, reason=f"needs {OCR_PACKAGES}")
DOC = golden_docs()[0]  # three pages of report text, running header, page numbers


def _join(*parts: tuple[bytes, int]) -> bytes:
    """One PDF of the given (pdf, 0-based page) pairs, in order."""
    out = pdfium.PdfDocument.new()
    for body, index in parts:
        out.import_pages(pdfium.PdfDocument(body), [index])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_scanned_report():
    doc = parse(scanned_pdf(render(DOC)), "application/pdf")
    assert cer(doc.text, truth(DOC)) <= 0.03
    assert doc.parser == "xxgk-parsers+ocr"
    assert doc.warnings[0].startswith(
        "pages [1, 2, 3] have no text layer and were read by OCR (tesseract "
    )
    assert doc.warnings[0].endswith(" chi_sim): the text may hold recognition errors")
    assert (doc.title, doc.year) == ("华东示范大学2023年信息公开工作报告", 2023)


def test_text_pages_stay_text_and_blank_scans_are_named():
    text_pdf = render(DOC)
    grey = io.BytesIO()
    Image.new("L", (1654, 2339), 215).save(grey, format="PDF", resolution=200)
    mixed = _join((text_pdf, 0), (scanned_pdf(text_pdf, pages=[1]), 0), (grey.getvalue(), 0))
    doc = parse(mixed, "application/pdf")
    assert doc.parser == "xxgk-parsers+ocr"
    first_page = parse(_join((text_pdf, 0)), "application/pdf").text
    assert doc.text.startswith(first_page.rsplit("\n", 1)[0])  # page 1 read from its text
    both = parse(_join((text_pdf, 0), (text_pdf, 1)), "application/pdf").text

    def body(text: str) -> str:
        # The running header repeats the title; a text-layer header and an OCR'd one differ
        # in size, so it is not recognised as furniture across the two kinds of page.
        return "\n".join(line for line in text.splitlines() if line != DOC.paras[0].text)

    assert cer(body(doc.text), body(both)) <= 0.03  # page 2 read by OCR, in its place
    assert "UnreadableScan: OCR could not read page 3 (confidence 0)" in doc.warnings
    assert any(
        w.startswith("pages [2] have no text layer and were read by OCR") for w in doc.warnings
    )


def test_scanned_table_is_a_table():
    doc_with_table = next(d for d in golden_docs() if d.table)
    doc = parse(scanned_pdf(render(doc_with_table)), "application/pdf")
    # The rules in the picture make the grid; its words are the table's, not the text's.
    assert [(t.rows, t.header_rows) for t in doc.tables] == [(TABLE, 1)]
    assert cer(doc.text, truth(doc_with_table)) <= 0.03


WORD_PDFS = Path(__file__).parent / "files" / "pdf"


def _without_unicode_maps(body: bytes) -> bytes:
    """The PDF with every font's ToUnicode map unnamed (same length: the xref stays right):
    the glyphs still print, but no longer say which characters they are — as PDFs from some
    typesetting and 公文 systems come."""
    return body.replace(b"/ToUnicode", b"/ToUnicodX")


@pytest.mark.parametrize("name", ["word_slash", "word_dash", "word_cn_total"])
def test_fonts_without_unicode_maps_are_read_by_ocr(name):
    body = (WORD_PDFS / f"{name}.pdf").read_bytes()
    garbled = _without_unicode_maps(body)
    with pytest.raises(UnmappedGlyphs, match="fonts without ToUnicode; OCR needed"):
        extract_pdf(garbled, ocr_scans=False)  # as without an OCR engine
    doc = parse(garbled, "application/pdf")
    expected = (WORD_PDFS / f"{name}.txt").read_text(encoding="utf-8").strip()
    assert cer(doc.text, expected) <= 0.03
    assert doc.parser == "xxgk-parsers+ocr"
    pages = parse(body, "application/pdf").pages
    assert doc.warnings == [
        f"pages {list(range(1, pages + 1))} have fonts without a Unicode map and were read by "
        f"OCR ({engine_name()}): the text may hold recognition errors"
    ]
