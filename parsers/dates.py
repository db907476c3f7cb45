"""Dates: a page's publication date and the dates written in report text.

One label list and one order of evidence for the publication date, used by the crawler (list
and article pages) and by the HTML parser. A date comes only from the page itself: a
family's own date element, a meta tag, a labelled line (`发布日期：2023-10-30`), or the date a
WebPlus URL carries; htmldate is never used because it invents dates (libraries.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from parsers import families
from parsers.folding import half_width
from parsers.numerals import cn_number

# Labels of the publication date on portal pages, longest first so 发布日期 beats 日期.
PUBLISHED_LABELS = (
    "发布日期",
    "发布时间",
    "发表日期",
    "发表时间",
    "发文日期",
    "公开日期",
    "公开时间",
    "成文日期",
    "更新日期",
    "更新时间",
    "日期",
    "时间",
)
# Bare labels count only when no Chinese word runs into them: 统计日期, 截止时间 are not it.
_BARE_LABELS = ("日期", "时间")
# Meta tags carrying the publication date (names compared case-insensitively).
PUBLISHED_META = (
    "pubdate",
    "publishdate",
    "publish_date",
    "article:published_time",
    "dc.date.issued",
    "dcterms.issued",
)

_CJK = "\u4e00-\u9fff"
_NUMERIC = re.compile(r"(?<!\d)(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_CN_YEAR = "[〇○零O一二三四五六七八九]{4}"
_CN_MD = "[一二三四五六七八九十]{1,3}"
_CHINESE = re.compile(rf"({_CN_YEAR})\s*年\s*({_CN_MD})\s*月\s*({_CN_MD})\s*日")
_LABELLED = re.compile(
    "(?:"
    + "|".join(
        (rf"(?<![{_CJK}]){label}" if label in _BARE_LABELS else label) for label in PUBLISHED_LABELS
    )
    + r")\s*[:：]\s*"
)
# Families whose article URLs carry the publication date (parsers/families.py).
_URL_DATES = tuple(re.compile(pattern) for pattern in families.URL_DATES)


def iso_date(year: int, month: int, day: int) -> str | None:
    """`YYYY-MM-DD`, or None for a day that does not exist."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def date_in(text: str | None) -> str | None:
    """The first real date written in `text`: 2023-10-30, 2023/10/30, 2023年10月30日 or
    二〇二三年十月三十日."""
    if not text:
        return None
    text = half_width(text)
    for found in _NUMERIC.finditer(text):
        value = iso_date(*(int(g) for g in found.groups()))
        if value:
            return value
    for found in _CHINESE.finditer(text):
        parts = [cn_number(g) for g in found.groups()]
        if None not in parts:
            value = iso_date(*parts)  # type: ignore[arg-type]
            if value:
                return value
    return None


def labelled_date(text: str | None) -> str | None:
    """The date right after a publication label (`发布时间：2023年10月30日 09:00`)."""
    if not text:
        return None
    text = half_width(text)
    for label in _LABELLED.finditer(text):
        value = date_in(text[label.end() : label.end() + 24])
        if value:
            return value
    return None


def meta_date(meta: Iterable[tuple[str, str]]) -> str | None:
    """The date of the first publication meta tag (name or property, content) that has one."""
    for name, content in meta:
        if (name or "").strip().lower() in PUBLISHED_META:
            value = date_in(content)
            if value:
                return value
    return None


def url_date(url: str | None) -> str | None:
    """The date a family's article URL carries (WebPlus: `/2023/1030/c1234a5678/page.htm`)."""
    for pattern in _URL_DATES:
        found = pattern.search(url or "")
        if found:
            return iso_date(*(int(g) for g in found.groups()))
    return None


def published_date(
    *,
    selected: Iterable[str] = (),
    meta: Iterable[tuple[str, str]] = (),
    text: str | None = None,
    url: str | None = None,
) -> str | None:
    """A page's publication date, from the strongest evidence present; never a guess.

    In order: text a CMS family's date selector picked (`selected`), publication meta tags,
    a labelled line in the page `text`, the WebPlus URL.
    """
    for candidate in selected:
        value = date_in(candidate)
        if value:
            return value
    return meta_date(meta) or labelled_date(text) or url_date(url)
