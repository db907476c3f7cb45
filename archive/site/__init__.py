"""The archive's Datasette plugin: a research site in Chinese over the archive.

Pages (each in its own module): the home page (`home`), `/-/search` (`searchpage`),
`/-/schools/<code>` (`school`), the report page (`report`, through the row template),
`/-/compare` (`compare`), `/-/coverage` with transparency (`coverage`, `transparency`),
`/-/charts` (`charts`); raw downloads, the search filter and a Chinese 404 here.

Registered as the `datasette` entry point `xxgk = "archive.site"`; `xxgk serve` also registers
it in-process when the installed entry points do not (a checkout that was never installed).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from datasette import handle_exception as datasette_handle_exception
from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils.asgi import AsgiFileDownload, Base400, Response
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
from archive.site import compare, coverage, home, pages, report, school, searchpage
from archive.site.charts import (
    REQUESTS_SQL,
    YEARLY_SQL,
    late_share_svg,
    reports_per_year_svg,
    requests_per_year_svg,
)
from archive.site.guard import guard_connection, guard_exception, replace_default_error_handler  # noqa: F401, E501 (hooks)

SEARCHABLE = {"reports": "reports_fts", "sections": "sections_fts"}
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
log = logging.getLogger("xxgk.site")
MMAP_SIZE = 1 << 30

# Datasette's own handle_exception hook runs for every error, even when ours answers, and prints
# a rich traceback with all locals (~160 lines, seconds of CPU) for a mistyped URL. Without rich
# it prints tracebacks only for real errors (500s), so a 404 costs one log line.
datasette_handle_exception.rich = None
_config = pages.config
_database_name = pages.database_name


def _raw_dir(datasette: Any) -> Path:
    configured = _config(datasette).get("raw_dir")
    if configured:
        return Path(configured)
    return Path(datasette.get_database(_database_name(datasette)).path).parent / "raw"


@hookimpl
def prepare_connection(conn: Any) -> None:
    # For canned queries: `... where reports_fts match xxgk_match(:q)`.
    conn.create_function("xxgk_match", 1, sql_match, deterministic=True)
    # Read the (read-only) file through the page cache without a read() per page: search and
    # the report lookups jump around a large file.
    conn.execute(f"PRAGMA mmap_size={MMAP_SIZE}")


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
def render_cell(value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    if column == "sha256" and isinstance(value, str) and SHA256_RE.fullmatch(value):
        href = escape(datasette.urls.path(f"/-/raw/{value}"))
        return Markup(
            f'<a class="xxgk-raw" href="{href}" title="下载原始文件（Download the file exactly as '
            f'fetched）">⤓ {escape(value)}</a>'
        )
    if table is None and column == "report_id" and isinstance(value, int):
        # Canned queries and views have no foreign keys for Datasette to link.
        return pages.link(pages.report_href(datasette, value), value, "打开报告")
    if column == "school_code" and isinstance(value, str) and value and table != "schools":
        return pages.link(pages.school_href(datasette, value), value, "学校页面")
    if table == "tables" and column == "rows" and isinstance(value, str):
        return Markup(report.table_html(value))
    return None


@hookimpl
def menu_links(datasette: Any) -> list[dict]:
    return [
        {"href": datasette.urls.path(path), "label": label}
        for path, label in (
            ("/-/search", "检索报告"),
            ("/-/schools", "学校"),
            ("/-/compare", "学校对比"),
            ("/-/coverage", "发布情况（学校 × 年度）"),
            ("/-/charts", "图表"),
        )
    ]


@hookimpl
def extra_template_vars(
    template: str, view_name: str, table: str | None, request: Any, datasette: Any
) -> Any:
    async def inner() -> dict:
        if view_name == "row" and table == "reports" and request is not None:
            pks = request.url_vars.get("pks", "")
            if pks.isdigit():
                return {"xxgk_report": await report.report_document(datasette, int(pks))}
        return {}

    return inner


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: Exception) -> Any:
    """A Chinese 404 page and one log line, instead of a traceback on the console."""
    if not (isinstance(exception, Base400) and exception.status == 404):
        return None

    async def inner() -> Response:  # its one log line is the guard's (archive/site/guard.py)
        if request.path.endswith(".json"):
            return pages.json_response({"ok": False, "error": "未找到 (not found)"}, 404)
        body = Markup(
            f"<p>没有这个页面：<code>{escape(request.path)}</code>。"
            f"{escape(str(exception.args[0]) if exception.args else '')}</p>"
            f'<p>试试<a href="{escape(datasette.urls.path("/-/search"))}">检索</a>或回到'
            f'<a href="{escape(datasette.urls.path("/"))}">首页</a>。</p>'
        )
        return await pages.page(datasette, request, "未找到（404）", body, status=404)

    return inner


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
        (r"^/$", home.home_page),  # before Datasette's index, whose table counts we do not show
        (r"^/-/raw/(?P<sha256>[^/]+)$", raw_file),
        (r"^/-/charts$", charts_page),
        (r"^/-/charts/(?P<name>reports-per-year|late-per-year|requests-per-year)\.svg$", chart_svg),
        (r"^/-/coverage$", coverage.coverage_page),
        (r"^/-/coverage\.(?P<format>csv|json)$", coverage.coverage_export),
        (r"^/-/schools$", school.schools_index),
        (r"^/-/schools/(?P<code>[^/]+)$", school.school_page),
        (r"^/-/compare$", compare.compare_page),
        (r"^/-/compare\.(?P<format>csv|json)$", compare.compare_export),
        (r"^/-/search$", searchpage.search_page),
        (r"^/-/search\.json$", searchpage.search_json),
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
    return await pages.rows(datasette, YEARLY_SQL)


CHARTS = {
    "reports-per-year": reports_per_year_svg,
    "late-per-year": late_share_svg,
}


async def chart_svg(request: Any, datasette: Any) -> Response:
    name = request.url_vars["name"]
    if name == "requests-per-year":
        svg = requests_per_year_svg(await pages.rows(datasette, REQUESTS_SQL))
    else:
        svg = CHARTS[name](await _yearly(datasette))
    return Response(svg, content_type="image/svg+xml; charset=utf-8")


async def charts_page(request: Any, datasette: Any) -> Response:
    rows = await _yearly(datasette)
    requests = await pages.rows(datasette, REQUESTS_SQL)
    links = " · ".join(
        f'<a href="{escape(datasette.urls.path(f"/-/charts/{n}.svg"))}">{n}.svg</a>'
        for n in ("reports-per-year", "late-per-year", "requests-per-year")
    )
    body = Markup(
        "<p>由发布情况视图 <code>coverage</code> 计算："
        "<b>按时</b>指不晚于当年10月31日在学校网站发布，"
        "<b>逾期</b>指其后发布，"
        "<b>缺失</b>指该年度没有找到报告，<b>解析失败</b>指文件已保存但未能提取文字。"
        f"SVG 文件：{links}。</p>"
        f'<figure class="xxgk-chart">{reports_per_year_svg(rows)}</figure>'
        f'<figure class="xxgk-chart">{late_share_svg(rows)}</figure>'
        f'<figure class="xxgk-chart">{requests_per_year_svg(requests)}</figure>'
    )
    return await pages.page(datasette, request, "图表", body)
