"""Text-level normalisation of extracted report text: spacing, page furniture, paragraphs.

Pure functions on strings. `parsers.pdf` feeds `rebuild_paragraphs` with lines whose paragraph
flags come from geometry.

Content characters are never rewritten: full-width and half-width punctuation stay as written.
NFKC folding is used only to *match* patterns (page numbers, headings), never for output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.folding import fold, half_width

# Characters that are typeset on the CJK grid: ideographs, CJK punctuation, full-width forms.
# A space next to one of them is a glyph-spacing artifact, never content.
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")
_CID = re.compile(r"\(cid:\d+\)")

# Page numbers, matched on NFKC-folded text with spaces removed.
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–‐~·•.]*\d{1,4}[-—–‐~·•.]*          # 7  -7-  —7—  ·7·
      | \d{1,4}/\d{1,4}                        # 7/12
      | 第\d{1,4}页(?:[,，/]?共\d{1,4}页)?     # 第7页  第7页共12页
      | 共\d{1,4}页[,，/]?第\d{1,4}页          # 共12页第7页
      | (?:page)?\d{1,4}(?:of\d{1,4})?         # Page 7 of 12
    )$""",
    re.VERBOSE | re.IGNORECASE,
)

_NUM = "一二三四五六七八九十百零〇"
_HEADING = re.compile(
    rf"""^(?:
        [{_NUM}]+[、.]                     # 一、  (section)
      | [(][{_NUM}]+[)]                    # （一） (一)  (subsection)
      | \d{{1,2}}[.、](?![\d])             # 1.  1．  1、  (item), not 1.5万
      | [(]\d{{1,2}}[)]                    # （1） (1)
      | 第[{_NUM}\d]+[章节部分条]          # 第一部分
      | 附件[\d{_NUM}]*[:：]?              # 附件：清单事项公开情况表
    )""",
    re.VERBOSE,
)
_LIST_ITEM = re.compile(r"^(?:[①-⑳⑴-⒇➀-➓]|[•●▪■◆◇○□√]\s*)")
# A token that may continue on the next line without a space: URL or path fragments.
_URL_TAIL = re.compile(r"[A-Za-z0-9:/._\-?=&%#~+]+$")
_URL_HEAD = re.compile(r"^[A-Za-z0-9:/._\-?=&%#~+]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def fix_spacing(text: str) -> str:
    """Drop spaces next to CJK characters (glyph-spacing artifacts), keep spaces in Latin text.

    `2023 年` -> `2023年`, `小 e 机器人` -> `小e机器人`, `Open Data  Week` -> `Open Data Week`.
    """
    text = _SPACE_NEAR_CJK.sub("", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def is_page_number(line: str) -> bool:
    """True for a line that is only a page number in any of the usual forms."""
    folded = fold(line)
    return bool(folded) and bool(_PAGE_NUMBER.match(folded))


def is_heading(line: str) -> bool:
    """True for a line that starts with a heading or item marker (一、 （一） 1. （1） ...)."""
    return bool(_HEADING.match(half_width(line.strip())))


def is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line.strip()))


def furniture_key(line: str) -> str:
    """Key under which running headers/footers repeat: folded, digits masked."""
    return re.sub(r"\d+", "#", fold(line))


@dataclass
class Line:
    """One visual line with what the layout says about paragraph boundaries."""

    text: str
    starts_paragraph: bool = False  # indented, centred, or after extra vertical space
    ends_paragraph: bool = False  # ends well before the right margin


def joiner(left: str, right: str) -> str:
    """What goes between two hard-wrapped pieces of one paragraph: nothing or one space."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if not (_ASCII_WORD.match(b) and (_ASCII_WORD.match(a) or a in ",.;:!?)%")):
        return ""  # CJK on either side joins tight
    tail = _URL_TAIL.search(left)
    head = _URL_HEAD.match(right)
    piece = (tail.group(0) if tail else "") + (head.group(0) if head else "")
    if "://" in piece or piece.lower().startswith("www.") or (tail and "/" in tail.group(0)):
        return ""  # a URL broken across lines: `（h` + `ttp://zsb.cust.edu.cn）`
    if a.isdigit() and b.isdigit():
        return ""  # a number broken across lines
    if a in "-/":
        return ""
    return " "


def rebuild_paragraphs(lines: Sequence[Line]) -> list[str]:
    """Join hard-wrapped lines into paragraphs; headings and list items start their own."""
    paragraphs: list[str] = []
    current = ""
    ended = True
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        new = ended or line.starts_paragraph or is_heading(text) or is_list_item(text)
        if new:
            if current:
                paragraphs.append(current)
            current = text
        else:
            current += joiner(current, text) + text
        ended = line.ends_paragraph
    if current:
        paragraphs.append(current)
    return [p for p in (fix_spacing(p) for p in paragraphs) if p]


def repeated_keys(pages: Sequence[Sequence[str]], *, min_share: float = 0.5) -> set[str]:
    """Keys (see `furniture_key`) that recur on at least `min_share` of the pages, and on
    at least two."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({t for t in page if len(fold(t)) >= 2})
    need = max(2, int(len(pages) * min_share + 0.999))
    return {key for key, n in counts.items() if n >= need}
