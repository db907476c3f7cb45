"""The browser path end to end: a crawl of the scripted world (`fixtureworld.scripted`).

Script challenges, XHR-built lists, createPageHTML and __doPostBack pagers, a render=browser
row and a challenge no browser lifts; page scripts reaching for internal addresses and a canary
on 127.0.0.2. Needs Debian's chromium (scripts/system-deps.sh installs it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import Archive
from crawler.browser_launch import find_chromium
from fixtureworld.scripted import UNKNOWN_HOST, build_scripted_world
from fixtureworld.scripted_server import serve_scripted
from tests.conftest import ROOT, crawl_args, run_xxgk

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="needs Debian's chromium (make system-deps)"
)
# The fixture server is on 127.0.0.1; the canary on 127.0.0.2 must stay out of reach.
LOOPBACK_ONLY = ("--set", "XXGK_ALLOWED_NETWORKS=127.0.0.1/32")


@pytest.fixture(scope="module")
def scripted():
    world = build_scripted_world()
    with serve_scripted(world) as server:
        yield world, server


def _crawl(server, data: Path, kinds: list[str] | None, *extra: str) -> Archive:
    registry = server.write_registry(data / "registry.csv", kinds)
    args = crawl_args(server, data, "--registry", str(registry), *extra, allow_private=False)
    run_xxgk(*args, *LOOPBACK_ONLY)
    return Archive(data)


def _stats(archive: Archive) -> dict:
    (stats,) = archive.db.execute("select stats from crawls order by id desc").fetchone()
    return json.loads(stats)


def _archived(archive: Archive) -> list[tuple[str, int, str]]:
    return [
        tuple(row)
        for row in archive.db.execute("select school_code, year, sha256 from reports order by 1, 2")
    ]


@pytest.fixture(scope="module")
def crawled(scripted, tmp_path_factory):
    world, server = scripted
    start = len(server.requests)
    archive = _crawl(server, tmp_path_factory.mktemp("scripted"), None)
    yield world, server, archive, server.requests[start:]
    archive.close()


@needs_chromium
def test_every_report_behind_scripts_is_found_once(crawled):
    world, _server, archive, _hits = crawled
    assert sorted(_archived(archive)) == sorted(world.expected())
    for code, year, sha in _archived(archive):
        assert archive.raw_path(sha).exists(), (code, year)


@needs_chromium
def test_the_challenge_is_lifted_by_the_browser_and_its_cookie_reused(crawled):
    world, server, archive, hits = crawled
    host = world.school("jsc").host
    rows = list(
        archive.db.query(
            "select kind, via, status, error from fetches where url like ? order by id",
            [f"%{host}%"],
        )
    )
    plain_home = [r for r in rows if r["kind"] == "home" and r["via"] is None]
    assert [r["status"] for r in plain_home] == [412] * 4  # the first try and 3 retries
    browser_docs = [r for r in rows if r["kind"] == "resource:document"]
    assert browser_docs[0]["status"] == 412 and browser_docs[1]["status"] == 200
    assert browser_docs[0]["error"] == "ChallengePage: anti-bot challenge (HTTP 412)"
    # Plain requests with the browser's cookie got through, and when the gateway expired it
    # (after CLEARANCE_USES requests) the browser earned a new one.
    plain_ok = [
        r for r in rows if r["via"] is None and r["status"] == 200 and r["kind"] != "robots"
    ]
    assert len(plain_ok) >= 3
    stats = _stats(archive)
    assert stats["xxgk/browser/cookies_expired"] >= 1
    assert stats["xxgk/browser/cookies_earned"] >= 2
    assert not [r for r in rows if (r["error"] or "").startswith("ChallengeDefeatsBrowser")]


@needs_chromium
def test_a_challenge_that_defeats_the_browser_gets_a_named_reason(crawled):
    world, _server, archive, _hits = crawled
    wall = world.school("wall")
    (error,) = archive.db.execute(
        "select error from fetches where school_code = ? and error like 'ChallengeDefeats%'",
        [wall.code],
    ).fetchone()
    assert error == (
        "ChallengeDefeatsBrowser: ChallengePage: anti-bot challenge (HTTP 412) still there "
        "after the browser ran the page's script (6 page loads)"
    )
    assert not archive.db.execute(
        "select 1 from reports where school_code = ?", [wall.code]
    ).fetchall()


@needs_chromium
def test_portal_health_says_which_portals_needed_the_browser_and_why(crawled):
    world, _server, archive, _hits = crawled
    browser = {
        row["school_code"]: (row["browser"], row["reasons"])
        for row in archive.db.query("select school_code, browser, reasons from portal_health")
    }
    code = {s.kind: s.code for s in world.schools}
    defeated = (
        "ChallengeDefeatsBrowser: ChallengePage: anti-bot challenge (HTTP 412) still there "
        "after the browser ran the page's script (6 page loads)"
    )
    # jsc: the home page, then once per expired clearance (CLEARANCE_USES = 5).
    assert (
        browser[code["jsc"]][0].startswith("challenge (")
        and "Defeats" not in browser[code["jsc"]][0]
    )
    assert {kind: browser[code[kind]][0] for kind in ("xhr", "cph", "asp", "dom", "wall")} == {
        "xhr": "scripted list (2 pages)",
        "cph": None,
        "asp": None,
        "dom": "render=browser (4 pages)",
        "wall": f"challenge (1 page); {defeated}",
    }
    assert browser[code["wall"]][1] == (
        f"home page failed: {defeated}; its challenge defeats the browser too; no report archived"
    )
    assert "browser" not in (browser[code["xhr"]][1] or "")
    status = run_xxgk("status", "--data", str(archive.data_dir), "--all").stdout
    table = status[status.index("Portals that needed the browser: 4") :]
    assert [c for c in code.values() if c in table] == [
        code["jsc"],
        code["xhr"],
        code["dom"],
        code["wall"],
    ]
    assert "ChallengeDefeatsBrowser:" in table


@needs_chromium
def test_page_scripts_reach_nothing_the_policy_refuses(crawled):
    world, server, archive, hits = crawled
    assert server.canary_hits == []
    refused = {
        row["url"].split("/")[2].rsplit(":", 1)[0]: row["error"]
        for row in archive.db.query(
            "select url, error from fetches where kind like 'resource:%' and status is null"
        )
    }
    assert refused == {
        "127.0.0.2": "PrivateAddressRefused: 127.0.0.2 is an internal address",
        "10.0.0.1": "PrivateAddressRefused: 10.0.0.1 is an internal address",
        UNKNOWN_HOST: f"NotResolved: {UNKNOWN_HOST}:80 has no --resolve entry",
        "cdn.xhr.edu.cn": "PrivateAddressRefused: cdn.xhr.edu.cn resolves to internal "
        "address 10.0.0.1",
    }
    # Images, fonts and media are routed away: the banner is never requested; robots.txt
    # forbids /api/private/, which the script asks for on each of the two list pages.
    assert not [h for h in hits if h.path.endswith(".png") or "/api/private/" in h.path]
    assert _stats(archive)["xxgk/browser/robots_forbidden"] == 2
    assert {h.user_agent for h in hits} == {hits[0].user_agent}
    assert hits[0].user_agent.startswith("xxgk-archive/")


@needs_chromium
def test_browser_fetches_are_stored_and_logged_like_any_other(crawled):
    world, _server, archive, _hits = crawled
    rows = list(archive.db.query("select * from fetches where via = 'browser'"))
    assert rows
    for row in rows:
        if row["status"] is not None:
            assert archive.raw_path(row["sha256"]).exists()
            assert row["ip_address"] == "127.0.0.1"
    xhr = world.school("xhr")
    kinds = {
        (row["kind"], row["url"].split("/", 3)[3])
        for row in rows
        if row["school_code"] == xhr.code and row["status"] == 200
    }
    assert {
        ("resource:document", "ndbg/list.htm"),
        ("resource:fetch", "api/list?page=1"),
        ("list", "ndbg/list.htm"),
        ("resource:document", "ndbg/list.htm?page=2"),
        ("resource:fetch", "api/list?page=2"),
        ("list", "ndbg/list.htm?page=2"),
    } == kinds
    stats = _stats(archive)
    assert stats["xxgk/browser/started"] == 1
    assert stats["playwright/page_count/max_concurrent"] <= 2


@needs_chromium
def test_script_pagers_are_walked_without_the_browser(crawled):
    world, server, archive, hits = crawled
    cph, asp = world.school("cph"), world.school("asp")
    cph_lists = sorted(h.path for h in hits if h.host == cph.host and "/ndbg/index" in h.path)
    assert cph_lists == ["/ndbg/index.html", "/ndbg/index_1.html", "/ndbg/index_2.html"]
    posts = [h for h in hits if h.host == asp.host and h.method == "POST"]
    assert [(h.path, h.status) for h in posts] == [("/ndbg/List.aspx", 200)] * 2
    assert not archive.db.execute(
        "select 1 from fetches where via = 'browser' and school_code in (?, ?)",
        [cph.code, asp.code],
    ).fetchall()
    (posted,) = archive.db.execute(
        "select count(*) from fetches where method = 'POST' and school_code = ?", [asp.code]
    ).fetchone()
    assert posted == 2


@needs_chromium
def test_a_render_browser_row_sends_its_pages_through_the_browser(crawled):
    world, _server, archive, _hits = crawled
    dom = world.school("dom")
    kinds = [
        row[0]
        for row in archive.db.execute(
            "select kind from fetches where school_code = ? and via = 'browser' "
            "and kind not like 'resource:%' order by id",
            [dom.code],
        )
    ]
    assert sorted(kinds) == ["article", "article", "home", "list"]
    (files,) = archive.db.execute(
        "select count(*) from fetches where school_code = ? and kind = 'attachment' "
        "and via is null and status = 200",
        [dom.code],
    ).fetchone()
    assert files == 2  # files stay plain HTTP


def test_without_chromium_the_crawl_goes_on_and_says_why(scripted, tmp_path):
    world, server = scripted
    archive = _crawl(
        server, tmp_path, ["jsc", "cph"], "--set", "XXGK_BROWSER_EXECUTABLE=/nonexistent/chromium"
    )
    assert sorted(_archived(archive)) == sorted(world.expected("cph"))
    (error, via) = archive.db.execute(
        "select error, via from fetches where error like 'BrowserUnavailable:%'"
    ).fetchone()
    assert error == (
        "BrowserUnavailable: no chromium executable (install Debian's chromium, or set "
        "XXGK_BROWSER_EXECUTABLE)"
    )
    assert via == "browser"
    assert "xxgk/browser/started" not in _stats(archive)


def test_browser_never_keeps_the_plain_outcome(scripted, tmp_path):
    world, server = scripted
    archive = _crawl(server, tmp_path, ["jsc", "xhr", "asp"], "--browser", "never")
    assert sorted(_archived(archive)) == sorted(world.expected("asp"))
    (error,) = archive.db.execute(
        "select error from fetches where error like 'ChallengeNotLifted:%'"
    ).fetchone()
    assert (
        error == "ChallengeNotLifted: ChallengePage: anti-bot challenge (HTTP 412) after 3 retries"
    )
    stats = _stats(archive)
    assert not [key for key in stats if key.startswith(("xxgk/browser", "playwright"))]


def _owned_processes(owner: str) -> list[int]:
    """Processes started for the crawl `owner` (Playwright's driver, chromium and its
    children all inherit XXGK_BROWSER_OWNER)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"XXGK_BROWSER_OWNER={owner}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@needs_chromium
