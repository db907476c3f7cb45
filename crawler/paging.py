"""Pagination of list pages, whatever the CMS: pure functions over (url, html).

A list's further pages are found three ways, all of them taken together:
- a next link in any usual wording (下一页, 下页, 后页, 下一頁, ›, », >, Next, with decorations
  such as `下一页 ›`, `[下一页]`, `下一页>>`), or a link classed `next`;
- numbered links (`2`, `[3]`) whose address looks like a page of the same list: `?page=N`,
  `?pageIndex=N`, `PAGENUM=N`, `list_7_2.html`, `index_1.htm`, `listN.htm`, VSB count-down
  pages (`ndbg/12.htm` … `ndbg/1.htm`);
- pages that exist only as a script call: TRS `createPageHTML(total, current, "index", "html")`
  means `index.html`, `index_1.html` … `index_<total-1>.html` in the list's folder.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from crawler.anchors import join_url, page_links, page_root

# A next link's text once decorations are gone. `>>`/`»` alone are next links on most portals
# (尾页 says "last" in words); following a last-page link too costs one request, the dupe
# filter sees to the rest.
_NEXT_WORDS = re.compile(
    r"^(下一?页|下页|后一?页|下一頁|next(page)?|›|»|>|>>|〉|→)$", re.IGNORECASE
)
_DECORATION = re.compile(r"[\s\[\]【】()（）<«‹]+")
_NUMBER = re.compile(r"^\[?\s*(\d{1,4})\s*\]?$")
# Addresses of list pages, by CMS (the number is the page): checked on numbered links only.
_LIST_PAGE = re.compile(
    r"(/list\d*\.s?html?$)"  # WebPlus list.htm, list2.htm
    r"|(/list_\d+(_\d+)?\.s?html?$)"  # DedeCMS list_7_2.html
    r"|(/index(_\d+)?\.s?html?$)"  # TRS/static index_1.htm
    r"|(/\d+\.s?html?$)",  # VSB count-down ndbg/12.htm
    re.IGNORECASE,
)
_PAGE_PARAMS = ("page", "pageindex", "pagenum", "pageno", "p", "curpage", "currentpage", "pn")
_TRS_CALL = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,"
    r"\s*['\"](\w+)['\"]"
)
_MAX_INFERRED = 500  # a script claiming more pages than this is not believed beyond it


def is_next_text(text: str) -> bool:
    """`下一页 ›`, `[下页]`, `Next »`, `>` ... (decorations and spaces ignored)."""
    bare = _DECORATION.sub("", text)
    if _NEXT_WORDS.match(bare):
        return True
    # `下一页›`, `下一页>>`, `Next»`: the word followed by arrows.
    stripped = re.sub(r"[›»>〉→]+$", "", bare)
    return stripped != bare and bool(_NEXT_WORDS.match(stripped))


def _page_param(url: str) -> bool:
    return any(k.lower() in _PAGE_PARAMS for k, _ in parse_qsl(urlsplit(url).query))


def looks_like_list_page(url: str, here: str) -> bool:
    """A numbered link's address is a page of the list at `here` (same host, list shapes)."""
    target, current = urlsplit(url), urlsplit(here)
    if target.netloc != current.netloc:
        return False
    if _page_param(url):
        return True
    return bool(_LIST_PAGE.search(target.path))


def trs_pages(url: str, html: str) -> list[str]:
    """Pages a TRS-style `createPageHTML(total, current, "index", "html")` call stands for."""
    match = _TRS_CALL.search(html)
    if not match:
        return []
    total, current = int(match.group(1)), int(match.group(2))
    stem, ext = match.group(3), match.group(4)
    total = min(total, _MAX_INFERRED)
    pages = [urljoin(url, f"{stem}.{ext}")]
    pages += [urljoin(url, f"{stem}_{n}.{ext}") for n in range(1, total)]
    return [p for i, p in enumerate(pages) if i != current]


def next_pages(url: str, html: str, next_selector: str = "") -> list[str]:
    """Every further page of the list at `url` this page points to, in page order as linked.

    `next_selector` is a family's own next-link selection (`span.p_next a::attr(href)`)."""
    root = page_root(html)
    found: list[str] = []
    if next_selector:
        chosen = Selector(root=root).css(next_selector).getall()
        found += [urljoin(url, h.strip()) for h in chosen if h]
    for link in page_links(html):
        if not link.is_anchor:
            continue
        target, label = join_url(url, link.href), link.label  # an image button: its alt
        classes = (link.element.get("class") or "").lower().split()
        if is_next_text(label) or "next" in classes:
            found.append(target)
        elif _NUMBER.match(label) and looks_like_list_page(target, url):
            found.append(target)
    found += trs_pages(url, html)
    here = url.split("#")[0]
    seen: set[str] = set()
    return [u for u in found if u != here and not (u in seen or seen.add(u))]
