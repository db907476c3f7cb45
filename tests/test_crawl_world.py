"""`xxgk crawl` end to end on the fixture world: every report, nothing else, bytes exact."""

from __future__ import annotations

import hashlib
from collections import Counter
from urllib.parse import urlsplit

import pytest

from archive import Archive
from crawler import fetch_errors as fe
from fixtureworld import MIRROR_HOST
from tests.conftest import crawl_args, run_xxgk, write_family_registry
from tests.expected_rows import report_row_mismatches


@pytest.fixture(scope="module")
def crawled(world_server, tmp_path_factory):
    data = tmp_path_factory.mktemp("crawl")
    registry = write_family_registry(world_server.world, world_server, data / "registry.csv")
    world_server.reset()  # the one-time challenges and 500s meet this crawl, whatever ran before
    before = len(world_server.requests)
    result = run_xxgk(*crawl_args(world_server, data, "--registry", str(registry)))
    archive = Archive(data)
    yield archive, registry, world_server.requests[before:], result
    archive.close()


def _path(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_report_and_nothing_else_whole_rows(world, world_server, crawled):
    archive, *_ = crawled
    assert any(e.broken for e in world.expected_reports()), "the world holds a truncated PDF"
    # Recall, precision and every column: the first-published article of each report.
    assert report_row_mismatches(archive, world, world_server) == []
    assert archive.db["reports"].count == len(world.expected_reports())  # one per school × year
    for row in archive.db.query("select * from reports"):
        assert row["first_seen"] <= row["last_seen"]  # a report posted twice is seen twice
        source = archive.db.execute(
            "select crawl_id from fetches where sha256 = ? and status = 200", [row["sha256"]]
        ).fetchone()
        assert row["crawl_id"] == source[0], row["page_url"]  # the crawl that fetched it


def test_raw_files_are_byte_exact(world, crawled):
    archive, *_ = crawled
    for report in world.expected_reports():
        if report.file_path is None:
            continue
        row = archive.db.execute(
            "select sha256 from reports where school_code = ? and year = ?",
            [report.school_code, report.year],
        ).fetchone()
        assert archive.read_raw(row[0]) == world.files[(report.host, report.file_path)]


def test_no_lookalike_or_mirror_is_archived(world, crawled):
    archive, *_ = crawled
    titles = {row["title"] for row in archive.db.query("select title from reports")}
    assert titles.isdisjoint(world.lookalike_titles())
    hosts = {
        urlsplit(url).hostname
        for (url,) in archive.db.execute(
            "select page_url from reports union select url from attachments"
        )
    }
    assert hosts <= {host for host, _path in world.files} | {
        urlsplit(row["portal_url"]).hostname for row in archive.db.query("select * from schools")
    }
    assert not any(host in hosts for host in world.mirror_hosts())


def test_every_request_the_server_answered_is_one_fetch_row(crawled):
    """The server's own log and the fetch log agree request for request, robots.txt included:
    same URL, status and the sha256 and size of the very bytes sent."""
    archive, _registry, requests, _result = crawled
    assert requests and all(r.method == "GET" for r in requests)
    answered = Counter((r.host, r.path, r.status, r.sha256, r.size) for r in requests)
    rows = list(archive.db.query("select * from fetches"))
    fetched = [r for r in rows if r["status"] is not None]
    logged = Counter(
        (
            urlsplit(r["final_url"] or r["url"]).hostname,
            _path(r["final_url"] or r["url"]),
            r["status"],
            r["sha256"],
            r["content_length"],
        )
        for r in fetched
    )
    assert logged == answered
    assert Counter(r["kind"] for r in fetched)["robots"] == sum(
        1 for r in requests if r.path == "/robots.txt"
    )
    crawls = {crawl_id for (crawl_id,) in archive.db.execute("select id from crawls")}
    for row in fetched:
        assert row["crawl_id"] in crawls, row
        assert row["method"] == "GET" and row["ip_address"] == "127.0.0.1", row
        assert row["kind"] == ("robots" if _path(row["url"]) == "/robots.txt" else row["kind"])
        assert _sha256(archive.read_raw(row["sha256"])) == row["sha256"]
        assert row["size"] == row["content_length"]


def test_links_not_fetched_are_rows_with_their_named_reason(world, crawled):
    """Rows without a status are links deliberately not fetched: here only the spam mirror's
    copy of a report, linked from gdou's report column."""
    archive, *_ = crawled
    skipped = [
        (r["kind"], urlsplit(r["url"]).hostname, r["error"])
        for r in archive.db.query("select * from fetches where status is null")
    ]
    gdou = next(s for s in world.schools if s.host == "xxgk.gdou.edu.cn")
    reason = f"{MIRROR_HOST} is not on {gdou.name}'s registered domains"
    assert skipped == [("article", MIRROR_HOST, fe.OffsiteSkipped(reason).row())]


def test_challenges_are_retried_and_never_archived(crawled):
    archive, _registry, requests, _result = crawled
    challenged = list(archive.db.query("select * from fetches where error like 'ChallengePage:%'"))
    assert sorted(
        (urlsplit(r["url"]).hostname, _path(r["url"]), r["status"]) for r in challenged
    ) == (sorted((r.host, r.path, r.status) for r in requests if r.status in (412, 202)))
    assert {r["status"] for r in challenged} == {412, 202}  # the world has one of each
    for row in challenged:
        assert fe.FetchError.named(row["error"]) is fe.ChallengePage
        assert f"HTTP {row['status']}" in row["error"]
    archived = {row["sha256"] for row in archive.db.query("select sha256 from reports")}
    assert archived.isdisjoint({row["sha256"] for row in challenged})


def test_robots_txt_is_obeyed_and_user_agent_is_honest(world, crawled):
    _archive, _registry, requests, _result = crawled
    for request in requests:
        for host, prefix in world.disallowed_paths():
            assert not (request.host == host and request.path.startswith(prefix)), request
    agents = {r.user_agent for r in requests}
    assert all("xxgk-archive" in a and "http" in a for a in agents)
    crawled_hosts = {r.host for r in requests}
    robots = [r.host for r in requests if r.path == "/robots.txt"]
    assert sorted(robots) == sorted(crawled_hosts)  # once per host, before anything else
    first = {}
    for request in requests:
        first.setdefault(request.host, request.path)
    assert set(first.values()) == {"/robots.txt"}


def test_a_second_run_adds_no_duplicates(world_server, crawled, tmp_path):
    archive, registry, *_ = crawled
    counts = {t: archive.db[t].count for t in ("reports", "attachments", "sections")}
    raw_files = sorted(p.name for p in archive.raw_dir.rglob("*") if p.is_file())
    run_xxgk(*crawl_args(world_server, archive.data_dir, "--registry", str(registry)))
    assert {t: archive.db[t].count for t in counts} == counts
    assert sorted(p.name for p in archive.raw_dir.rglob("*") if p.is_file()) == raw_files
    assert archive.db["crawls"].count >= 2
