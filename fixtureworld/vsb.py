"""博达 VSB (Visual SiteBuilder) portals, after the markup in portals.md.

Lists are `<slug>.htm` then `<slug>/N.htm` counting down to `<slug>/1.htm` (page 1 is the
oldest), articles `/info/<column>/<id>.htm`, attachments behind `download.jsp` URLs without an
extension, embedded PDFs through `showVsbpdfIframe`, long articles continued at `<id>_1.htm`.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from fixtureworld.content import Item, challenge_flaky, split_dates
from fixtureworld.model import World

OWNER = "1404874179"
ROBOTS = ("/system/resource/", "/search.jsp")


@dataclass(frozen=True)
class VsbSite:
    name: str
    host: str
    slug: str  # list page stem, e.g. "xxgknb"
    column_id: int
    column_text: str  # nav link text of the report column
    pager: str = "new"  # new (pb_sys_common) | old (fanye table)
    per_page: int = 8
    first_article: int = 8200
    via_basic: bool = False  # column reached through 基本信息 (jbxx.htm) only
    friend_links: tuple[tuple[str, str], ...] = ()
    search_link: bool = False  # a tempting link into a robots-disallowed path
    disposition: str = ""  # "", "percent" or "gbk": Content-Disposition on downloads
    split_dates: bool = False  # HTML reports with 年/月 in inline spans


def rel(from_path: str, to_path: str) -> str:
    """The relative href VSB writes (`../info/1010/8337.htm` from a list subpage)."""
    if "://" in to_path:
        return to_path
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or "/")


def head(page_path: str, title: str, metas: str = "") -> str:
    up = "../" * (page_path.count("/") - 1)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{html.escape(title)}</title>{metas}
<link type="text/css" href="{up}_sitegray/_sitegray_d.css" rel="stylesheet">
<script language="javascript" src="{up}_sitegray/_sitegray.js"></script>
<!-- CustomerNO:77656262657232307e7a47565254574603090000000c4650 -->
<link rel="stylesheet" type="text/css" href="{up}index.vsb.css" />
<script type="text/javascript" src="/system/resource/js/counter.js"></script>
<script type="text/javascript">_jsq_(1001,'/index.jsp',-1,{OWNER})</script>
</head>
<body>
"""


def nav(site: VsbSite, page_path: str) -> str:
    links = [
        ("首页", "/index.htm"),
        ("基本信息", "/jbxx.htm"),
        ("招生考试", "/zsks.htm"),
        ("财务资产", "/cwzc.htm"),
        ("人事师资", "/rssz.htm"),
        ("通知公告", "/tzgg.htm"),
    ]
    if not site.via_basic:
        links.insert(5, (site.column_text, f"/{site.slug}.htm"))
    cells = "".join(f'<li><a href="{rel(page_path, h)}">{t}</a></li>' for t, h in links)
    return (
        f'<div class="header"><div class="logo">{site.name}信息公开网</div>'
        f'<ul class="nav">{cells}</ul></div>\n'
    )


def foot(site: VsbSite, page_path: str) -> str:
    friends = "".join(
        f'<a href="{h}" target="_blank">{html.escape(t)}</a>' for t, h in site.friend_links
    )
    return (
        f'<div class="links">友情链接：<a href="http://www.moe.gov.cn/">教育部</a>{friends}</div>'
        f'<div class="footer">版权所有 © {site.name} 技术支持：博达软件</div>'
        "<!--Announced by Visual SiteBuilder 9-->\n</body></html>\n"
    )


def page_path(site: VsbSite, k: int, total: int) -> str:
    """Display page k (1 = newest) → `/xxgknb.htm`, `/xxgknb/<total-k+1>.htm`."""
    return f"/{site.slug}.htm" if k == 1 else f"/{site.slug}/{total - k + 1}.htm"


