"""Serving the scripted world (`fixtureworld.scripted`) on 127.0.0.1, routed by the Host header.

    with serve_scripted() as server:
        server.resolve_args(), server.write_registry(path), server.requests, server.canary_hits

Dynamic answers: the script challenge (cookie checked, clearances counted), the JSON list API,
the ASP.NET post-back pager (viewstate checked). A canary server on 127.0.0.2 counts every
request that reaches it: a page script must never get there through the crawler.
"""

from __future__ import annotations

import csv
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fixtureworld.scripted import (
    CLEARANCE_COOKIE,
    CLEARANCE_USES,
    HTML,
    ScriptedWorld,
    asp_list_page,
    build_scripted_world,
    challenge_page,
    clearance_token,
    cph_list_page,
    dom_list_page,
    nonce_is_ours,
    pages_of,
    plain_list_page,
    signed_nonce,
    viewstate_page,
    xhr_list_page,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
GRID = "ctl00$Main$GridView1"


@dataclass(frozen=True)
class Hit:
    method: str
    host: str
    path: str
    status: int
    user_agent: str


class ScriptedServer:
    def __init__(self, world: ScriptedWorld) -> None:
        self.world = world
        self.requests: list[Hit] = []
        self.canary_hits: list[str] = []
        self._lock = threading.Lock()
        self._nonces = itertools.count(1)
        self._uses: dict[str, int] = {}
        self._httpd = _Quiet(("127.0.0.1", 0), _handler(self))
        self._canary = _Quiet(("127.0.0.2", 0), _canary_handler(self))
        self.port: int = self._httpd.server_address[1]
        self.canary_url = f"http://127.0.0.2:{self._canary.server_address[1]}/steal"
        self._threads = [
            threading.Thread(target=s.serve_forever, daemon=True)
            for s in (self._httpd, self._canary)
        ]

    def start(self) -> ScriptedServer:
        for server in (self._httpd, self._canary):
            server.daemon_threads = True
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        for server in (self._httpd, self._canary):
            server.shutdown()
            server.server_close()

    def resolve_args(self) -> list[str]:
        extra = dict(self.world.extra_resolve)
        return [f"{h}:{self.port}:{extra.get(h, '127.0.0.1')}" for h in self.world.hosts]

    def portal(self, host: str) -> str:
        return f"http://{host}:{self.port}/"

    def write_registry(self, path: str | Path, kinds: list[str] | None = None) -> Path:
        """The registry CSV (with the `render` column); `kinds` picks schools by kind."""
        path = Path(path)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["code", "name", "portal_url", "render"])
            for school in self.world.schools:
                if kinds is None or school.kind in kinds:
                    writer.writerow(
                        [school.code, school.name, self.portal(school.host), school.render]
                    )
        return path

    def hits(self, host: str, method: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.requests if h.host == host and method in (None, h.method)]

    # -- answers (called from handler threads) -------------------------------------------

    def _log(self, hit: Hit) -> None:
        with self._lock:
            self.requests.append(hit)

    def _cleared(self, cookies: str) -> bool:
        """True for a clearance the challenge script computed, while it has uses left."""
        jar = SimpleCookie()
        try:
            jar.load(cookies)
        except Exception:  # a malformed Cookie header is simply not a clearance
            return False
        morsel = jar.get(CLEARANCE_COOKIE)
        if morsel is None:
            return False
        nonce = morsel.value.split(".", 1)[0]
        if not nonce_is_ours(nonce) or clearance_token(nonce) != morsel.value:
            return False
        with self._lock:
            used = self._uses.get(nonce, 0)
            self._uses[nonce] = used + 1
        return used < CLEARANCE_USES

    def _challenge(self) -> tuple[int, list[tuple[str, str]], bytes]:
        nonce = signed_nonce(next(self._nonces))
        # The decoy: replaying the response's own cookie (what a plain client can do) fails.
        headers = [("Content-Type", HTML), ("Set-Cookie", f"__xxgk_sid={nonce}; Path=/")]
        return 412, headers, challenge_page(nonce)

    def answer(
        self, method: str, host: str, target: str, headers: dict[str, str], form: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        school = next((s for s in self.world.schools if s.host == host), None)
        if school is None:
            return 404, [("Content-Type", HTML)], b"<html>404</html>"
        if path != "/robots.txt":
            if school.kind == "wall":
                return self._challenge()
            if school.kind == "jsc" and not self._cleared(headers.get("cookie", "")):
                return self._challenge()
        items = self.world.lists[host]
        pages = pages_of(items)
        if school.kind == "xhr" and path == "/ndbg/list.htm":
            return 200, [("Content-Type", HTML)], xhr_list_page(self.canary_url, self.port)
        if school.kind == "xhr" and path == "/api/list":
            number = int((query.get("page") or ["1"])[0])
            rows = pages[number - 1] if 0 < number <= len(pages) else []
            data = {
                "pages": len(pages),
                "items": [{"title": t, "url": u, "date": d} for t, u, d in rows],
            }
            body = json.dumps(data, ensure_ascii=False).encode()
            return 200, [("Content-Type", "application/json; charset=utf-8")], body
        if school.kind == "cph" and path.startswith("/ndbg/index"):
            stem = path.rsplit("/", 1)[1].removesuffix(".html")
            number = 0 if stem == "index" else int(stem.split("_", 1)[1] or -1)
            if 0 <= number < len(pages):
                return (
                    200,
                    [("Content-Type", HTML)],
                    cph_list_page(pages[number], len(pages), number),
                )
        if school.kind == "asp" and path == "/ndbg/List.aspx":
            number = 1
            if method == "POST":
                current = viewstate_page(form.get("__VIEWSTATE", ""))
                argument = form.get("__EVENTARGUMENT", "")
                if current is None or form.get("__EVENTTARGET") != GRID:
                    return 500, [("Content-Type", HTML)], b"<html>Invalid viewstate</html>"
                number = (
                    int(argument.removeprefix("Page$")) if argument.startswith("Page$") else current
                )
            if 0 < number <= len(pages):
                return (
                    200,
                    [("Content-Type", HTML)],
                    asp_list_page(pages[number - 1], number, len(pages)),
                )
        if school.kind in ("jsc", "wall") and path.startswith("/ndbg/list"):
            stem = path.removeprefix("/ndbg/list").removesuffix(".htm")
            number = int(stem) if stem.isdigit() else 1 if stem == "" else 0
            if 0 < number <= len(pages):
                body = plain_list_page(pages[number - 1], number, len(pages))
                return 200, [("Content-Type", HTML)], body
        if school.kind == "dom" and path == "/ndbg/list.htm":
            return 200, [("Content-Type", HTML)], dom_list_page(items)
        if path == "/images/banner.png":
            return 200, [("Content-Type", "image/png")], PNG
        key = path + (f"?{parts.query}" if parts.query else "")
        found = self.world.static.get((host, key))
        if found is None:
            return 404, [("Content-Type", HTML)], b"<html>404</html>"
        content_type, body = found
        return 200, [("Content-Type", content_type)], body


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # clients hang up (a killed crawl, an aborted browser request): not an error here


def _handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def _serve(self, method: str) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            form: dict[str, str] = {}
            if method == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out, body = server.answer(method, host, self.path, headers, form)
            server._log(Hit(method, host, self.path, status, self.headers.get("User-Agent", "")))
            self.send_response(status)
            for name, value in out:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the request log is `server.requests`."""

    return Handler


def _canary_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Canary(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            with server._lock:
                server.canary_hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the hits are `server.canary_hits`."""

    return Canary


@contextmanager
def serve_scripted(world: ScriptedWorld | None = None) -> Iterator[ScriptedServer]:
    server = ScriptedServer(world or build_scripted_world()).start()
    try:
        yield server
    finally:
        server.stop()
