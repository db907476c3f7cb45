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
from typing import Any

from pdfplumber.table import TableFinder, TableSettings

from parsers.pdf_chars import build_lines
from parsers.textnorm import Line, rebuild_paragraphs

# A page needs at least this many path objects before tables are looked for: a grid has one
# per ruling line or cell border, a plain text page has none or a header rule.
MIN_PATHS_FOR_TABLES = 4
# pdfplumber's defaults, spelt out: ruling lines only, never text alignment.
TABLE_SETTINGS = TableSettings.resolve(
    {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
)

Bbox = tuple[float, float, float, float]
Found = list[tuple[Bbox, list[list[str]]]]


def _cell_text(cell: str | None) -> str:
    """Cell text: wrapped lines joined the way running text is (CJK tight, Latin spaced)."""
    if not cell:
        return ""
    return " ".join(rebuild_paragraphs([Line(t) for t in cell.splitlines()]))


def _keep(rows: list[list[str]]) -> list[list[str]] | None:
    """One-column or one-row "tables" are frames around text, not tables: their text stays
    in the running text."""
    rows = [r for r in rows if any(r)]
    if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
        return rows
    return None


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


def find_tables(edges: list[dict], chars: list[tuple], width: float, height: float) -> Found:
    """Tables as (bbox x0, top, x1, bottom; rows) from ruling edges and pdfium characters
    (char, x0, x1, top, bottom)."""
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
        rows = []
        for row in table.rows:
            texts = []
            for cell in row.cells:
                if cell is None:
                    texts.append("")
                    continue
                lines = build_lines(_cell_chars(inside, inner, cell))
                texts.append(_cell_text("\n".join(ln.text for ln in lines)))
            rows.append(texts)
        kept = _keep(rows)
        if kept:
            out.append(((x0, top, x1, bottom), kept))
    return out


def find_tables_plumber(plumber_pdf: Any, index: int) -> Found:
    """Tables on page `index` read wholly by pdfplumber (pdfminer characters and edges)."""
    page = plumber_pdf.pages[index]
    try:
        found = page.dedupe_chars().find_tables()
        out: Found = []
        for table in found:
            kept = _keep([[_cell_text(c) for c in row] for row in table.extract()])
            if kept:
                out.append((table.bbox, kept))
        return out
    finally:
        page.close()
