"""Render report text as the files schools publish: Word-exported-looking PDFs and .docx.

PDFs are drawn line by line on a reportlab canvas (not platypus) so that the text is hard-wrapped
at the page width the way Word exports are, with page furniture (running header, page-number
footer in several styles) that the parsers must learn to drop. `invariant=1` removes the creation
date and random document ID, and the .docx zip entries get fixed timestamps: the world must be
byte-identical on every build because the tests compare sha256 digests.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from fixtureworld.reports import TABLE_CAPTION, ReportText

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 80.0, 90.0, 80.0
BODY_SIZE, LEADING = 15.0, 27.0
FOOTER_STYLES = ("slash", "dash", "chinese")
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
NO_LINE_START = "，。、；：？！）》”’"


def footer_text(style: str, page: int, total: int) -> str:
    """Page-number footers as reports.md lists them: `7 / 7`, `- 7 -`, `第 7 页 共 12 页`."""
    if style == "dash":
        return f"- {page} -"
    if style == "chinese":
        return f"第 {page} 页 共 {total} 页"
    return f"{page} / {total}"


def _wrap(text: str, width: float, size: float, indent: float) -> list[str]:
    """Hard-wrap by measured width, as a PDF exported from Word ends up laid out."""
    lines, current, avail = [], "", width - indent
    for char in text:
        # Closing punctuation never starts a line (Word's kinsoku rule), so it may overhang.
        too_wide = pdfmetrics.stringWidth(current + char, FONT, size) > avail
        if too_wide and char not in NO_LINE_START:
            lines.append(current)
            current, avail = "", width
        current += char
    if current:
        lines.append(current)
    return lines


def _layout(text: ReportText) -> list[list[tuple[str, str, float]]]:
    """Split the text into pages of (kind, line, x-indent) without drawing anything yet, so
    the total page count is known for `第 n 页 共 N 页` footers."""
    width = PAGE_W - 2 * MARGIN_X
    per_page = int((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // LEADING)
    rows: list[tuple[str, str, float]] = []
    for part in _wrap(text.title, width, 20, 0):
        rows.append(("title", part, 0.0))
    rows.append(("blank", "", 0.0))
    for block in text.blocks:
        indent = 0.0 if block.kind == "closing" else 2 * BODY_SIZE
        for i, part in enumerate(_wrap(block.text, width, BODY_SIZE, indent)):
            rows.append((block.kind, part, indent if i == 0 else 0.0))
    pages = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    return pages


def pdf_page_count(text: ReportText) -> int:
    """Pages of `render_pdf(text)`: the laid-out text, then the table's own page."""
    return len(_layout(text)) + 1


def render_pdf(text: ReportText, footer: str = "slash", running_header: bool = False) -> bytes:
    """A multi-page report PDF whose last page holds the 清单事项公开情况表 table."""
    pages = _layout(text)
    total = pdf_page_count(text)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle(text.title)
    c.setAuthor(text.school)
    width = PAGE_W - 2 * MARGIN_X
    for number, rows in enumerate(pages, 1):
        _furniture(c, text, number, total, footer, running_header)
        y = PAGE_H - MARGIN_TOP
        for kind, line, indent in rows:
            if kind == "title":
                c.setFont(FONT, 20)
                c.drawCentredString(PAGE_W / 2, y, line)
            elif kind == "closing":
                c.setFont(FONT, BODY_SIZE)
                c.drawRightString(MARGIN_X + width, y, line)
            elif kind != "blank":
                c.setFont(FONT, BODY_SIZE)
                c.drawString(MARGIN_X + indent, y, line)
            y -= LEADING
        c.showPage()
    _furniture(c, text, total, total, footer, running_header)
    _draw_table(c, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def _furniture(
    c: canvas.Canvas, text: ReportText, page: int, total: int, footer: str, header: bool
) -> None:
    c.setFont(FONT, 10)
    c.drawCentredString(PAGE_W / 2, 40, footer_text(footer, page, total))
    if header:
        c.drawString(MARGIN_X, PAGE_H - 50, text.school)
        c.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 50, text.title)
        c.line(MARGIN_X, PAGE_H - 56, PAGE_W - MARGIN_X, PAGE_H - 56)


def _draw_table(c: canvas.Canvas, text: ReportText) -> None:
    """The 清单 table drawn with lines, one row per item, as Word tables come out in PDFs."""
    x0, widths, row_h, size = 50.0, (30.0, 95.0, 150.0, 220.0), 24.0, 9.0
    y = PAGE_H - 80
    c.setFont(FONT, 14)
    c.drawCentredString(PAGE_W / 2, y, TABLE_CAPTION)
    y -= 20
    rows = [text.table_header, *text.table_rows]
    top = y
    for row in rows:
        x = x0
        c.setFont(FONT, size)
        for cell, w in zip(row, widths, strict=True):
            shown = cell
            while pdfmetrics.stringWidth(shown, FONT, size) > w - 6:
                shown = shown[:-1]
            c.drawString(x + 3, y - row_h + 8, shown)
            x += w
        y -= row_h
    right = x0 + sum(widths)
    for i in range(len(rows) + 1):
        c.line(x0, top - i * row_h, right, top - i * row_h)
    x = x0
    for w in (0.0, *widths):
        x += w
        c.line(x, top, x, y)


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF for the look-alike documents (budgets, quality reports)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle(title)
    c.setFont(FONT, 18)
    c.drawCentredString(PAGE_W / 2, PAGE_H - 100, title)
    c.setFont(FONT, 12)
    y = PAGE_H - 150
    for line in lines:
        for part in _wrap(line, PAGE_W - 2 * MARGIN_X, 12, 24):
            c.drawString(MARGIN_X, y, part)
            y -= 20
    c.drawCentredString(PAGE_W / 2, 40, "1 / 1")
    c.showPage()
    c.save()
    return buf.getvalue()


def render_docx(text: ReportText) -> bytes:
    """The report as a .docx with the 清单 table, as schools attach straight from Word."""
    import docx  # imported here: python-docx is only needed for the two .docx reports

    document = docx.Document()
    props = document.core_properties
    fixed = datetime(2024, 1, 1, tzinfo=UTC)
    props.created = props.modified = fixed
    props.last_printed = fixed
    props.author = props.last_modified_by = text.school
    props.title = text.title
    props.revision = 1
    document.add_heading(text.title, level=1)
    for block in text.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=2)
        else:
            document.add_paragraph(block.text)
    document.add_paragraph(TABLE_CAPTION)
    table = document.add_table(rows=1, cols=len(text.table_header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, text.table_header, strict=True):
        cell.text = value
    for row in text.table_rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    buf = io.BytesIO()
    document.save(buf)
    return _fix_zip_times(buf.getvalue())


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry timestamps: python-docx stamps entries with now()."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
