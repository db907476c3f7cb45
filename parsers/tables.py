"""Printed tables as tables: cell text without layout gaps, prose rows out, header rows known,
one table per printed table across page breaks.

Format-neutral: a `Grid` is what a page reader found inside one set of ruling lines (rows of
cell texts, which positions a merged cell covers, the column edges and row boxes). The PDF
reader builds grids per page (`pdf_tables`); `stitch` joins a table continued on the next
page. Merged cells are one cell in their first (top-left) position, the positions they cover
are empty strings, the way the 政府信息公开 statistics tables are printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.document import Table

Bbox = tuple[float, float, float, float]

_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# Justified (分散对齐) cells spread digits and characters apart; `2 1` is 21, `总 计` is 总计.
_GAP_DIGITS = re.compile(r"(?<=\d)[ \u00a0\u3000]+(?=[\d.,])|(?<=[\d.,])[ \u00a0\u3000]+(?=\d)")
_GAP_CJK = re.compile(rf"(?<=[{_CJK}])[ \u00a0\u3000]+|[ \u00a0\u3000]+(?=[{_CJK}])")
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
# A cell that opens a row label: 一、 （一） 1. 1、 (1) ①; a continuation fragment does not.
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[①-⑳])"
)
_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S")
# Running text inside the ruling lines (a page border, a one-cell frame): a sentence, or a
# line too long to be a label.
_PROSE_LEN = 60
# Column edges of two pages' parts of one table agree within this many points.
_EDGE_TOLERANCE = 3.0


def clean_cell(text: str) -> str:
    """Cell text without the gaps justification leaves between digits and CJK characters."""
    text = _GAP_DIGITS.sub("", text.replace("\u2003", " "))
    text = _GAP_CJK.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.replace(" ", "")))


@dataclass
class Grid:
    """One ruled table as found on one page."""

    page: int
    bbox: Bbox
    rows: list[list[str]]
    covered: list[list[bool]]  # True where a merged cell from the left or above covers it
    cols: list[float]  # x of each column's left edge, then the table's right edge
    row_boxes: list[Bbox]
    pages: list[int] = field(default_factory=list)
    alone_below: bool = False  # nothing but page furniture below it on its page
    alone_above: bool = False  # nothing but page furniture above it on its page

    def __post_init__(self) -> None:
        if not self.pages:
            self.pages = [self.page]


def _is_prose(text: str) -> bool:
    return "。" in text or len(text) > _PROSE_LEN or bool(_HEADING.match(text))


def _prose_row(grid: Grid, i: int) -> bool:
    """A row holding one merged cell across the whole width whose text is running text."""
    row, covered = grid.rows[i], grid.covered[i]
    filled = [j for j, cell in enumerate(row) if cell]
    if len(filled) != 1 or filled[0] != 0:
        return False
    spans_all = all(covered[j] for j in range(1, len(row)))
    return spans_all and _is_prose(row[0])


def split_prose(grid: Grid) -> list[Grid]:
    """The grid without rows that are running text caught inside ruling lines (prose above or
    below a table inside one page border, a heading in a frame): the rest, cut where prose
    rows were, as separate grids. A part of fewer than two rows or one column is no table."""
    parts: list[Grid] = []
    start = 0
    n = len(grid.rows)
    for i in range(n + 1):
        if i < n and not _prose_row(grid, i):
            continue
        if i > start:
            parts.append(_slice(grid, start, i))
        start = i + 1
    return [p for p in parts if _is_table(p)]


def _slice(grid: Grid, start: int, stop: int) -> Grid:
    boxes = grid.row_boxes[start:stop]
    bbox = (grid.bbox[0], min(b[1] for b in boxes), grid.bbox[2], max(b[3] for b in boxes))
    covered = [list(r) for r in grid.covered[start:stop]]
    if covered:  # what covered a position from above the cut no longer does
        covered[0] = [c and j > 0 and not grid.rows[start][j] for j, c in enumerate(covered[0])]
    part = Grid(
        page=grid.page,
        bbox=bbox,
        rows=[list(r) for r in grid.rows[start:stop]],
        covered=covered,
        cols=list(grid.cols),
        row_boxes=list(boxes),
    )
    _drop_phantom_columns(part)
    return part


def _drop_phantom_columns(grid: Grid) -> None:
    """Columns no cell of this part starts in: edges of another table the ruling lines joined
    to this one (two tables inside one page border share its sides)."""
    keep = [j for j in range(len(grid.cols) - 1) if j == 0 or not all(c[j] for c in grid.covered)]
    if len(keep) == len(grid.cols) - 1:
        return
    grid.rows = [[r[j] for j in keep] for r in grid.rows]
    grid.covered = [[c[j] for j in keep] for c in grid.covered]
    grid.cols = [grid.cols[j] for j in keep] + [grid.cols[-1]]


def _is_table(grid: Grid) -> bool:
    rows = [r for r in grid.rows if any(r)]
    return len(rows) >= 2 and max(len(r) for r in rows) >= 2


def drop_empty_rows(grid: Grid) -> None:
    keep = [i for i, row in enumerate(grid.rows) if any(row)]
    grid.rows = [grid.rows[i] for i in keep]
    grid.covered = [grid.covered[i] for i in keep]
    grid.row_boxes = [grid.row_boxes[i] for i in keep]


def header_rows(rows: list[list[str]]) -> int:
    """Leading rows that hold no number, when a later row does (the statistics tables); for a
    table of words only, its first row when that row labels every column."""
    for i, row in enumerate(rows):
        if any(is_number(cell) for cell in row if cell):
            return i if i < len(rows) else 0
    if len(rows) > 1 and all(cell and len(cell) <= 20 for cell in rows[0]):
        return 1
    return 0


def _column_map(prev: Grid, nxt: Grid) -> list[int] | None:
    """Where each column of `nxt` sits among `prev`'s columns, when both parts share the
    outer edges and every column edge of `nxt` is one of `prev`'s (a continuation may merge
    columns the first part splits, or the other way round)."""

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= _EDGE_TOLERANCE

    if not (near(prev.cols[0], nxt.cols[0]) and near(prev.cols[-1], nxt.cols[-1])):
        return None
    mapping = []
    for x in nxt.cols[:-1]:
        at = next((j for j, px in enumerate(prev.cols[:-1]) if near(px, x)), None)
        if at is None:
            return None
        mapping.append(at)
    if len(nxt.cols) > len(prev.cols):
        return None
    return mapping


def _regrid(nxt: Grid, mapping: list[int], width: int) -> None:
    rows, covered = [], []
    for row, cov in zip(nxt.rows, nxt.covered, strict=True):
        new = [""] * width
        new_cov = [True] * width
        for j, at in enumerate(mapping):
            new[at] = row[j]
            new_cov[at] = cov[j]
        rows.append(new)
        covered.append(new_cov)
    nxt.rows, nxt.covered = rows, covered


def _norm(row: list[str]) -> list[str]:
    return [re.sub(r"\s+", "", c) for c in row]


def _repeated_header(prev: Grid, nxt: Grid) -> int:
    """How many leading rows of `nxt` repeat `prev`'s header rows (Word's 重复标题行)."""
    head = header_rows(prev.rows)
    for k in range(min(head, len(nxt.rows) - 1), 0, -1):
        if [_norm(r) for r in nxt.rows[:k]] == [_norm(r) for r in prev.rows[:k]]:
            return k
    return 0


def _owner(grid: Grid, i: int, j: int) -> tuple[int, int]:
    """The position of the merged cell that covers (i, j): up, then left."""
    while grid.covered[i][j] and i > 0 and not grid.rows[i][j]:
        i -= 1
    while grid.covered[i][j] and j > 0 and not grid.rows[i][j]:
        j -= 1
    return i, j


def _join_split_row(prev: Grid, nxt: Grid) -> None:
    """A row (or a merged cell) cut by the page break: its second half's text goes to the
    first half. A fragment is text that does not open a label (`法提供` after `（四）无`), in
    a row that is visibly a part: it spans rows below (a merged cell carried on) or the row
    leaves cells empty that the last row of the first part fills."""
    if not nxt.rows or not prev.rows:
        return
    first, last = nxt.rows[0], prev.rows[-1]
    merged_down = [
        len(nxt.rows) > 1 and nxt.covered[1][j] and not nxt.rows[1][j] for j in range(len(first))
    ]
    partial = any(not a and b for a, b in zip(first, last, strict=False))
    for j, cell in enumerate(first):
        if not cell or is_number(cell) or _ENUMERATOR.match(cell):
            continue
        if not (merged_down[j] or partial):
            continue
        oi, oj = _owner(prev, len(prev.rows) - 1, j)
        if not prev.rows[oi][oj] or is_number(prev.rows[oi][oj]):
            continue
        prev.rows[oi][oj] += cell
        first[j] = ""
        if nxt.covered[0][j] is False and len(nxt.rows) > 1:
            nxt.covered[0][j] = True  # now a covered position of the merged cell above
    if not any(first):
        del nxt.rows[0], nxt.covered[0], nxt.row_boxes[0]


def stitch(grids: list[Grid]) -> list[Grid]:
    """Join each table that ends a page to the one that opens the next page when they are one
    printed table: nothing but furniture between them, the same outer edges and compatible
    columns. The repeated header is dropped and a row cut by the break joined."""
    out: list[Grid] = []
    for grid in grids:
        prev = out[-1] if out else None
        if (
            prev is not None
            and grid.page == prev.pages[-1] + 1
            and prev.alone_below
            and grid.alone_above
            and (mapping := _column_map(prev, grid)) is not None
        ):
            _regrid(grid, mapping, len(prev.cols) - 1)
            repeated = _repeated_header(prev, grid)
            del grid.rows[:repeated], grid.covered[:repeated], grid.row_boxes[:repeated]
            _join_split_row(prev, grid)
            prev.rows += grid.rows
            prev.covered += grid.covered
            prev.pages.append(grid.page)
            prev.alone_below = grid.alone_below
            continue
        out.append(grid)
    return out


def to_table(grid: Grid) -> Table:
    return Table(
        rows=grid.rows, page=grid.page, pages=list(grid.pages), header_rows=header_rows(grid.rows)
    )
