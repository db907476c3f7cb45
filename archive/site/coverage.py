"""`/-/coverage` (+ `.csv`, `.json`): the school × year grid in Chinese, and transparency."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive.site import pages
from archive.site.charts import coverage_grid_html
from archive.site.labels import STATE_HELP, STATES
from archive.site.transparency import MEASURES, METHOD_HTML, SCORED_SQL

COVERAGE_COLUMNS = (
    "school_code",
    "school_name",
    "province",
    "year",
    "report_id",
    "published",
    "due",
    "days_late",
    "state",
)
COVERAGE_PAGE_SIZE = 200


async def coverage_rows(datasette: Any, province: str | None = None) -> list[dict]:
    where = "where province = :province" if province else ""
    cols = ", ".join(COVERAGE_COLUMNS)
    return await pages.rows(
        datasette,
        f"select {cols} from coverage {where} order by school_code, year",
        {"province": province},
    )


def legend_html() -> Markup:
    return Markup(
        '<p class="xxgk-legend">'
        + "".join(
            f'<span class="xxgk-state-{k}" title="{escape(k)}">{escape(v)}：'
            f"{escape(STATE_HELP[k])}</span>"
            for k, v in STATES.items()
        )
        + "</p>"
    )


async def coverage_page(request: Any, datasette: Any) -> Any:
    province = request.args.get("province") or None
    page = max(pages.int_arg(request, "page") or 1, 1)
    all_rows = await coverage_rows(datasette, province)
    codes = sorted({r["school_code"] for r in all_rows})
    shown = set(codes[(page - 1) * COVERAGE_PAGE_SIZE : page * COVERAGE_PAGE_SIZE])
    rows = [r for r in all_rows if r["school_code"] in shown]
    years = sorted({r["year"] for r in all_rows})
    counts = {k: sum(1 for r in all_rows if r["state"] == k) for k in STATES}
    provinces = [
        r["province"]
        for r in await pages.rows(
            datasette,
            "select distinct province from schools where coalesce(province, '') != '' "
            "order by province",
        )
    ]
    query = f"?province={escape(province)}" if province else ""
    nav = []
    if page > 1:
        nav.append(f'<a href="?page={page - 1}&province={escape(province or "")}">上一页</a>')
    if len(codes) > page * COVERAGE_PAGE_SIZE:
        nav.append(f'<a href="?page={page + 1}&province={escape(province or "")}">下一页</a>')
    summary = "；".join(f"{STATES[k]} {n}" for k, n in counts.items())
    transparency = await transparency_html(datasette, province)
    body = Markup("").join(
        [
            Markup(
                "<p>每行一所学校，每列一个年度（报告统计期间结束的年份，应于当年10月31日前发布）。"
                "点击格子打开该报告，点击校名打开学校页面。</p>"
                f"{legend_html()}"
                f'<form class="xxgk-form" method="get"><label>省份<select name="province">'
                f"{pages.options_html(provinces, province)}</select></label>"
                '<button type="submit">筛选</button></form>'
                f"<p>共 {len(codes)} 所学校 × {len(years)} 个年度：{escape(summary)}。下载："
                f'<a href="{escape(datasette.urls.path("/-/coverage.csv"))}{query}">CSV</a> · '
                f'<a href="{escape(datasette.urls.path("/-/coverage.json"))}{query}">JSON</a></p>'
            ),
            coverage_grid_html(
                rows,
                years,
                datasette.urls.path(f"/{pages.database_name(datasette)}/reports/") + "{id}",
                datasette.urls.path("/-/schools/") + "{code}",
            ),
            Markup(f"<p>{' · '.join(nav)}</p>"),
            transparency,
        ]
    )
    return await pages.page(datasette, request, "发布情况：学校 × 年度", body)


async def coverage_export(request: Any, datasette: Any) -> Any:
    rows = await coverage_rows(datasette, request.args.get("province") or None)
    for row in rows:
        row["state_label"] = STATES.get(row["state"], row["state"])
    if request.url_vars["format"] == "json":
        return pages.json_response({"columns": [*COVERAGE_COLUMNS, "state_label"], "rows": rows})
    header = [*COVERAGE_COLUMNS, "state_label"]
    return pages.csv_response(header, ([r[c] for c in header] for r in rows), "coverage.csv")


async def transparency_rows(
    datasette: Any, province: str | None = None, school: str | None = None
) -> list[dict]:
    where, params = [], {}
    if province:
        where.append("province = :province")
        params["province"] = province
    if school:
        where.append("school_code = :school")
        params["school"] = school
    clause = f"where {' and '.join(where)}" if where else ""
    return await pages.rows(
        datasette, f"select * from ({SCORED_SQL}) {clause} order by school_code, year", params
    )


def _tick(value: Any) -> Any:
    if value is None:
        return ("—", "")
    return ("✓", "xxgk-state-present") if value else ("✗", "xxgk-state-late")


def transparency_table(datasette: Any, rows: list[dict], with_school: bool = True) -> Markup:
    headers = [("学校", "school_name")] if with_school else []
    headers += [("年度", "year")] + [(zh, key) for key, zh in MEASURES.items()]
    body = []
    for r in rows:
        line: list[Any] = []
        if with_school:
            line.append(
                pages.link(pages.school_href(datasette, r["school_code"]), r["school_name"])
            )
        line.append(pages.link(pages.report_href(datasette, r["report_id"]), r["year"]))
        line.append(_tick(r["on_time"]))
        line.append((f"{r['sections_present']}/7", "" if r["all_sections"] else "xxgk-state-late"))
        line += [_tick(r["checklist_present"]), _tick(r["on_request_stated"])]
        line += [_tick(r["period_stated"]), r["score"]]
        body.append(line)
    return pages.table_html(headers, body, numeric=(len(headers) - 1,), css="xxgk-transparency")


async def transparency_html(datasette: Any, province: str | None) -> Markup:
    rows = await transparency_rows(datasette, province)
    heading = Markup('<h2 id="transparency">透明度指标（学校 × 年度）</h2>')
    return heading + Markup(METHOD_HTML) + transparency_table(datasette, rows)
