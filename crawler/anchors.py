"""A page's links read at lxml speed: one parse per page, compiled XPath, no per-node wrappers.

A hostile list page holds 100,000 links. Read through parsel's per-node Selector objects, the
list reader, the explorer and the pager each spent seconds per page on it, three parses over,
all of it on the reactor thread — every other portal's requests timed out meanwhile. The page
functions stay pure over (url, html); this module shares one parse between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

_TEXT = etree.XPath(".//text()", smart_strings=False)
_TEXT_OUTSIDE_LINKS = etree.XPath(".//text()[not(ancestor::a)]", smart_strings=False)
_TEXT_BELOW = etree.XPath(".//*/text()", smart_strings=False)
_IMAGE_LABELS = etree.XPath(".//img/@alt|.//img/@title", smart_strings=False)
_UNUSABLE_HREF = ("#", "javascript:", "mailto:")


@lru_cache(maxsize=1)
def page_root(html: str) -> etree._Element:
    """The parsed page (the last one is kept: its three readers ask for it in turn)."""
    return Selector(text=html).root


@dataclass(frozen=True)
class Link:
    element: etree._Element
    href: str
    words: str  # the link's text, whitespace (and U+3000) folded to single spaces
    title: str  # its `title` attribute, folded the same way

    @property
    def is_anchor(self) -> bool:
        return self.element.tag == "a"

    @property
    def label(self) -> str:
        """What the link says: its text (its `title` where the text is cut short: `…`), else
        its title, else the alt of its image (an image button) or of the `<area>`."""
        if self.title and self.words.endswith(("…", "...", "..")):
            return self.title
        return (
            self.words
            or self.title
            or clean(image_labels(self.element))
            or clean(self.element.get("alt"))
        )


def clean(value: str | None) -> str:
    return " ".join((value or "").replace("\u3000", " ").split())


@lru_cache(maxsize=1)
def page_links(html: str) -> tuple[Link, ...]:
    """Every `<a>` and `<area>` of the page with a usable address, in document order, read
    once per page (the list reader, the explorer and the pager each walk them)."""
    found = []
    for element in page_root(html).iter("a", "area"):
        href = (element.get("href") or "").strip()
        if href and not href.startswith(_UNUSABLE_HREF):
            found.append(Link(element, href, clean(text(element)), clean(element.get("title"))))
    return tuple(found)


def text(element: etree._Element) -> str:
    """All text inside the element, pieces joined by a space (parsel's `::text` joined)."""
    return " ".join(_TEXT(element))


def text_below(element: etree._Element) -> str:
    """Text inside the element's child elements (`<a>… <span>2024-10-30</span></a>`)."""
    return " ".join(_TEXT_BELOW(element))


def text_outside_links(element: etree._Element) -> str:
    """Text of the element that is not inside a link (titles carry years that are not dates)."""
    return " ".join(_TEXT_OUTSIDE_LINKS(element))


def image_labels(element: etree._Element) -> str:
    return " ".join(_IMAGE_LABELS(element))


def has_link(element: etree._Element) -> bool:
    return next(element.iter("a"), None) is not None


def next_element(element: etree._Element) -> etree._Element | None:
    """The following sibling element (comments and processing instructions skipped)."""
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def previous_element(element: etree._Element) -> etree._Element | None:
    sibling = element.getprevious()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious()
    return sibling


@lru_cache(maxsize=64)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""


def join_url(base: str, href: str) -> str:
    """`urljoin(base, href)`, with the two shapes a list page is made of (`/path` and
    `http://host/path`, no dot segments) joined without parsing: urljoin was the largest cost
    of reading a 100,000-link page."""
    if "/." not in href and "\\" not in href:
        if href.startswith("/") and not href.startswith("//"):
            origin = _origin(base)
            if origin:
                return origin + href
        elif href.startswith(("http://", "https://")) and href.count("/") >= 3:
            return href
    return urljoin(base, href)
