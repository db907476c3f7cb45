"""CMS families as data: the markup that tells a family apart and where its parts sit.

A family row only names selectors; the shared extraction in `crawler.extract` applies them and
falls back to generic heuristics where a selector matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Markup:
    name: str
    fingerprints: tuple[str, ...] = ()
    # Anchors of list items (title attribute preferred over the often truncated text).
    list_items: str = "a"
    next_page: str = ""
    date: str = ""


VSB = Markup(
    name="vsb",
    fingerprints=(
        "Visual SiteBuilder",
        "_sitegray/_sitegray",
        "/system/resource/js/counter.js",
        "/system/_content/download.jsp",
        ".vsb.css",
    ),
    list_items='li[id^="line_u"] a, .list li a, ul li a',
    next_page="span.p_next a::attr(href), a.Next::attr(href), a.next::attr(href)",
    date='meta[name="PubDate"]::attr(content)',
)

WEBPLUS = Markup(
    name="webplus",
    fingerprints=("wp_articlecontent", "/_js/_portletPlugs/", "/_upload/article/", "wp_pdf_player"),
    list_items=".news_list .news_title a, .news_list li a, .wp_article_list a",
    next_page="a.next::attr(href), li.page_nav a.next::attr(href)",
    date=".arti_update::text, .arti_metas::text",
)

GENERIC = Markup(name="generic")

FAMILIES: dict[str, Markup] = {"vsb": VSB, "webplus": WEBPLUS}


def detect(html: str) -> Markup:
    """The family whose fingerprints the page carries, else the generic markup."""
    best, best_hits = GENERIC, 0
    for markup in FAMILIES.values():
        hits = sum(1 for mark in markup.fingerprints if mark in html)
        if hits > best_hits:
            best, best_hits = markup, hits
    return best
