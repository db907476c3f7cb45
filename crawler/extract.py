"""Reading portal pages: report columns, list items, pagination, article pages, attachments.

Functions take a Scrapy response and return plain data, so spiders stay declarative and the
pieces are tested on saved pages.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from scrapy.http import TextResponse

from parsers import dates, families
from parsers.families import GENERIC, Family
from parsers.filenames import DOCUMENT_EXTENSIONS, url_name

COLUMN_TEXT = re.compile(
    r"^(学校|高校)?(信息公开)?(工作)?(年度报告|年报)$|信息公开年度报告|信息公开年报|年度信息公开报告"
)
HUB_TEXT = re.compile(
    r"^(基本信息|信息公开|信息公开网|校务公开|通知公告|公告通知|最新公开|公开信息)$"
)
DOC_URL_HINTS = families.DOWNLOAD_HINTS
NEXT_TEXT = re.compile(r"^\s*(下一?页|后页|下一頁|next|>|»)\s*$", re.IGNORECASE)
EMBED_SCRIPTS = tuple(re.compile(pattern) for pattern in families.EMBED_SCRIPTS)
EMBED_VIEWERS = tuple(re.compile(pattern) for pattern in families.EMBED_VIEWERS)


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    date: str | None = None


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str | None
    role: str  # attachment | embedded


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _anchors(response: TextResponse, selector: str = "a", join: bool = True):
    """(anchor, URL, text) of each link; `join=False` leaves the href as written (urljoin is
    the costliest step on a 100,000-link page: callers that keep few links join those)."""
    for anchor in response.css(selector):
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        # lxml directly, not a Selector per text node: list pages can hold 100,000 links.
        text = _clean(" ".join(anchor.root.xpath(".//text()")))
        yield anchor, response.urljoin(href) if join else href, text


def column_links(response: TextResponse) -> list[Link]:
    """Links to the report column itself, found by their text."""
    found: dict[str, Link] = {}
    for anchor, url, text in _anchors(response):
        label = _clean(anchor.attrib.get("title")) or text
        if COLUMN_TEXT.search(label) and not re.search(r"\d{4}", label):
            found.setdefault(url, Link(url, label))
    return list(found.values())


def hub_links(response: TextResponse) -> list[Link]:
    """Pages that may hold the column (基本信息) or the reports themselves (通知公告)."""
    found: dict[str, Link] = {}
    for _anchor, url, text in _anchors(response):
        if HUB_TEXT.match(text):
            found.setdefault(url, Link(url, text))
    return list(found.values())


def is_document_url(url: str, text: str = "") -> bool:
    path = unquote(urlsplit(url).path).lower()
    lowered = url.lower()
    return (
        path.endswith(DOCUMENT_EXTENSIONS)
        or any(hint in lowered for hint in DOC_URL_HINTS)
        and not path.endswith((".htm", ".html"))
        or text.lower().endswith(DOCUMENT_EXTENSIONS)
    )


def list_items(response: TextResponse, markup: Family = GENERIC) -> list[Link]:
    """Every titled link of a list page with its date; family selectors first, then all links."""
    items: dict[str, Link] = {}
    selectors = [markup.list_items, "a"] if markup.list_items != "a" else ["a"]
    for selector in selectors:
        for anchor, url, text in _anchors(response, selector):
            title = _clean(anchor.attrib.get("title")) or text
            if not title or url in items:
                continue
            context = " ".join(anchor.root.xpath("ancestor::li[1]//text()"))
            items[url] = Link(url, title, dates.date_in(context))
        if items and selector != "a":
            break
    return list(items.values())


def next_pages(response: TextResponse, markup: Family = GENERIC) -> list[str]:
    """Pagination: the family's next-link, else links reading 下页/下一页, or numbered pages."""
    urls: list[str] = []
    if markup.next_page:
        urls += [response.urljoin(h) for h in response.css(markup.next_page).getall()]
    for anchor, href, text in _anchors(response, join=False):
        classes = anchor.attrib.get("class", "").lower()
        if NEXT_TEXT.match(text) or "next" in classes.split():
            urls.append(response.urljoin(href))
        elif text.isdigit() and _looks_like_list_page(url := response.urljoin(href)):
            urls.append(url)
    seen: set[str] = set()
    return [u for u in urls if not (u in seen or seen.add(u)) and u != response.url]


def _looks_like_list_page(url: str) -> bool:
    parts = urlsplit(url)
    return bool(
        re.search(r"/(list\d*|\d+)\.s?html?$", parts.path) or "PAGENUM=" in parts.query.upper()
    )


def continuation_pages(response: TextResponse) -> list[str]:
    """A long VSB-style article continues at <id>_1.htm, <id>_2.htm ..."""
    path = urlsplit(response.url).path
    stem = re.sub(r"(_\d+)?\.s?html?$", "", path)
    if stem == path:
        return []
    pattern = re.compile(re.escape(stem) + r"_(\d+)\.s?html?$")
    pages = {}
    for _anchor, url, _text in _anchors(response):
        match = pattern.search(urlsplit(url).path)
        if match and url != response.url:
            pages[int(match.group(1))] = url
    return [pages[n] for n in sorted(pages)]


def attachments(response: TextResponse) -> list[AttachmentLink]:
    """Linked and embedded documents: plain links, download.jsp, VSB and WebPlus PDF players."""
    found: dict[str, AttachmentLink] = {}

    def add(url: str, name: str | None, role: str) -> None:
        url = response.urljoin(url.strip())
        if url not in found:
            found[url] = AttachmentLink(url, name or None, role)

    for pattern in EMBED_SCRIPTS:
        for script in pattern.findall(response.text):
            add(script, None, "embedded")
    for address, name in families.EMBED_PLAYERS:
        for player in response.css(f"[{address}]"):
            add(player.attrib[address], _sudy_title(player.attrib.get(name)), "embedded")
    for source in response.css("iframe::attr(src), embed::attr(src), object::attr(data)").getall():
        inner = _viewed(source)
        if inner:
            add(inner, None, "embedded")
        elif is_document_url(response.urljoin(source)):
            add(source, None, "embedded")
    for _anchor, url, text in _anchors(response):
        inner = _viewed(url)
        if inner:
            add(inner, text or None, "embedded")
        elif is_document_url(url, text):
            add(url, text if text.lower().endswith(DOCUMENT_EXTENSIONS) else None, "attachment")
    return list(found.values())


def _viewed(url: str) -> str | None:
    """The document a viewer URL (`viewer.html?file=...`) shows, or None."""
    for pattern in EMBED_VIEWERS:
        inner = pattern.search(url)
        if inner:
            return unquote(inner.group(1))
    return None


def _sudy_title(attr: str | None) -> str | None:
    # sudyfile-attr is single-quoted pseudo-JSON: {'title':'2023年度报告.pdf'}
    if not attr:
        return None
    try:
        value = ast.literal_eval(attr)
    except (ValueError, SyntaxError):
        match = re.search(r"title'?\s*:\s*'([^']+)'", attr)
        return match.group(1) if match else None
    return value.get("title") if isinstance(value, dict) else None


def published_date(response: TextResponse, markup: Family = GENERIC) -> str | None:
    """The page's own publication date (parsers.dates decides); never a guess."""
    return dates.published_date(
        selected=response.css(markup.date).getall() if markup.date else (),
        meta=[
            (m.attrib.get("name") or m.attrib.get("property") or "", m.attrib.get("content", ""))
            for m in response.css("meta")
        ],
        text=" ".join(response.css("body ::text").getall()),
        url=response.url,
    )


def file_name_from_url(url: str) -> str | None:
    return url_name(url)
