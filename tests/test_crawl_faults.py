"""Faults end to end: a host that never answers, one that resets connections, 503 bursts, and a
disk that fills up while the raw store is written. The crawl goes on, every failure is recorded
by name, the archive stays consistent and the next crawl repairs what is missing.

(A crawler killed mid-write is tests/test_crawl_resume.py.)
"""

from __future__ import annotations

import hashlib

import pytest

from archive import Archive
from fixtureworld.nasty_server import serve_nasty
from tests.test_crawl_nasty import assert_consistent, crawl, sitecustomize_dir, tripped

FAULTS = "xxgk.faults.edu.cn"
DISK = "xxgk.disk.edu.cn"
WRITES_BEFORE_FULL = 6
# The disk fills up after WRITES_BEFORE_FULL raw files: each later write gets half its bytes
# into the temporary file, then ENOSPC, exactly where a real full disk stops a write.
DISK_FULL = """
import errno, os
import archive.store as _store

_LIMIT = int(os.environ["XXGK_WRITES_BEFORE_FULL"])


class _FullFile:
    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        self._handle.write(bytes(data[: len(data) // 2]))
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


class _FillingOs:
    writes = 0

    def fdopen(self, fd, *args, **kwargs):
        handle = os.fdopen(fd, *args, **kwargs)
        _FillingOs.writes += 1
        return _FullFile(handle) if _FillingOs.writes > _LIMIT else handle

    def __getattr__(self, name):
        return getattr(os, name)


_store.os = _FillingOs()
"""


@pytest.fixture(scope="module")
def server():
    with serve_nasty() as running:
        yield running


@pytest.fixture(scope="module")
def faulty(server, tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    site_dir = sitecustomize_dir(base / "site")
    registry = server.write_registry(base / "registry.csv", [FAULTS])
    result = crawl(
        server,
        base / "data",
        site_dir,
        "--registry",
        str(registry),
        "--set",
        "DOWNLOAD_TIMEOUT=2",
        "--set",
        "RETRY_TIMES=3",
    )
    archive = Archive(base / "data")
    yield archive, result, list(server.requests), site_dir
    archive.close()


def _report(archive: Archive, year: int) -> dict | None:
    rows = list(archive.db.query("select * from reports where year = ?", [year]))
    return rows[0] if rows else None


def _errors(archive: Archive, path: str) -> list[str]:
    return [
        e
        for (e,) in archive.db.execute(
            "select error from fetches where url like ? order by id", [f"%{path}"]
        )
    ]


def test_the_crawl_goes_on_through_faults(server, faulty):
    archive, result, _requests, site_dir = faulty
    assert result.returncode == 0, result.stderr[-3000:]
    assert_consistent(archive.data_dir)
    assert tripped(site_dir) == ""
    assert archive.db["reports"].count == 4  # each article is archived, with or without file


def test_a_host_that_never_answers_is_a_timeout(faulty):
    archive, *_ = faulty
    errors = _errors(archive, "/docs/hang.pdf")
    assert len(errors) == 4  # the first try and 3 retries, each recorded
    assert all(e.startswith("Timeout: ") for e in errors), errors
    assert _report(archive, 2019)["file_url"] is None  # archived from its article


def test_reset_connections_are_recorded(faulty):
    archive, *_ = faulty
    errors = _errors(archive, "/docs/reset.pdf")
    assert len(errors) == 4
    assert all(e.startswith("ConnectionReset: ") for e in errors), errors


def test_a_503_burst_ends_archived_thanks_to_retries(server, faulty):
    archive, _result, requests, _site = faulty
    assert [p for h, p in requests if p == "/docs/2021.pdf"] == ["/docs/2021.pdf"] * 4
    statuses = [
        s
        for (s,) in archive.db.execute(
            "select status from fetches where url like '%/docs/2021.pdf' order by id"
        )
    ]
    assert statuses == [503, 503, 503, 200]
    row = _report(archive, 2021)
    assert row["status"] == "ok" and row["file_url"].endswith("/docs/2021.pdf")
    assert archive.read_raw(row["sha256"]) == server.world.files[(FAULTS, "/docs/2021.pdf")]


def test_a_longer_burst_ends_recorded_as_a_failure(faulty):
    archive, *_ = faulty
    rows = list(
        archive.db.query(
            "select status, error from fetches where url like '%/docs/2022.pdf' order by id"
        )
    )
    assert [r["status"] for r in rows[:4]] == [503] * 4
    assert rows[-1] == {"status": None, "error": "RetriesExhausted: HTTP 503 after 3 retries"}
    assert _report(archive, 2022)["file_url"] is None


def test_disk_full_keeps_the_archive_consistent_and_the_next_crawl_repairs_it(server, tmp_path):
    site_dir = sitecustomize_dir(tmp_path / "site", DISK_FULL)
    registry = server.write_registry(tmp_path / "registry.csv", [DISK])
    data = tmp_path / "data"
    env = {"XXGK_WRITES_BEFORE_FULL": str(WRITES_BEFORE_FULL)}
    full = crawl(server, data, site_dir, "--registry", str(registry), env=env)
    assert full.returncode == 0, full.stderr[-3000:]
    assert_consistent(data)  # the half-written temporary files are gone
    archive = Archive(data)
    errors = [
        e
        for (e,) in archive.db.execute(
            "select error from fetches where error like 'StorageError:%'"
        )
    ]
    assert errors and all("No space left on device" in e for e in errors)
    assert sum(1 for p in (data / "raw").rglob("*") if p.is_file()) == WRITES_BEFORE_FULL
    expected = {c.year for c in server.world.cases if c.host == DISK}
    before = {r["year"] for r in archive.db.query("select year from reports")}
    assert before < expected  # some reports could not be stored: left for the next crawl
    for row in archive.db.query("select * from reports"):  # none saved with a wrong source
        assert row["file_url"] and archive.raw_path(row["sha256"]).exists()
    archive.close()

    sitecustomize_dir(tmp_path / "site")  # the disk has room again
    again = crawl(server, data, site_dir, "--registry", str(registry))
    assert again.returncode == 0, again.stderr[-3000:]
    assert_consistent(data)
    archive = Archive(data)
    rows = {r["year"]: r for r in archive.db.query("select * from reports")}
    assert set(rows) == expected
    for year, row in rows.items():
        body = server.world.files[(DISK, f"/docs/{year}.pdf")]
        assert row["status"] == "ok" and row["sha256"] == hashlib.sha256(body).hexdigest()
        assert archive.read_raw(row["sha256"]) == body
    archive.close()
