"""HTML `<table>`s: data tables as printed grids, layout tables told apart and read as text.

Portal pages put whole article bodies inside tables: a one-cell `<table>` around the body
(old CMS templates), Word pasted as a table of paragraphs, a table whose cells hold other
tables. Those are layout: their text is running text, in reading order, and only the data
tables inside them are tables. A data table has short cells (labels, numbers) in at least
two columns; its grid follows `colspan`/`rowspan` the way the PDF tables do (a merged cell in
its first position, "" where it spans).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html

from parsers.document import Table
from parsers.tables import header_rows, is_number

# A cell this long, or holding two sentences, is a paragraph, not a table cell.
PARAGRAPH_CHARS = 120
_SENTENCE_END = re.compile(r"[。！？；]")


def _row_elements(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return table.xpath("./tr|./tbody/tr|./thead/tr|./tfoot/tr")


def _cells(row: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _span(cell: lxml.html.HtmlElement, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name) or 1), 100))
    except ValueError:
        return 1


def grid(table: lxml.html.HtmlElement, text_of: Callable[[lxml.html.HtmlElement], str]) -> list:
    """Rows of cell texts with colspan/rowspan laid out; empty rows dropped."""
    rows: list[list[str]] = []
    pending: dict[tuple[int, int], bool] = {}  # positions covered by a rowspan from above
    for i, row in enumerate(_row_elements(table)):
        out: list[str] = []
        j = 0
        for cell in _cells(row):
            while pending.pop((i, j), False):
                out.append("")
                j += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            out += [text_of(cell)] + [""] * (colspan - 1)
            for down in range(1, rowspan):
                for across in range(colspan):
                    pending[(i + down, j + across)] = True
            j += colspan
        while pending.pop((i, j), False):
            out.append("")
            j += 1
        rows.append(out)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows if any(r)]


def text_rows(rows: list[list[str]]) -> bool:
    """Rows that are running text: one filled cell per row (a frame around text), or cells
    that are mostly paragraphs and no numbers (Word pasted as a table of paragraphs)."""
    if all(len([c for c in r if c]) <= 1 for r in rows):
        return True
    filled = [c for r in rows for c in r if c]
    paragraphs = [
        c for c in filled if len(c) > PARAGRAPH_CHARS or len(_SENTENCE_END.findall(c)) >= 2
    ]
    return not any(is_number(c) for c in filled) and len(paragraphs) * 3 >= len(filled)


def is_layout(table: lxml.html.HtmlElement, rows: list[list[str]]) -> bool:
    """True for a table that lays out running text rather than holding data."""
    if text_rows(rows):
        return True
    cells = [cell for row in _row_elements(table) for cell in _cells(row)]
    if any(cell.xpath(".//table") for cell in cells):
        return True  # a table of tables: the outer one is the page's layout
    many_blocks = [c for c in cells if len(c.xpath("./p|./div")) >= 3]
    return bool(many_blocks) and len(many_blocks) * 2 >= len(cells)


def data_table(rows: list[list[str]], table: lxml.html.HtmlElement) -> Table:
    heads = 0
    for row in _row_elements(table):
        if row.getparent().tag == "thead" or all(c.tag == "th" for c in _cells(row)):
            heads += 1
        else:
            break
    return Table(rows=rows, header_rows=heads or header_rows(rows))
