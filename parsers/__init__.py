"""Bytes of a downloaded file in, a ParsedDocument out: `parse(body, content_type, url=...)`.

Pure: no network, no database, no file I/O beyond LibreOffice's temp dir for .doc/.wps.
"""

from __future__ import annotations

from parsers.dispatch import claimed_format, sniff
from parsers.document import Extracted, Figure, ParsedDocument, Section, Table
from parsers.errors import (
    BrokenDocument,
    ConverterMissing,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    ParseError,
    UnmappedGlyphs,
    UnsupportedFormat,
)
from parsers.figures import extract_figures
from parsers.metadata import extract_metadata
from parsers.pdf import PDF_EXTRACTOR_VERSION
from parsers.pdf_guard import check_glyph_text
from parsers.sections import split_sections

PARSER = "xxgk-parsers"
# Bump on any change that changes output for the same bytes (reparse finds documents by it).
ANALYSIS_VERSION = "1.2"  # 1.2: (cid:NN) text is UnmappedGlyphs, HTML without lxml cut-offs
# The PDF extractor versions itself; folded in so a PDF change is a parser change.
PARSER_VERSION = f"{ANALYSIS_VERSION}+pdf{PDF_EXTRACTOR_VERSION}"

__all__ = [
    "PARSER",
    "PARSER_VERSION",
    "BrokenDocument",
    "ConverterMissing",
    "DocumentTooLarge",
    "EncryptedDocument",
    "Extracted",
    "Figure",
    "NoTextLayer",
    "ParseError",
    "ParsedDocument",
    "Section",
    "Table",
    "UnmappedGlyphs",
    "UnsupportedFormat",
    "analyse",
    "extract",
    "parse",
]


def _plain_text(body: bytes) -> Extracted:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = body.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = body.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Extracted(text="\n".join(lines), format="text", extractor="plain text")


def extract(
    body: bytes,
    content_type: str | None = None,
    *,
    url: str | None = None,
    filename: str | None = None,
) -> Extracted:
    """Text, tables and page facts of a file, by its real format (see parsers.dispatch)."""
    fmt = sniff(body, content_type, filename=filename, url=url)
    if fmt == "pdf":
        from parsers.pdf import extract_pdf  # heavy imports only when a PDF comes

        extracted = extract_pdf(body)
    elif fmt == "html":
        from parsers.html import extract_html

        extracted = extract_html(body, content_type=content_type, url=url)
    elif fmt == "docx":
        from parsers.word import extract_docx

        extracted = extract_docx(body)
    elif fmt in ("doc", "wps"):
        from parsers.word import extract_legacy

        extracted = extract_legacy(body, fmt=fmt)
    else:
        extracted = _plain_text(body)
    check_glyph_text(extracted.text)  # any format can carry glyph codes copied from a PDF
    claimed = claimed_format(content_type, filename, url)
    if claimed and claimed != fmt and not (claimed == "html" and fmt == "text"):
        extracted.warnings.insert(0, f"labelled {claimed} but the bytes are {fmt}")
    return extracted


def analyse(extracted: Extracted) -> ParsedDocument:
    """Report analysis on extracted text: metadata, sections, figures."""
    meta = extract_metadata(extracted.text, title=extracted.title, published=extracted.published)
    sections, section_warnings = split_sections(extracted.text)
    figures, figure_warnings = extract_figures(extracted.text, sections)
    return ParsedDocument(
        text=extracted.text,
        format=extracted.format,
        parser=PARSER,
        parser_version=PARSER_VERSION,
        **meta.as_dict(),
        pages=extracted.pages,
        sections=sections,
        figures=figures,
        tables=extracted.tables,
        warnings=[*extracted.warnings, *section_warnings, *figure_warnings],
    )


def parse(
    body: bytes,
    content_type: str | None = None,
    *,
    url: str | None = None,
    filename: str | None = None,
) -> ParsedDocument:
    """Parse a downloaded file. Raises a ParseError subclass (with its reason) on failure."""
    return analyse(extract(body, content_type, url=url, filename=filename))
