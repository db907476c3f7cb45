"""PDF to normalised report text and tables.

Characters and their boxes come from pypdfium2 (fast, no layout analysis). Pages that draw
ruling lines get tables from pdfplumber's table finder, fed with pdfium's path edges and
characters (`pdf_paths`, `pdf_tables`); pdfplumber itself (pdfminer) is opened only as the
reference reader or when that fails. Before pdfium sees the bytes, `pdf_guard` refuses empty,
non-PDF, truncated files and decompression bombs. Lines are rebuilt from character
positions, page furniture is dropped by position and repetition, and paragraphs are rebuilt
from line geometry (`pdf_layout`)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers import ocr
from parsers.document import Extracted, Table
from parsers.errors import (
    BrokenDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    OcrUnavailable,
    UnmappedGlyphs,
    UnreadableScan,
)
from parsers.pdf_chars import KEPT_SPACE, PageContent, build_lines, read_chars
from parsers.pdf_guard import check_bytes, check_streams
from parsers.pdf_layout import drop_furniture, flag_lines
from parsers.pdf_paths import PageObjects, page_objects, path_edges
from parsers.pdf_tables import MIN_PATHS_FOR_TABLES, find_tables, find_tables_plumber
from parsers.tables import Grid, stitch, to_table
from parsers.textnorm import rebuild_paragraphs

PDF_EXTRACTOR_VERSION = "1.3"  # 1.3: guards measure filter chains, page expansion, forms
# 1.2: tables as printed (across pages, prose out, gaps out)
EXTRACTOR = f"pypdfium2 {pdfium.version.PYPDFIUM_INFO}+pdfplumber {pdfplumber.__version__}"

# Scanned pages rendered for OCR are held in memory (~2 MB each at 2x): a bound.
MAX_OCR_PAGES = 60
# Above this share of unmapped glyphs the text is not worth keeping: flag it for OCR.
UNMAPPED_FAIL = 0.10
OCR_UNMAPPED = 0.5  # a page whose glyphs are mostly unmapped is read by OCR instead


def _open(body: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocument("password required to open the PDF") from exc
        raise BrokenDocument(f"pdfium cannot open it: {exc}") from exc


@dataclass
class _Context:
    body: bytes
    reader: str
    ocr: bool = True
    warnings: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    broken_pages: int = 0
    scans: list[tuple[int, Any]] = field(default_factory=list)  # (page, image) to OCR
    garbled: set[int] = field(default_factory=set)  # pages OCR'd for fonts without Unicode map
    scan_tables: list[Table] = field(default_factory=list)  # ruled tables found on scans


def _plumber_tables(body: bytes, state: dict[str, Any], index: int) -> list:
    """Tables read wholly by pdfplumber; it is opened lazily, once per document."""
    if "plumber" not in state:
        state["plumber"] = pdfplumber.open(io.BytesIO(body))
    return find_tables_plumber(state["plumber"], index)


def _page_tables(
    objects: PageObjects, content: PageContent, chars: list[tuple], ctx: _Context
) -> list:
    """Tables of one page: pdfplumber's table finder on pdfium's edges and characters, or
    pdfplumber alone (`table_reader="pdfplumber"`, and as the fallback)."""
    index = content.number - 1
    try:
        if ctx.reader == "pdfium":
            try:
                edges = path_edges(objects, content.height)
                return find_tables(edges, chars, content.width, content.height, index + 1)
            except Exception as exc:  # noqa: BLE001 - fall back to the reference reader
                ctx.warnings.append(f"page {index + 1}: fast table reader failed ({exc})")
        return _plumber_tables(ctx.body, ctx.state, index)
    except Exception as exc:  # noqa: BLE001 - a table failure must not lose the text
        ctx.warnings.append(f"page {index + 1}: tables not read ({exc})")
        return []


def _read_page(pdf: pdfium.PdfDocument, index: int, ctx: _Context) -> PageContent:
    try:
        page = pdf[index]
    except pdfium.PdfiumError:  # a broken page object: keep the other pages
        ctx.warnings.append(f"page {index + 1}: pdfium cannot load it")
        ctx.broken_pages += 1
        return PageContent(number=index + 1, width=0.0, height=0.0)
    try:
        width, height = page.get_size()
        content = PageContent(number=index + 1, width=width, height=height)
        objects = page_objects(page)
        content.images, content.paths = objects.images, objects.paths
        chars, content.unmapped = read_chars(page, height)
        if ctx.ocr and _garbled(chars, content.unmapped) and len(ctx.scans) < MAX_OCR_PAGES:
            # The glyphs draw right but do not say which characters they are: the page as
            # printed is read by OCR instead of its text layer (mapped leftovers would be
            # fragments of its sentences).
            ctx.scans.append((content.number, _render(page)))
            ctx.garbled.add(content.number)
            chars = []
        found = []
        if content.paths >= MIN_PATHS_FOR_TABLES and chars:
            found = _page_tables(objects, content, chars, ctx)
        if ctx.ocr and content.images and not content.unmapped and not _inked(chars):
            if len(ctx.scans) < MAX_OCR_PAGES:
                ctx.scans.append((content.number, _render(page)))
    finally:
        page.close()
    ctx.grids += found
    # Table cells must not reappear as running paragraphs; prose the ruling lines enclosed
    # but the table reader gave back (`tables.split_prose`) stays.
    boxes = [grid.bbox for grid in found]  # a part's bbox spans its rows only
    if boxes:
        chars = [c for c in chars if not _inside(c, boxes)]
    content.chars = sum(1 for c in chars if not c[0].isspace())
    content.lines = build_lines(chars)
    return content


def _garbled(chars: list[tuple], unmapped: int) -> bool:
    """Most of the page's glyphs lack a Unicode value: its text layer says nothing. (A few
    symbol-font bullets or check marks without one do not make a page worth OCR.)"""
    return unmapped > OCR_UNMAPPED * (unmapped + sum(1 for c in chars if not c[0].isspace()))


def _inked(chars: list[tuple]) -> bool:
    return any(not c[0].isspace() and c[0] != "\x00" for c in chars)


def _render(page: pdfium.PdfPage) -> Any:
    return page.render(scale=ocr.RENDER_SCALE, grayscale=True).to_pil()


def _ocr(pages: list[PageContent], ctx: _Context, warnings: list[str]) -> list[int]:
    """Text of the scanned pages by OCR, into their PageContent; the pages it read."""
    if not ctx.scans:
        return []
    has_text = any(p.chars for p in pages)
    try:
        results = ocr.recognise(ctx.scans)
    except OcrUnavailable as exc:
        if not has_text and not ctx.garbled:  # garbled pages stay UnmappedGlyphs
            raise
        warnings.append(f"scanned pages {[n for n, _ in ctx.scans]} not read: {exc}")
        return []
    read, unreadable = [], []
    for result in results:
        page = pages[result.number - 1]
        if ocr.readable(result):
            page.lines = result.lines
            page.chars = sum(len(ln.text) for ln in result.lines)
            page.unmapped = 0  # read from the printed page instead
            read.append(result.number)
            ctx.scan_tables += result.tables
        else:
            unreadable.append(f"page {result.number} (confidence {result.confidence:.0f})")
    if unreadable:
        # A garbled page OCR could not read stays UnmappedGlyphs (its reason names the fonts).
        if not read and not has_text and not ctx.garbled:
            raise UnreadableScan(f"OCR recognised no trustworthy text on {', '.join(unreadable)}")
        warnings.append(f"UnreadableScan: OCR could not read {', '.join(unreadable)}")
    if len(ctx.scans) == MAX_OCR_PAGES and len(pages) > MAX_OCR_PAGES:
        warnings.append(f"only the first {MAX_OCR_PAGES} scanned pages were OCR'd")
    for why, garbled in (("no text layer", False), ("fonts without a Unicode map", True)):
        numbers = [n for n in read if (n in ctx.garbled) == garbled]
        if numbers:
            warnings.append(
                f"pages {numbers} have {why} and were read by OCR ({ocr.engine_name()}): "
                "the text may hold recognition errors"
            )
    return read


def _inside(char: tuple, boxes: list) -> bool:
    x, y = (char[1] + char[2]) / 2, (char[3] + char[4]) / 2
    return any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)


def _place_tables(grids: list[Grid], pages: list[PageContent]) -> list[Table]:
    """Tables as printed: whether each grid has body text above or below it on its page
    (after furniture is gone) decides whether it continues across the break."""
    by_page: dict[int, list[Grid]] = {}
    for grid in grids:
        by_page.setdefault(grid.page, []).append(grid)
    for page in pages:
        here = by_page.get(page.number, [])
        for k, grid in enumerate(here):
            top, bottom = grid.bbox[1], grid.bbox[3]
            grid.alone_above = k == 0 and not any(ln.bottom <= top + 1 for ln in page.lines)
            grid.alone_below = k == len(here) - 1 and not any(
                ln.top >= bottom - 1 for ln in page.lines
            )
    return [to_table(grid) for grid in stitch(grids)]


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


def extract_pdf(
    body: bytes, *, max_pages: int = 500, table_reader: str = "pdfium", ocr_scans: bool = True
) -> Extracted:
    """Normalised text (one paragraph per line, headings on their own lines, page furniture
    dropped) and ruled tables of a PDF.

    `table_reader="pdfplumber"` reads tables wholly with pdfplumber (slow; the reference).
    Pages with images and no text layer are OCR'd (`parsers.ocr`) unless `ocr_scans=False`;
    `ocr_pages` names them and a warning says so.
    Raises BrokenDocument, EncryptedDocument, NoTextLayer, UnmappedGlyphs or
    DocumentTooLarge, each with its reason; soft problems go to `warnings`.
    """
    if table_reader not in ("pdfium", "pdfplumber"):
        raise ValueError(f"unknown table reader {table_reader!r}")
    check_bytes(body)
    check_streams(body)
    pdf = _open(body)
    ctx = _Context(body=body, reader=table_reader, ocr=ocr_scans)
    try:
        count = len(pdf)
        if count > max_pages:
            raise DocumentTooLarge(f"{count} pages, over the limit of {max_pages}")
        if count == 0:
            raise BrokenDocument("the PDF has no pages")
        warnings: list[str] = []
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            warnings.append("encrypted without a user password (permissions only)")
        pages = [_read_page(pdf, i, ctx) for i in range(count)]
    finally:
        pdf.close()
        if "plumber" in ctx.state:
            ctx.state["plumber"].close()
    warnings.extend(ctx.warnings)
    if ctx.broken_pages == count:
        raise BrokenDocument(f"none of the {count} pages can be loaded")
    ocr_pages = _ocr(pages, ctx, warnings)
    _check_text_layer(pages, warnings)
    drop_furniture(pages)
    tables = _place_tables(ctx.grids, pages)
    if ctx.scan_tables:  # in page order among the text-layer tables
        tables = sorted([*tables, *ctx.scan_tables], key=lambda t: t.page or 0)
    text = "\n".join(rebuild_paragraphs(flag_lines(pages))).replace(KEPT_SPACE, " ")
    if not text:
        raise NoTextLayer("only page furniture found, no body text")
    return Extracted(
        text=text,
        format="pdf",
        pages=count,
        tables=tables,
        warnings=warnings,
        extractor=EXTRACTOR + (f"+{ocr.engine_name()}" if ocr_pages else ""),
        ocr_pages=ocr_pages,
    )
