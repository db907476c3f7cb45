"""Characters and visual lines of one PDF page, read with pypdfium2 (no layout analysis).

pdfium is ~25x faster than pdfminer at giving characters and their boxes; pdfplumber is kept
for what needs ruling lines (tables, see `pdf_tables`). Coordinates here are top-based
(`top` grows downwards), like pdfplumber's, so table boxes from pdfplumber apply directly.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from operator import itemgetter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A space pdfium inserted for a gap (no glyph in the file): FPDFText_IsGenerated.
GENERATED_SPACE = "\x00"
_SPACES = " \t\u00a0\u3000" + GENERATED_SPACE
# 公文 and regulations set `第一条　为了…` / `第一章　总则` with a space after the article
# marker; spaces next to CJK are otherwise layout (`fix_spacing` drops them), so this one is
# carried as an EM SPACE and turned back into a space once the text is built.
KEPT_SPACE = "\u2003"
_ARTICLE_SPACE = re.compile(r"^(第[〇一二三四五六七八九十百零\d]{1,5}[章条节]) (?=\S)")
_BAD_CODES = {0, 0xFFFD, 0xFFFE, 0xFFFF}
_X0 = itemgetter(1)


@dataclass(slots=True)
class PdfLine:
    """One visual line: its text (spaces as found) and its box in top-based page points."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)
    chars: int = 0  # non-space characters with a Unicode value
    unmapped: int = 0  # glyphs without a Unicode value (fonts lacking a ToUnicode map)
    images: int = 0
    paths: int = 0


def _is_unmapped(code: int) -> bool:
    return code in _BAD_CODES or (code < 32 and code not in (9, 10, 13)) or 0xE000 <= code <= 0xF8FF


def count_objects(page: pdfium.PdfPage) -> tuple[int, int]:
    """(images, paths) among the page's top-level objects: scans and ruling lines."""
    images = paths = 0
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        kind = pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i))
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
    return images, paths


def read_chars(page: pdfium.PdfPage, height: float) -> tuple[list[tuple], int]:
    """Characters as (char, x0, x1, top, bottom) plus the number of unmapped glyphs.

    Uses pdfium's loose boxes (font ascent to descent), which are equal for all characters of
    a line in one font, so lines cluster cleanly. pdfium already drops fake-bold duplicates
    drawn at the same place; `build_lines` catches offset ones.
    """
    textpage = page.get_textpage()
    try:
        return _chars_of(textpage.raw, height)
    finally:
        textpage.close()


def _chars_of(raw: object, height: float) -> tuple[list[tuple], int]:
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    # A glyph of a font without a Unicode map comes back as its CID or code (`3`, `D`, ...):
    # looks like text, is not (pdfplumber shows these as `(cid:51)`).
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    is_generated = pdfium_c.FPDFText_IsGenerated
    chars: list[tuple] = []
    append = chars.append
    unmapped = 0
    pending_high = 0
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = get_unicode(raw, i)
        if map_error(raw, i):
            unmapped += 1
            continue
        if 32 < code < 0xD800 or 0xF900 <= code < 0xFFFD:  # the usual case: a mapped glyph
            get_box(raw, i, ref)
            append((chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom))
            continue
        if code in (10, 13):
            continue
        if 0xD800 <= code < 0xDC00:  # UTF-16 surrogate pair: characters outside the BMP
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
        if _is_unmapped(code) or 0xD800 <= code < 0xE000:  # unmapped, or a lone surrogate
            unmapped += 1
            continue
        get_box(raw, i, ref)
        if code == 32 and chars:
            # pdfium's spaces have no height: give them the line of the glyph before. Spaces
            # pdfium made up from a wide gap are marked: between digits they are justification.
            prev = chars[-1]
            space = GENERATED_SPACE if is_generated(raw, i) else " "
            append((space, rect.left, rect.right, prev[3], prev[4]))
            continue
        append((chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom))
    return chars, unmapped


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def build_lines(chars: list[tuple]) -> list[PdfLine]:
    """Group characters into visual lines (top to bottom), left to right within a line."""
    ordered = sorted(chars, key=_line_order)
    groups: list[list[tuple]] = []
    centre = 0.0
    for c in ordered:
        mid, height = (c[3] + c[4]) / 2, c[4] - c[3]
        if groups and abs(mid - centre) <= 0.4 * (height if height > 1.0 else 1.0):
            groups[-1].append(c)
        else:
            groups.append([c])
            centre = mid
    return [line for line in (_make_line(g) for g in groups) if line is not None]


def _line_order(c: tuple) -> tuple[float, float]:
    return ((c[3] + c[4]) / 2, c[1])


def _make_line(group: list[tuple]) -> PdfLine | None:
    group.sort(key=_X0)
    size = max([c[4] - c[3] for c in group]) or 1.0
    parts: list[str] = []
    inked: list[tuple] = []
    prev = None
    space = False
    for c in group:
        ch = c[0]
        if ch in _SPACES:
            space = space or ch != GENERATED_SPACE or not prev or not prev[0].isdigit()
            continue
        inked.append(c)
        if prev is not None:
            # Fake bold: the same glyph drawn again a fraction of its width to the right.
            # (Narrow glyphs like `tt` or `//` sit less than a glyph apart but are real.)
            if ch == prev[0] and abs(c[1] - prev[1]) <= min(1.5, 0.25 * (prev[2] - prev[1])):
                continue
            gap = c[1] - prev[2]
            # Justified lines spread digits apart (`0517-8360521 0`): a number is never cut
            # by a gap alone, only by a space the file writes.
            # A space glyph drawn over its neighbours (Word/PScript put one inside `2012`)
            # separates nothing.
            if space and gap < 0.1 * size:
                space = False
            if space or (
                gap > 0.5 * size
                and _is_word_char(ch)
                and _is_word_char(prev[0])
                and not (ch.isdigit() and prev[0].isdigit())
            ):
                parts.append(" ")
        parts.append(ch)
        prev, space = c, False
    if not parts:
        return None
    text = _ARTICLE_SPACE.sub("\\1" + KEPT_SPACE, "".join(parts), count=1)
    return PdfLine(
        text=text,
        x0=inked[0][1],  # the group is sorted by x0
        x1=max([c[2] for c in inked]),
        top=min([c[3] for c in inked]),
        bottom=max([c[4] for c in inked]),
        size=size,
    )
