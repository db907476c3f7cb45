"""The site under abuse: bounded work inside SQL functions, bounded values, and errors that
answer 400 with one log line.

Datasette's `sql_time_limit_ms` interrupts SQLite between VM steps; it cannot interrupt a
Python function, nor a single C call building a huge value (`hex(randomblob(450000000))`,
`printf('%.*c', 400000000, 'x')`). So every connection gets a cap on the size of any string
or blob (SQLITE_LIMIT_LENGTH), `randomblob`/`zeroblob` refuse sizes past it up front, and the
project's own functions cap their input. Datasette's default error handler prints a rich
traceback with every local variable (~50 KB per bad query, which starves the event loop when
a few clients send bad SQL); it is replaced by one that answers 400 for bad SQL and bad
parameters, 404 for unknown pages, and logs one line per error.

Hooked into the plugin by one import line in `archive/site/__init__.py`.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError

from archive.search import sql_match

LOG = logging.getLogger("xxgk.site")
# The largest string or blob any SQL expression may build; report texts are far smaller.
MAX_VALUE = 16 * 2**20
# xxgk_match(q) turns a search box entry into an FTS expression; nobody types more.
MAX_MATCH_INPUT = 2000
MAX_SQL = 100_000
MAX_LIKE_PATTERN = 200
_DEFAULT_HANDLER = "datasette.handle_exception"
# SQLite errors that are the server's fault, not the query's.
_SERVER_SIDE = ("database is locked", "disk i/o error", "unable to open", "out of memory")


class ValueTooLarge(ValueError):
    """An SQL function was asked for a value past MAX_VALUE."""


class SearchInputTooLong(ValueError):
    """xxgk_match() was given more than MAX_MATCH_INPUT characters."""


def bounded_match(query: str | None) -> str:
    """`xxgk_match(q)` with its input capped, so one call cannot outlast the time limit."""
    if query is not None and len(str(query)) > MAX_MATCH_INPUT:
        raise SearchInputTooLong(
            f"xxgk_match() takes at most {MAX_MATCH_INPUT} characters, got {len(str(query))}"
        )
    return sql_match(query)


def _blob_size(n: Any) -> int:
    try:
        size = int(n)
    except (TypeError, ValueError):
        size = 0
    if size > MAX_VALUE:
        raise ValueTooLarge(f"blobs are limited to {MAX_VALUE} bytes on this site")
    return max(size, 0)


_WIDTH = re.compile(r"\d{6,}")
_builtin = threading.local()


def _builtin_connection() -> sqlite3.Connection:
    """A private in-memory connection that still has SQLite's own functions."""
    conn = getattr(_builtin, "conn", None)
    if conn is None:
        conn = _builtin.conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
    return conn


def bounded_printf(fmt: Any, *args: Any) -> Any:
    """SQLite's printf/format, refusing widths and precisions that build a huge string in one
    C call (`printf('%.*c', 400000000, 'x')` runs 17 s past any time limit)."""
    if any(isinstance(a, int) and abs(a) > MAX_VALUE for a in args) or (
        isinstance(fmt, str) and _WIDTH.search(fmt)
    ):
        raise ValueTooLarge(f"printf() widths are limited on this site (values up to {MAX_VALUE})")
    marks = ", ".join("?" * (len(args) + 1))
    return _builtin_connection().execute(f"select printf({marks})", (fmt, *args)).fetchone()[0]


def _text(value: Any) -> str | bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return str(value)


def instr(haystack: Any, needle: Any) -> int | None:
    """instr() with Python's linear search: SQLite's is O(n*m) inside one C call."""
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    hay, pin = _text(haystack), _text(needle)
    if isinstance(hay, bytes):
        hay = hay.decode("utf-8", "replace")
    if isinstance(pin, bytes):
        pin = pin.decode("utf-8", "replace")
    return hay.find(pin) + 1


def replace(text: Any, old: Any, new: Any) -> Any:
    """replace() with Python's linear search (SQLite's is O(n*m) inside one C call)."""
    if text is None or old is None or new is None:
        return None
    parts = [_text(v) for v in (text, old, new)]
    parts = [p.decode("utf-8", "replace") if isinstance(p, bytes) else p for p in parts]
    source, pattern, replacement = parts
    if not pattern:
        return source
    count = source.count(pattern)
    if len(source) + count * (len(replacement) - len(pattern)) > MAX_VALUE:
        raise ValueTooLarge(f"strings are limited to {MAX_VALUE} characters on this site")
    return source.replace(pattern, replacement)


