"""Small pieces every page of the site shares: rendering, tables, CSV and JSON answers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from datasette.utils.asgi import Response
from markupsafe import Markup, escape

DATABASE = "xxgk"


def config(datasette: Any) -> dict:
    return datasette.plugin_config("xxgk") or {}


def database_name(datasette: Any) -> str:
    return config(datasette).get("database", DATABASE)


def database(datasette: Any) -> Any:
    return datasette.get_database(database_name(datasette))


async def rows(datasette: Any, sql: str, params: dict | None = None) -> list[dict]:
    return [dict(r) for r in (await database(datasette).execute(sql, params or {})).rows]


async def page(
    datasette: Any, request: Any, title: str, body: Markup | str, status: int = 200
) -> Response:
    html = await datasette.render_template(
        "xxgk_page.html", {"page_title": title, "body": Markup(body)}, request=request
    )
    return Response.html(html, status=status)


def report_href(datasette: Any, report_id: int) -> str:
    return datasette.urls.path(f"/{database_name(datasette)}/reports/{report_id}")


def school_href(datasette: Any, code: str) -> str:
    return datasette.urls.path(f"/-/schools/{code}")


def link(href: str, text: Any, title: str | None = None) -> Markup:
    extra = f' title="{escape(title)}"' if title else ""
    return Markup(f'<a href="{escape(href)}"{extra}>{escape(text)}</a>')


def table_html(
    headers: Sequence[tuple[str, str]],
    body: Iterable[Sequence[Any]],
    numeric: Sequence[int] = (),
    css: str = "",
) -> Markup:
    """A table in a horizontally scrolling box; headers are (Chinese, English key) pairs.

    Cells that are Markup are inserted as they are; everything else is escaped.
    """
    head = "".join(
        f'<th{" class=num" if i in numeric else ""} title="{escape(key)}">{escape(zh)}</th>'
        for i, (zh, key) in enumerate(headers)
    )
    lines = []
    for row in body:
        cells = []
        for i, cell in enumerate(row):
            classes = []
            if isinstance(cell, tuple):  # (content, css class)
                cell, extra = cell
                classes.append(extra)
            if i in numeric:
                classes.append("num")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            text = cell if isinstance(cell, Markup) else escape("" if cell is None else cell)
            cells.append(f"<td{attr}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        f'<div class="xxgk-scroll"><table class="{escape(css)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(lines)}</tbody></table></div>"
    )


def csv_response(header: Sequence[str], records: Iterable[Sequence[Any]], name: str) -> Response:
    """CSV with a UTF-8 byte-order mark, so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(records)
    body = "\ufeff" + out.getvalue()
    return Response(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def json_response(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, default=str),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def int_arg(request: Any, name: str) -> int | None:
    value = (request.args.get(name) or "").strip()
    return int(value) if value.lstrip("-").isdigit() else None


def options_html(values: Iterable[Any], current: Any, blank: str = "全部") -> Markup:
    out = [f'<option value="">{escape(blank)}</option>']
    for value in values:
        selected = " selected" if str(value) == str(current or "") else ""
        out.append(f'<option value="{escape(value)}"{selected}>{escape(value)}</option>')
    return Markup("".join(out))


def args_dict(request: Any) -> dict[str, str]:
    """The query string's non-empty values, one per name."""
    return {k: v for k in request.args.keys() if (v := request.args.get(k))}
