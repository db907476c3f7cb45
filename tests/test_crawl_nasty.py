"""Bad input end to end: every nasty case of `fixtureworld.nasty` gets a recorded, named outcome,
the crawl goes on and exits 0, memory stays bounded, and not one packet leaves loopback.

The crawl runs with a tripwire (`sitecustomize.py` first on PYTHONPATH) that refuses, and
writes down, any socket connect or send to a non-loopback address: the crawler's own refusals
must come first, so the tripwire log stays empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive import Archive
from crawler import fetch_errors as fe
from fixtureworld.nasty import MIRROR, REBIND_HOST
from fixtureworld.nasty_server import serve_nasty
from tests.conftest import FAST_SETTINGS, ROOT

TRIPWIRE = """
import errno, ipaddress, os, socket

_LOG = os.environ["XXGK_TRIPWIRE_LOG"]


def _check(sock, address):
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = str(address[0])
    try:
        loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        with open(_LOG, "a") as log:
            log.write(host + "\\n")
        raise OSError(errno.ENETUNREACH, "tripwire: " + host + " is not loopback")


def _guard(name, position):
    real = getattr(socket.socket, name)

    def guarded(self, *args):
        _check(self, args[position])
        return real(self, *args)

    setattr(socket.socket, name, guarded)


_guard("connect", 0)
_guard("connect_ex", 0)
_guard("sendto", -1)
"""
MEMORY_BOUND_MB = 400
NASTY_HOSTS = [
    "xxgk.good.edu.cn",
    "xxgk.pdfs.edu.cn",
    "xxgk.limits.edu.cn",
    "xxgk.endless.edu.cn",
    "xxgk.traps.edu.cn",
]
LIST_PAGE_CAP = 8


def sitecustomize_dir(path: Path, extra: str = "") -> Path:
    """A directory holding the tripwire (plus `extra` code) as sitecustomize.py."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "sitecustomize.py").write_text(TRIPWIRE + extra)
    return path


def crawl(
    server,
    data: Path,
    site_dir: Path,
    *extra: str,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """`xxgk crawl` of the nasty world: loopback allowed by network, nothing else internal."""
    args = ["crawl", "--data", str(data)]
    for entry in server.resolve_args():
        args += ["--resolve", entry]
    for setting in (
        *FAST_SETTINGS,
        "XXGK_ALLOWED_NETWORKS=127.0.0.0/8",
        "MEMUSAGE_CHECK_INTERVAL_SECONDS=0.25",
    ):
        args += ["--set", setting]
    environment = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": f"{site_dir}{os.pathsep}{ROOT}",
        "XXGK_TRIPWIRE_LOG": str(site_dir / "tripwire.log"),
    }
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *args, *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=ROOT,
    )


