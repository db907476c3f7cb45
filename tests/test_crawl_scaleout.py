"""Scale-out: two crawler processes share one frontier through scrapy-redis (a local Redis)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter

import pytest

from archive import Archive
from tests.conftest import ROOT, crawl_args, write_family_registry
from tests.expected_rows import report_row_mismatches

REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path):
    if REDIS is None:
        pytest.skip(
            "redis-server is not installed (Debian package redis-server; make test "
            "installs it when run as root)"
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def own_server():
    from fixtureworld import build_world, serve_world

    world = build_world()
    with serve_world(world) as server:
        yield world, server


def test_two_workers_share_the_frontier(own_server, redis_url, tmp_path):
    world, server = own_server
    registry = write_family_registry(world, server, tmp_path / "registry.csv")
    data = tmp_path / "data"
    args = crawl_args(server, data, "--registry", str(registry), "--redis-url", redis_url)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "xxgk", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-3000:]

    archive = Archive(data)
    rows = archive.db.query("select school_code, year from reports")
    found = Counter((r["school_code"], r["year"]) for r in rows)
    expected = {(e.school_code, e.year) for e in world.expected_reports()}
    assert set(found) == expected and set(found.values()) == {1}  # archived once each
    assert report_row_mismatches(archive, world, server, strict=False) == []  # whole rows
    requested = Counter(
        (r.host, r.path) for r in server.requests if r.method == "GET" and r.status == 200
    )
    for report in world.expected_reports():
        if report.file_path is not None:
            assert requested[(report.host, report.file_path)] == 1, report  # fetched once
    crawls = list(archive.db.query("select id, spider, status from crawls"))
    assert len(crawls) == 6 and {c["status"] for c in crawls} == {"finished"}
    both = {
        r["crawl_id"]
        for r in archive.db.query("select distinct crawl_id from fetches where kind = 'attachment'")
    }
    assert len(both) >= 2  # the work was shared, not done by one worker alone
