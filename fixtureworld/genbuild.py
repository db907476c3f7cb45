"""Lay a generated portal out as pages and files, and record its ground truth.

Called by `fixtureworld.generator` for each seed; the markup comes from `genpages`.
"""

from __future__ import annotations

import hashlib
import html
import random
from datetime import date
from urllib.parse import quote

from fixtureworld import genpages as gp
from fixtureworld.content import report_html
from fixtureworld.model import Resource, SchoolSite
from fixtureworld.reports import compose_report

COL = "ndbg"
FILED = ("pdf_link", "download_jsp", "viewer", "docx", "direct", "onclick")
_TRAPS = ("intranet", "login", "notfound200")


class _Site:
    def __init__(self, world, portal) -> None:
        self.world, self.portal = world, portal
        self.family = portal.knob("family")
        self.encoding = portal.knob("encoding")
        self.charset = "gbk" if self.encoding == "gbk" else "utf-8"
        placement = portal.knob("placement")
        self.home = {"frameset": "/main.htm", "refresh": "/xxgk/index.htm"}.get(placement, "/")
        self.nav_links = [(self.home, "首页"), ("/gk.htm", "学校概况"), ("/tzgg.htm", "通知公告")]
        if placement in ("nav", "frameset", "refresh"):
            self.nav_links.append((gp.page_url(portal.knob("paging"), COL, 0, 1), _label(portal)))
        if placement == "catalogue":
            self.nav_links.append(("/xxgkml.htm", "信息公开目录"))
        self.nav_links.append(("/sitemap.htm", "网站地图"))

    def page(
        self, path: str, title: str, body: str, *, status: int = 200, bar: bool = True
    ) -> None:
        inner = (gp.nav(self.nav_links) if bar else "") + body
        text = gp.frame(self.family, f"{title}-{self.portal.name}信息公开网", inner, self.charset)
        # Characters GBK lacks (›) become character references, as CMS templates write them.
        text = text.encode(self.encoding, "xmlcharrefreplace").decode(self.encoding)
        self.world.add_page(self.portal.host, path, text, encoding=self.encoding, status=status)

    def body_bytes(self, path: str) -> bytes:
        return self.world.resources[(self.portal.host, path)].body


def _label(portal) -> str:
    return portal.knob("column_label")


def _digest(*parts: object) -> str:
    return hashlib.md5("|".join(map(str, parts)).encode()).hexdigest()


