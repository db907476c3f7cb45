"""The home page: a research entry (search, coverage summary, where to go, what is here)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive.site import pages
from archive.site.coverage import legend_html
from archive.site.labels import STATES
from archive.site.searchpage import search_box

QUERIES = {
    "school_reports": "一所学校历年的报告",
    "schools_without_report": "某年度没有报告的学校",
    "late_reports": "10月31日后发布的报告",
    "on_request_by_school": "一所学校历年的依申请公开情况",
    "on_request_figures": "各校依申请公开数字",
    "section_search": "在某一章节内检索",
}


async def home_html(datasette: Any) -> Markup:
    states = {
        r["state"]: r["n"]
        for r in await pages.rows(
            datasette, "select state, count(*) as n from coverage group by state"
        )
    }
    facts = (
        await pages.rows(
            datasette,
            """select (select count(*) from schools) as schools,
                      (select count(*) from reports) as reports,
                      (select min(year) from reports) as first_year,
                      (select max(year) from reports) as last_year,
                      (select count(*) from fetches) as fetches,
                      (select max(coalesce(finished_at, started_at)) from crawls) as crawled""",
        )
    )[0]
    db = pages.database_name(datasette)
    cards = [
        ("学校", facts["schools"], "/-/schools"),
        ("报告", facts["reports"], f"/{db}/reports"),
        ("年度", f"{facts['first_year'] or '—'}–{facts['last_year'] or '—'}", "/-/coverage"),
        ("抓取记录", facts["fetches"], f"/{db}/fetches"),
    ]
    card_html = "".join(
        f'<div><a href="{escape(datasette.urls.path(href))}"><b>{escape(value)}</b>'
        f"{escape(label)}</a></div>"
        for label, value, href in cards
    )
    summary = "".join(
        f'<span class="xxgk-state-{k}">{escape(STATES[k])} {states.get(k, 0)}</span>'
        for k in STATES
    )
    queries = "".join(
        f'<li><a href="{escape(datasette.urls.path(f"/{db}/{name}"))}">{escape(label)}</a> '
        f'<span class="xxgk-en">{name}</span></li>'
        for name, label in QUERIES.items()
    )
    go = [
        ("/-/schools", "学校", "每所学校的门户、历年报告、数字与透明度"),
        (
            "/-/compare?figure=requests_received",
            "学校对比",
            "任一数字的学校 × 年度矩阵，可下载 CSV",
        ),
        ("/-/coverage", "发布情况", "学校 × 年度：已发布、逾期、缺失、解析失败，及透明度指标"),
        ("/-/charts", "图表", "每年按时/逾期/缺失的报告，依申请公开申请数"),
    ]
    go_html = "".join(
        f'<li><a href="{escape(datasette.urls.path(h))}">{escape(t)}</a>：{escape(d)}</li>'
        for h, t, d in go
    )
    return Markup(
        f"{search_box(datasette)}"
        f'<div class="xxgk-cards">{card_html}</div>'
        f'<h2>发布情况</h2><p class="xxgk-legend">{summary}</p>{legend_html()}'
        f"<h2>从这里开始</h2><ul>{go_html}</ul>"
        f"<h2>常用查询</h2><ul>{queries}</ul>"
        "<h2>档案里有什么</h2><p>各高校在信息公开网发布的《信息公开年度报告》（依《高等学校信息公开办法》"
        "应于每年10月31日前发布），抓取到的每个文件都原样保存（可从每份报告页下载），并解析出正文、章节、"
        "数字（依申请公开、举报、复议、诉讼等）和表格（清单事项公开情况表）。"
        f"最近一次抓取：{escape(facts['crawled'] or '尚未抓取')}（UTC）。"
        f'整个数据库：<a href="{escape(datasette.urls.path(f"/{db}.db"))}">{db}.db</a>；'
        f'数据表与视图：<a href="{escape(datasette.urls.path(f"/{db}"))}">{db}</a>。</p>'
    )


async def home_page(request: Any, datasette: Any) -> Any:
    title = datasette.metadata("title") or "高校信息公开年度报告档案"
    return await pages.page(datasette, request, title, await home_html(datasette))
