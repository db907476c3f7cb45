"""CMS families as data: one entry per family says how its pages are told apart and read.

The spiders (one per named family), the registry's `family` column, `xxgk crawl --spider`, the
crawler's page readers and the HTML parser's body containers are all derived from `FAMILIES`
and `GENERIC`. Adding a family is one `Family(...)` entry below plus saved-page tests
(README: "Adding a CMS family"). No Scrapy here: the parsers read this module too.

Selectors are CSS (parsel, for the crawler) where the crawler applies them and XPath (lxml, for
`parsers.html`) where the parser does; embed patterns are regular expressions whose first group
is the embedded document's address.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    # Marks in the page source that only this family's pages carry (counted by `detect`).
    fingerprints: tuple[str, ...] = ()
    # Anchors of list items (title attribute preferred over the often truncated text).
    list_items: str = "a"
    # The next-page link of a list (an `::attr(href)` selection).
    next_page: str = ""
    # Where an article states its publication date (text or attribute selection).
    date: str = ""
    # XPath of the article body container, most specific first.
    body_xpaths: tuple[str, ...] = ()
    # XPath of the article's own title (`//title` is cut at the site name by the parser).
    title_xpaths: tuple[str, ...] = ()
    # A date carried in the article's URL path (groups: year, month, day).
    url_dates: tuple[str, ...] = ()
    # Script calls that embed a document (`showVsbpdfIframe('...')`).
    embed_scripts: tuple[str, ...] = ()
    # Player elements: (attribute holding the document address, attribute holding its name).
    embed_players: tuple[tuple[str, str], ...] = ()
    # Viewer URLs that wrap a document address (`viewer.html?file=...`).
    embed_viewers: tuple[str, ...] = ()
    # URL parts that mark a download even without a document extension (`download.jsp`).
    download_hints: tuple[str, ...] = ()


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


VSB = Family(
    name="vsb",
    description="博达 Visual SiteBuilder",
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
    body_xpaths=(f"//div[{_class('v_news_content')}]", "//*[starts-with(@id, 'vsb_content')]"),
    title_xpaths=("//meta[@name='ArticleTitle']/@content",),
    embed_scripts=(r"showVsbpdfIframe\(\s*[\"']([^\"']+)[\"']",),
    download_hints=("download.jsp", "downloadattachurl"),
)

WEBPLUS = Family(
    name="webplus",
    description="Sudy WebPlus",
    fingerprints=("wp_articlecontent", "/_js/_portletPlugs/", "/_upload/article/", "wp_pdf_player"),
    list_items=".news_list .news_title a, .news_list li a, .wp_article_list a",
    next_page="a.next::attr(href), li.page_nav a.next::attr(href)",
    date=".arti_update::text, .arti_metas::text",
    body_xpaths=(f"//div[{_class('wp_articlecontent')}]",),
    title_xpaths=("//h1[contains(@class,'arti_title')]",),
    url_dates=(r"/(20\d{2})/(\d{2})(\d{2})/c\d+a\d+/",),
    embed_players=(("pdfsrc", "sudyfile-attr"),),
    download_hints=("/_upload/",),
)

# What no single family owns: layouts of unknown CMSes (TRS WCM and hand-made sites) and the
# pdf.js viewer many of them wrap documents in.
GENERIC = Family(
    name="generic",
    description="any other portal: family markup recognised per page, else heuristics",
    body_xpaths=(
        "//div[contains(@class, 'TRS_Editor')]",
        "//div[@id='zoom']",
        f"//div[{_class('article-content')}]",
    ),
    title_xpaths=("//title",),
    embed_viewers=(r"viewer\.html\?(?:[^\"'<>]*&)?file=([^\"'&<>\s]+)",),
    download_hints=("downloadfile", "/docs/"),
)

FAMILIES: dict[str, Family] = {family.name: family for family in (VSB, WEBPLUS)}
"""The named families: each has its spider and is a valid registry `family` value."""

EVERY = (*FAMILIES.values(), GENERIC)


def _all(field: str) -> tuple:
    # Family order is precedence order: the most specific markup is tried first.
    return tuple(value for family in EVERY for value in getattr(family, field))


BODY_XPATHS: tuple[str, ...] = _all("body_xpaths")
TITLE_XPATHS: tuple[str, ...] = _all("title_xpaths")
URL_DATES: tuple[str, ...] = _all("url_dates")
EMBED_SCRIPTS: tuple[str, ...] = _all("embed_scripts")
EMBED_PLAYERS: tuple[tuple[str, str], ...] = _all("embed_players")
EMBED_VIEWERS: tuple[str, ...] = _all("embed_viewers")
DOWNLOAD_HINTS: tuple[str, ...] = _all("download_hints")


def detect(html: str) -> Family:
    """The family whose fingerprints the page carries most, else the generic family."""
    best, best_hits = GENERIC, 0
    for family in FAMILIES.values():
        hits = sum(1 for mark in family.fingerprints if mark in html)
        if hits > best_hits:
            best, best_hits = family, hits
    return best
