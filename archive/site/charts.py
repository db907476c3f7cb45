"""Server-side SVG charts and the coverage grid: no JavaScript, nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

STATE_COLOURS = {
    "present": "#2e7d32",
    "late": "#ef6c00",
    "undated": "#9e9e9e",
    "missing": "#eeeeee",
    "parse_error": "#c62828",
}

# Lighter shades for table cells, so the link text on them stays readable.
CELL_COLOURS = {
    "present": "#c8e6c9",
    "late": "#ffe0b2",
    "undated": "#eeeeee",
    "missing": "#fff",
    "parse_error": "#ffcdd2",
}

# Counts per year of reports by timeliness, from the coverage view's one late rule.
YEARLY_SQL = """
select year,
       sum(case when report_id is not null and days_late = 0 then 1 else 0 end) as present,
       sum(case when days_late > 0 then 1 else 0 end) as late,
       sum(case when report_id is not null and published is null then 1 else 0 end) as undated
  from coverage group by year order by year
"""


@dataclass
class Series:
    name: str
    colour: str
    values: Sequence[float]


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
        'font-family="sans-serif" font-size="11">',
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
        legend_x += 14 + 8 * len(s.name) + 16
    parts.append("</svg>")
    return "".join(parts)


def reports_per_year_svg(rows: list[dict]) -> str:
    labels = [str(r["year"]) for r in rows]
    return bar_chart_svg(
        "Reports per year (by publication against 31 October)",
        labels,
        [
            Series("on time", STATE_COLOURS["present"], [r["present"] for r in rows]),
            Series("late", STATE_COLOURS["late"], [r["late"] for r in rows]),
            Series("no date", STATE_COLOURS["undated"], [r["undated"] for r in rows]),
        ],
    )


def late_share_svg(rows: list[dict]) -> str:
    labels = [str(r["year"]) for r in rows]
    shares = []
    for r in rows:
        dated = r["present"] + r["late"]
        shares.append(round(100 * r["late"] / dated, 1) if dated else 0)
    return bar_chart_svg(
        "Late publication: share of dated reports published after 31 October",
        labels,
        [Series("late", STATE_COLOURS["late"], shares)],
        percent=True,
    )


def coverage_grid_html(rows: list[dict], years: list[int], report_url: str) -> Markup:
    """One table row per school, one cell per year, coloured by state and linked to the report.

    `rows` come from the coverage view ordered by school; `report_url` has a `{id}` slot.
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
            text = state
            if row and row["report_id"] is not None:
                href = escape(report_url.format(id=row["report_id"]))
                title = escape(f"{state}: published {row['published'] or '?'}")
                text = Markup(f'<a href="{href}" title="{title}">{escape(state)}</a>')
            cells.append(
                f'<td class="xxgk-{escape(state)}" '
                f'style="background:{CELL_COLOURS.get(state, "#fff")}">{text}</td>'
            )
        body.append(
            f"<tr><td>{escape(code)}</td><td>{escape(entry['name'] or '')}</td>"
            f"<td>{escape(entry['province'] or '')}</td>{''.join(cells)}</tr>"
        )
    return Markup(
        '<table class="xxgk-coverage"><thead><tr><th>code</th><th>school</th>'
        f"<th>province</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
