"""Bytes of a downloaded file in, a ParsedDocument out: `parse(body, content_type, url=...)`.

Pure: no network, no database, no file I/O beyond LibreOffice's temp dir for .doc/.wps.
"""

from __future__ import annotations

from collections.abc import Sequence

from parsers.dispatch import claimed_format, sniff
from parsers.document import Extracted, Figure, ParsedDocument, Section, Table
from parsers.errors import (
    BrokenDocument,
    ConverterMissing,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    OcrUnavailable,
    ParseError,
    UnmappedGlyphs,
    UnreadableScan,
    UnsupportedArchive,
    UnsupportedFormat,
)
from parsers.figures import combine, extract_figures
from parsers.metadata import extract_metadata
from parsers.pdf import PDF_EXTRACTOR_VERSION
from parsers.pdf_guard import check_glyph_text
from parsers.sections import split_sections
from parsers.table_figures import table_figures

PARSER = "xxgk-parsers"
# Bump on any change that changes output for the same bytes (reparse finds documents by it).
ANALYSIS_VERSION = "1.3"  # 1.3: (cid:NN) text is UnmappedGlyphs, HTML without lxml cut-offs
# 1.2: table figures, signing dates with their source, layout tables
# 1.1: one publication-date rule (parsers.dates), one numeral reader
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
    "OcrUnavailable",
    "ParseError",
    "ParsedDocument",
    "Section",
    "Table",
    "UnmappedGlyphs",
    "UnreadableScan",
    "UnsupportedArchive",
    "UnsupportedFormat",
    "analyse",
    "extract",
    "join_annexes",
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


def _archive(body: bytes, fmt: str) -> Extracted:
    """The report inside a .zip: its first document (`parsers.archives` picks the report),
    with the tables of the other documents (annexes) added after its own."""
    from parsers.archives import open_rar, open_zip

    members = open_zip(body) if fmt == "zip" else open_rar(body)
    for member in members:  # one level only: a zip in a zip is how zip quines recurse
        if member.data.startswith((b"PK\x03\x04", b"Rar!")) and sniff(
            member.data, filename=member.name
        ) in ("zip", "rar"):
            raise UnsupportedArchive(f"{member.name} is an archive inside the {fmt}")
    first, *annexes = members
    extracted = extract(first.data, filename=first.name)
    extracted.warnings.insert(0, f"read from {first.name} inside the {fmt}")
    return join_annexes(extracted, [(a.name, a.data) for a in annexes])


def join_annexes(report: Extracted, annexes: list[tuple[str, bytes]]) -> Extracted:
    """A report split into 正文 + 附件: the annexes' tables (a 附件 holding the statistics
    tables) are added after the report's own, in order; an annex that cannot be read is a
    warning, not a failure. `analyse` on the result gives one document with the figures of
    every table. For the crawler: `analyse(join_annexes(extract(main), [(name, bytes), ...]))`.
    """
    for name, body in annexes:
        try:
            other = extract(body, filename=name)
        except ParseError as exc:
            report.warnings.append(f"annex {name} not read: {exc}")
            continue
        report.tables += other.tables
        report.warnings.append(f"annex {name}: {len(other.tables)} tables added")
    return report


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
    elif fmt in ("zip", "rar"):
        extracted = _archive(body, fmt)
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
    figures, table_warnings = combine(figures, table_figures(extracted.tables))
    figure_warnings += table_warnings
    return ParsedDocument(
        text=extracted.text,
        format=extracted.format,
        parser=PARSER + ("+ocr" if extracted.ocr_pages else ""),
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
    annexes: Sequence[tuple[str, bytes]] = (),
) -> ParsedDocument:
    """Parse a downloaded file (with the annexes posted beside it, as `(file name, bytes)`).
    Raises a ParseError subclass (with its reason) when the file itself cannot be read."""
    extracted = extract(body, content_type, url=url, filename=filename)
    return analyse(join_annexes(extracted, list(annexes)) if annexes else extracted)
