"""A crawl killed with SIGKILL and started again finishes the job: no duplicates, no corruption."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from archive import Archive
from tests.conftest import ROOT, crawl_args, run_xxgk, write_family_registry
from tests.expected_rows import report_row_mismatches


@pytest.fixture
def own_server():
    from fixtureworld import build_world, serve_world

    world = build_world()
    with serve_world(world) as server:
        yield world, server


def _reports(db_path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as db:
            return db.execute("select count(*) from reports").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_killed_crawl_resumes_without_duplicates(own_server, tmp_path):
    world, server = own_server
    registry = write_family_registry(world, server, tmp_path / "registry.csv")
    data = tmp_path / "data"
    # Slowed down so that the kill lands in the middle of the crawl.
    args = crawl_args(server, data, "--registry", str(registry), "--set", "DOWNLOAD_DELAY=0.4")
    process = subprocess.Popen(
        [sys.executable, "-m", "xxgk", *args],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    deadline = time.monotonic() + 120
    while _reports(data / "xxgk.db") < 8 and time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the crawler and its parse workers, mid-write
    process.wait()
    expected = {(e.school_code, e.year) for e in world.expected_reports()}
    killed_at = _reports(data / "xxgk.db")
    assert 8 <= killed_at < len(expected)

    with sqlite3.connect(data / "xxgk.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    for path in (data / "raw").rglob("*"):
        if path.is_file() and not path.name.startswith(".tmp-"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name  # never half-written

    run_xxgk(*crawl_args(server, data, "--registry", str(registry)))
    archive = Archive(data)
    found = [(r["school_code"], r["year"]) for r in archive.db.query("select * from reports")]
    assert sorted(found) == sorted(expected)  # every report, each once
    # ...and each whole row as an uninterrupted crawl stores it.
    assert report_row_mismatches(archive, world, server, strict=False) == []
    assert archive.db.execute("pragma integrity_check").fetchone() == ("ok",)
    statuses = {r["status"] for r in archive.db.query("select status from reports")}
    assert statuses == {"ok", "parse_error"}  # the one truncated PDF, recorded as such
    assert not [
        p
        for p in (data / "raw").rglob("*")
        if p.name.startswith(".tmp-") and p.stat().st_mtime > time.time() - 1
    ]
