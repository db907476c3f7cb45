"""Server-side SVG charts and the coverage grid: no JavaScript, nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from archive.site.labels import STATES

STATE_COLOURS = {
    "present": "#2e7d32",
    "late": "#ef6c00",
    "undated": "#9e9e9e",
    "missing": "#e0e0e0",
    "parse_error": "#c62828",
}

# Per year and coverage state (the coverage view: present, late, undated, missing, parse_error).
YEARLY_SQL = """
select year,
       sum(state = 'present') as present, sum(state = 'late') as late,
       sum(state = 'undated') as undated, sum(state = 'missing') as missing,
       sum(state = 'parse_error') as parse_error
  from coverage where year is not null group by year order by year
"""

# 依申请公开 requests received per year, over the reports that state the figure.
REQUESTS_SQL = """
select r.year, sum(f.value) as received, count(distinct r.id) as reports
  from figures f join reports r on r.id = f.report_id
 where f.name = 'requests_received' and r.year is not null
 group by r.year order by r.year
"""


@dataclass
class Series:
    name: str
    colour: str
    values: Sequence[float]


def _ink(colour: str) -> str:
    """White text on dark fills, black on light ones."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#fff" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "#000"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return step * 5
    return value


def bar_chart_svg(
    title: str, labels: Sequence[str], series: Sequence[Series], percent: bool = False
) -> str:
    """A stacked bar chart as a self-contained SVG document (escaped text, no scripts)."""
    width, height, left, bottom, top = 640, 300, 48, 40, 36
    plot_w, plot_h = width - left - 16, height - bottom - top
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top_value = 100.0 if percent else _nice_max(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="Noto Sans CJK SC, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for k in range(6):  # gridlines and y labels
        value = top_value * k / 5
        y = top + plot_h - plot_h * k / 5
        label = f"{value:.0f}%" if percent else f"{value:g}"
        parts.append(
            f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>'
        )
    for i, label in enumerate(labels):
        x = left + i * slot + slot * 0.15
        base = top + plot_h
        for s in series:
            value = s.values[i]
            h = plot_h * value / top_value if top_value else 0
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"><title>{escape(label)} {escape(s.name)}: '
                f"{value:g}{'%' if percent else ''}</title></rect>"
            )
            if value and h >= 13 and len(series) > 1:  # inside its segment when it fits
                parts.append(
                    f'<text x="{x + slot * 0.35:.1f}" y="{base + h / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="{_ink(s.colour)}">'
                    f"{value:g}{'%' if percent else ''}</text>"
                )
        if totals[i] and (len(series) > 1 or base - top > 0):
            shown = f"{totals[i]:g}{'%' if percent else ''}"
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{base - 4:.1f}" text-anchor="middle" '
                f'font-weight="bold">{shown}</text>'
            )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    legend_x = left
    for s in series:
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{legend_x + 14}" y="{height - 5}">{escape(s.name)}</text>'
        )
        legend_x += 14 + 12 * len(s.name) + 14
    parts.append("</svg>")
    return "".join(parts)


def reports_per_year_svg(rows: list[dict]) -> str:
    labels = [str(r["year"]) for r in rows]
    return bar_chart_svg(
        "每年报告发布情况（以10月31日为限）",
        labels,
        [
            Series("按时发布", STATE_COLOURS["present"], [r["present"] for r in rows]),
            Series("逾期发布", STATE_COLOURS["late"], [r["late"] for r in rows]),
            Series("未注明日期", STATE_COLOURS["undated"], [r["undated"] for r in rows]),
            Series(
                "解析失败", STATE_COLOURS["parse_error"], [r.get("parse_error", 0) for r in rows]
            ),
            Series("缺失", "#bdbdbd", [r.get("missing", 0) for r in rows]),
        ],
    )


def late_share_svg(rows: list[dict]) -> str:
    labels = [str(r["year"]) for r in rows]
    shares = []
    for r in rows:
        dated = r["present"] + r["late"]
        shares.append(round(100 * r["late"] / dated, 1) if dated else 0)
    return bar_chart_svg(
        "逾期发布比例（注明日期的报告中10月31日后发布的比例）",
        labels,
        [Series("逾期", STATE_COLOURS["late"], shares)],
        percent=True,
    )


def requests_per_year_svg(rows: list[dict]) -> str:
    """依申请公开 requests received per year, summed over the reports that state the figure."""
    labels = [str(r["year"]) for r in rows]
    return bar_chart_svg(
        "每年收到的依申请公开申请（各校报告所载数字之和）",
        labels,
        [Series("收到申请", "#3f51b5", [r["received"] or 0 for r in rows])],
    )


def coverage_grid_html(
    rows: list[dict], years: list[int], report_url: str, school_url: str
) -> Markup:
    """One table row per school, one cell per year, coloured by state and linked to the report.

    `rows` come from the coverage view ordered by school; `report_url` has an `{id}` slot and
    `school_url` a `{code}` slot.
    """
    schools: dict[str, dict] = {}
    for row in rows:
        entry = schools.setdefault(
            row["school_code"], {"name": row["school_name"], "province": row["province"]}
        )
        entry[row["year"]] = row
    head = "".join(f"<th>{y}</th>" for y in years)
    body = []
    for code, entry in schools.items():
        cells = []
        for year in years:
            row = entry.get(year)
            state = row["state"] if row else "missing"
            text = escape(STATES.get(state, state))
            if row and row["report_id"] is not None:
                href = escape(report_url.format(id=row["report_id"]))
                title = escape(
                    f"{STATES.get(state, state)}（{state}）："
                    f"发布日期 {row['published'] or '未注明'}"
                )
                text = Markup(f'<a href="{href}" title="{title}">{text}</a>')
            cells.append(
                f'<td class="xxgk-state-{escape(state)}" data-state="{escape(state)}">{text}</td>'
            )
        school = escape(school_url.format(code=code))
        body.append(
            f'<tr><td><a href="{school}">{escape(entry["name"] or code)}</a></td>'
            f"<td>{escape(entry['province'] or '')}</td>{''.join(cells)}</tr>"
        )
    return Markup(
        '<div class="xxgk-scroll"><table class="xxgk-coverage"><thead><tr><th>学校</th>'
        f"<th>省份</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