def pager(site: VsbSite, k: int, total: int, count: int, here: str) -> str:
    def href(n: int) -> str:
        return rel(here, page_path(site, n, total))

    if site.pager == "old":
        first = (
            '<span class="PrevDisabled">首页</span><span class="PrevDisabled">上页</span>'
            if k == 1
            else (
                f'<a href="{href(1)}" class="Prev">首页</a>'
                f'<a href="{href(k - 1)}" class="Prev">上页</a>'
            )
        )
        last = (
            '<span class="NextDisabled">下页</span><span class="NextDisabled">尾页</span>'
            if k == total
            else (
                f'<a href="{href(k + 1)}" class="Next">下页</a>'
                f'<a href="{href(total)}" class="Next">尾页</a>'
            )
        )
        return (
            f'<table cellspacing="0" cellpadding="0" border="0"><tr>'
            f'<td nowrap align="left" width="1%" id="fanye148356">共{count}条&nbsp;&nbsp;'
            f'{k}/{total}&nbsp;</td><td nowrap align="left"><div>{first}{last}'
            "</div></td></tr></table>\n"
        )
    nums = "".join(
        f'<span class="p_no_d">{n}</span>'
        if n == k
        else f'<span class="p_no"><a href="{href(n)}">{n}</a></span>'
        for n in range(1, total + 1)
    )
    prev = (
        '<span class="p_first_d p_fun_d">首页</span><span class="p_prev_d p_fun_d">上页</span>'
        if k == 1
        else (
            f'<span class="p_first p_fun"><a href="{href(1)}">首页</a></span>'
            f'<span class="p_prev p_fun"><a href="{href(k - 1)}">上页</a></span>'
        )
    )
    nxt = (
        '<span class="p_next_d p_fun_d">下页</span><span class="p_last_d p_fun_d">尾页</span>'
        if k == total
        else (
            f'<span class="p_next p_fun"><a href="{href(k + 1)}">下页</a></span>'
            f'<span class="p_last p_fun"><a href="{href(total)}">尾页</a></span>'
        )
    )
    return (
        f'<div class="pb_sys_common pb_sys_normal pb_sys_style1" style="text-align:center;">'
        f'<span class="p_t">共{count}条</span> {prev}<span class="p_pages">{nums}</span>'
        f'{nxt} <span class="p_t">{k}/{total}</span></div>\n'
    )


def short(title: str) -> str:
    """VSB cuts the visible title; only the title attribute is whole."""
    return title if len(title) <= 18 else title[:16] + "..."


def list_items(items: list[Item], here: str) -> str:
    rows = "".join(
        f'<li id="line_u5_{i}"><a href="{rel(here, it.href)}" target="_blank" '
        f'title="{html.escape(it.title)}">{html.escape(short(it.title))}</a>'
        f"<span>{it.published.isoformat()}</span></li>\n"
        for i, it in enumerate(items)
    )
    return f'<div class="list"><ul>\n{rows}</ul></div>\n'


def fileid(host: str, title: str, salt: str = "") -> str:
    return hashlib.md5(f"{host}|{title}|{salt}".encode()).hexdigest().upper()


