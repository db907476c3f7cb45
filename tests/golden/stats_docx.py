"""The statistics report as a Word file (python-docx) and as LibreOffice prints it to PDF.

The tables carry the template's merges as Word writes them (gridSpan across, vMerge down)
and the three header rows of table 三 are marked to repeat on each page (w:tblHeader), so
LibreOffice breaks the long table across pages the way Word does, with the header repeated.
`docx_bytes(seed)` needs python-docx only; `pdf_bytes(seed)` needs `soffice` (the tests that
use it skip with a reason when it is missing).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from golden.make_word_pdfs import _font, _para
from golden.stats import Grid, figures, request_table, request_values, review_table, review_values
from golden.stats_pdf import INTRO, MIDDLE, OUTRO

# Enough running text before table 三 that it cannot fit on page 1.
FILLER = (
    "（三）政府信息管理情况。坚持先审查、后公开和一事一审工作原则，规范审查程序，建立健全重要"
    "事项公开保密审查协调机制，落实政府信息公开属性源头认定机制，加强政府信息源头管理工作。"
)


def _table(doc: Document, grid: Grid) -> None:
    table = doc.add_table(rows=len(grid.rows), cols=len(grid.rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(grid.rows):
        for j, text in enumerate(row):
            if text:
                _font(table.cell(i, j).paragraphs[0].add_run(text), 7.5)
    for (i, j), (rows, cols) in grid.spans.items():
        if rows > 1 or cols > 1:
            table.cell(i, j).merge(table.cell(i + rows - 1, j + cols - 1))
    for i in range(grid.header_rows):  # repeat the header rows on every page
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        table.rows[i]._tr.get_or_add_trPr().append(flag)


def build_docx(seed: int = 1) -> tuple[bytes, str, list[list[list[str]]], dict[str, int]]:
    """(docx bytes, running-text truth, table truths, figure truths)."""
    requests, reviews = request_values(seed), review_values(seed)
    grid3, grid4 = request_table(requests), review_table(reviews)
    doc = Document()
    truth = []
    intro = [*INTRO[:-1], *[("body", FILLER)] * 6, INTRO[-1]]
    for kind, text in intro:
        _para(doc, text, "heading" if kind == "heading" else kind)
        truth.append(text)
    _table(doc, grid3)
    for _kind, text in MIDDLE:
        _para(doc, text, "heading")
        truth.append(text)
    _table(doc, grid4)
    for kind, text in OUTRO:
        _para(doc, text, kind)
        truth.append(text)
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            run.font.size = run.font.size or Pt(12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue(), "\n".join(truth), [grid3.rows, grid4.rows], figures(requests, reviews)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    """LibreOffice's PDF of a .docx (own profile per call: profiles lock)."""
    with tempfile.TemporaryDirectory(prefix="xxgk-stats-") as tmp:
        source = Path(tmp) / "stats.docx"
        source.write_bytes(docx)
        subprocess.run(
            [soffice() or "soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (Path(tmp) / "stats.pdf").read_bytes()
