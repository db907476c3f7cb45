"""A bounded load test of the archive site on loopback: `xxgk serve` in a subprocess, then
client threads that stop by themselves, some sending bad SQL and bad parameters.

`run_load` returns the latencies of the normal requests, so a caller compares p95 with and
without the abusive clients (tests/test_hostile_site.py, bench/bench_hostile.py).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

NORMAL = [
    "/xxgk/reports.json?_search=" + quote("报告") + "&_size=20",
    "/xxgk/reports/1.json",
    "/xxgk/schools.json",
    "/xxgk/coverage.json?_size=50",
]
ABUSIVE = [
    "/xxgk.json?sql=" + quote("select * from nowhere where"),
    "/xxgk.json?sql=" + quote("selec broken"),
    "/xxgk/reports?_sort=nonexistent",
    "/-/raw/a/b",
    "/xxgk.json?sql=" + quote("select length(hex(randomblob(450000000)))"),
    "/xxgk.json?sql=" + quote("select xxgk_match(replace(hex(zeroblob(1000000)), '00', 'ab '))"),
    "/xxgk/reports?_size=99999999999999",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    port: int
    pid: int


@contextmanager
def served(data_dir: Path, log: Path) -> Iterator[Server]:
    """`xxgk serve` on a free loopback port; yields it once it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "xxgk", "serve", "--data", str(data_dir), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if request(port, "/-/versions.json")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("xxgk serve did not answer within 60 s")
            yield Server(port, server.pid)
        finally:
            server.terminate()
            server.wait(20)


def request(port: int, path: str, timeout: float = 60) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


@dataclass
class Load:
    normal: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    abusive_statuses: dict[int, int] = field(default_factory=dict)

    def p95(self) -> float:
        ordered = sorted(self.normal)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def run_load(port: int, clients: int, abusive: int, seconds: float, think: float = 0.05) -> Load:
    """`clients` threads for `seconds`; the first `abusive` of them send ABUSIVE requests,
    the others NORMAL ones, each pausing `think` s between requests."""
    load = Load()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        paths = ABUSIVE if index < abusive else NORMAL
        turn = index
        while time.monotonic() < stop:
            path = paths[turn % len(paths)]
            turn += 1
            try:
                status, took = request(port, path)
            except OSError:
                status, took = 0, float(seconds)
            with lock:
                if index < abusive:
                    load.abusive_statuses[status] = load.abusive_statuses.get(status, 0) + 1
                else:
                    load.normal.append(took)
                    load.statuses[status] = load.statuses.get(status, 0) + 1
            time.sleep(think)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return load