def assert_consistent(data: Path) -> None:
    """integrity_check ok, every raw file hashes to its name, no temporary file left."""
    with sqlite3.connect(data / "xxgk.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    for path in (data / "raw").rglob("*"):
        assert not path.name.startswith(".tmp-"), path
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name, path


def tripped(site_dir: Path) -> str:
    log = site_dir / "tripwire.log"
    return log.read_text() if log.exists() else ""


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    base = tmp_path_factory.mktemp("nasty")
    site_dir = sitecustomize_dir(base / "site")
    with serve_nasty() as server:
        registry = server.write_registry(base / "registry.csv", NASTY_HOSTS)
        result = crawl(
            server,
            base / "data",
            site_dir,
            "--registry",
            str(registry),
            "--set",
            f"XXGK_MAX_LIST_PAGES={LIST_PAGE_CAP}",
        )
        requests = list(server.requests)
        # No Content-Length: Scrapy counts the streamed bytes; a low cap keeps this quick.
        streamed = crawl(
            server,
            base / "stream",
            site_dir,
            "--portal",
            server.portal("xxgk.stream.edu.cn"),
            "--set",
            "DOWNLOAD_MAXSIZE=4000000",
        )
        archive = Archive(base / "data")
        yield server, archive, result, requests, site_dir, streamed, base / "stream"
        archive.close()


def _report(archive: Archive, host: str, year: int) -> dict | None:
    rows = list(
        archive.db.query(
            "select r.* from reports r join schools s on s.code = r.school_code "
            "where s.portal_url like ? and r.year = ?",
            [f"%//{host}:%", year],
        )
    )
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_the_crawl_goes_on_and_the_archive_is_consistent(nasty):
    server, archive, result, _requests, _site, streamed, stream_data = nasty
    assert result.returncode == 0, result.stderr[-3000:]
    assert streamed.returncode == 0, streamed.stderr[-3000:]
    for crash in ("Spider error processing", "Unhandled error", "Error processing"):
        assert crash not in result.stderr, result.stderr[-3000:]
    assert_consistent(archive.data_dir)
    assert_consistent(stream_data)
    assert [r["status"] for r in archive.db.query("select status from crawls")] == ["finished"]


def test_good_reports_are_archived_byte_exact(nasty):
    server, archive, *_ = nasty
    good = [c for c in server.world.cases if c.archived and c.host in NASTY_HOSTS]
    assert len(good) >= 5
    for case in good:
        row = _report(archive, case.host, case.year)
        assert row is not None, case
        assert row["status"] == "ok", (case, row["error"])
        path = row["file_url"].split(str(server.port), 1)[1]
        assert archive.read_raw(row["sha256"]) == server.world.files[(case.host, path)]


def test_bad_files_get_the_parsers_named_error(nasty):
    server, archive, *_ = nasty
    cases = [c for c in server.world.cases if c.parse]
    assert {c.name for c in cases} >= {
        "truncated_pdf",
        "malformed_pdf",
        "zero_byte_pdf",
        "encrypted_pdf",
        "bomb_pdf",
        "scanned_pdf",
        "cid_pdf",
    }
    for case in cases:
        row = _report(archive, case.host, case.year)
        assert row is not None, case
        assert row["status"] == "parse_error", case
        assert row["error"].startswith(case.parse), (case, row["error"])
        assert row["text"] is None
        assert archive.raw_path(row["sha256"]).exists()  # the bad bytes are kept all the same


def test_every_refusal_and_failure_is_recorded_by_name(nasty):
    server, archive, *_ = nasty
    cases = [c for c in server.world.cases if c.fetch and c.host in NASTY_HOSTS]
    assert len(cases) >= 12
    # Every expected reason is one of the README's named fetch errors.
    assert all(fe.FetchError.named(c.fetch) is not None for c in cases), cases
    outcomes = []
    for case in cases:
        rows = list(
            archive.db.query(
                "select url, final_url, status, sha256, error from fetches where error like ? "
                "and (url like ? or final_url like ?)",
                [case.fetch + "%", f"%{case.where}%", f"%{case.where}%"],
            )
        )
        assert rows, (
            case,
            list(archive.db.query("select url, error from fetches where error is not null")),
        )
        assert all(r["sha256"] is None for r in rows), case  # nothing stored for a failure
        outcomes.append((case.name, rows[0]["error"][:90]))
    print("\n".join(f"{name:20} {error}" for name, error in outcomes))


def test_nothing_internal_is_contacted(nasty):
    server, archive, _result, requests, site_dir, *_ = nasty
    assert tripped(site_dir) == ""  # not one connect or send to a non-loopback address
    assert not [r for r in requests if r[0] == REBIND_HOST or r[0] == MIRROR]
    rows = {
        r["error"]
        for r in archive.db.query(
            "select error from fetches where error like 'PrivateAddressRefused:%'"
        )
    }
    assert "PrivateAddressRefused: 169.254.169.254 is an internal address" in rows
    assert "PrivateAddressRefused: 10.0.0.1 is an internal address" in rows
    assert f"PrivateAddressRefused: {REBIND_HOST} resolves to internal address 10.0.0.1" in rows
    redirected = list(
        archive.db.query(
            "select url, final_url, status from fetches where error like 'PrivateAddressRefused:%'"
            " and final_url is not null"
        )
    )
    assert {r["final_url"] for r in redirected} == {
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/report.pdf",
    }
    assert all(r["status"] is None for r in redirected)
    schemes = {
        r["url"].split(":")[0]
        for r in archive.db.query("select url from fetches where error like 'UnsupportedScheme:%'")
    }
    assert schemes == {"ftp", "file", "http"}  # a link each, and a redirect to ftp://


def test_size_cap_refuses_without_storing(nasty):
    server, archive, _result, requests, _site, _streamed, stream_data = nasty
    assert not [
        p for p in (stream_data / "raw").rglob("*") if p.is_file() and p.stat().st_size > 4_000_000
    ]
    largest = max(p.stat().st_size for p in (archive.data_dir / "raw").rglob("*") if p.is_file())
    assert largest < 20 * 2**20  # the 10 MB page, nothing of the 100 MB files
    header = archive.db.execute(
        "select error from fetches where url like '%/docs/huge.pdf'"
    ).fetchall()
    assert header and all("Expected to receive" in e for (e,) in header)  # by Content-Length
    streamed = Archive(stream_data)
    rows = streamed.db.execute(
        "select error, sha256 from fetches where url like '%/docs/stream.pdf'"
    ).fetchall()
    assert rows and all(e.startswith("DownloadTooLarge: ") and s is None for e, s in rows)
    streamed.close()


def test_a_10_mb_list_page_still_yields_its_buried_reports(nasty):
    server, archive, *_ = nasty
    (size,) = archive.db.execute(
        "select size from fetches where url like '%xxgk.limits.edu.cn%/ndbg/list.htm'"
    ).fetchone()
    assert size > 10 * 10**6
    for year in (2019, 2020, 2021, 2022):  # before and after the 10 MB of padding
        assert _report(archive, "xxgk.limits.edu.cn", year) is not None, year


def test_misdeclared_charsets_are_read_right(nasty):
    server, archive, *_ = nasty
    for year in (2020, 2021):  # GBK declared UTF-8; UTF-8 declared GBK
        row = _report(archive, "xxgk.limits.edu.cn", year)
        assert row["status"] == "ok", row["error"]
        assert "信息公开" in row["text"] and "\ufffd" not in row["text"]
        assert row["title"] == f"极限大学{year - 1}-{year}学年信息公开年度报告"


def test_endless_pagination_stops_at_the_cap(nasty):
    server, archive, _result, requests, *_ = nasty
    pages = [p for h, p in requests if h == "xxgk.endless.edu.cn" and p.startswith("/ndbg/list")]
    assert len(pages) == LIST_PAGE_CAP + 1  # the column page and the capped walk
    rows = archive.db.execute("select error from fetches where error like 'ListPageCap:%'")
    assert len(rows.fetchall()) == 1
    for year in (2022, 2023):  # on the first and the third list page
        assert _report(archive, "xxgk.endless.edu.cn", year)["status"] == "ok"


def test_redirect_loops_end_by_name(nasty):
    server, archive, _result, requests, *_ = nasty
    cycle = [p for h, p in requests if p.startswith("/loop/")]
    assert cycle == ["/loop/a.pdf", "/loop/b.pdf"]  # stopped at the first repeat
    chain = [p for h, p in requests if p.startswith("/chain/")]
    assert len(chain) == 21  # REDIRECT_MAX_TIMES = 20 redirects followed, then given up
    (error,) = archive.db.execute(
        "select error from fetches where url like '%/chain/1.pdf'"
    ).fetchone()
    assert error.startswith("RedirectLoop: gave up after 20 redirects")


def test_a_challenge_that_never_lifts_is_recorded_and_not_archived(nasty):
    server, archive, *_ = nasty
    rows = [
        r["error"]
        for r in archive.db.query(
            "select error from fetches where url like '%xxgk.traps.edu.cn%/ndbg/2022.htm' "
            "order by id"
        )
    ]
    assert rows[:-1] == ["ChallengePage: anti-bot challenge (HTTP 412)"] * (len(rows) - 1)
    assert len(rows) == 5  # the first try and 3 retries, then the give-up
    assert rows[-1].startswith("ChallengeNotLifted: ")
    assert _report(archive, "xxgk.traps.edu.cn", 2022) is None


def test_memory_stays_bounded(nasty):
    _server, archive, *_ = nasty
    (stats,) = archive.db.execute("select stats from crawls").fetchone()
    peak = json.loads(stats)["memusage/max"] / 2**20
    print(f"\npeak RSS of the crawler process (memusage/max): {peak:.0f} MB")
    assert peak < MEMORY_BOUND_MB
