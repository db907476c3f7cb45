"""The portal explorer: which links of a page may lead to the report column, best first.

Pure functions over (url, html), and a small per-portal state that decides what to fetch next
(breadth first, bounded depth and budget). A link is scored by what it says and where it sits:
its text, `title`, the `alt` of an image button, and the heading of the box it is in — a
`更多` / `more` / `>>` link says nothing itself and inherits its box's heading. Frames,
`<meta refresh>` and simple `window.location` redirects lead on without costing depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.anchors import clean as _clean
from crawler.anchors import (
    join_url,
    page_links,
    page_root,
    text,
    text_outside_links,
)

# The column itself (no year: `2023年度信息公开年度报告` is an article, not the column).
COLUMN_TEXT = re.compile(
    r"^(学校|高校|本校)?(信息公开)?(工作)?(年度报告|年报)(专栏|栏目)?$"
    r"|信息公开(工作)?年度报告|信息公开年报|年度信息公开报告|信息公开工作报告"
    r"|^annual\s*reports?$|^information\s+disclosure\s+annual\s+reports?$",
    re.IGNORECASE,
)
# Pages that may hold the column, or the reports themselves, by how likely they are to.
HUBS: tuple[tuple[re.Pattern[str], int, str], ...] = (
    (re.compile(r"信息公开目录|公开目录|主动公开|基本信息|学校概况|信息公开专栏"), 60, "catalogue"),
    (re.compile(r"^(信息公开|信息公开网|校务公开|信息公开首页|公开信息|其他|其它)$"), 50, "hub"),
    (re.compile(r"^(通知公告|公告通知|最新公开|公示公告|通知|公告|最新动态)$"), 40, "notices"),
    (re.compile(r"网站地图|站点地图|site\s*map", re.IGNORECASE), 30, "sitemap"),
)
COLUMN_SCORE = 100
FRAME_SCORE = 200
MORE_TEXT = re.compile(
    r"^(更多|查看更多|more|更多信息|\+?more\+?|>>|»|…|\.\.\.)\W*$", re.IGNORECASE
)
_HEADING_XPATH = (
    ".//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//*[contains(@class,'tit') or contains(@class,'head')"
    " or contains(@class,'hd') or contains(@class,'name') or contains(@class,'bt')"
    " or contains(@class,'caption')]"
)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";\s>]+)", re.IGNORECASE)
_LOCATION = re.compile(
    r"(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]"
    r"|location\.(?:replace|assign)\(\s*['\"]([^'\"]+)['\"]\s*\)"
)
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Candidate:
    url: str
    score: int
    why: str  # column | catalogue | hub | notices | sitemap | frame | redirect
    label: str


_ANCESTORS = etree.XPath("ancestor::*[position() <= 5]")
_HEADINGS = etree.XPath(_HEADING_XPATH)


def box_heading(anchor: etree._Element) -> str:
    """The heading of the box an anchor sits in: the nearest ancestor's heading element."""
    for ancestor in _ANCESTORS(anchor)[::-1]:
        if ancestor.tag in ("body", "html"):
            break
        for heading in _HEADINGS(ancestor):
            if heading is anchor or anchor in heading.iterancestors():
                continue
            label = _clean(text_outside_links(heading)) or _clean(text(heading))
            if label and not MORE_TEXT.match(label):
                return re.sub(r"\s*(更多|more)\W*$", "", label, flags=re.IGNORECASE)
    return ""


def score_label(label: str) -> tuple[int, str]:
    label = _clean(label)
    # A year makes a link an item (`2023年度信息公开年度报告`, `信息公开目录（2025年修订）`),
    # not the way to a column.
    if not label or len(label) > 40 or _YEAR.search(label):
        return 0, ""
    if COLUMN_TEXT.search(label):
        return COLUMN_SCORE, "column"
    for pattern, score, why in HUBS:
        if pattern.search(label):
            return score, why
    return 0, ""


_FRAME_SOURCES = etree.XPath("//frame/@src", smart_strings=False)
_IFRAME_SOURCES = etree.XPath("//iframe/@src", smart_strings=False)
_BODY_TEXT = etree.XPath("//body//text()", smart_strings=False)
_REFRESH_CONTENT = etree.XPath("//meta[@http-equiv]/@content", smart_strings=False)
_SCRIPTS = etree.XPath("//script/text()", smart_strings=False)


def redirects(url: str, html: str) -> list[str]:
    """Where a frameset, a `<meta refresh>` or a simple `window.location = ...` leads."""
    root = page_root(html)
    found = [urljoin(url, s.strip()) for s in _FRAME_SOURCES(root) if s.strip()]
    body_text = _clean(" ".join(_BODY_TEXT(root)))
    # An iframe is the page only when the page has nothing else to say (a wrapper page).
    if len(body_text) < 40:
        found += [urljoin(url, s.strip()) for s in _IFRAME_SOURCES(root)]
    for content in _REFRESH_CONTENT(root):
        match = _REFRESH.search(content)
        if match:
            found.append(urljoin(url, match.group(1)))
    if len(body_text) < 200:
        for script in _SCRIPTS(root):
            for match in _LOCATION.finditer(script):
                found.append(urljoin(url, match.group(1) or match.group(2)))
    seen: set[str] = set()
    return [u for u in found if u != url and not (u in seen or seen.add(u))]


def candidates(url: str, html: str) -> list[Candidate]:
    """Links of a page that may lead to the report column, best first (stable by position)."""
    best: dict[str, Candidate] = {}
    for target in redirects(url, html):
        best[target] = Candidate(target, FRAME_SCORE, "frame", "")
    for link in page_links(html):
        anchor, href = link.element, link.href
        target = join_url(url, href).split("#")[0]
        if target == url or urlsplit(target).scheme not in ("http", "https"):
            continue
        label = link.label
        if MORE_TEXT.match(label) or not label:
            label = box_heading(anchor) or label
        score, why = score_label(label)
        if score and (target not in best or best[target].score < score):
            best[target] = Candidate(target, score, why, label)
    order = {u: i for i, u in enumerate(best)}
    return sorted(best.values(), key=lambda c: (-c.score, order[c.url]))


@dataclass
class Exploration:
    """One portal's exploration: breadth first, at most `budget` pages that are not lists
    of reports, hubs only to `max_depth`; column links are always followed (they are the
    point), hubs only from pages that offered no column link."""

    budget: int = 8
    max_depth: int = 2
    spent: int = 0
    seen: set[str] = field(default_factory=set)

    def start(self, url: str) -> None:
        self.seen.add(url)

    def next_fetches(
        self, depth: int, offered: list[Candidate], same_site
    ) -> list[tuple[Candidate, int]]:
        """What to fetch from a page at `depth`: (candidate, depth of the fetched page)."""
        chosen: list[tuple[Candidate, int]] = []
        columns = [c for c in offered if c.why == "column"]
        for candidate in offered:
            if candidate.url in self.seen or not same_site(candidate.url):
                continue
            if candidate.why in ("frame", "redirect"):
                chosen.append((candidate, depth))  # the same page by another address
            elif candidate.why == "column":
                chosen.append((candidate, depth + 1))
            elif not columns and depth < self.max_depth and self.spent < self.budget:
                self.spent += 1
                chosen.append((candidate, depth + 1))
            else:
                continue
            self.seen.add(candidate.url)
        return chosen
