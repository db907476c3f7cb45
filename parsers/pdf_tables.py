"""Ruled tables (the 清单事项公开情况表), found by pdfplumber's table finder, only on pages that
draw lines.

pdfplumber's layout analysis (snap and join ruling edges, intersections, cells, tables) runs
on edges read from pdfium's path objects (`pdf_paths`), and the cells are filled with
pdfium's characters: pdfminer never has to interpret the page. `find_tables_plumber` is the
whole-pdfplumber route, kept as the reference the fast route is tested against and as the
fallback when the fast route fails on a page.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

from pdfplumber.table import TableFinder, TableSettings

from parsers.pdf_chars import build_lines
from parsers.tables import Bbox, Grid, clean_cell, drop_empty_rows, split_prose
from parsers.textnorm import Line, rebuild_paragraphs

# A page needs at least this many path objects before tables are looked for: a grid has one
# per ruling line or cell border, a plain text page has none or a header rule.
MIN_PATHS_FOR_TABLES = 4
# pdfplumber's defaults, spelt out: ruling lines only, never text alignment.
TABLE_SETTINGS = TableSettings.resolve(
    {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
)

Found = list[Grid]


class _EdgePage:
    """The little of a pdfplumber page that its TableFinder reads with the lines strategy."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0, 0, width, height)


def _cell_chars(chars: list[tuple], mids: list[float], cell: Bbox) -> list[tuple]:
    """Characters whose centre lies in the cell (pdfplumber's rule: left/top edges in,
    right/bottom edges out). `chars` are sorted by vertical centre, `mids` are those centres."""
    x0, top, x1, bottom = cell
    lo, hi = bisect_left(mids, top), bisect_left(mids, bottom)
    return [c for c in chars[lo:hi] if x0 <= (c[1] + c[2]) / 2 < x1]


def _cell_text(lines: list[str]) -> str:
    """Cell text: wrapped lines joined the way running text is (CJK tight, Latin spaced),
    one character per line (vertical text in a merged cell) included; justification gaps out."""
    if not lines:
        return ""
    return clean_cell(" ".join(rebuild_paragraphs([Line(t) for t in lines])))


def _grids(table: Any, page: int, text_of: Callable[[Bbox], str]) -> Found:
    """The page's grid for one pdfplumber table, prose rows split off."""
    rows, covered, boxes = [], [], []
    for row in table.rows:
        rows.append([text_of(cell) if cell is not None else "" for cell in row.cells])
        covered.append([cell is None for cell in row.cells])
        boxes.append(row.bbox)
    cols = sorted({cell[0] for cell in table.cells}) + [table.bbox[2]]
    grid = Grid(page=page, bbox=table.bbox, rows=rows, covered=covered, cols=cols, row_boxes=boxes)
    drop_empty_rows(grid)
    return split_prose(grid) if grid.rows else []


def find_tables(
    edges: list[dict], chars: list[tuple], width: float, height: float, page: int = 1
) -> Found:
    """Tables as grids from ruling edges and pdfium characters (char, x0, x1, top, bottom)."""
    if not edges:
        return []
    finder = TableFinder(_EdgePage(edges, width, height), TABLE_SETTINGS)  # type: ignore[arg-type]
    if not finder.tables:
        return []
    ordered = sorted(chars, key=lambda c: (c[3] + c[4]) / 2)
    mids = [(c[3] + c[4]) / 2 for c in ordered]
    out: Found = []
    for table in finder.tables:
        x0, top, x1, bottom = table.bbox
        inside = ordered[bisect_left(mids, top) : bisect_right(mids, bottom)]
        inner = [(c[3] + c[4]) / 2 for c in inside]

        def text_of(cell: Bbox, inside: list = inside, inner: list = inner) -> str:
            return _cell_text([ln.text for ln in build_lines(_cell_chars(inside, inner, cell))])

        out += _grids(table, page, text_of)
    return out


def find_tables_plumber(plumber_pdf: Any, index: int) -> Found:
    """Tables on page `index` read wholly by pdfplumber (pdfminer characters and edges)."""
    page = plumber_pdf.pages[index]
    try:
        clean = page.dedupe_chars()
        out: Found = []
        for table in clean.find_tables():

            def text_of(cell: Bbox) -> str:
                text = clean.crop(cell).extract_text() or ""
                return _cell_text([t for t in text.splitlines() if t.strip()])

            out += _grids(table, index + 1, text_of)
        return out
    finally:
        page.close()
