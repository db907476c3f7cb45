"""Text folding for matching: full-width to half-width, whitespace squeezed or removed.

Folded text is compared and searched, never stored or shown: the archive keeps text as written.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def half_width(text: str | None) -> str:
    """NFKC: full-width letters, digits, punctuation as half-width (２０２３（一） -> 2023(一))."""
    return unicodedata.normalize("NFKC", text or "")


def squeeze(text: str | None) -> str:
    """Runs of whitespace (also full-width and non-breaking) as one space, ends stripped."""
    return _SPACE.sub(" ", text or "").strip()


def despace(text: str | None) -> str:
    """All whitespace removed, characters as written (PDFs space out `2023 年`)."""
    return _SPACE.sub("", text or "")


def fold(text: str | None) -> str:
    """NFKC (full-width letters, digits and punctuation to half-width) without any whitespace.

    `２０２３ 年度 报告（全文）` -> `2023年度报告(全文)`: two spellings of one title match.
    """
    return _SPACE.sub("", half_width(text))


def fold_spaced(text: str | None) -> str:
    """NFKC with whitespace squeezed rather than removed, for patterns that need word gaps."""
    return squeeze(half_width(text))
