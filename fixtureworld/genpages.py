"""Markup of generated portals: page frames per CMS family, list markups, pagers, article
bars. Each table maps a knob's value to how it looks; `fixtureworld.generator` decides what
goes where. Adding a variant is one entry in the matching table here (and its name in
`generator.KNOBS`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

E = html.escape

# What marks a family's pages (the crawler's fingerprints look for some of these).
FAMILY_HEAD: dict[str, str] = {
    "vsb": '<script src="/system/resource/js/counter.js"></script>'
    '<link rel="stylesheet" href="/style.vsb.css">',
    "webplus": '<script src="/_js/_portletPlugs/sudyNavi/jquery.sudyNav.js"></script>',
    "trs": '<meta name="generator" content="TRS WCM 7.0">',
    "dede": '<meta name="generator" content="DedeCMS V5.7">',
    "drupal": '<meta name="Generator" content="Drupal 9 (https://www.drupal.org)">',
    "plain": "",
}
# The article body container per family (the parsers know these, or read it generically).
BODY: dict[str, tuple[str, str]] = {
    "vsb": ('<div class="v_news_content">', "</div>"),
    "webplus": ('<div class="wp_articlecontent">', "</div>"),
    "trs": ('<div class="TRS_Editor">', "</div>"),
    "dede": ('<div id="zoom">', "</div>"),
    "drupal": ('<div class="article-content">', "</div>"),
    "plain": ('<div class="article-content">', "</div>"),
}


def frame(family: str, title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={charset}"><title>{E(title)}</title>'
        f"{FAMILY_HEAD[family]}</head><body>{body}</body></html>"
    )


def nav(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{E(text)}</a></li>' for href, text in links)
    return f'<div class="nav"><ul class="menu">{items}</ul></div>'


# -- list markup: (href, title, date) rows -------------------------------------------------
Row = tuple[str, str, date]


def _short(title: str) -> str:
    return title if len(title) <= 16 else title[:15] + "…"


def _ul(rows: list[Row]) -> str:
    lis = "".join(
        f'<li><a href="{h}" title="{E(t)}" target="_blank">{E(_short(t))}</a>'
        f'<span class="date">{d.isoformat()}</span></li>'
        for h, t, d in rows
    )
    return f'<div class="list"><ul>{lis}</ul></div>'


def _table(rows: list[Row]) -> str:
    trs = "".join(
        f'<tr><td class="title"><a href="{h}">{E(t)}</a></td><td class="time">'
        f"[{d.strftime('%Y/%m/%d')}]</td></tr>"
        for h, t, d in rows
    )
    return f'<table class="list-table" width="100%">{trs}</table>'


def _div(rows: list[Row]) -> str:
    return "".join(
        f'<div class="news-item"><h4><a href="{h}">{E(t)}</a></h4>'
        f'<p class="meta">发布时间：{d.year}年{d.month}月{d.day}日</p></div>'
        for h, t, d in rows
    )


def _dl(rows: list[Row]) -> str:
    items = "".join(
        f'<dt><a href="{h}">{E(t)}</a></dt><dd>{d.isoformat()}</dd>' for h, t, d in rows
    )
    return f'<dl class="news">{items}</dl>'


def _split(rows: list[Row]) -> str:
    lis = "".join(
        f'<li><div class="date"><span class="day">{d.day:02d}</span>'
        f'<span class="ym">{d.year}-{d.month:02d}</span></div>'
        f'<div class="txt"><a href="{h}" title="{E(t)}">{E(t)}</a></div></li>'
        for h, t, d in rows
    )
    return f'<ul class="calendar-list">{lis}</ul>'


def _download_table(rows: list[Row]) -> str:
    """A file table: the title in its own cell, the link says only 下载 (or 查看)."""
    trs = "".join(
        f"<tr><td>{i}</td><td class='t'>{E(t)}</td><td>{d.isoformat()}</td>"
        f'<td><a href="{h}">{"下载" if i % 2 else "[查看]"}</a></td></tr>'
        for i, (h, t, d) in enumerate(rows, start=1)
    )
    head = "<tr><th>序号</th><th>标题</th><th>发布日期</th><th>操作</th></tr>"
    return f'<table class="file-list">{head}{trs}</table>'


def _card(rows: list[Row]) -> str:
    """Cards: a heading without a link, a summary, the date, and a 阅读全文 link."""
    return "".join(
        f'<div class="card"><h3>{E(t)}</h3><p class="summary">根据有关规定，现予公布。</p>'
        f'<span class="date">{d.year}年{d.month:02d}月{d.day:02d}日</span>'
        f'<a class="more" href="{h}">阅读全文&gt;&gt;</a></div>'
        for h, t, d in rows
    )


def _month_day(rows: list[Row]) -> str:
    """A compact list: the date first and without its year (`[10-30]`)."""
    lis = "".join(
        f'<li><span class="time">[{d.month:02d}-{d.day:02d}]</span>'
        f'<a href="{h}" title="{E(t)}">{E(_short(t))}</a></li>'
        for h, t, d in rows
    )
    return f'<ul class="news-list">{lis}</ul>'


def _undated(rows: list[Row]) -> str:
    """Titles only: no date anywhere in the list."""
    lis = "".join(f'<li><a href="{h}">{E(t)}</a></li>' for h, t, _d in rows)
    return f'<ul class="doc-list">{lis}</ul>'


LIST_MARKUP: dict[str, Callable[[list[Row]], str]] = {
    "ul": _ul,
    "table": _table,
    "div": _div,
    "dl": _dl,
    "split": _split,
    "download_table": _download_table,
    "card": _card,
    "month_day": _month_day,
    "undated": _undated,
}
# Markups that print no year with the date: an item is dated, its day is the article's.
YEARLESS_MARKUP = frozenset({"month_day"})
UNDATED_MARKUP = frozenset({"undated"})


# -- pagination: the address of list page k (0-based) of n, per style ------------------------
def page_url(style: str, col: str, k: int, n: int) -> str:
    """`col` is the column's slug; the first page is the column's own address."""
    first = {
        "countdown": f"/{col}.htm",
        "listN": f"/{col}/list.htm",
        "page_query": f"/{col}",
        "pageindex": f"/{col}/list.aspx?cid=7",
        "pagenum": f"/{col}/list.jsp?wbtreeid=1011",
        "dede": f"/a/{col}/",
        "index_n": f"/{col}/index.htm",
        "trs_script": f"/{col}/index.html",
    }[style]
    if k == 0:
        return first
    return {
        "countdown": f"/{col}/{n - k}.htm",
        "listN": f"/{col}/list{k + 1}.htm",
        "page_query": f"/{col}?page={k}",
        "pageindex": f"/{col}/list.aspx?cid=7&pageIndex={k + 1}",
        "pagenum": f"/{col}/list.jsp?totalpage={n}&PAGENUM={k + 1}&wbtreeid=1011",
        "dede": f"/a/{col}/list_7_{k + 1}.html",
        "index_n": f"/{col}/index_{k}.htm",
        "trs_script": f"/{col}/index_{k}.html",
    }[style]


def pager(style: str, shown: str, word: str, col: str, k: int, n: int) -> str:
    """The pager of list page k: next link, numbered links or both (`shown`), or the TRS
    script call that writes it in the browser."""
    if n <= 1:
        return ""
    if style == "trs_script":
        return (
            '<div class="page"><script type="text/javascript">'
            f'createPageHTML({n}, {k}, "index", "html");</script></div>'
        )
    parts = [f"<span>共{n}页</span>"]
    if k > 0:
        parts.append(f'<a href="{page_url(style, col, 0, n)}">首页</a>')
        parts.append(f'<a href="{page_url(style, col, k - 1, n)}">上一页</a>')
    if shown in ("numbers", "both"):
        for j in range(n):
            if j == k:
                parts.append(f'<span class="current">{j + 1}</span>')
            else:
                parts.append(f'<a href="{page_url(style, col, j, n)}">{j + 1}</a>')
    if shown in ("next", "both") and k < n - 1:
        label = '<img src="/images/next.gif" alt="下一页">' if word == "image" else E(word)
        parts.append(f'<a href="{page_url(style, col, k + 1, n)}">{label}</a>')
        parts.append(f'<a href="{page_url(style, col, n - 1, n)}">尾页</a>')
    return f'<div class="pagination">{"".join(parts)}</div>'


# -- articles -------------------------------------------------------------------------------
def article_url(family: str, col: str, n: int, day: date) -> str:
    return {
        "vsb": f"/info/1011/{n}.htm",
        "webplus": f"/{day.year}/{day.month:02d}{day.day:02d}/c1011a{n}/page.htm",
        "trs": f"/{col}/{day.year}{day.month:02d}/t{day.year}{day.month:02d}{day.day:02d}_{n}.html",
        "dede": f"/a/{col}/{day.year}/{day.month:02d}{day.day:02d}/{n}.html",
        "drupal": f"/node/{n}",
        "plain": f"/show.php?id={n}",
    }[family]


def continuation_url(family: str, first: str, page: int) -> str:
    """Page `page` (1-based beyond the first) of a split article."""
    if family in ("drupal", "plain"):
        return f"{first}{'&' if '?' in first else '?'}page={page}"
    stem, ext = first.rsplit(".", 1)
    number = page + 1 if family == "dede" else page  # DedeCMS counts the first page as 1
    return f"{stem}_{number}.{ext}"


def article_bar(urls: list[str], k: int) -> str:
    """The page bar of a split article (numbers and 下一页)."""
    links = [
        f'<a href="{u}">{j + 1}</a>' if j != k else f"<b>{j + 1}</b>" for j, u in enumerate(urls)
    ]
    if k < len(urls) - 1:
        links.append(f'<a href="{urls[k + 1]}">下一页</a>')
    return f'<div class="page-bar">{"".join(links)}</div>'


def article_page(family: str, title: str, day: date, content: str, extra: str = "") -> str:
    open_, close = BODY[family]
    if family == "dede":
        # DedeCMS templates put the body in a layout table next to a side menu.
        content = (
            '<table width="100%" class="layout"><tr><td class="side" width="200">'
            '<a href="/">首页</a> <a href="/xxgk/">信息公开</a></td><td class="main">'
            f"{open_}{content}{close}</td></tr></table>"
        )
    else:
        content = f"{open_}{content}{close}"
    return (
        f'<div class="article"><h1 class="arti_title">{E(title)}</h1>'
        f'<div class="info">发布日期：{day.isoformat()}</div>{content}{extra}</div>'
    )


def attachment_link(href: str, name: str) -> str:
    return f'<p>附件：<a href="{href}">{E(name)}</a></p>'
