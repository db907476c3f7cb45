"""WebPlus (Sudy) portals, after the markup in portals.md.

Lists are `/<column>/list.htm`, `list2.htm` ...; articles `/<yyyy>/<mmdd>/c<col>a<id>/page.htm`
or, on newer sites, two hex folders under a `/_t<n>/` prefix. PDFs are embedded only, through a
`wp_pdf_player` div (`pdfsrc` + `sudyfile-attr`) or a pdf.js viewer iframe: a crawler that only
follows `<a href>` misses every one of them.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from dataclasses import dataclass

from fixtureworld.content import Item, challenge_flaky
from fixtureworld.model import World

ROBOTS = ("/_web/", "/_wp3services/")
VIEWER = "/_js/_portletPlugs/swfPlayer/pdfjs/web/viewer.html"


@dataclass(frozen=True)
class WebPlusSite:
    name: str
    host: str
    column: str  # column folder, e.g. "2657" or "ndbg"
    column_id: int
    column_text: str
    site_id: int
    prefix: str = ""  # "/_t1007" on sites with a template prefix
    hex_paths: bool = False  # /<hex>/<hex>/c<col>a<id>/page.htm instead of dates
    per_page: int = 6
    first_article: int = 231000
    search_link: bool = False
    intranet: str = ""  # title of an intranet-only article showing .wp_error_msg


def _hex(text: str, n: int = 2) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:n]


def head(site: WebPlusSite, title: str) -> str:
    return f"""<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<meta name="renderer" content="webkit" />
<title>{html.escape(title)}</title>
<link type="text/css" href="/_css/_system/system.css" rel="stylesheet"/>
<link type="text/css" href="/_js/_portletPlugs/sudyNavi/css/sudyNav.css" rel="stylesheet" />
<script type="text/javascript" src="/_js/jquery.min.js" sudy-wp-context=""
 sudy-wp-siteId="{site.site_id}"></script>
