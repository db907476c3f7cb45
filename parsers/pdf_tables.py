"""Ruled tables (the 清单事项公开情况表) with pdfplumber, only on pages that draw lines."""

from __future__ import annotations

from typing import Any

from parsers.textnorm import Line, rebuild_paragraphs

# A page needs at least this many path objects before pdfplumber is asked for tables: a
# grid has one per ruling line or cell border, a plain text page has none or a header rule.
MIN_PATHS_FOR_TABLES = 4


def _cell_text(cell: str | None) -> str:
    """Cell text: wrapped lines joined the way running text is (CJK tight, Latin spaced)."""
    if not cell:
        return ""
    return " ".join(rebuild_paragraphs([Line(t) for t in cell.splitlines()]))


def find_tables(
    plumber_pdf: Any, index: int
) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """Tables on page `index` as (bbox x0, top, x1, bottom; rows). One-column or one-row
    "tables" are frames around text, not tables: their text stays in the running text."""
    page = plumber_pdf.pages[index]
    try:
        found = page.dedupe_chars().find_tables()
        out = []
        for table in found:
            rows = [[_cell_text(c) for c in row] for row in table.extract()]
            rows = [r for r in rows if any(r)]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                out.append((table.bbox, rows))
        return out
    finally:
        page.close()
