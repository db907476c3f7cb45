"""Portals outside the big two CMS families: a generic crawler must find these by link text.

- `xxgk1`: a path on the main site, articles `/xxgk1/ndbg/<32 hex>.htm`.
- `docs`: the column page links `/docs/<timestamp>.pdf` directly (the report is the PDF).
- `jsp`: dynamic lists `list.jsp?PAGENUM=2&urltype=tree.TreeTempUrl&wbtreeid=...`, articles
  `/xxgk/<yyyy>_<mm>/<dd>_<hh>/content-<id>.html`.
- `dede`: DedeCMS-like `/a/xinxigongkai/xxgknb/<yyyy>/<mmdd>/<id>.html`, served in GBK.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
from dataclasses import dataclass

from fixtureworld.content import Item, challenge_flaky
from fixtureworld.model import Flaky, World

ROBOTS = ("/admin/", "/search/")


@dataclass(frozen=True)
class CustomSite:
    name: str
    host: str
    style: str  # xxgk1 | docs | jsp | dede
    column_text: str
    per_page: int = 10
    tree_id: int = 1234
    # DedeCMS only: the article of this year is GBK but declared UTF-8 in the header.
    misdeclared_year: int | None = None


def _page(site: CustomSite, title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">'
        f"<title>{html.escape(title)}</title>"
        f'<link rel="stylesheet" href="/css/style.css"></head><body>\n'
        f'<div class="top"><a href="/">{site.name}</a></div>\n{body}\n'
        f'<div class="foot">{site.name} 版权所有</div></body></html>\n'
    )


def _links(rows: list[tuple[str, str, str]]) -> str:
    return (
        '<ul class="newslist">\n'
        + "".join(
            f'<li><a href="{h}" title="{html.escape(t)}">{html.escape(t)}</a><span class="date">'
            f"{d}</span></li>\n"
            for t, h, d in rows
        )
        + "</ul>"
    )


def build_custom(world: World, site: CustomSite, items: list[Item]) -> str:
    """Serve the portal; returns the portal path (the registry's URL path for the school)."""
    items = sorted(items, key=lambda it: (it.published, it.title), reverse=True)
    builder = {"xxgk1": _xxgk1, "docs": _docs, "jsp": _jsp, "dede": _dede}[site.style]
    portal = builder(world, site, items)
    for prefix in ROBOTS:
        world.disallowed.append((site.host, prefix))
    world.add_text(
        site.host, "/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in ROBOTS)
    )
    return portal


def _digest(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def _article_body(item: Item, link: str) -> str:
    return (
        f'<div class="article"><h1>{html.escape(item.title)}</h1>'
        f'<div class="info">发布时间：{item.published.isoformat()}  来源：党政办公室</div>'
        f'<div class="content">{item.body or "<p>现予公布。</p>"}{link}</div></div>'
    )


def _serve_attachment(world: World, site: CustomSite, item: Item, path: str) -> str:
    item.file_path = path
    world.add_file(site.host, path, item.data or b"", item.content_type, modified=item.published)
    return f'<p>附件：<a href="{path}">{html.escape(item.file_name or "")}</a></p>'


def _flaky(item: Item) -> Flaky | None:
    plan = item.plan
    return (
        challenge_flaky(plan.challenge)
        if plan and plan.challenge and item.kind == "report"
        else None
    )


def _xxgk1(world: World, site: CustomSite, items: list[Item]) -> str:
    rows = []
    for item in items:
        item.page_path = f"/xxgk1/ndbg/{_digest(site.host, item.title, item.kind)}.htm"
        link = ""
        if item.data is not None:
            ext = "docx" if (item.file_name or "").endswith(".docx") else "pdf"
            link = _serve_attachment(
                world, site, item, f"/xxgk1/ndbg/files/{_digest(item.title)[:12]}.{ext}"
            )
        world.add_page(
            site.host,
            item.page_path,
            _page(site, item.title, _article_body(item, link)),
            modified=item.published,
            flaky=_flaky(item),
        )
        rows.append((item.title, item.page_path, item.published.isoformat()))
    world.add_page(site.host, "/xxgk1/ndbg.htm", _page(site, site.column_text, _links(rows)))
    nav = (
        '<ul class="nav"><li><a href="/xxgk1/index.htm">首页</a></li>'
        '<li><a href="/xxgk1/jbxx.htm">基本信息</a></li>'
        f'<li><a href="/xxgk1/ndbg.htm">{site.column_text}</a></li></ul>'
    )
    portal = _page(site, f"{site.name}信息公开", nav)
    world.add_page(site.host, "/xxgk1/", portal)
    world.add_page(site.host, "/xxgk1/index.htm", portal)
    home = '<a href="/xxgk1/">信息公开</a> <a href="/xwzx.htm">新闻</a>'
    world.add_page(site.host, "/", _page(site, site.name, home))
    return "/xxgk1/"


def _docs(world: World, site: CustomSite, items: list[Item]) -> str:
    """The column links each PDF directly: for reports, the column page is the page_url_path."""
    rows = []
    for item in items:
        seconds = int(_digest(item.title)[:6], 16) % 86400
        stamp = (
            f"{item.published:%Y%m%d}{seconds // 3600:02d}{seconds // 60 % 60:02d}"
            f"{seconds % 60:02d}"
        )
        path = f"/docs/{stamp}.pdf"
        if item.data is None:
            # Notices without a file still need a target: a plain HTML notice page.
            item.page_path = f"/tzgg/{stamp}.html"
            world.add_page(
                site.host, item.page_path, _page(site, item.title, _article_body(item, ""))
            )
            rows.append((item.title, item.page_path, item.published.isoformat()))
            continue
        item.page_path = "/xxgknb.html"
        item.file_path = path
        # Linked by its title, served without Content-Disposition: its name is the URL's.
        item.file_name = posixpath.basename(path)
        world.add_file(site.host, path, item.data, item.content_type, modified=item.published)
        rows.append((item.title, path, item.published.isoformat()))
    world.add_page(site.host, "/xxgknb.html", _page(site, site.column_text, _links(rows)))
    nav = (
        f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgknb.html">'
        f'{site.column_text}</a></li><li><a href="/ysqgk.html">依申请公开</a></li></ul>'
    )
    world.add_page(site.host, "/", _page(site, f"{site.name}信息公开网", nav))
    return "/"


def _jsp(world: World, site: CustomSite, items: list[Item]) -> str:
    base = f"/list.jsp?urltype=tree.TreeTempUrl&wbtreeid={site.tree_id}"
    total = -(-len(items) // site.per_page)
    for n, item in enumerate(items):
        day = item.published
        item.page_path = (
            f"/xxgk/{day.year}_{day.month:02d}/{day.day:02d}_{9 + n % 8:02d}/"
            f"content-{52000 + 17 * n}.html"
        )
        link = ""
        if item.data is not None:
            link = _serve_attachment(
                world,
                site,
                item,
                f"/uploadfile/{day.year}/{day.month:02d}{day.day:02d}/{_digest(item.title)[:16]}"
                f".{'docx' if (item.file_name or '').endswith('.docx') else 'pdf'}",
            )
        page = _page(site, item.title, _article_body(item, link))
        world.add_page(site.host, item.page_path, page, modified=item.published, flaky=_flaky(item))
    for k in range(1, total + 1):
        chunk = items[(k - 1) * site.per_page : k * site.per_page]
        rows = [(it.title, it.page_path, it.published.isoformat()) for it in chunk]
        nxt = (
            f'<a href="/list.jsp?totalpage={total}&PAGENUM={k + 1}&urltype=tree.TreeTempUrl'
            f'&wbtreeid={site.tree_id}">下一页</a>'
            if k < total
            else ""
        )
        pager = f'<div class="pager">第{k}页/共{total}页 {nxt}</div>'
        path = (
            base
            if k == 1
            else (
                f"/list.jsp?totalpage={total}&PAGENUM={k}"
                f"&urltype=tree.TreeTempUrl&wbtreeid={site.tree_id}"
            )
        )
        world.add_page(site.host, path, _page(site, site.column_text, _links(rows) + pager))
    nav = (
        f'<ul class="nav"><li><a href="/">首页</a></li><li><a href="{base}">'
        f"{site.column_text}</a></li></ul>"
    )
    world.add_page(site.host, "/", _page(site, f"{site.name}信息公开网", nav))
    return "/"


def _dede(world: World, site: CustomSite, items: list[Item]) -> str:
    """A GBK site: bodies are GBK bytes and declared so, except one deliberate misdeclaration."""
    col = "/a/xinxigongkai/xxgknb/"
    total = -(-len(items) // site.per_page)
    for n, item in enumerate(items):
        day = item.published
        item.page_path = f"{col}{day.year}/{day.month:02d}{day.day:02d}/{731 + 11 * n}.html"
        link = ""
        if item.data is not None:
            stamp = f"{day:%y%m%d}"
            link = _serve_attachment(
                world, site, item, f"/uploads/soft/{stamp}/1-{stamp}{93512 + n}.pdf"
            )
            link = link.replace("附件：", "点击下载：")
        text = _page(site, item.title, _article_body(item, link), charset="gbk")
        wrong = item.plan is not None and item.plan.year == site.misdeclared_year
        # Misdeclared on purpose: the header says UTF-8 but the bytes are GBK (seen on real
        # sites); a crawler must notice the decode errors and fall back to the meta/GBK.
        world.add_page(
            site.host,
            item.page_path,
            text,
            encoding="gbk",
            charset="utf-8" if wrong else None,
            modified=item.published,
            flaky=_flaky(item),
        )
    for k in range(1, total + 1):
        chunk = items[(k - 1) * site.per_page : k * site.per_page]
        rows = [(it.title, it.page_path, it.published.isoformat()) for it in chunk]
        pages = "".join(
            f'<li><a href="list_12_{n}.html">{n}</a></li>'
            if n != k
            else f'<li class="thisclass">{n}</li>'
            for n in range(1, total + 1)
        )
        nxt = f'<li><a href="list_12_{k + 1}.html">下一页</a></li>' if k < total else ""
        body = (
            _links(rows) + f'<ul class="pagelist">{pages}{nxt}<li><span class="pageinfo">共 '
            f"<strong>{total}</strong>页<strong>{len(items)}</strong>条</span></li></ul>"
        )
        page = _page(site, site.column_text, body, charset="gbk")
        world.add_page(site.host, f"{col}list_12_{k}.html", page, encoding="gbk")
        if k == 1:
            world.add_page(site.host, col, page, encoding="gbk")
    nav = (
        f'<ul class="nav"><li><a href="/a/xinxigongkai/">信息公开首页</a></li>'
        f'<li><a href="{col}">{site.column_text}</a></li></ul>'
    )
    world.add_page(
        site.host, "/a/xinxigongkai/", _page(site, "信息公开", nav, "gbk"), encoding="gbk"
    )
    world.add_page(
        site.host,
        "/",
        _page(site, site.name, '<a href="/a/xinxigongkai/">信息公开</a>', "gbk"),
        encoding="gbk",
    )
    return "/a/xinxigongkai/"
