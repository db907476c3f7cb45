"""List pages recognised by their content, whatever the markup: pure functions over (url, html).

A list is a page of repeated dated items: `<li><a>…</a><span>2024-10-30</span></li>`, table
rows, `<div class="item">`, `<dl>`, dates split over spans (`<span>30</span><span>2024-10</span>`)
or written `2024年10月30日`. Each item keeps its full title (the `title=` attribute when the text
is cut short). A report column is a list with report titles among its dated items.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from lxml import etree

from crawler.anchors import (
    Link,
    clean,
    has_link,
    join_url,
    next_element,
    page_links,
    previous_element,
    text,
    text_below,
    text_outside_links,
)
from parsers.metadata import is_annual_disclosure_report

_FULL_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
# A day printed apart from its year and month (`30 2024-10`, `2024-10 30`), as calendar-style
# list markup does.
_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s+(20\d\d)\s*[-./年]\s*(\d{1,2})(?!\d)")
_DAY_LAST = re.compile(r"(?<!\d)(20\d\d)\s*[-./年]\s*(\d{1,2})月?\s+(\d{1,2})(?![\d-])")
_MONTH = re.compile(r"(?<!\d)(20\d\d)\s*[-./年]\s*(\d{1,2})(?!\d)")
_MONTH_DAY = re.compile(
    r"(?<![\d./第共-])(\d{1,2})\s*(?:[-/]|月)\s*(\d{1,2})(?:日|(?![\d./-]))(?!\s*[页条项篇])"
)
# Links that say what they do, not what they lead to; their item's text is the title.
_GENERIC_LABEL = re.compile(
    r"^[\[【(（]?\s*(点击)?(下载|查看|浏览|阅读|打开|详情|详细|全文|原文|附件|pdf|PDF|"
    r"查看详情|阅读全文|阅读原文|查看全文|详细内容|点击进入|进入)(文件|附件|全文|详情|>>)?"
    r"\s*[\]】)）]?\W*$"
)
_ANY_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?")
# A card's own title: its heading (the summary under it is not part of the title).
_ITEM_HEADINGS = etree.XPath(
    ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//*[contains(@class,'tit') or contains(@class,'name')]"
)
_SERIAL = re.compile(r"^\d{1,4}\s*[.、)）]?\s+|^\d{1,4}[.、)）]\s*")  # a row's 序号
_ITEM_LINKS = 4  # links one list item may hold (下载, 查看, a PDF and its .docx)
_CLIMB = 4  # ancestors searched for an item's date: a, span/td, li/tr/div, ul/table
_MIN_TITLE = 4
_MIN_LIST = 3


@dataclass(frozen=True)
class ListItem:
    url: str
    title: str
    date: str | None  # ISO date when the page gives day, month and year
    dated: bool  # a date (maybe only year and month) stands next to the link


@dataclass(frozen=True)
class Listing:
    items: tuple[ListItem, ...]  # every titled link, dated ones first as they appear
    reports: tuple[ListItem, ...]  # those whose title is an annual disclosure report

    @property
    def dated(self) -> tuple[ListItem, ...]:
        return tuple(item for item in self.items if item.dated)

    @property
    def is_list(self) -> bool:
        """Repeated dated items: a list page (a column, 通知公告, a home-page box)."""
        return len(self.dated) >= _MIN_LIST

    @property
    def is_report_column(self) -> bool:
        """Several report titles among the dated items (or a short list of reports only)."""
        dated_reports = [r for r in self.reports if r.dated]
        return len(dated_reports) >= 2 or (
            len(dated_reports) == 1 and len(self.dated) <= 2 and len(self.dated) >= 1
        )


def find_date(text: str) -> tuple[str | None, bool]:
    """(ISO date or None, whether any date is written) in a snippet of list-item text."""
    for pattern, order in (
        (_FULL_DATE, (0, 1, 2)),
        (_DAY_FIRST, (1, 2, 0)),
        (_DAY_LAST, (0, 1, 2)),
    ):
        for match in pattern.finditer(text):
            groups = match.groups()
            year, month, day = (int(groups[i]) for i in order)
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}", True
    month = _MONTH.search(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return None, True
    # A month and day without the year (`[10-30]`, `10月30日`), as compact lists print them:
    # a date is written, which day of which year the article page says.
    day = _MONTH_DAY.search(text)
    return None, bool(day and 1 <= int(day.group(1)) <= 12 and 1 <= int(day.group(2)) <= 31)


def _title(link: Link) -> str:
    words, attr = link.words, link.title
    # The title attribute carries the full title where the text is cut (…, ...) or shorter.
    if attr and (len(attr) >= len(words) or words.endswith(("…", "...", ".."))):
        return attr
    if (not words or _GENERIC_LABEL.match(words)) and not attr:
        return _item_title(link.element) or words
    return words or attr


def _item_title(anchor: etree._Element) -> str:
    """The title of the item a `下载` / `查看详情` / `阅读全文` link stands in: the item's own
    text outside links (a table row's title cell, a card's heading), its dates taken out."""
    node = anchor
    for _ in range(_CLIMB):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        # An item holds a link or two; a parent with more is the list (reading all its links
        # for each 下载 of a 100,000-row table would be quadratic).
        links = list(islice(parent.iter("a"), _ITEM_LINKS + 1))
        if len(links) > _ITEM_LINKS or any(
            a is not anchor and not _GENERIC_LABEL.match(clean(text(a))) for a in links
        ):  # the item's title is another link's, or this is a list, not an item
            break
        node = parent
        headings = [h for h in _ITEM_HEADINGS(node) if not has_link(h)]
        source = text(headings[0]) if headings else text_outside_links(node)
        words = clean(_ANY_DATE.sub(" ", source))
        words = _SERIAL.sub("", words).strip(" ：:|-—")
        if len(words) >= _MIN_TITLE:
            return words[:200]
    return ""


def _date_near(anchor: etree._Element, titled: Counter, titles: dict) -> tuple[str | None, bool]:
    """The date of the item the anchor is in: inside the link (`<a>… <span>2024-10-30</span>`),
    else the nearest ancestor that holds this one titled link only, else — in markup that
    puts items side by side (`<dt>`/`<dd>`) — the link-free sibling next to it."""
    date, dated = find_date(text_below(anchor))
    if date:
        return date, dated
    node = anchor
    for _ in range(_CLIMB):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if titled[parent] > 1 and not _one_item(parent, titled, titles):
            for sibling in (next_element(node), previous_element(node)):
                if sibling is not None and not has_link(sibling):
                    found = find_date(text(sibling))
                    if found[1]:
                        return found
            break
        node = parent
        found = find_date(text_outside_links(node))
        if found[1]:
            return found
    return None, False


def _one_item(parent: etree._Element, titled: Counter, titles: dict) -> bool:
    """A few links that all carry one title are one item (a row's 下载 and 查看 links)."""
    if titled[parent] > _ITEM_LINKS:
        return False
    return len({titles[a] for a in parent.iter("a") if a in titles}) == 1


def read_listing(url: str, html: str) -> Listing:
    """Every titled link of a page with the date next to it, and which of them are reports."""
    found = []
    # How many titled links each element holds, counted once (a 10 MB list page has
    # thousands of links: asking each ancestor again per link would be quadratic).
    titled: Counter = Counter()
    titles: dict = {}
    for link in page_links(html):
        title = _title(link)
        if not link.is_anchor or len(title) < _MIN_TITLE:
            continue
        found.append((link.element, link.href, title))
        titles[link.element] = title
        for ancestor in link.element.iterancestors():
            titled[ancestor] += 1
    items: dict[str, ListItem] = {}
    for anchor, href, title in found:
        target = join_url(url, href)
        date, dated = _date_near(anchor, titled, titles)
        previous = items.get(target)
        if previous is None or (dated and not previous.dated):
            items[target] = ListItem(target, title, date, dated)
    ordered = tuple(items.values())
    reports = tuple(i for i in ordered if is_annual_disclosure_report(i.title))
    return Listing(ordered, reports)


_ENGLISH_PERIOD = re.compile(r"(20\d\d)\s*[-–—/~]\s*(20\d\d)\s*(academic|school)?", re.IGNORECASE)
_ENGLISH_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def english_year(title: str) -> int | None:
    """The year an English title's report covers: `(2022-2023 Academic Year)` → 2023,
    `… 2024` → 2024 (the Chinese title rules do not read English)."""
    period = _ENGLISH_PERIOD.search(title)
    if period:
        return int(period.group(2))
    years = _ENGLISH_YEAR.findall(title)
    return int(years[-1]) if len(set(years)) == 1 else None