def build_portal(world, portal, entries) -> None:
    from fixtureworld.generator import document_for, record_truth

    site = _Site(world, portal)
    rng = random.Random(f"build|{portal.seed}")
    paging, per_page = portal.knob("paging"), portal.knob("per_page")
    number = 1000 + portal.seed % 500
    files: dict[int, object] = {}
    for entry in reversed(entries):  # older articles have smaller ids, as on real sites
        entry.href = gp.article_url(site.family, COL, number, entry.day)
        number += rng.randint(1, 9)
        if entry.kind in ("report", "english", "repost") and entry.delivery in FILED:
            if entry.year not in files:
                document_for(portal, entry)
                entry.file_path = _serve_file(site, entry)
                files[entry.year] = entry
            original = files[entry.year]
            entry.data, entry.file_name = original.data, original.file_name
            entry.content_type, entry.file_path = original.content_type, original.file_path
            if entry.delivery == "direct":
                entry.href = entry.file_path
    total = max(1, -(-len(entries) // per_page))
    for k in range(total):
        chunk = entries[k * per_page : (k + 1) * per_page]
        rows = [(e.href, e.title, e.day) for e in chunk]
        body = (
            f'<div class="crumb">当前位置：<a href="{site.home}">首页</a> &gt; '
            f"{_label(portal)}</div>"
            f'<div class="column"><h2 class="column-title">{_label(portal)}</h2>'
            + gp.LIST_MARKUP[portal.knob("list_markup")](rows)
            + gp.pager(paging, portal.knob("pager"), portal.knob("next_word"), COL, k, total)
            + "</div>"
        )
        path = gp.page_url(paging, COL, k, total)
        site.page(path, _label(portal), body)
        world.listed[(portal.host, path)] = rows
        world.columns.setdefault(portal.code, []).append(path)
    reachable = _reachable(site, entries, paging)
    for entry in entries:
        if entry.kind in _TRAPS:
            _trap(site, entry)
            world.traps.add((portal.code, entry.year))
        elif entry.kind == "noise":
            site.page(
                entry.href,
                entry.title,
                gp.article_page(
                    site.family, entry.title, entry.day, f"<p>{html.escape(entry.title)}。</p>"
                ),
            )
        else:
            if entry.delivery != "direct":
                _article(site, entry)
            if entry in reachable and (portal.code, entry.year) not in world.truth:
                source = entry.file_path if entry.delivery in FILED else entry.href
                sha = _sha(site.world.files.get((portal.host, source)) or site.body_bytes(source))
                record_truth(world, portal, entry, entry.href, sha)
    _home(site, entries, paging, total)
    _furniture(site, paging)
    world.schools.append(SchoolSite(portal.code, portal.name, portal.registry_host, "/", ""))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _disallowed(paging: str) -> str:
    return f"/a/{COL}" if paging == "dede" else f"/{COL}"


def _reachable(site: _Site, entries, paging: str) -> list:
    """The reports a polite crawler can reach: all of them, unless robots.txt shuts the column
    (then only those linked from the home-page box, outside the disallowed folder)."""
    reports = [e for e in entries if e.kind in ("report", "english", "repost")]
    if "robots" not in site.portal.hazards:
        return reports
    if site.portal.knob("placement") != "homebox":
        return []
    shut = _disallowed(paging)
    boxed = entries[:2]
    return [
        e
        for e in reports
        if e in boxed and not e.href.startswith(shut) and not (e.file_path or "").startswith(shut)
    ]


def _serve_file(site: _Site, entry) -> str:
    portal, name = site.portal, entry.file_name
    key = _digest(portal.seed, entry.year)[:12]
    ext = name.rsplit(".", 1)[-1]
    if entry.delivery == "download_jsp":
        path = (
            f"/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid={key}"
        )
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        site.world.add_file(
            portal.host, path, entry.data, entry.content_type, disposition=disposition
        )
        return path
    path = f"/upload/{entry.year}/{key}.{ext}"
    site.world.add_file(portal.host, path, entry.data, entry.content_type)
    return path


def _article(site: _Site, entry) -> None:
    family, portal = site.family, site.portal
    if entry.delivery in ("html", "html_pages"):
        text = compose_report(
            portal.name,
            entry.year,
            entry.title,
            f"http://{portal.host}/",
            entry.day,
            "academic",
            str(portal.seed),
        )
        content = report_html(text)
        mark = f"<p>（完）{html.escape(portal.name)}{entry.year}年报告全文结束。</p>"
        site.world.marks[(portal.code, entry.year)] = (
            f"（完）{portal.name}{entry.year}年报告全文结束。"
        )
        parts = (
            _split(content + mark, 3 if portal.seed % 2 else 2)
            if entry.delivery == "html_pages"
            else [content + mark]
        )
        urls = [entry.href] + [
            gp.continuation_url(family, entry.href, n) for n in range(1, len(parts))
        ]
        for k, (url, part) in enumerate(zip(urls, parts, strict=True)):
            if "layout_table" in portal.hazards:
                part = f'<table width="100%"><tr><td>{part}</td></tr></table>'
            bar = gp.article_bar(urls, k) if len(parts) > 1 else ""
            site.page(url, entry.title, gp.article_page(family, entry.title, entry.day, part, bar))
        return
    intro = f"<p>现将{html.escape(entry.title)}予以公布。</p>"
    if entry.delivery == "viewer":
        extra = (
            f'<iframe src="/pdfjs/web/viewer.html?file={quote(entry.file_path)}" '
            'width="100%" height="800"></iframe>'
        )
    elif entry.delivery == "onclick":
        extra = (
            f'<p>附件：<a href="javascript:void(0);" onclick="openFile(\'{entry.file_path}\')">'
            f"{html.escape(entry.file_name)}</a></p>"
        )
    else:
        extra = gp.attachment_link(entry.file_path, entry.file_name)
    site.page(
        entry.href, entry.title, gp.article_page(family, entry.title, entry.day, intro + extra)
    )


def _split(content: str, parts: int) -> list[str]:
    blocks = content.split("\n")
    size = -(-len(blocks) // parts)
    return ["\n".join(blocks[i : i + size]) for i in range(0, len(blocks), size)]


def _trap(site: _Site, entry) -> None:
    host = site.portal.host
    if entry.kind == "intranet":
        if site.family == "webplus":
            body = '<div class="wp_error_msg">对不起，您无权访问此页面！该信息仅限校内访问。</div>'
        else:
            body = "<div class='msg'><p>无权访问：本信息仅限校内访问，请使用校园网。</p></div>"
        site.page(entry.href, "提示信息", body, bar=False)
    elif entry.kind == "login":
        target = f"/cas/login?service={quote('http://' + host + entry.href, safe='')}"
        site.world._put(host, entry.href, Resource(b"", "text/html", 302, (("Location", target),)))
        if (host, "/cas/login") not in site.world.resources:
            form = (
                '<div class="login"><h2>统一身份认证</h2><form method="post">'
                '<input name="username"><input type="password" name="password">'
                "<button>登录</button></form></div>"
            )
            site.world.add_page(
                host, "/cas/login", gp.frame("plain", "统一身份认证平台", form), any_query=True
            )
    else:
        body = "<div class='err'><h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p></div>"
        site.world.add_page(host, entry.href, gp.frame("plain", "404 页面不存在", body))


def _home(site: _Site, entries, paging: str, total: int) -> None:
    portal = site.portal
    placement = portal.knob("placement")
    column = gp.page_url(paging, COL, 0, total)
    news = '<div class="box"><h3>学校新闻</h3><a href="/gk.htm">更多</a></div>'
    body = f'<div class="banner"><img src="/images/banner.jpg" alt="{portal.name}"></div>{news}'
    if placement == "homebox":
        rows = "".join(
            f'<li><a href="{e.href}" title="{html.escape(e.title)}">'
            f"{html.escape(e.title[:14])}…</a></li>"
            for e in entries[:2]
        )
        body += (
            f'<div class="box"><div class="box-hd"><span class="tit">{_label(portal)}</span>'
            f'<a class="more" href="{column}">更多&gt;&gt;</a></div><ul>{rows}</ul></div>'
        )
    elif placement == "image":
        body += (
            f'<div class="buttons"><a href="{column}"><img src="/images/ndbg.png" '
            f'alt="{_label(portal)}"></a></div>'
        )
    site.page(site.home, "首页", body)
    if placement == "frameset":
        frames = (
            '<frameset rows="90,*" frameborder="0"><frame src="/top.htm" name="top">'
            '<frame src="/main.htm" name="main"></frameset>'
        )
        site.world.add_page(
            portal.host, "/", f"<html><head><title>{portal.name}</title></head>{frames}</html>"
        )
        site.page("/top.htm", "top", f"<div class='logo'>{portal.name}信息公开网</div>", bar=False)
    elif placement == "refresh":
        if portal.seed % 2:
            lead = f'<meta http-equiv="refresh" content="0; url={site.home}">'
        else:
            lead = f"<script>window.location.href = '{site.home}';</script>"
        site.world.add_page(portal.host, "/", f"<html><head>{lead}</head><body></body></html>")


def _furniture(site: _Site, paging: str) -> None:
    """The pages around the column: 概况, 通知公告, 信息公开目录, site map, robots.txt."""
    portal = site.portal
    column = gp.page_url(paging, COL, 0, 1)
    site.page("/gk.htm", "学校概况", f"<p>{portal.name}是一所省属公办普通高等学校。</p>")
    notices = [
        (f"/tzgg/{i}.htm", f"关于{2020 + i}年校园开放日安排的通知", date(2020 + i, 5, 6))
        for i in range(4)
    ]
    site.page("/tzgg.htm", "通知公告", gp.LIST_MARKUP["ul"](notices))
    if portal.knob("placement") == "catalogue":
        site.page(
            "/xxgkml.htm",
            "信息公开目录",
            '<ul class="ml"><li><a href="/jbxx.htm">基本信息</a></li></ul>',
        )
        site.page(
            "/jbxx.htm",
            "基本信息",
            f'<ul class="sub"><li><a href="/gk.htm">学校简介</a></li>'
            f'<li><a href="{column}">{_label(portal)}</a></li></ul>',
        )
    site.page(
        "/sitemap.htm",
        "网站地图",
        "".join(f'<a href="{h}">{t}</a> ' for h, t in [*site.nav_links, (column, _label(portal))]),
    )
    rules = ["/system/resource/"] + ([_disallowed(paging)] if "robots" in portal.hazards else [])
    site.world.add_text(
        portal.host, "/robots.txt", "User-agent: *\n" + "".join(f"Disallow: {r}\n" for r in rules)
    )
    if "moved" in portal.hazards:
        site.world.redirects[(portal.registry_host, "")] = portal.host
    if "https_registry" in portal.hazards:
        site.world.https_hosts.add(portal.registry_host)
    if "retry_after" in portal.hazards:
        site.world.retry_after[(portal.host, column)] = 1
