"""Make report PDFs the way schools' Word files come out, with reportlab's built-in CID font.

Word-like layout: A4, 2.54/3.17 cm margins, justified lines whose extra space goes between
CJK characters (Latin words stay whole), two-character first-line indents, headings, fake-bold
headings (drawn twice, offset), running header, page-number footer, a ruled table. `truth()`
gives the text a perfect extractor returns, from the source paragraphs.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 90.0, WIDTH - 90.0, 72.0, 72.0
SIZE, LEADING = 12.0, 22.0
_TOKEN = re.compile(r"[A-Za-z0-9:/._\-?=&%#~+@]+| |.")
_CLOSING = set("，。、；：？！）》」』”’")


@dataclass
class Para:
    kind: str  # title, heading, body, item, sign
    text: str
    bold: bool = False
    break_after: str | None = None  # force a line break right after this substring
    page_break: bool = False  # ... and a page break there too
    split_title: str | None = None  # second line of a two-line title


@dataclass
class Doc:
    name: str
    paras: list[Para]
    footer: str = "{p}"
    header: str | None = None
    header_rule: bool = False
    first_page_header: bool = True
    footer_align: str = "centre"
    table_after: str | None = None
    table: list[list[str]] = field(default_factory=list)


def _w(text: str, size: float = SIZE) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _tokens(text: str, cut: int | None) -> list[str]:
    out: list[str] = []
    pos = 0
    for tok in _TOKEN.findall(text):
        if cut is not None and pos < cut < pos + len(tok):  # split a word at the forced break
            out += [tok[: cut - pos], tok[cut - pos :]]
        else:
            out.append(tok)
        pos += len(tok)
    return out


def _wrap(para: Para, avail_first: float, avail: float) -> list[tuple[list[str], bool, bool]]:
    """Lines as (tokens, justify, page_break_after)."""
    cut = None
    if para.break_after:
        cut = para.text.index(para.break_after) + len(para.break_after)
    lines: list[tuple[list[str], bool, bool]] = []
    cur: list[str] = []
    width, pos, room = 0.0, 0, avail_first
    for tok in _tokens(para.text, cut):
        if pos == cut and cur:
            lines.append((cur, True, para.page_break))
            cur, width, room = [], 0.0, avail
        tw = _w(tok)
        if width + tw > room and cur and tok not in _CLOSING:
            if len(tok) > 12 and width + _w(tok[0]) <= room:  # Word breaks long URLs anywhere
                n = 1
                while width + _w(tok[: n + 1]) <= room:
                    n += 1
                cur.append(tok[:n])
                tok, tw = tok[n:], _w(tok[n:])
            lines.append((cur, True, False))
            cur, width, room = [], 0.0, avail
        if tok == " " and not cur:
            pos += 1
            continue
        cur.append(tok)
        width += tw
        pos += len(tok)
    if cur:
        lines.append((cur, False, False))
    return lines


class _Pages:
    """Draw operations per page, rendered once the page count is known."""

    def __init__(self) -> None:
        self.pages: list[list[tuple]] = [[]]
        self.y = HEIGHT - TOP

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.break_page()

    def break_page(self) -> None:
        self.pages.append([])
        self.y = HEIGHT - TOP

    def add(self, op: tuple) -> None:
        self.pages[-1].append(op)


def _place_para(pages: _Pages, para: Para) -> None:
    size = 16.0 if para.kind == "title" else SIZE
    if para.kind in ("title", "sign"):
        for text in filter(None, [para.text, para.split_title]):
            pages.need(LEADING + 6)
            w = _w(text, size)
            x = (LEFT + RIGHT - w) / 2 if para.kind == "title" else RIGHT - w - 2 * SIZE
            pages.add(("text", x, pages.y - size, [text], 0.0, size, False))
            pages.y -= LEADING + (8 if para.kind == "title" else 0)
        return
    indent = 2 * SIZE
    for tokens, justify, page_break in _wrap(para, RIGHT - LEFT - indent, RIGHT - LEFT):
        pages.need(LEADING)
        natural = sum(_w(t) for t in tokens)
        x0 = LEFT + indent
        avail = RIGHT - x0
        gap = (avail - natural) / (len(tokens) - 1) if justify and len(tokens) > 1 else 0.0
        pages.add(("text", x0, pages.y - SIZE, tokens, max(gap, 0.0), SIZE, para.bold))
        pages.y -= LEADING
        indent = 0.0
        if page_break:
            pages.break_page()


def _place_table(pages: _Pages, rows: list[list[str]]) -> None:
    cols = [max(_w(r[i]) for r in rows) + 12 for i in range(len(rows[0]))]
    scale = (RIGHT - LEFT) / sum(cols)
    cols = [c * scale for c in cols]
    height = 24.0
    pages.need(height * len(rows))
    top = pages.y
    for r, row in enumerate(rows):
        x = LEFT
        for c, cell in enumerate(row):
            pages.add(("text", x + 6, top - r * height - 16, [cell], 0.0, 10.5, False))
            x += cols[c]
    xs = [LEFT + sum(cols[:i]) for i in range(len(cols) + 1)]
    for r in range(len(rows) + 1):
        pages.add(("line", LEFT, top - r * height, RIGHT, top - r * height))
    for x in xs:
        pages.add(("line", x, top, x, top - height * len(rows)))
    pages.y = top - height * len(rows) - LEADING


def render(doc: Doc) -> bytes:
    pages = _Pages()
    for para in doc.paras:
        _place_para(pages, para)
        if doc.table and para.text == doc.table_after:
            _place_table(pages, doc.table)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    total = len(pages.pages)
    for number, ops in enumerate(pages.pages, 1):
        if doc.header and (number > 1 or doc.first_page_header):
            c.setFont(FONT, 9)
            c.drawCentredString(WIDTH / 2, HEIGHT - 45, doc.header)
            if doc.header_rule:
                c.line(LEFT, HEIGHT - 50, RIGHT, HEIGHT - 50)
        footer = doc.footer.format(p=number, n=total)
        c.setFont(FONT, 9)
        if doc.footer_align == "right":
            c.drawRightString(RIGHT, 40, footer)
        else:
            c.drawCentredString(WIDTH / 2, 40, footer)
        for op in ops:
            if op[0] == "line":
                c.setLineWidth(0.75)
                c.line(*op[1:])
                continue
            _, x, y, tokens, gap, size, bold = op
            c.setFont(FONT, size)
            for dx in (0.0, 0.35) if bold else (0.0,):
                cx = x + dx
                for tok in tokens:
                    c.drawString(cx, y, tok)
                    cx += _w(tok, size) + gap
        c.showPage()
    c.save()
    return buf.getvalue()


def truth(doc: Doc) -> str:
    lines = []
    for para in doc.paras:
        lines.append(para.text + (para.split_title or ""))
    return "\n".join(lines)
