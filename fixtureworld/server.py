"""Serve a World on 127.0.0.1, routing by the Host header as the real portals' vhosts do."""

from __future__ import annotations

import csv
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from fixtureworld.model import PORT_TOKEN, Resource, World, sha256

NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body><h1>404</h1></body></html>"


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-answer (a crawler killed by a test) are not errors here."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class RequestLog:
    """One request the server answered, and the body it sent (None: no body, HEAD or 304)."""

    host: str
    path: str
    method: str
    status: int
    user_agent: str
    sha256: str | None = None
    size: int = 0


class WorldServer:
    """A running world: port, `--resolve` arguments, registry rows and the request log."""

    def __init__(self, world: World, port: int = 0) -> None:
        self.world = world
        self.requests: list[RequestLog] = []
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], int] = {}
        self._httpd = _QuietServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        # Absolute cross-host links need the real port: substitute it once, up front.
        token, port_bytes = PORT_TOKEN.encode(), str(self.port).encode()
        self._token, self._port_bytes = token, port_bytes
        # Served bodies by key and resource: a test that swaps a resource (a school replacing
        # its report) is served the new bytes.
        self._bodies: dict[tuple[str, str], tuple[Resource, bytes]] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> WorldServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, name=f"fixtureworld:{self.port}"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def reset(self) -> None:
        """Forget the request log and re-arm the one-shot challenges and errors."""
        with self._lock:
            self.requests.clear()
            self._hits.clear()

    def resolve_args(self) -> list[str]:
        return [f"{host}:{self.port}:127.0.0.1" for host in self.world.hosts]

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def registry_rows(self) -> list[dict[str, str]]:
        """One row per school (mirror hosts are not schools and are left out)."""
        return [
            {"code": s.code, "name": s.name, "portal_url": self.url(s.host, s.portal_path)}
            for s in self.world.schools
        ]

    def write_registry(self, path: str | Path, families: bool = False) -> Path:
        """The registry CSV; with `families`, each school's CMS family as the bundled one has."""
        path = Path(path)
        rows = self.registry_rows()
        fields = ["code", "name", "portal_url"]
        if families:
            family = {site.code: site.family for site in self.world.schools}
            rows = [{**row, "family": family[row["code"]]} for row in rows]
            fields.append("family")
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        return path

    # -- request handling, called from handler threads -----------------------------------

    def _log(self, entry: RequestLog) -> None:
        with self._lock:
            self.requests.append(entry)

    def _first_hits(self, host: str, target: str) -> int:
        """How many times this target was requested before (for one-shot challenges)."""
        with self._lock:
            seen = self._hits.get((host, target), 0)
            self._hits[(host, target)] = seen + 1
            return seen

    def _body(self, key: tuple[str, str], resource: Resource) -> bytes:
        with self._lock:
            cached = self._bodies.get(key)
            if cached is None or cached[0] is not resource:
                body = resource.body
                if resource.content_type.startswith("text/"):
                    body = body.replace(self._token, self._port_bytes)
                cached = self._bodies[key] = (resource, body)
            return cached[1]

    def served_body(self, host: str, target: str) -> bytes:
        """The bytes a plain GET of a resource answers (the port filled into its links)."""
        found = self.world.find(host, target)
        if found is None:
            raise KeyError(f"{host}{target} is not served")
        return self._body(*found)

    def answer(
        self, host: str, target: str, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        found = self.world.find(host, target)
        if found is None:
            return 404, [("Content-Type", "text/html; charset=utf-8")], NOT_FOUND
        key, resource = found
        if resource.flaky is not None and self._first_hits(*key) < resource.flaky.times:
            flaky = resource.flaky
            return flaky.status, [("Content-Type", flaky.content_type)], flaky.body
        body = self._body(key, resource)
        out = _validators(resource, body)
        if _not_modified(resource, out[0][1], headers):
            return 304, out, b""
        out.append(("Content-Type", resource.content_type))
        out.extend(resource.headers)
        return resource.status, out, body


def _validators(resource: Resource, body: bytes) -> list[tuple[str, str]]:
    return [
        ("ETag", f'"{sha256(body)[:16]}"'),
        ("Last-Modified", format_datetime(resource.last_modified, usegmt=True)),
    ]


def _not_modified(resource: Resource, etag: str, headers: dict[str, str]) -> bool:
    match = headers.get("if-none-match")
    if match is not None:
        # If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2).
        return match.strip() == "*" or etag in [m.strip() for m in match.split(",")]
    since = headers.get("if-modified-since")
    if since:
        try:
            return resource.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _handler_for(server: WorldServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def version_string(self) -> str:
            return "nginx"

        def _serve(self, send_body: bool) -> None:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower().rstrip(".")
            target = self.path
            if "://" in target:  # absolute-form request target (proxy style)
                parts = urlsplit(target)
                host = host or (parts.hostname or "")
                target = parts.path + (f"?{parts.query}" if parts.query else "")
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out, body = server.answer(host, target, headers)
            sent = body if send_body and status != 304 else None
            # Logged before answering so a client that got its response sees it in the log.
            server._log(
                RequestLog(
                    host,
                    target,
                    self.command,
                    status,
                    self.headers.get("User-Agent", ""),
                    sha256(sent) if sent is not None else None,
                    len(sent) if sent is not None else 0,
                )
            )
            self.send_response(status)
            for name, value in out:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body and status != 304:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(False)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the request log is `server.requests`."""

    return Handler


@contextmanager
def serve_world(world: World, port: int = 0) -> Iterator[WorldServer]:
    """Serve `world` on 127.0.0.1 (ephemeral port by default) on a daemon thread."""
    server = WorldServer(world, port).start()
    try:
        yield server
    finally:
        server.stop()
