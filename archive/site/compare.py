"""`/-/compare?figure=NAME` (+ `.csv`, `.json`): a school × year matrix of one figure."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive.site import pages
from archive.site.labels import FIGURES
from archive.site.transparency import TRANSPARENCY_SQL

# Figures computed per report rather than read from its text (see transparency.py).
DERIVED = {
    "days_late": "逾期天数（10月31日后）",
    "sections_present": "标准章节数（共7项）",
    "checklist_present": "清单事项公开情况表（1=有）",
}
COMPARE_FIGURES = {**FIGURES, **DERIVED}
FILTERS = {"province": "省份", "authority": "主管部门", "level": "层次"}


def _figure(request: Any) -> str:
    name = request.args.get("figure") or "requests_received"
    return name if name in COMPARE_FIGURES else ""


async def matrix(request: Any, datasette: Any) -> dict:
    """Schools (filtered) × years, each cell {value, report_id, evidence, figure_id}."""
    figure = _figure(request)
    where, params = [], {}
    for key in FILTERS:
        if request.args.get(key):
            where.append(f"s.{key} = :{key}")
            params[key] = request.args[key]
    year_from, year_to = pages.int_arg(request, "from"), pages.int_arg(request, "to")
    clause = f"where {' and '.join(where)}" if where else ""
    schools = await pages.rows(
        datasette,
        f"select code, name, province, authority, level from schools s {clause} order by code",
        params,
    )
    if figure in DERIVED:
        sql = (
            f"select school_code, year, {figure} as value, report_id, null as evidence, "
            f"null as figure_id from ({TRANSPARENCY_SQL})"
        )
    else:
        sql = (
            "select r.school_code, r.year, f.value, r.id as report_id, f.evidence, "
            "f.id as figure_id from figures f join reports r on r.id = f.report_id "
            "where f.name = :figure and r.year is not null"
        )
    cells: dict[tuple[str, int], dict] = {}
    for row in await pages.rows(datasette, sql, {"figure": figure}) if figure else []:
        if year_from is not None and row["year"] < year_from:
            continue
        if year_to is not None and row["year"] > year_to:
            continue
        cells.setdefault((row["school_code"], row["year"]), row)  # first figure of a report
    codes = {s["code"] for s in schools}
    years = sorted({y for (code, y) in cells if code in codes})
    out = []
    for s in schools:
        values = {y: cells[(s["code"], y)] for y in years if (s["code"], y) in cells}
        out.append({**s, "values": values})
    sort = request.args.get("sort") or "code"
    descending = request.args.get("desc") == "1"
    if sort.isdigit():
        key_year = int(sort)
        present = [r for r in out if key_year in r["values"]]
        absent = [r for r in out if key_year not in r["values"]]
        present.sort(key=lambda r: r["values"][key_year]["value"] or 0, reverse=descending)
        out = present + absent  # schools without the figure go last either way
    elif sort in ("code", "name", "province", "authority", "level"):
        out.sort(key=lambda r: r[sort] or "", reverse=descending)
    return {"figure": figure, "label": COMPARE_FIGURES.get(figure, ""), "years": years, "rows": out}


def _query(request: Any, **changes: Any) -> str:
    args = pages.args_dict(request)
    args.update({k: v for k, v in changes.items()})
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return "?" + "&".join(f"{escape(k)}={escape(v)}" for k, v in args.items())


async def compare_page(request: Any, datasette: Any) -> Any:
    data = await matrix(request, datasette)
    options = "".join(
        f'<option value="{k}"{" selected" if k == data["figure"] else ""}>'
        f"{escape(v)}（{k}）</option>"
        for k, v in COMPARE_FIGURES.items()
    )
    selects = []
    for key, label in FILTERS.items():
        values = [
            r["v"]
            for r in await pages.rows(
                datasette,
                f"select distinct {key} as v from schools where coalesce({key}, '') != '' "
                "order by v",
            )
        ]
        selects.append(
            f'<label>{label}<select name="{key}">'
            f"{pages.options_html(values, request.args.get(key))}</select></label>"
        )
    form = (
        '<form class="xxgk-form" method="get">'
        f'<label>指标<select name="figure">{options}</select></label>{"".join(selects)}'
        f'<label>起始年度<input name="from" size="5" '
        f'value="{escape(request.args.get("from", ""))}"></label>'
        f'<label>截止年度<input name="to" size="5" value="{escape(request.args.get("to", ""))}">'
        "</label>"
        '<button type="submit">比较</button></form>'
    )
    if not data["figure"]:
        body = form + "<p class=xxgk-error>未知指标，请从列表中选择。</p>"
        return await pages.page(datasette, request, "学校对比", body, 400)
    sort, desc = request.args.get("sort") or "code", request.args.get("desc") == "1"

    def header(label: str, key: str) -> Markup:
        flip = "1" if (sort == key and not desc) else ""
        arrow = (" ▼" if desc else " ▲") if sort == key else ""
        href = _query(request, sort=key, desc=flip)
        return Markup(f'<a href="{href}" title="排序">{escape(label)}{arrow}</a>')

    head = [header("学校", "name"), header("省份", "province")]
    head += [header(str(y), str(y)) for y in data["years"]]
    lines = []
    for r in data["rows"]:
        cells = [
            f"<td>{pages.link(pages.school_href(datasette, r['code']), r['name'] or r['code'])}"
            "</td>",
            f"<td>{escape(r['province'] or '')}</td>",
        ]
        for y in data["years"]:
            cell = r["values"].get(y)
            if cell is None or cell["value"] is None:
                cells.append('<td class="num">—</td>')
                continue
            anchor = f"#figure-{cell['figure_id']}" if cell["figure_id"] else ""
            href = pages.report_href(datasette, cell["report_id"]) + anchor
            title = cell["evidence"] or f"{data['label']}：{cell['value']}"
            cells.append(f'<td class="num">{pages.link(href, cell["value"], title)}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    table = (
        '<div class="xxgk-scroll"><table class="xxgk-compare"><thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(lines)}</tbody></table></div>"
    )
    csv_href = escape(datasette.urls.path("/-/compare.csv")) + _query(request)
    json_href = escape(datasette.urls.path("/-/compare.json")) + _query(request)
    body = Markup(
        form
        + f"<p><b>{escape(data['label'])}</b> <span class=xxgk-en>{escape(data['figure'])}</span>"
        f"：{len(data['rows'])} 所学校 × {len(data['years'])} 个年度。每个数字链接到报告中"
        "它所出自的句子（鼠标悬停可见原句）；点击表头排序。"
        f'下载：<a href="{csv_href}">CSV</a>（Excel 可直接打开）· '
        f'<a href="{json_href}">JSON</a></p>' + table
    )
    return await pages.page(datasette, request, f"学校对比：{data['label']}", body)


async def compare_export(request: Any, datasette: Any) -> Any:
    data = await matrix(request, datasette)
    if not data["figure"]:
        return pages.json_response({"ok": False, "error": "unknown figure"})
    if request.url_vars["format"] == "json":
        for row in data["rows"]:
            for cell in row["values"].values():
                cell["url"] = pages.report_href(datasette, cell["report_id"])
        return pages.json_response(data)
    header = ["school_code", "school_name", "province", "authority", "level"]
    header += [str(y) for y in data["years"]]
    records = []
    for r in data["rows"]:
        line = [r["code"], r["name"], r["province"], r["authority"], r["level"]]
        line += [r["values"][y]["value"] if y in r["values"] else "" for y in data["years"]]
        records.append(line)
    return pages.csv_response(header, records, f"compare-{data['figure']}.csv")
