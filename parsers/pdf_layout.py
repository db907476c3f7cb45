"""From positioned lines to paragraph-flagged lines: page furniture out, geometry in."""

from __future__ import annotations

from collections import Counter
from statistics import median

from parsers.pdf_chars import PageContent, PdfLine
from parsers.textnorm import Line, furniture_key, is_page_number, joiner, repeated_keys

# Headers and footers sit in the outer 12% of the page (Word: 1.5-1.75 cm of 29.7 cm); only
# the first and last two lines of a page are candidates, the body never reaches past them.
BAND = 0.12
EDGE_LINES = 2


def _edge_lines(page: PageContent) -> list[PdfLine]:
    lines = page.lines
    ends = lines[:EDGE_LINES] + lines[-EDGE_LINES:] if len(lines) > 2 * EDGE_LINES else lines
    top, bottom = page.height * BAND, page.height * (1 - BAND)
    return [ln for ln in ends if ln.top < top or ln.bottom > bottom]


def _key(line: PdfLine) -> str:
    return f"{furniture_key(line.text)}@{round(line.size)}"


def drop_furniture(pages: list[PageContent]) -> int:
    """Remove page numbers and running headers/footers in place; returns how many lines went.

    A margin-band line goes when it is a page number in any form, or when its text (digits
    masked) recurs in the bands of at least half the pages.
    """
    edges = [_edge_lines(p) for p in pages]
    texted = [e for e, p in zip(edges, pages, strict=True) if p.lines]
    # The font size is part of the key: a 16 pt title on page 1 is not the 9 pt running
    # header that repeats its words.
    repeated = repeated_keys([[_key(ln) for ln in e] for e in texted]) if len(texted) > 1 else set()
    dropped = 0
    for page, edge in zip(pages, edges, strict=True):
        gone = {id(ln) for ln in edge if is_page_number(ln.text) or _key(ln) in repeated}
        if gone:
            page.lines = [ln for ln in page.lines if id(ln) not in gone]
            dropped += len(gone)
    return dropped


def _mode(values: list[float]) -> float:
    return Counter(round(v) for v in values).most_common(1)[0][0]


def flag_lines(pages: list[PageContent]) -> list[Line]:
    """Paragraph flags from geometry: a line indented from the left margin, centred, or after
    extra vertical space starts a paragraph; a line ending well before the right margin ends
    one. A page break by itself neither starts nor ends a paragraph."""
    body = [ln for p in pages for ln in p.lines]
    if not body:
        return []
    size = median(ln.size for ln in body)
    left = _mode([ln.x0 for ln in body])
    rights = sorted(ln.x1 for ln in body)
    right = rights[int(len(rights) * 0.9)]
    pitches = [
        b.top - a.top
        for p in pages
        for a, b in zip(p.lines, p.lines[1:], strict=False)
        if b.top > a.top
    ]
    pitch = median(pitches) if pitches else size * 1.5
    out: list[Line] = []
    for page in pages:
        prev: PdfLine | None = None
        for ln in page.lines:
            em = ln.size * 0.9  # loose boxes are ~1.1 em high
            indented = ln.x0 > left + 0.8 * em
            spaced = prev is not None and ln.top - prev.top > 1.6 * pitch
            short = ln.x1 < right - 1.2 * em
            out.append(Line(ln.text, starts_paragraph=indented or spaced, ends_paragraph=short))
            prev = ln
    _join_title(pages, out, left, right, size)
    return out


def _join_title(
    pages: list[PageContent], out: list[Line], left: float, right: float, size: float
) -> None:
    """A centred title set over two lines at the top of page 1 becomes one line."""
    first = pages[0].lines if pages else []
    if len(first) < 2 or len(out) < 2:
        return
    a, b = first[0], first[1]
    centre = (left + right) / 2

    def centred(ln: PdfLine) -> bool:
        return ln.x0 > left + size and abs((ln.x0 + ln.x1) / 2 - centre) < 1.5 * ln.size

    if centred(a) and centred(b) and abs(a.size - b.size) < 0.5 and not a.text.endswith("。"):
        head, tail = out[0].text.strip(), out[1].text.strip()
        out[0:2] = [Line(head + joiner(head, tail) + tail, True, True)]
