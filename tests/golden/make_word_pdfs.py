"""Make the Word-like golden PDFs in tests/files/pdf/ (run once; the PDFs are committed).

python-docx writes the documents, LibreOffice converts them with Noto CJK fonts embedded as
subsets, as Word does. Needs `libreoffice-writer-nogui fonts-noto-cjk`; CI does not run this.

    .venv/bin/python tests/golden/make_word_pdfs.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from golden import content as c  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "files" / "pdf"
FONT = "Noto Serif CJK SC"


def _font(run, size: float = 12, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(doc, text: str, kind: str = "body"):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(22)
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(12)
    elif kind == "sign":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Pt(24)
    # LibreOffice drops a line-final `，` at a page end unless punctuation may overflow.
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "1")
    p._p.get_or_add_pPr().append(overflow)
    _font(p.add_run(text), 16 if kind == "title" else 12, bold=kind in ("title", "heading"))
    return p


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    for tag, attr in (("w:fldChar", "begin"), ("w:instrText", code), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), attr)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = attr
        run._r.append(el)
    _font(run, 9)


def _footer(doc, pattern: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in pattern.replace("{p}", "\0PAGE\0").replace("{n}", "\0NUMPAGES\0").split("\0"):
        if piece in ("PAGE", "NUMPAGES"):
            _field(p, piece)
        elif piece:
            _font(p.add_run(piece), 9)


def _build(name: str, footer: str, header: str | None, table: bool) -> tuple[Document, str]:
    doc = Document()
    truth = [c.TITLE]
    _para(doc, c.TITLE, "title")
    body = [
        ("body", c.INTRO),
        ("heading", "一、信息公开工作概述"),
        ("body", c.OVERVIEW),
        ("heading", "（一）健全工作机制"),
        ("body", c.MECHANISM),
        ("heading", "二、主动公开情况"),
        ("body", c.PROACTIVE),
        ("body", c.CHANNELS),
        ("body", c.ADMISSION),
        ("heading", "三、依申请公开和不予公开情况"),
        ("body", c.ON_REQUEST),
        ("heading", "四、对信息公开的评议情况"),
        ("body", c.REVIEW),
        ("heading", "五、因学校信息公开工作受到举报、复议、诉讼的情况"),
        ("body", c.COMPLAINTS),
        ("heading", "六、存在的主要问题和改进措施"),
        ("body", c.PROBLEMS),
        *[("body", t) for t in c.PLAN_ITEMS],
        ("heading", "七、其他需要报告的事项"),
        ("body", c.OTHER),
        ("sign", c.SCHOOL),
        ("sign", "2023年10月30日"),
    ]
    for kind, text in body:
        _para(doc, text, kind)
        truth.append(text)
    if table:
        _para(doc, c.TABLE_HEADING, "heading")
        truth.append(c.TABLE_HEADING)
        grid = doc.add_table(rows=len(c.TABLE), cols=len(c.TABLE[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(c.TABLE):
            for col, cell in enumerate(row):
                _font(grid.cell(r, col).paragraphs[0].add_run(cell), 10.5)
    _footer(doc, footer)
    if header:
        hp = doc.sections[0].header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(hp.add_run(header), 9)
    return doc, "\n".join(truth)


DOCS = [
    ("word_cn_total", "第 {p} 页 共 {n} 页", c.TITLE, True),
    ("word_dash", "- {p} -", None, False),
    ("word_slash", "{p} / {n}", c.SCHOOL, True),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, footer, header, table in DOCS:
            doc, truth = _build(name, footer, header, table)
            path = Path(tmp) / f"{name}.docx"
            doc.save(path)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(path)],
                check=True,
                capture_output=True,
                timeout=180,
            )
            (OUT / f"{name}.pdf").write_bytes((Path(tmp) / f"{name}.pdf").read_bytes())
            (OUT / f"{name}.txt").write_text(truth + "\n", encoding="utf-8")
            print(name)


if __name__ == "__main__":
    main()