def build_vsb(world: World, site: VsbSite, items: list[Item]) -> None:
    """Lay the items out as a VSB portal and serve every page and file on `site.host`."""
    items = sorted(items, key=lambda it: (it.published, it.title), reverse=True)
    next_id = site.first_article
    for item in reversed(items):  # older articles have smaller ids, as on real sites
        if item.kind == "missing":
            item.href = item.href or f"/info/{site.column_id}/{next_id + 997}.htm"
        elif item.kind != "external":
            item.page_path = item.href = f"/info/{site.column_id}/{next_id}.htm"
        next_id += 3
    total = -(-len(items) // site.per_page)
    for k in range(1, total + 1):
        here = page_path(site, k, total)
        chunk = items[(k - 1) * site.per_page : k * site.per_page]
        body = (
            head(here, f"{site.column_text}-{site.name}信息公开网")
            + nav(site, here)
            + f'<div class="main"><div class="lm_name">{site.column_text}</div>\n'
            + list_items(chunk, here)
            + pager(site, k, total, len(items), here)
            + "</div>\n"
            + foot(site, here)
        )
        world.add_page(site.host, here, body)
    for item in items:
        if item.kind not in ("missing", "external"):
            _article(world, site, item)
    _home(world, site, items)


def _article(world: World, site: VsbSite, item: Item) -> None:
    path = item.page_path
    art_id = path.rsplit("/", 1)[1].removesuffix(".htm")
    attach = ""
    if item.data is not None and item.plan is not None and item.plan.delivery == "embed":
        # VSB stores embedded files under /__local/<a>/<bc>/<de>/<hex>.pdf
        fid = fileid(site.host, item.title)
        item.file_path = f"/__local/{art_id[-1]}/{art_id[:2]}/{fid[:2]}/{fid[2:26]}.pdf"
        item.file_name = posixpath.basename(item.file_path)
        content = (
            f"<p>{html.escape(item.title)}全文如下：</p><p><script>showVsbpdfIframe("
            f'"{item.file_path}","100%","600");</script></p>'
        )
        world.add_file(
            site.host, item.file_path, item.data, "application/pdf", modified=item.published
        )
    else:
        content = item.body or f"<p>现将{html.escape(item.title)}予以公布，详见附件。</p>"
        if site.split_dates:
            content = split_dates(content)
        if item.data is not None:
            fid = fileid(site.host, item.title, f"{item.kind}{item.published}")
            item.file_path = (
                "/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
                f"&owner={OWNER}&wbfileid={fid}"
            )
            attach = (
                f'<ul style="list-style-type:none;"><li>附件【<a href="{item.file_path}" '
                f'target="_blank">{html.escape(item.file_name or "")}</a>】已下载'
                f'<span id="nattach{fid}"><script language="javascript">getClickTimes('
                f'"{fid}",{art_id},"wbnewsfile","attach")</script></span>次</li></ul>'
            )
            world.add_file(
                site.host,
                item.file_path,
                item.data,
                _ctype(item, site),
                disposition=_disposition(site, item.file_name or ""),
                modified=item.published,
            )
    pages = [content]
    if item.plan is not None and item.plan.delivery == "long" and item.text is not None:
        pages = _split_long(content)
    flaky = (
        challenge_flaky(item.plan.challenge)
        if item.plan and item.plan.challenge and item.kind == "report"
        else None
    )
    for n, part in enumerate(pages):
        here = path if n == 0 else path.replace(".htm", f"_{n}.htm")
        bar = _page_bar(path, n, len(pages)) if len(pages) > 1 else ""
        last = n == len(pages) - 1
        world.add_page(
            site.host,
            here,
            _article_html(site, item, here, part + bar, attach if last else ""),
            modified=item.published,
            flaky=flaky if n == 0 else None,
        )


def _article_html(site: VsbSite, item: Item, here: str, content: str, attach: str) -> str:
    day = item.published.isoformat()
    metas = (
        f'\n<META Name="ArticleTitle" Content="{html.escape(item.title)}">'
        f'\n<META Name="PubDate" Content="{day} 09:30">'
        f'\n<META Name="ContentSource" Content="{site.name}">'
    )
    art_id = here.rsplit("/", 1)[1].split("_")[0].removesuffix(".htm")
    clicks = f"dynclicks_wbnews_{art_id}_{site.column_id}"
    return (
        head(here, f"{item.title}-{site.name}信息公开网", metas)
        + nav(site, here)
        + '<form name="_newscontent_fromname">\n'
        + f'<div class="content-title"><h3>{html.escape(item.title)}</h3></div>\n'
        + f'<div class="content-info">【作者:xzb | 发布日期:{day} | 点击数:'
        + f'<span id="{clicks}" name="{clicks}"></span>】</div>\n'
        + f'<div id="vsb_content_2"><div class="v_news_content">\n{content}\n</div></div>\n'
        + attach
        + '<div id="div_vote_id"></div>\n</form>\n'
        + f'<script>_showDynClicks("wbnews", {OWNER}, {art_id})</script>\n'
        + foot(site, here)
    )


def _split_long(content: str) -> list[str]:
    """Three article pages, cut at paragraph boundaries (VSB's 分页 inserts `_n.htm` pages)."""
    paras = content.split("\n")
    third = max(1, len(paras) // 3)
    return [
        "\n".join(paras[:third]),
        "\n".join(paras[third : 2 * third]),
        "\n".join(paras[2 * third :]),
    ]


def _page_bar(path: str, current: int, total: int) -> str:
    stem = posixpath.basename(path).removesuffix(".htm")
    names = [f"{stem}.htm"] + [f"{stem}_{n}.htm" for n in range(1, total)]
    links = "".join(
        f"<span>{n + 1}</span>&nbsp;" if n == current else f'<a href="{names[n]}">{n + 1}</a>&nbsp;'
        for n in range(total)
    )
    if current < total - 1:
        links += f'<a href="{names[current + 1]}">下一页</a>'
    return f'\n<div id="vsb_newscontent_pagebar" align="center">{links}</div>'


def _ctype(item: Item, site: VsbSite) -> str:
    # Some VSB installs send the real type, others octet-stream for every attachment.
    return "application/octet-stream" if site.disposition else item.content_type


def _disposition(site: VsbSite, name: str) -> str | None:
    if site.disposition == "percent":
        return f'attachment; filename="{quote(name)}"'
    if site.disposition == "gbk":
        # Raw GBK bytes in the header, passed through http.server's latin-1 header encoding.
        return 'attachment; filename="' + name.encode("gbk").decode("latin-1") + '"'
    return None


def _home(world: World, site: VsbSite, items: list[Item]) -> None:
    here = "/index.htm"
    latest = [it for it in items if it.kind not in ("missing", "external")][:6]
    search = (
        (
            '<form action="/search.jsp"><input name="keyword"></form>'
            '<a href="/system/resource/search/xxgksearch.jsp?keyword=%E5%B9%B4%E5%BA%A6%E6%8A%A5'
            '%E5%91%8A">年度报告检索</a>'
        )
        if site.search_link
        else ""
    )
    block = (
        (
            f'<div class="block"><h2><a href="{site.slug}.htm">{site.column_text}</a></h2>'
            + list_items(latest, here)
            + "</div>"
        )
        if not site.via_basic
        else ""
    )
    body = (
        head(here, f"{site.name}信息公开网")
        + nav(site, here)
        + search
        + '<div class="main"><div class="block"><h2>公开指南</h2>'
        + f"<p>根据《高等学校信息公开办法》，{site.name}通过本网站主动公开学校信息。</p></div>"
        + block
        + "</div>"
        + foot(site, here)
    )
    world.add_page(site.host, "/", body)
    world.add_page(site.host, here, body)
    if site.via_basic:
        subs = [
            ("学校概况", "/jbxx/xxgk.htm"),
            ("学校章程", "/jbxx/xxzc.htm"),
            ("规章制度", "/jbxx/gzzd.htm"),
            (site.column_text, f"/{site.slug}.htm"),
        ]
        cells = "".join(f'<li><a href="{rel("/jbxx.htm", h)}">{t}</a></li>' for t, h in subs)
        basic = head("/jbxx.htm", "基本信息") + nav(site, "/jbxx.htm")
        world.add_page(
            site.host,
            "/jbxx.htm",
            basic
            + f'<div class="lm_name">基本信息</div><ul class="sub-nav">{cells}</ul>'
            + foot(site, "/jbxx.htm"),
        )
    for prefix in ROBOTS:
        world.disallowed.append((site.host, prefix))
    world.add_text(
        site.host, "/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in ROBOTS)
    )
    if site.search_link:
        world.add_page(
            site.host,
            "/system/resource/search/xxgksearch.jsp",
            "<html><body>检索结果：无</body></html>",
            any_query=True,
            modified=date(2024, 11, 1),
        )
