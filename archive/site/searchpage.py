"""`/-/search?q=` and `/-/search.json?q=`: ranked hits with snippets, and facets."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive.search import SearchQueryEmpty
from archive.search_hits import FACET_CAP, SearchResult, search
from archive.site import pages
from archive.site.labels import section_label

PAGE_SIZE = 20


def _params(request: Any) -> dict:
    return {
        "year": pages.int_arg(request, "year"),
        "province": request.args.get("province") or None,
        "school": request.args.get("school") or None,
    }


async def _run(request: Any, datasette: Any) -> tuple[str, SearchResult | None, str | None]:
    query = (request.args.get("q") or "").strip()
    if not query:
        return query, None, None
    page = max(pages.int_arg(request, "page") or 1, 1)
    filters = _params(request)

    def work(conn: Any) -> SearchResult:
        return search(conn, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **filters)

    try:
        return query, await pages.database(datasette).execute_fn(work), None
    except SearchQueryEmpty:
        return query, None, "检索词中没有可检索的文字或数字。"


def search_box(datasette: Any, query: str = "") -> Markup:
    action = escape(datasette.urls.path("/-/search"))
    return Markup(
        f'<form class="xxgk-search" action="{action}" method="get" role="search">'
        f'<input type="search" name="q" value="{escape(query)}" '
        'placeholder="检索报告全文，如：招生、依申请公开"'
        ' aria-label="检索词" autofocus><button type="submit">检索</button></form>'
    )


def _link(request: Any, **changes: Any) -> str:
    args = {k: v for k, v in pages.args_dict(request).items() if k != "page"}
    args.update(changes)
    return "?" + "&".join(
        f"{escape(k)}={escape(v)}" for k, v in args.items() if v not in ("", None)
    )


def _facets_html(request: Any, result: SearchResult) -> str:
    names = {"year": "年度", "province": "省份", "school": "学校"}
    blocks = []
    for key, label in names.items():
        current = request.args.get(key)
        items = []
        for value, text, count in result.facets.get(key, []):
            if current and str(value) == current:
                items.append(
                    f'<li><b>{escape(text)}</b> {count} <a href="{_link(request, **{key: ""})}">'
                    "✕ 取消</a></li>"
                )
            else:
                href = _link(request, **{key: value})
                items.append(f'<li><a href="{href}">{escape(text)}</a> {count}</li>')
        if items:
            blocks.append(f"<div><b>{label}</b><ul>{''.join(items)}</ul></div>")
    return f'<div class="xxgk-facets">{"".join(blocks)}</div>' if blocks else ""


def _hit_html(datasette: Any, query: str, hit: Any) -> str:
    href = escape(pages.report_href(datasette, hit.report_id))
    school = escape(pages.school_href(datasette, hit.school_code))
    where = f"{escape(hit.school_name)} {hit.year or ''} 年度报告"
    if hit.section:
        anchor = f"{href}#section-{escape(hit.section_key or '')}"
        place = (
            f'「{escape(query)}」见于 <a href="{school}">{escape(hit.school_name)}</a> '
            f'{hit.year or ""} 年度报告 · <a href="{anchor}">{escape(hit.section)}</a>'
            f'<span class="xxgk-en">（{escape(section_label(hit.section_key))}）</span>'
        )
    else:
        place = f'「{escape(query)}」见于 <a href="{school}">{where}</a>（标题或正文）'
    return (
        f'<div class="xxgk-hit"><a href="{href}"><b>{escape(hit.title or where)}</b></a>'
        f'<div class="where">{place}</div>'
        f'<p class="snippet">{hit.snippet}</p></div>'
    )


async def search_page(request: Any, datasette: Any) -> Any:
    query, result, error = await _run(request, datasette)
    html = [str(search_box(datasette, query))]
    if error:
        html.append(f'<p class="xxgk-error">{escape(error)}</p>')
    elif result is None:
        html.append(
            "<p>在所有报告的全文（含学校名称、标题）中检索任意中文词语，一个字也可以；"
            "多个词用空格分开表示同时出现。结果按相关度（bm25）排序，命中某一章节的结果列在前面。</p>"
        )
    else:
        page = max(pages.int_arg(request, "page") or 1, 1)
        total = f"{result.total:,}{'+' if result.capped else ''}"
        json_href = escape(datasette.urls.path("/-/search.json")) + _link(request, page=page)
        html.append(
            f'<p>共 {total} 份报告含「{escape(query)}」。<a href="{json_href}">JSON</a></p>'
        )
        if result.facets_sampled:
            html.append(f'<p class="xxgk-en">分面统计基于前 {FACET_CAP:,} 条命中。</p>')
        html.append(_facets_html(request, result))
        html.extend(_hit_html(datasette, query, h) for h in result.hits)
        nav = []
        if page > 1:
            nav.append(f'<a href="{_link(request, page=page - 1)}">上一页</a>')
        if page * PAGE_SIZE < result.total:
            nav.append(f'<a href="{_link(request, page=page + 1)}">下一页</a>')
        html.append(f"<p>{' · '.join(nav)}</p>")
    title = f"检索：{query}" if query else "检索报告"
    return await pages.page(datasette, request, title, Markup("".join(html)))


async def search_json(request: Any, datasette: Any) -> Any:
    query, result, error = await _run(request, datasette)
    if result is None:
        return pages.json_response({"ok": False, "q": query, "error": error or "empty query"})
    return pages.json_response(
        {
            "ok": True,
            "q": query,
            "total": result.total,
            "total_capped": result.capped,
            "facets_sampled": result.facets_sampled,
            "hits": [h.as_json() for h in result.hits],
            "facets": {
                k: [{"value": v, "label": t, "count": c} for v, t, c in items]
                for k, items in result.facets.items()
            },
        }
    )
