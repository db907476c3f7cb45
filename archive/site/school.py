"""`/-/schools` and `/-/schools/<code>`: who the school is, its portal, every report by year."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive.site import pages
from archive.site.charts import Series, bar_chart_svg
from archive.site.coverage import transparency_rows, transparency_table
from archive.site.labels import (
    FIGURES,
    FORMATS,
    PARSE_STATUS,
    SHORT_FIGURES,
    STATES,
    reasons_label,
)

HEALTH_SQL = """
select * from portal_health where school_code = :code order by id desc limit 1
"""


async def schools_index(request: Any, datasette: Any) -> Any:
    province = request.args.get("province") or None
    where = "where s.province = :province" if province else ""
    rows = await pages.rows(
        datasette,
        f"""select s.code, s.name, s.province, s.city, s.authority, s.level,
                   count(r.id) as reports, min(r.year) as first_year, max(r.year) as last_year
              from schools s left join reports r on r.school_code = s.code {where}
             group by s.code order by s.province, s.code""",
        {"province": province},
    )
    provinces = sorted({r["province"] for r in rows if r["province"]})
    body = [
        [
            pages.link(pages.school_href(datasette, r["code"]), r["name"] or r["code"]),
            r["province"],
            r["city"],
            r["authority"],
            r["level"],
            r["reports"],
            f"{r['first_year']}–{r['last_year']}" if r["first_year"] else "—",
        ]
        for r in rows
    ]
    html = Markup(
        f"<p>共 {len(rows)} 所学校。</p>"
        '<form class="xxgk-form" method="get"><label>省份<select name="province">'
        f"{pages.options_html(provinces, province)}</select></label>"
        '<button type="submit">筛选</button></form>'
    ) + pages.table_html(
        [
            ("学校", "name"),
            ("省份", "province"),
            ("城市", "city"),
            ("主管部门", "authority"),
            ("层次", "level"),
            ("报告数", "reports"),
            ("年度", "years"),
        ],
        body,
        numeric=(5,),
    )
    return await pages.page(datasette, request, "学校", html)


def _health_html(health: dict | None) -> str:
    if health is None:
        return "<p>尚无抓取记录。</p>"
    ok = not health["needs_attention"]
    status = "正常" if ok else f"需要关注：{escape(reasons_label(health['reasons']))}"
    return (
        f'<p class="{"" if ok else "xxgk-error"}">门户状态（{escape(health["checked_at"] or "")}'
        f" 抓取）：{status}；首页 HTTP {escape(health['home_status'] or '无响应')}，"
        f"{'找到' if health['column_found'] else '未找到'}年报栏目，"
        f"列表页 {health['list_pages'] or 0} 个，报告 {health['reports_seen'] or 0} 份，"
        f"抓取错误 {health['fetch_errors'] or 0} 次。</p>"
    )


def _lateness(row: dict) -> str:
    state = row["state"]
    label = STATES.get(state, state)
    if state == "late" and row.get("days_late"):
        return f"{label} {row['days_late']} 天"
    return label


async def school_page(request: Any, datasette: Any) -> Any:
    code = request.url_vars["code"]
    found = await pages.rows(datasette, "select * from schools where code = :c", {"c": code})
    if not found:
        return await pages.page(
            datasette, request, "未找到该学校", f"<p>没有代码为 {escape(code)} 的学校。</p>", 404
        )
    school = found[0]
    reports = await pages.rows(
        datasette,
        """select c.year, c.state, c.days_late, r.id, r.title, r.published, r.format,
                   r.status, r.error, r.sha256, r.pages, r.removed_at, r.removal_reason,
                   (select count(*) from report_versions v where v.report_id = r.id) as versions
              from coverage c left join reports r on r.id = c.report_id
             where c.school_code = :c order by c.year desc""",
        {"c": code},
    )
    figures = await pages.rows(
        datasette,
        """select r.year, f.name, f.value, f.evidence, r.id as report_id, f.id
             from figures f join reports r on r.id = f.report_id
            where r.school_code = :c order by r.year""",
        {"c": code},
    )
    health = await pages.rows(datasette, HEALTH_SQL, {"c": code, "code": code})
    fields = [
        ("学校代码", code),
        ("省份", school["province"]),
        ("城市", school["city"]),
        ("主管部门", school["authority"]),
        ("层次", school["level"]),
    ]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v or '—')}</dd>" for k, v in fields)
    portal = school["portal_url"]
    dl += "<dt>信息公开网</dt><dd>" + (
        f'<a href="{escape(portal)}" rel="noopener">{escape(portal)}</a>' if portal else "—"
    )
    dl += "</dd>"
    html = [f'<dl class="xxgk-fields">{dl}</dl>', _health_html(health[0] if health else None)]
    html.append("<h2>历年报告</h2>")
    html.append(_reports_table(datasette, reports))
    html.append(_figures_html(datasette, figures))
    html.append("<h2>透明度指标</h2>")
    html.append(
        str(transparency_table(datasette, await transparency_rows(datasette, school=code), False))
    )
    changed = [r for r in reports if r["id"] and (r["versions"] or 0) > 1]
    removed = [r for r in reports if r["id"] and r["removed_at"]]
    html.append("<h2>版本与撤下</h2>")
    if not changed and not removed:
        html.append("<p>没有报告被替换或从门户撤下。</p>")
    for r in changed:
        href = escape(pages.report_href(datasette, r["id"]))
        html.append(f'<p><a href="{href}">{r["year"]} 年度报告</a>：{r["versions"]} 个版本。</p>')
    for r in removed:
        href = escape(pages.report_href(datasette, r["id"]))
        html.append(
            f'<p><a href="{href}">{r["year"]} 年度报告</a>：{escape(r["removed_at"])} 发现已从门户'
            f"撤下（{escape(r['removal_reason'] or '')}），文件仍保存在档案中。</p>"
        )
    return await pages.page(datasette, request, school["name"] or code, Markup("".join(html)))


def _reports_table(datasette: Any, reports: list[dict]) -> Markup:
    body = []
    for r in reports:
        if r["id"] is None:
            body.append([r["year"], ("缺失", "xxgk-state-missing"), "", "", "", "", ""])
            continue
        parse = PARSE_STATUS.get(r["status"] or "", r["status"] or "")
        if r["status"] == "parse_error":
            parse = f"解析失败：{r['error'] or ''}"
        original = (
            pages.link(datasette.urls.path(f"/-/raw/{r['sha256']}"), "原始文件")
            if r["sha256"]
            else ""
        )
        body.append(
            [
                r["year"],
                (pages.link(pages.report_href(datasette, r["id"]), r["title"] or "报告"), "wrap"),
                r["published"] or "未注明",
                (_lateness(r), f"xxgk-state-{r['state']}"),
                FORMATS.get(r["format"] or "", r["format"] or ""),
                (parse, "wrap" if r["status"] == "parse_error" else ""),
                original,
            ]
        )
    return pages.table_html(
        [
            ("年度", "year"),
            ("标题", "title"),
            ("发布日期", "published"),
            ("发布情况", "state"),
            ("格式", "format"),
            ("解析", "status"),
            ("原始文件", "sha256"),
        ],
        body,
    )


def _figures_html(datasette: Any, figures: list[dict]) -> str:
    if not figures:
        return "<h2>历年数字</h2><p>报告中未读出数字。</p>"
    years = sorted({f["year"] for f in figures})
    by_name: dict[str, dict[int, dict]] = {}
    for f in figures:
        by_name.setdefault(f["name"], {})[f["year"]] = f
    body = []
    for name in [n for n in FIGURES if n in by_name] + [n for n in by_name if n not in FIGURES]:
        line: list[Any] = [
            Markup(
                f'{escape(FIGURES.get(name, name))}<br><span class="xxgk-en">{escape(name)}</span>'
            )
        ]
        for year in years:
            f = by_name[name].get(year)
            if f is None:
                line.append("")
                continue
            href = pages.report_href(datasette, f["report_id"]) + f"#figure-{f['id']}"
            line.append(pages.link(href, f["value"], f["evidence"]))
        body.append(line)
    table = pages.table_html(
        [("数字", "name")] + [(str(y), str(y)) for y in years],
        body,
        numeric=tuple(range(1, len(years) + 1)),
    )
    received = by_name.get("requests_received", {})
    chart = bar_chart_svg(
        f"依申请公开：{SHORT_FIGURES['requests_received']}（每年）",
        [str(y) for y in years],
        [
            Series(
                "收到申请", "#3f51b5", [received[y]["value"] if y in received else 0 for y in years]
            )
        ],
    )
    return f'<h2>历年数字</h2>{table}<figure class="xxgk-chart">{chart}</figure>'