<script type="text/javascript" src="/_js/_portletPlugs/sudyNavi/jquery.sudyNav.js"></script>
<link rel="stylesheet" href="{site.prefix}/style.css" type="text/css">
</head>
<body class="list">
"""


def nav(site: WebPlusSite) -> str:
    col = f"{site.prefix}/{site.column}/list.htm"
    p = site.prefix
    links = [
        ("首页", f"{p}/main.htm"),
        ("学校概况", f"{p}/xxgk/list.htm"),
        ("规章制度", f"{p}/gzzd/list.htm"),
        ("招生考试", f"{p}/zsks/list.htm"),
        (site.column_text, col),
        ("依申请公开", f"{p}/ysqgk/list.htm"),
    ]
    cells = "".join(
        f'<li class="menu-item"><a class="menu-link" href="{h}">{t}</a></li>' for t, h in links
    )
    return f'<div class="header"><ul class="wp-menu">{cells}</ul></div>\n'


FOOT = (
    '<div class="footer"><p>Copyright © {name}</p></div>\n'
    '<script type="text/javascript"'
    ' src="/_js/_portletPlugs/datepicker/js/jquery.datepicker.js"></script>\n</body></html>\n'
)


def article_path(site: WebPlusSite, item: Item, art_id: int) -> str:
    if site.hex_paths:
        return (
            f"{site.prefix}/{_hex(item.title + str(art_id))}/{_hex(str(art_id), 2)}/"
            f"c{site.column_id}a{art_id}/page.htm"
        )
    day = item.published
    folder = f"{day.year}/{day.month:02d}{day.day:02d}"
    return f"{site.prefix}/{folder}/c{site.column_id}a{art_id}/page.htm"


def list_path(site: WebPlusSite, k: int) -> str:
    return f"{site.prefix}/{site.column}/list{'' if k == 1 else k}.htm"


def pager(site: WebPlusSite, k: int, total: int, count: int) -> str:
    def link(cls: str, n: int, text: str, active: bool) -> str:
        href = list_path(site, n) if active else "javascript:void(0);"
        return f'<a class="{cls}" href="{href}" target="_self"><span>{text}</span></a>'

    return (
        '<div id="wp_paging_w6"><ul class="wp_paging clearfix">'
        '<li class="pages_count"><span class="per_page">每页&nbsp;<em class="per_count">'
        f'{site.per_page}</em>&nbsp;记录&nbsp;</span><span class="all_count">总共&nbsp;'
        f'<em class="all_count">{count}</em>&nbsp;记录&nbsp;</span></li><li class="page_nav">'
        + link("first", 1, "第一页", k > 1)
        + link("prev", k - 1, "&lt;&lt;上一页", k > 1)
        + link("next", k + 1, "下一页&gt;&gt;", k < total)
        + link("last", total, "尾页", k < total)
        + '</li><li class="page_jump"><span class="pages">页码&nbsp;<em class="curr_page">'
        f'{k}</em>/<em class="all_pages">{total}</em></span></li></ul></div>\n'
    )


def build_webplus(world: World, site: WebPlusSite, items: list[Item]) -> None:
    """Lay the items out as a WebPlus portal and serve every page and file on `site.host`."""
    items = sorted(items, key=lambda it: (it.published, it.title), reverse=True)
    for n, item in enumerate(reversed(items)):  # older articles have smaller ids
        art_id = site.first_article + 37 * n
        item.page_path = item.href = article_path(site, item, art_id)
    total = -(-len(items) // site.per_page)
    for k in range(1, total + 1):
        chunk = items[(k - 1) * site.per_page : k * site.per_page]
        rows = "".join(
            f'<li class="news n{i + 1} clearfix"><span class="news_title"><a href="{it.href}" '
            f'target="_blank" title="{html.escape(it.title)}">{html.escape(it.title)}</a></span>'
            f'<span class="news_meta">{it.published.isoformat()}</span></li>\n'
            for i, it in enumerate(chunk)
        )
        page = (
            head(site, f"{site.column_text}")
            + nav(site)
            + f'<div class="col_title"><h2>{site.column_text}</h2></div>'
            + f'<div id="wp_news_w6"><ul class="news_list list2">\n{rows}</ul></div>\n'
            + pager(site, k, total, len(items))
            + FOOT.format(name=site.name)
        )
        world.add_page(site.host, list_path(site, k), page)
    for n, item in enumerate(items):
        _article(world, site, item, n)
    _home(world, site, items)


def _article(world: World, site: WebPlusSite, item: Item, n: int) -> None:
    content = item.body or f"<p>{html.escape(item.title)}全文如下：</p>"
    if item.title == site.intranet:
        content = '<div class="wp_error_msg">该文章仅限校内访问，请使用校园网或VPN访问。</div>'
    elif item.data is not None:
        folder = f"{_hex(item.title + item.kind)}/{_hex(item.kind + item.title, 2)}"
        stem = hashlib.sha1(f"{site.host}{item.title}{item.kind}".encode()).hexdigest()[:32]
        item.file_path = f"/_upload/article/files/{folder}/{stem}.pdf"
        world.add_file(
            site.host, item.file_path, item.data, item.content_type, modified=item.published
        )
        delivery = item.plan.delivery if item.plan else "div"
        if delivery == "iframe":
            # The viewer link names no file: its name is the URL's.
            item.file_name = posixpath.basename(item.file_path)
            content += (
                f'<p><iframe class="wp_pdf_player" src="{VIEWER}?file={item.file_path}"'
                ' width="100%" height="800" frameborder="0"></iframe></p>'
            )
        else:
            content += (
                f'<div class="wp_pdf_player" style="width:100%;height:800px" '
                f'pdfsrc="{item.file_path}" '
                f"sudyfile-attr=\"{{'title':'{html.escape(item.file_name or '')}'}}\">"
                "</div>"
            )
    flaky = (
        challenge_flaky(item.plan.challenge)
        if item.plan and item.plan.challenge and item.kind == "report"
        else None
    )
    page = (
        head(site, item.title).replace('class="list"', 'class="info"')
        + nav(site)
        + '<div class="article">'
        + f'<h1 class="arti_title">{html.escape(item.title)}</h1>'
        + '<p class="arti_metas"><span class="arti_publisher">发布者：党政办公室</span>'
        + f'<span class="arti_update">发布时间：{item.published.isoformat()}</span>'
        + '<span class="arti_views">浏览次数：<span class="WP_VisitCount" '
        + f'url="/_visitcountdisplay?siteId={site.site_id}&type=3&articleId={n}">'
        + "</span></span></p>"
        + '<div class="entry"><div class="read"><div class=\'wp_articlecontent\'>'
        + f"\n{content}\n</div></div></div></div>\n"
        + FOOT.format(name=site.name)
    )
    world.add_page(site.host, item.page_path, page, modified=item.published, flaky=flaky)


def _home(world: World, site: WebPlusSite, items: list[Item]) -> None:
    latest = "".join(
        f'<li class="news"><span class="news_title"><a href="{it.href}" title="'
        f'{html.escape(it.title)}">{html.escape(it.title)}</a></span></li>'
        for it in items[:5]
    )
    search = (
        '<a href="/_web/_search/api/search/new.rst?locale=zh_CN&keyword=%E4%BF%A1%E6%81%AF'
        '%E5%85%AC%E5%BC%80%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A">搜索：信息公开年度报告</a>'
        if site.search_link
        else ""
    )
    page = (
        head(site, f"{site.name}信息公开网")
        + nav(site)
        + search
        + f'<div class="post"><h2>{site.column_text}</h2><ul class="news_list">{latest}</ul>'
        + "</div>"
        + FOOT.format(name=site.name)
    )
    world.add_page(site.host, "/", page)
    world.add_page(site.host, f"{site.prefix}/main.htm", page)
    viewer = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>PDF.js viewer</title>'
        '<script src="build/pdf.js"></script><script src="viewer.js"></script></head>'
        '<body tabindex="1"><div id="outerContainer"><div id="viewerContainer">'
        '<div id="viewer" class="pdfViewer"></div></div></div></body></html>'
    )
    world.add_page(site.host, VIEWER, viewer, any_query=True)
    if site.search_link:
        world.add_page(
            site.host, "/_web/_search/api/search/new.rst", "<html>无结果</html>", any_query=True
        )
    for prefix in ROBOTS:
        world.disallowed.append((site.host, prefix))
    world.add_text(
        site.host, "/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in ROBOTS)
    )
