"""The archive's Datasette plugin: Chinese search, raw downloads, coverage and charts.

Registered as the `datasette` entry point `xxgk = "archive.site"`; `xxgk serve` also registers
it in-process when the installed entry points do not (a checkout that was never installed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import AsgiFileDownload, Response
from markupsafe import Markup, escape

from archive.downloads import (
    NAMES_SQL,
    SHA256_RE,
    BadDigest,
    UnknownFile,
    check_digest,
    choose_download,
    download_headers,
)
from archive.search import SearchQueryEmpty, match_expression, sql_match
from archive.site.charts import (
    YEARLY_SQL,
    coverage_grid_html,
    late_share_svg,
    reports_per_year_svg,
)
from archive.site.guard import guard_connection, guard_exception, replace_default_error_handler  # noqa: F401, E501 (hooks)

DATABASE = "xxgk"
SEARCHABLE = {"reports": "reports_fts", "sections": "sections_fts"}
COVERAGE_PAGE_SIZE = 200
# Every page of the site: only our own scripts, styles and images, never framed.
SITE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; "
        b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ),
]


def _config(datasette: Any) -> dict:
    return datasette.plugin_config("xxgk") or {}


def _database_name(datasette: Any) -> str:
    return _config(datasette).get("database", DATABASE)


def _raw_dir(datasette: Any) -> Path:
    configured = _config(datasette).get("raw_dir")
    if configured:
        return Path(configured)
    return Path(datasette.get_database(_database_name(datasette)).path).parent / "raw"


@hookimpl
def prepare_connection(conn: Any) -> None:
    # For canned queries: `... where reports_fts match xxgk_match(:q)`.
    conn.create_function("xxgk_match", 1, sql_match, deterministic=True)


@hookimpl(trylast=True)  # last, so our supports_search wins over the built-in's False
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    fts = SEARCHABLE.get(table)
    if fts is None or database != _database_name(datasette):
        return None

    async def inner() -> FilterArguments:
        query = request.args.get("_search", "")
        extra = {"supports_search": True, "search": query}
        if not query.strip():
            return FilterArguments([], extra_context=extra)
        described = [f'search matches "{query}"']
        try:
            expression = match_expression(query)
        except SearchQueryEmpty:
            return FilterArguments(["0"], {}, described, extra)
        where = f"id in (select rowid from [{fts}] where [{fts}] match :xxgk_search)"
        return FilterArguments([where], {"xxgk_search": expression}, described, extra)

    return inner


@hookimpl
def render_cell(value: Any, column: str, datasette: Any) -> Markup | None:
    if column != "sha256" or not isinstance(value, str) or not SHA256_RE.fullmatch(value):
        return None
    href = escape(datasette.urls.path(f"/-/raw/{value}"))
    return Markup(
        f'<a class="xxgk-raw" href="{href}" title="Download the file exactly as fetched">'
        f"⤓ {escape(value)}</a>"
    )


@hookimpl
def menu_links(datasette: Any) -> list[dict]:
    return [
        {"href": datasette.urls.path("/-/coverage"), "label": "Coverage (school × year)"},
        {"href": datasette.urls.path("/-/charts"), "label": "Charts"},
    ]


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def with_headers(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)

            async def send_with_headers(message: dict) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    present = {bytes(k).lower() for k, _ in headers}
                    headers += [(k, v) for k, v in SITE_HEADERS if k not in present]
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, send_with_headers)

        return with_headers

    return wrap


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/raw/(?P<sha256>[^/]+)$", raw_file),
        (r"^/-/charts$", charts_page),
        (r"^/-/charts/(?P<name>reports-per-year|late-per-year)\.svg$", chart_svg),
        (r"^/-/coverage$", coverage_page),
    ]


async def raw_file(request: Any, datasette: Any) -> Any:
    """`/-/raw/<sha256>`: the fetched bytes, as an attachment with their real name and type."""
    try:
        sha256 = check_digest(request.url_vars["sha256"])
    except BadDigest as exc:
        return Response.text(str(exc), status=400)
    db = datasette.get_database(_database_name(datasette))
    rows = [dict(r) for r in (await db.execute(NAMES_SQL, {"sha": sha256})).rows]
    try:
        download = choose_download(sha256, rows, _raw_dir(datasette))
    except UnknownFile as exc:
        return Response.text(str(exc), status=404)
    if not download.path.is_file():
        return Response.text(f"raw file {sha256} is not in this archive's raw store", status=404)
    return AsgiFileDownload(
        download.path, content_type=download.content_type, headers=download_headers(download)
    )


async def _yearly(datasette: Any) -> list[dict]:
    db = datasette.get_database(_database_name(datasette))
    return [dict(r) for r in (await db.execute(YEARLY_SQL)).rows]


async def chart_svg(request: Any, datasette: Any) -> Response:
    rows = await _yearly(datasette)
    render = reports_per_year_svg if request.url_vars["name"] == "reports-per-year" else None
    svg = (render or late_share_svg)(rows)
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def _page(datasette: Any, request: Any, title: str, body: Markup) -> Response:
    html = await datasette.render_template(
        "xxgk_page.html", {"page_title": title, "body": body}, request=request
    )
    return Response.html(html)


async def charts_page(request: Any, datasette: Any) -> Response:
    rows = await _yearly(datasette)
    links = " · ".join(
        f'<a href="{escape(datasette.urls.path(f"/-/charts/{n}.svg"))}">{n}.svg</a>'
        for n in ("reports-per-year", "late-per-year")
    )
    body = Markup(
        f"<p>Drawn from the <code>coverage</code> view; <em>late</em> means published after "
        f"31 October of the report's year. SVG files: {links}.</p>"
        f'<figure class="xxgk-chart">{reports_per_year_svg(rows)}</figure>'
        f'<figure class="xxgk-chart">{late_share_svg(rows)}</figure>'
    )
    return await _page(datasette, request, "Charts", body)


async def coverage_page(request: Any, datasette: Any) -> Response:
    db_name = _database_name(datasette)
    db = datasette.get_database(db_name)
    province = request.args.get("province") or None
    try:
        page = max(int(request.args.get("page", "1")), 1)
    except ValueError:
        page = 1
    where = "where province = :province" if province else ""
    codes_sql = f"select code from schools {where} order by code limit :limit offset :offset"
    params = {"province": province, "limit": COVERAGE_PAGE_SIZE}
    codes = [
        r[0]
        for r in (
            await db.execute(codes_sql, {**params, "offset": (page - 1) * COVERAGE_PAGE_SIZE})
        ).rows
    ]
    marks = ", ".join(f":c{i}" for i in range(len(codes))) or "null"
    rows = (
        await db.execute(
            f"select * from coverage where school_code in ({marks}) order by school_code, year",
            {f"c{i}": c for i, c in enumerate(codes)},
        )
    ).rows
    rows = [dict(r) for r in rows]
    years = sorted({r["year"] for r in rows})
    report_url = datasette.urls.path(f"/{db_name}/reports/") + "{id}"
    nav = []
    if page > 1:
        nav.append(f'<a href="?page={page - 1}&province={escape(province or "")}">previous</a>')
    if len(codes) == COVERAGE_PAGE_SIZE:
        nav.append(f'<a href="?page={page + 1}&province={escape(province or "")}">next</a>')
    view_url = escape(datasette.urls.path(f"/{db_name}/coverage"))
    body = Markup(
        "<p>One row per school, one column per year: <b>present</b> (published by 31 October), "
        "<b>late</b>, <b>undated</b> (no publication date found) or <b>missing</b>. "
        f'Filter, facet and export it as the <a href="{view_url}">coverage view</a>.</p>'
        f"{coverage_grid_html(rows, years, report_url)}<p>{' · '.join(nav)}</p>"
    )
    return await _page(datasette, request, "Coverage: school × year", body)