def test_the_browser_dies_with_a_killed_crawl(scripted, tmp_path):
    _world, server = scripted
    registry = server.write_registry(tmp_path / "registry.csv", ["wall"])
    args = crawl_args(server, tmp_path, "--registry", str(registry), allow_private=False)
    owner = f"kill-test-{os.getpid()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XXGK_BROWSER_OWNER": owner}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "xxgk", *args, *LOOPBACK_ONLY],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            browsers = [p for p in _owned_processes(owner) if p != crawl.pid]
            if any(b"chromium" in Path(f"/proc/{p}/cmdline").read_bytes() for p in browsers):
                break
            assert crawl.poll() is None, "the crawl ended before its browser started"
            time.sleep(0.1)
        else:
            pytest.fail("no browser started within 60 s")
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=10)
        deadline = time.monotonic() + 15
        while _owned_processes(owner) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _owned_processes(owner) == []
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()


def test_a_world_that_needs_no_browser_starts_none(world, world_server, tmp_path):
    """The realistic world (one-shot challenges that plain retries lift, plain lists)."""
    world_server.reset()  # re-arms the one-shot challenges earlier crawls consumed
    registry = world_server.write_registry(tmp_path / "all.csv", families=True)
    lines = registry.read_text("utf-8").splitlines()
    hosts = ("xxgk.gdou.edu.cn", "xxgk.jlau.edu.cn", "xxgk.ctbu.edu.cn")
    subset = tmp_path / "registry.csv"
    subset.write_text("\n".join([lines[0], *(ln for ln in lines if any(h in ln for h in hosts))]))
    run_xxgk(*crawl_args(world_server, tmp_path, "--registry", str(subset)))
    archive = Archive(tmp_path)
    challenged = archive.db.execute(
        "select count(*) from fetches where error like 'ChallengePage:%'"
    ).fetchone()[0]
    assert challenged >= 2  # the 412 and the 202, lifted by a plain retry
    assert archive.db.execute("select count(*) from reports").fetchone()[0] > 0
    assert archive.db.execute("select count(*) from fetches where via is not null").fetchone() == (
        0,
    )
    for (stats,) in archive.db.execute("select stats from crawls"):
        assert not [k for k in json.loads(stats) if k.startswith(("xxgk/browser", "playwright"))]
    archive.close()


@needs_chromium
def test_browser_always_renders_every_page_but_not_files(scripted, tmp_path):
    world, server = scripted
    archive = _crawl(server, tmp_path, ["cph"], "--browser", "always")
    assert sorted(_archived(archive)) == sorted(world.expected("cph"))
    by_kind = {
        (kind, via): count
        for kind, via, count in archive.db.execute(
            "select kind, via, count(*) from fetches where kind not like 'resource:%' "
            "and kind != 'robots' group by 1, 2"
        )
    }
    # home + 3 list pages + 5 articles rendered; the 5 PDFs fetched plainly.
    assert by_kind == {
        ("home", "browser"): 1,
        ("list", "browser"): 3,
        ("article", "browser"): 5,
        ("attachment", None): 5,
    }
    archive.close()
