"""Serving the nasty world (`fixtureworld.nasty`) on 127.0.0.1, routed by the Host header.

    with serve_nasty() as server:
        server.resolve_args(), server.write_registry(path, hosts), server.requests

Besides plain answers: redirects, bodies streamed CHUNK at a time (with or without
Content-Length: 100 MB+ is never held in memory), a request that is never answered, a connection
reset with SO_LINGER 0 (RST, no FIN), 503 bursts, a 412 challenge that never lifts and endless
generated list pages. Every server-side wait is bounded.
"""

from __future__ import annotations

import csv
import select
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fixtureworld.model import PORT_TOKEN
from fixtureworld.nasty import HTML, PDF, NastyWorld, Route, build_nasty_world

CHUNK = 256 * 1024
HANG_SECONDS = 15.0  # a hanging answer gives up after this, whatever the client does


class NastyServer:
    """Serves a NastyWorld on 127.0.0.1; `requests` logs (host, path) of every request."""

    def __init__(self, world: NastyWorld) -> None:
        self.world = world
        self.requests: list[tuple[str, str]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], int] = {}
        self.resets: set[int] = set()  # sockets to close with RST (SO_LINGER 0, no FIN)
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._httpd.resets = self.resets
        self._httpd.daemon_threads = True
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, name=f"nastyworld:{self.port}"
        )

    def start(self) -> NastyServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def resolve_args(self) -> list[str]:
        extra = dict(self.world.extra_resolve)
        return [f"{h}:{self.port}:{extra.get(h, '127.0.0.1')}" for h in self.world.hosts]

    def portal(self, host: str) -> str:
        return f"http://{host}:{self.port}/"

    def write_registry(self, path: str | Path, hosts: list[str] | None = None) -> Path:
        path = Path(path)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["code", "name", "portal_url"])
            for code, name, host in self.world.schools:
                if hosts is None or host in hosts:
                    writer.writerow([code, name, self.portal(host)])
        return path

    def hit(self, host: str, path: str) -> int:
        with self._lock:
            self.requests.append((host, path))
            seen = self._hits.get((host, path), 0)
            self._hits[(host, path)] = seen + 1
            return seen


class _Server(ThreadingHTTPServer):
    resets: set[int]

    def handle_error(self, request, client_address) -> None:
        pass  # clients hang up on purpose here (size caps, timeouts)

    def shutdown_request(self, request) -> None:
        if id(request) in self.resets:
            self.resets.discard(id(request))
            self.close_request(request)  # no FIN first: SO_LINGER 0 makes close() send RST
        else:
            super().shutdown_request(request)


def _handler_for(server: NastyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # a client that stops talking does not hold a thread for ever

        def do_GET(self) -> None:  # noqa: N802
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            path = self.path.split("?", 1)[0]
            seen = server.hit(host, path)
            route = server.world.find(host, path)
            if route is None:
                return self._send(404, HTML, b"<html>404</html>")
            if route.kind == "hang":
                return self._hang()
            if route.kind == "reset":
                return self._reset()
            if route.kind == "stream":
                return self._stream(route)
            if route.kind == "redirect":
                self.send_response(route.status)
                self.send_header("Location", route.location.replace(PORT_TOKEN, str(server.port)))
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if route.kind == "challenge":
                script = (
                    b"<html><script>document.cookie='__jsl_clearance=1';"
                    b"location.reload();</script></html>"
                )
                return self._send(412, HTML, script)
            if route.kind == "burst" and seen < route.failures:
                return self._send(503, HTML, b"<html>503 Service Unavailable</html>")
            body = route.body
            if route.kind == "endless":
                body = route.pages(int(path.rsplit("list", 1)[1].split(".")[0] or 1))
            if route.content_type.startswith("text/html"):
                body = body.replace(PORT_TOKEN.encode(), str(server.port).encode())
            self._send(route.status, route.content_type, body, route.headers)

        def _send(self, status: int, content_type: str, body: bytes, headers: tuple = ()) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _hang(self) -> None:
            """Never answer; return when the client hangs up, the server stops, or at last."""
            waited = 0.0
            while waited < HANG_SECONDS and not server.stopping.is_set():
                readable, _, _ = select.select([self.connection], [], [], 0.2)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    break  # the client closed the connection
                waited += 0.2
            self.close_connection = True

        def _reset(self) -> None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            server.resets.add(id(self.connection))
            self.close_connection = True

        def _stream(self, route: Route) -> None:
            self.send_response(200)
            self.send_header("Content-Type", PDF)
            if route.content_length:
                self.send_header("Content-Length", str(route.size))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            try:
                for chunk in _chunks(route.size):
                    self.wfile.write(chunk)
            except OSError:
                self.close_connection = True  # the client gave up (the size cap): fine

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: the request log is `server.requests`."""

    return Handler


def _chunks(size: int) -> Iterator[bytes]:
    """`size` bytes of a fake PDF, CHUNK at a time: never the whole body in memory."""
    head = b"%PDF-1.4\n"
    filler = bytes(CHUNK)
    yield head
    left = size - len(head)
    while left > 0:
        yield filler[: min(CHUNK, left)]
        left -= CHUNK


@contextmanager
def serve_nasty(world: NastyWorld | None = None) -> Iterator[NastyServer]:
    server = NastyServer(world or build_nasty_world()).start()
    try:
        yield server
    finally:
        server.stop()