def randomblob(n: Any) -> bytes:
    return os.urandom(max(_blob_size(n), 1))


def zeroblob(n: Any) -> bytes:
    return bytes(_blob_size(n))


LIMITS_TEXT = (
    f"a function refused its arguments: on this site values are limited to {MAX_VALUE} bytes, "
    f"xxgk_match() input to {MAX_MATCH_INPUT} characters, LIKE patterns to {MAX_LIKE_PATTERN}"
)


@hookimpl(specname="prepare_connection", trylast=True)  # after the plugin's own functions
def guard_connection(conn: sqlite3.Connection) -> None:
    # Datasette turns these on: each refused call would print a traceback to the log.
    sqlite3.enable_callback_tracebacks(False)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL)
    # LIKE/GLOB cost is string length x pattern length inside one C call.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, MAX_LIKE_PATTERN)
    conn.create_function("xxgk_match", 1, bounded_match, deterministic=True)
    for name in ("printf", "format"):
        conn.create_function(name, -1, bounded_printf, deterministic=True)
    conn.create_function("instr", 2, instr, deterministic=True)
    conn.create_function("replace", 3, replace, deterministic=True)
    conn.create_function("randomblob", 1, randomblob)
    conn.create_function("zeroblob", 1, zeroblob, deterministic=True)


@hookimpl(specname="startup")
def replace_default_error_handler(datasette: Any) -> None:
    from datasette.plugins import pm

    default = pm.get_plugin(_DEFAULT_HANDLER)
    if default is not None:
        pm.unregister(default)


def classify(exception: BaseException, path: str) -> tuple[int, str]:
    """(HTTP status, the message shown) for an exception raised while answering `path`."""
    if isinstance(exception, Base400):
        status = exception.status
        message = str(exception.args[0]) if exception.args else "not found"
        if status == 404 and path.startswith("/-/raw/"):
            return 400, "a raw file is addressed as /-/raw/<64 hex digits of its sha256>"
        return status, message
    if isinstance(
        exception, DatasetteError
    ):  # Datasette's own "bad request" errors: 500 by default
        return (exception.status if exception.status < 500 else 400), str(exception.message)
    if isinstance(exception, QueryInterrupted):
        return 400, "SQL query took too long: the time limit interrupted it"
    if isinstance(exception, sqlite3.Error):
        text = str(exception)
        if isinstance(exception, sqlite3.OperationalError) and text.lower().startswith(
            _SERVER_SIDE
        ):
            return 503, f"the archive is busy: {text}"
        if text == "user-defined function raised exception":
            return 400, f"invalid query: {LIMITS_TEXT}"
        return 400, f"invalid query: {text}"
    if isinstance(exception, (OverflowError, ValueError, TypeError, KeyError)):
        return 400, f"bad parameter: {exception}"
    return 500, f"{type(exception).__name__}: {exception}"


def log_line(request: Any, status: int, exception: BaseException) -> str:
    target = request.path + (f"?{request.query_string}" if request.query_string else "")
    detail = " ".join(str(exception).split())[:300]
    return f"{request.method} {target[:300]} -> {status} {type(exception).__name__}: {detail}"


@hookimpl(specname="handle_exception", tryfirst=True)
def guard_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    """Every error: status by kind, one log line. Its own name, so a `handle_exception` of the
    plugin module (a 404 page) does not shadow it. A plain 404 is left to that page."""
    status, message = classify(exception, request.path)
    if status == 404 and not request.path.startswith("/-/raw/"):
        LOG.warning(log_line(request, status, exception))
        return None  # the site's Chinese 404 page (archive.site.handle_exception) answers

    async def inner() -> Response:
        (LOG.error if status >= 500 else LOG.warning)(log_line(request, status, exception))
        info = {"ok": False, "error": message, "status": status, "title": None}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        html = await template.render_async(
            dict(
                info,
                urls=datasette.urls,
                app_css_hash=datasette.app_css_hash(),
                menu_links=lambda: [],
            )
        )
        return Response.html(html, status=status)

    return inner
