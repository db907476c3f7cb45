"""Serving a generated world: the fixture server plus what generated hazards need — a moved
portal (301 to its new host), 429 with Retry-After, https:// registry rows for HTTP-only
hosts — and the time of each request (to check that Retry-After was honoured)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from fixtureworld.generator import GeneratedWorld
from fixtureworld.model import PORT_TOKEN
from fixtureworld.server import WorldServer


class GeneratedServer(WorldServer):
    def __init__(self, world: GeneratedWorld, port: int = 0) -> None:
        super().__init__(world, port)
        self.world: GeneratedWorld = world
        self.times: list[tuple[float, str, str, int]] = []  # (monotonic, host, target, status)
        self._throttled: set[tuple[str, str]] = set()

    def reset(self) -> None:
        super().reset()
        with self._lock:
            self._throttled.clear()
            self.times.clear()

    def resolve_args(self) -> list[str]:
        """Every host, including those that only redirect (a moved portal's old host)."""
        hosts = set(self.world.hosts) | {host for host, _ in self.world.redirects}
        return [f"{host}:{self.port}:127.0.0.1" for host in sorted(hosts)]

    def registry_rows(self) -> list[dict[str, str]]:
        return [
            {
                "code": p.code,
                "name": p.name,
                "portal_url": self.world.portal_url(p).replace(PORT_TOKEN, str(self.port)),
            }
            for p in self.world.portals
        ]

    def answer(self, host: str, target: str, headers: dict[str, str]):
        status, out, body = self._answer(host, target, headers)
        with self._lock:
            self.times.append((time.monotonic(), host, target, status))
        return status, out, body

    def _answer(self, host: str, target: str, headers: dict[str, str]):
        moved_to = self.world.redirects.get((host, ""))
        if moved_to is not None:
            location = f"http://{moved_to}:{self.port}{target}"
            return 301, [("Location", location), ("Content-Type", "text/html")], b"Moved"
        seconds = self.world.retry_after.get((host, target))
        if seconds is not None:
            with self._lock:
                first = (host, target) not in self._throttled
                self._throttled.add((host, target))
            if first:
                headers_out = [("Retry-After", str(seconds)), ("Content-Type", "text/html")]
                return 429, headers_out, b"<html><body>429 Too Many Requests</body></html>"
        return super().answer(host, target, headers)


@contextmanager
def serve_generated(world: GeneratedWorld, port: int = 0) -> Iterator[GeneratedServer]:
    server = GeneratedServer(world, port).start()
    try:
        yield server
    finally:
        server.stop()
