"""Reading portal pages: column and hub links (for `xxgk schools import`), attachments and
embedded documents, the page's own date.

Functions take a Scrapy response and return plain data, so spiders stay declarative and the
pieces are tested on saved pages. Lists, pagination and article pages are read by
`crawler.listing`, `crawler.paging` and `crawler.article` (pure functions over url and html).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from scrapy.http import TextResponse

from crawler.explore import COLUMN_TEXT  # the explorer's column wording, one list
from parsers import dates, families
from parsers.families import GENERIC, Family
from parsers.filenames import DOCUMENT_EXTENSIONS, link_name, url_name

HUB_TEXT = re.compile(
    r"^(基本信息|信息公开|信息公开网|校务公开|通知公告|公告通知|最新公开|公开信息)$"
)
DOC_URL_HINTS = families.DOWNLOAD_HINTS
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
    # `<a href="javascript:;" onclick="openFile('/upload/2024.pdf')">`: the address is in the
    # script call, quoted.
    for element in response.css("[onclick]"):
        for quoted in _QUOTED.findall(element.attrib.get("onclick", "")):
            if unquote(urlsplit(quoted).path).lower().endswith(DOCUMENT_EXTENSIONS):
                text = " ".join(" ".join(element.css("::text").getall()).split())
                add(quoted, link_name(text), "attachment")
    for _anchor, url, text in _anchors(response):
        inner = _viewed(url)
        if inner:
            add(inner, text or None, "embedded")
        elif is_document_url(url, text):
            add(url, link_name(text), "attachment")
    return list(found.values())


_QUOTED = re.compile(r"""['"]([^'"\s<>]{4,500})['"]""")


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
