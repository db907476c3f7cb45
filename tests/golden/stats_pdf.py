"""A 政府信息公开 annual report PDF with the standard statistics tables, drawn with reportlab the
way WPS prints them, with the failure classes real files show:

- prose and a table on one page inside one page border that the table's outer rules share
  (`border=True`: WPS 页面边框), so the ruling lines enclose the prose too;
- table 三 continued on the next page with its three header rows repeated, broken either
  inside a merged cell (`split="merged"`: 「（四）无法提供」 printed 「（四）无」 / 「法提供」) or
  inside a row (`split="row"`: a wrapped label's second line on the next page);
- the vertically merged 「三、本年度办理结果」 printed one character per line;
- horizontally merged header cells; numbers set with justification gaps (`2 1` for 21).

`build(seed, ...)` returns the PDF and its truths: running text, tables, figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from golden.stats import Grid, figures, request_table, request_values, review_table, review_values

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
WIDTH, HEIGHT = A4
BORDER = (56.0, 56.0, WIDTH - 56.0, HEIGHT - 56.0)  # x0, top, x1, bottom (top-based)
LEFT, RIGHT = 72.0, WIDTH - 72.0
SIZE, LEADING, CELL = 12.0, 21.0, 7.0
REQUEST_COLS = [28.0, 95.0, 130.0] + [230.0 / 7] * 7
REVIEW_COLS = [(BORDER[2] - BORDER[0]) / 15] * 15

INTRO = [
    ("title", "示范市人民政府"),
    ("title", "2024年政府信息公开工作年度报告"),
    ("body", "本报告根据《中华人民共和国政府信息公开条例》编制。报告所列统计期限自2024年1月1日至"
             "2024年12月31日。如对本报告有疑问，请与示范市人民政府办公室联系（电话：0517-8360"
             "5210）。"),
    ("heading", "一、总体情况"),
    ("body", "（一）主动公开情况。全年主动公开各类政府信息3200余条，制作政策解读18个，召开新闻"
             "发布会9场，努力传递政府声音、回应社会关切。"),
    ("body", "（二）依申请公开情况。着力强化与申请人的直接沟通，准确了解申请人诉求，提高答复的及"
             "时性和针对性，均在法定期限内予以答复。"),
    ("heading", "二、收到和处理政府信息公开申请情况"),
]  # fmt: skip
MIDDLE = [("heading", "三、政府信息公开行政复议、行政诉讼情况")]
OUTRO = [
    ("heading", "四、存在的主要问题及改进情况"),
    (
        "body",
        "个别单位政策解读内容简单、形式单一。下一步将着力加强政策解读质效，定期组织业务培训。",
    ),
    ("sign", "示范市人民政府办公室"),
    ("sign", "2025年1月20日"),
]


@dataclass
class Built:
    pdf: bytes
    text: str
    tables: list[list[list[str]]]
    figures: dict[str, int]
    pages: list[list[int]]


def _w(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _wrap(text: str, first: float, rest: float, size: float) -> list[str]:
    lines, cur, room = [], "", first
    for ch in text:
        if cur and _w(cur + ch, size) > room and ch not in "，。、；：）”":
            lines.append(cur)
            cur, room = "", rest
        cur += ch
    return [*lines, cur] if cur else lines


class _Canvas:
    def __init__(self, border: bool):
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.border = border
        self.page = 1
        self.y = 80.0  # top-based
        self._frame()

    def _frame(self) -> None:
        if self.border:
            self.c.setLineWidth(0.75)
            x0, top, x1, bottom = BORDER
            self.c.rect(x0, HEIGHT - bottom, x1 - x0, bottom - top)
        self.c.setFont(FONT, 9)
        self.c.drawCentredString(WIDTH / 2, 30, f"- {self.page} -")

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = 80.0
        self._frame()

    def chars(self, x: float, y: float, text: str, size: float, gap: float = 0.0) -> None:
        """Text drawn one glyph at a time, `gap` extra points after each (justification)."""
        self.c.setFont(FONT, size)
        for ch in text:
            self.c.drawString(x, HEIGHT - y, ch)
            x += _w(ch, size) + gap

    def para(self, kind: str, text: str) -> None:
        if kind in ("title", "sign"):
            size = 16.0 if kind == "title" else SIZE
            w = _w(text, size)
            x = (LEFT + RIGHT - w) / 2 if kind == "title" else RIGHT - w - 2 * SIZE
            self.chars(x, self.y + size, text, size)
            self.y += LEADING + (6 if kind == "title" else 0)
            return
        indent = 2 * SIZE
        lines = _wrap(text, RIGHT - LEFT - indent, RIGHT - LEFT, SIZE)
        for n, line in enumerate(lines):
            x0 = LEFT + (indent if n == 0 else 0)
            last = n == len(lines) - 1
            gap = 0.0 if last else (RIGHT - x0 - _w(line, SIZE)) / max(len(line) - 1, 1)
            self.chars(x0, self.y + SIZE, line, SIZE, gap)
            self.y += LEADING

    def cell(self, x: float, y: float, w: float, h: float, text: str, kind: str) -> None:
        self.c.setLineWidth(0.5)
        self.c.rect(x, HEIGHT - y - h, w, h)
        if not text:
            return
        if kind == "vertical":  # one character per line, centred
            top = y + (h - len(text) * (CELL + 2)) / 2
            for k, ch in enumerate(text):
                self.chars(x + (w - CELL) / 2, top + (k + 1) * (CELL + 2) - 2, ch, CELL)
            return
        if kind == "number":  # digits spread over the cell (分散对齐)
            gap = 4.5 if len(text) > 1 else 0.0  # wider than half a digit: `1 5 4`
            width = _w(text, CELL) + gap * (len(text) - 1)
            self.chars(x + (w - width) / 2, y + h / 2 + CELL / 2 - 1, text, CELL, gap)
            return
        lines = _wrap(text, w - 4, w - 4, CELL)
        top = y + (h - len(lines) * (CELL + 2)) / 2
        for k, line in enumerate(lines):
            self.chars(x + 2, top + (k + 1) * (CELL + 2) - 2, line, CELL)


def _height(grid: Grid, cols: list[float], i: int) -> float:
    tallest = 1
    for j, text in enumerate(grid.rows[i]):
        rows, span = grid.spans.get((i, j), (1, 1))
        if text and rows == 1 and not text.isdigit():
            tallest = max(tallest, len(_wrap(text, sum(cols[j : j + span]) - 4, 1e9, CELL)))
    return max(18.0, tallest * (CELL + 2) + 6)


def _covered(grid: Grid) -> set[tuple[int, int]]:
    out = set()
    for (i, j), (rows, cols) in grid.spans.items():
        out |= {(i + a, j + b) for a in range(rows) for b in range(cols)} - {(i, j)}
    return out


def _draw_rows(pdf: _Canvas, grid: Grid, cols: list[float], rows: list[int], heights: dict,
               texts: dict) -> None:  # fmt: skip
    """Rows `rows` of the grid from pdf.y down; a span is cut at the last drawn row, and a
    span reaching in from above the first drawn row is drawn as a continuation (its text
    from `texts`, else empty)."""
    covered = _covered(grid)
    xs = [BORDER[0] + sum(cols[:j]) for j in range(len(cols) + 1)]
    ys, y = {}, pdf.y
    for i in rows:
        ys[i] = y
        y += heights[i]
    for i in range(len(grid.rows)):
        for j in range(len(cols)):
            if (i, j) in covered:
                continue
            nrows, ncols = grid.spans.get((i, j), (1, 1))
            visible = [r for r in rows if i <= r < i + nrows]
            if not visible:
                continue
            top, last = ys[visible[0]], visible[-1]
            own = grid.rows[i][j] if i in rows else ""
            text = texts.get((visible[0], j), own)
            vertical = j == 0 and nrows > 3 and cols[0] < 40
            kind = "vertical" if vertical else "number" if text.isdigit() else "label"
            pdf.cell(xs[j], top, xs[j + ncols] - xs[j], ys[last] + heights[last] - top, text, kind)
    pdf.y = y


def _table(pdf: _Canvas, grid: Grid, cols: list[float], break_at: int | None, split: str) -> list:
    heights = {i: _height(grid, cols, i) for i in range(len(grid.rows))}
    head = list(range(grid.header_rows))
    if break_at is None:
        _draw_rows(pdf, grid, cols, list(range(len(grid.rows))), heights, {})
        return [pdf.page]
    first, texts_1, texts_2 = list(range(break_at)), {}, {}
    label = grid.rows[break_at - 1][2]
    if split == "merged":  # the merged cell (四) is cut: its text runs on past the break
        texts_1[(break_at - 1, 1)] = "（四）无"
        texts_2[(break_at, 1)] = "法提供"
    else:
        texts_1[(break_at - 1, 2)] = label[: len(label) // 2]
    _draw_rows(pdf, grid, cols, first, heights, texts_1)
    pages = [pdf.page]
    pdf.new_page()
    _draw_rows(pdf, grid, cols, head, heights, {})
    if split == "row":  # the row's second label line lands on the next page
        pdf.cell(BORDER[0], pdf.y, sum(cols[:2]), 18, "", "label")
        pdf.cell(BORDER[0] + sum(cols[:2]), pdf.y, cols[2], 18, label[len(label) // 2 :], "l")
        x = BORDER[0] + sum(cols[:3])
        for w in cols[3:]:
            pdf.cell(x, pdf.y, w, 18, "", "label")
            x += w
        pdf.y += 18
    _draw_rows(pdf, grid, cols, list(range(break_at, len(grid.rows))), heights, texts_2)
    return [*pages, pdf.page]


def build(seed: int = 1, *, border: bool = True, split: str = "merged") -> Built:
    """The report PDF and its truths. `split` is "merged" or "row" (see the module doc)."""
    requests, reviews = request_values(seed), review_values(seed)
    grid3, grid4 = request_table(requests), review_table(reviews)
    pdf = _Canvas(border)
    for kind, text in INTRO:
        pdf.para(kind, text)
    # Break inside (四)无法提供 (rows 15-17), after its first row, or inside the row before.
    break_at = 16 if split == "merged" else 20
    pages3 = _table(pdf, grid3, REQUEST_COLS, break_at, split)
    for kind, text in MIDDLE:
        pdf.para(kind, text)
    pages4 = _table(pdf, grid4, REVIEW_COLS, None, split)
    for kind, text in OUTRO:
        pdf.para(kind, text)
    pdf.c.showPage()
    pdf.c.save()
    # A centred two-line title at the top of page 1 reads as one line (pdf_layout._join_title).
    paras = [INTRO[0][1] + INTRO[1][1]] + [t for _, t in INTRO[2:] + MIDDLE + OUTRO]
    text = "\n".join(paras)
    return Built(pdf.buf.getvalue(), text, [grid3.rows, grid4.rows],
                 figures(requests, reviews), [pages3, pages4])  # fmt: skip
