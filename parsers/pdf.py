"""PDF to normalised report text and tables.

Characters and their boxes come from pypdfium2 (fast, no layout analysis); pdfplumber is
opened only for pages that draw ruling lines, to read tables and keep their cells out of the
running text. Lines are rebuilt from character positions, page furniture is dropped by
position and repetition, and paragraphs are rebuilt from line geometry (`pdf_layout`).
"""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.document import Extracted, Table
from parsers.errors import (
    BrokenDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    UnmappedGlyphs,
)
from parsers.pdf_chars import PageContent, build_lines, count_objects, read_chars
from parsers.pdf_layout import drop_furniture, flag_lines
from parsers.pdf_tables import MIN_PATHS_FOR_TABLES, find_tables
from parsers.textnorm import rebuild_paragraphs

PDF_EXTRACTOR_VERSION = "1.0"
EXTRACTOR = f"pypdfium2 {pdfium.version.PYPDFIUM_INFO}+pdfplumber {pdfplumber.__version__}"

# Above this share of unmapped glyphs the text is not worth keeping: flag it for OCR.
UNMAPPED_FAIL = 0.10
# Truncated downloads lose the end of the file; a complete PDF ends with %%EOF (allowing for
# some trailing junk that servers or tools append).
EOF_WINDOW = 4096


def _check_bytes(body: bytes) -> None:
    if not body:
        raise BrokenDocument("zero bytes: empty download")
    if b"%PDF-" not in body[:1024]:
        raise BrokenDocument("no %PDF- header in the first 1 KB: not a PDF")
    if b"%%EOF" not in body[-EOF_WINDOW:]:
        raise BrokenDocument("no %%EOF marker at the end: truncated download")


def _open(body: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocument("password required to open the PDF") from exc
        raise BrokenDocument(f"pdfium cannot open it: {exc}") from exc


def _tables_for(body: bytes, state: dict[str, Any], index: int) -> list:
    """pdfplumber is opened lazily, once, and only for pages that may hold a table."""
    if "plumber" not in state:
        state["plumber"] = pdfplumber.open(io.BytesIO(body))
    try:
        return find_tables(state["plumber"], index)
    except Exception as exc:  # noqa: BLE001 - a table failure must not lose the text
        state.setdefault("warnings", []).append(f"page {index + 1}: tables not read ({exc})")
        return []


def _read_page(
    pdf: pdfium.PdfDocument, index: int, body: bytes, state: dict[str, Any], tables: list[Table]
) -> PageContent:
    page = pdf[index]
    try:
        width, height = page.get_size()
        content = PageContent(number=index + 1, width=width, height=height)
        content.images, content.paths = count_objects(page)
        chars, content.unmapped = read_chars(page, height)
    finally:
        page.close()
    if content.paths >= MIN_PATHS_FOR_TABLES and chars:
        boxes = []
        for bbox, rows in _tables_for(body, state, index):
            tables.append(Table(rows=rows, page=index + 1))
            boxes.append(bbox)
        if boxes:  # table cells must not reappear as running paragraphs
            chars = [c for c in chars if not _inside(c, boxes)]
    content.chars = sum(1 for c in chars if not c[0].isspace())
    content.lines = build_lines(chars)
    return content


def _inside(char: tuple, boxes: list) -> bool:
    x, y = (char[1] + char[2]) / 2, (char[3] + char[4]) / 2
    return any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)


def _check_text_layer(pages: list[PageContent], warnings: list[str]) -> None:
    chars = sum(p.chars for p in pages)
    unmapped = sum(p.unmapped for p in pages)
    scanned = [p.number for p in pages if p.chars == 0 and p.images]
    if chars == 0 and unmapped == 0:
        if scanned:
            raise NoTextLayer(
                f"{len(scanned)} of {len(pages)} pages are images without text "
                "(scanned; OCR needed)"
            )
        raise NoTextLayer(f"no text on any of the {len(pages)} pages")
    if unmapped and unmapped / (chars + unmapped) > UNMAPPED_FAIL:
        raise UnmappedGlyphs(
            f"{unmapped} of {chars + unmapped} glyphs have no Unicode mapping "
            "(fonts without ToUnicode; OCR needed)"
        )
    if unmapped:
        warnings.append(f"{unmapped} glyphs without Unicode mapping dropped")
    if scanned:
        warnings.append(f"pages without text but with images (scanned?): {scanned}")


def extract_pdf(body: bytes, *, max_pages: int = 500) -> Extracted:
    """Normalised text (one paragraph per line, headings on their own lines, page furniture
    dropped) and ruled tables of a PDF.

    Raises BrokenDocument, EncryptedDocument, NoTextLayer, UnmappedGlyphs or
    DocumentTooLarge, each with its reason; soft problems go to `warnings`.
    """
    _check_bytes(body)
    pdf = _open(body)
    state: dict[str, Any] = {}
    try:
        count = len(pdf)
        if count > max_pages:
            raise DocumentTooLarge(f"{count} pages, over the limit of {max_pages}")
        if count == 0:
            raise BrokenDocument("the PDF has no pages")
        warnings: list[str] = []
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            warnings.append("encrypted without a user password (permissions only)")
        tables: list[Table] = []
        pages = [_read_page(pdf, i, body, state, tables) for i in range(count)]
    finally:
        pdf.close()
        if "plumber" in state:
            state["plumber"].close()
    warnings.extend(state.get("warnings", []))
    _check_text_layer(pages, warnings)
    drop_furniture(pages)
    text = "\n".join(rebuild_paragraphs(flag_lines(pages)))
    if not text:
        raise NoTextLayer("only page furniture found, no body text")
    return Extracted(
        text=text,
        format="pdf",
        pages=count,
        tables=tables,
        warnings=warnings,
        extractor=EXTRACTOR,
    )
