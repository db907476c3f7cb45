"""Ruled tables on scanned pages: found from the rules in the picture, filled with OCR words.

A scan has no path objects, so the ruling lines are read from the pixels: a horizontal rule
is a long run of dark pixels along a row, a vertical one a run down a column that reaches
from one horizontal rule to the next (text strokes are far shorter). Rules that share their
extent make a grid; a cell boundary with no rule drawn along it is a merged cell (kept in its
first position, like the PDF tables). Words whose centre falls in the grid fill its cells and
are kept out of the running text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from parsers.tables import clean_cell, header_rows

DARK = 140  # grayscale value below which a pixel is ink
H_RUN = 0.04  # a horizontal rule runs at least this share of the page width
MIN_RULES = 3  # horizontal rules a grid needs
DRAWN = 0.8  # share of a cell side that must be ink for a rule to be drawn there


@dataclass
class ScanTable:
    bbox: tuple[int, int, int, int]  # x0, top, x1, bottom in pixels
    rows: list[list[str]]
    header_rows: int


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Per row of `mask`: where a run of at least `length` True values starts."""
    summed = np.cumsum(mask, axis=1, dtype=np.int32)
    window = summed[:, length - 1 :].copy()
    window[:, 1:] -= summed[:, :-length]
    return window >= length


def _group(indices: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive indices as (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for i in indices.tolist():
        if out and i <= out[-1][1] + 2:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _drawn_v(ink: np.ndarray, x: int, top: int, bottom: int) -> bool:
    if bottom - top < 4:
        return True
    strip = ink[top + 2 : bottom - 2, max(0, x - 3) : x + 4].any(axis=1)
    return bool(strip.mean() >= DRAWN)


def _drawn_h(ink: np.ndarray, y: int, left: int, right: int) -> bool:
    if right - left < 4:
        return True
    strip = ink[max(0, y - 3) : y + 4, left + 2 : right - 2].any(axis=0)
    return bool(strip.mean() >= DRAWN)


def find_grids(image: object) -> list[tuple[list[int], list[int], np.ndarray]]:
    """(row edges ys, column edges xs, ink mask) of each ruled grid on the page image."""
    ink = np.asarray(image.convert("L")) < DARK  # type: ignore[attr-defined]
    height, width = ink.shape
    length = max(20, int(width * H_RUN))
    starts = _runs(ink, length)
    rows = np.flatnonzero(starts.any(axis=1))
    lines = []
    for first, last in _group(rows):
        cols = np.flatnonzero(starts[first : last + 1].any(axis=0))
        lines.append(((first + last) // 2, int(cols.min()), int(cols.max()) + length))
    grids = []
    group: list[tuple[int, int, int]] = []
    for line in [*lines, None]:
        # One grid: rules close below each other whose extents overlap (a merged cell's
        # rule spans only part of the width).
        if line and group and line[0] - group[-1][0] < 0.12 * height:
            left, right = min(g[1] for g in group), max(g[2] for g in group)
            overlap = min(right, line[2]) - max(left, line[1])
            if overlap > 0.5 * (line[2] - line[1]):
                group.append(line)
                continue
        if len(group) >= MIN_RULES:
            grids.append(_grid(ink, group))
        group = [line] if line else []
    return [g for g in grids if g is not None]


def _grid(ink: np.ndarray, lines: list[tuple[int, int, int]]):
    ys = [y for y, _, _ in lines]
    left, right = min(x for _, x, _ in lines), max(x for _, _, x in lines)
    # Vertical rules: columns inked over most of the first row of cells ... or any row.
    xs = []
    for x in range(left, right + 1):
        if any(_drawn_v(ink, x, a, b) for a, b in zip(ys, ys[1:], strict=False)):
            if not xs or x > xs[-1][1] + 3:
                xs.append((x, x))
            else:
                xs[-1] = (xs[-1][0], x)
    edges = [(a + b) // 2 for a, b in xs]
    if len(edges) < 2:
        return None
    return ys, edges, ink


def _reading_order(words: list[tuple[float, int, str, int]]) -> list[str]:
    """Words of a cell line by line (centres within half a word height), left to right."""
    lines: list[list[tuple[float, int, str, int]]] = []
    for word in sorted(words):
        if lines and word[0] - lines[-1][0][0] < 0.5 * max(word[3], 1):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w[2] for line in lines for w in sorted(line, key=lambda w: w[1])]


def fill(
    grid: tuple[list[int], list[int], np.ndarray], words: list[tuple[str, int, int, int, int]]
) -> tuple[ScanTable, set[int]]:
    """The table of `grid` from OCR words (text, left, top, width, height): its rows and the
    indices of the words it took."""
    ys, xs, ink = grid
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = {}
    for r in range(n_rows):
        for c in range(n_cols):
            if c and not _drawn_v(ink, xs[c], ys[r], ys[r + 1]):
                owner[(r, c)] = owner[(r, c - 1)]
            elif r and not _drawn_h(ink, ys[r], xs[c], xs[c + 1]):
                owner[(r, c)] = owner[(r - 1, c)]
            else:
                owner[(r, c)] = (r, c)
    cells: dict[tuple[int, int], list[tuple[float, int, str, int]]] = {}
    taken = set()
    for k, (text, left, top, w, h) in enumerate(words):
        cx, cy = left + w / 2, top + h / 2
        text = text.strip("|｜")  # a cell's rule read as a glyph
        if not (xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]):
            continue
        r, c = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
        if text:
            cells.setdefault(owner[(r, c)], []).append((cy, left, text, h))
        taken.add(k)
    rows = []
    for r in range(n_rows):
        row = []
        for c in range(n_cols):
            parts = cells.get((r, c), []) if owner[(r, c)] == (r, c) else []
            row.append(clean_cell(" ".join(_reading_order(parts))))
        rows.append(row)
    rows = [row for row in rows if any(row)]
    table = ScanTable((xs[0], ys[0], xs[-1], ys[-1]), rows, header_rows(rows) if rows else 0)
    return table, taken
