"""`xxgk crawl` end to end on the fixture world: every report, nothing else, bytes exact."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from archive import Archive
from tests.conftest import crawl_args, run_xxgk, write_family_registry


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


def test_every_report_and_nothing_else(world, crawled):
    archive, *_ = crawled
    found = {
        (r["school_code"], r["year"]): r
        for r in archive.db.query("select * from reports order by school_code, year")
    }
    expected = {(e.school_code, e.year): e for e in world.expected_reports()}
    assert sorted(found) == sorted(expected)  # recall and precision: 100%
    assert archive.db["reports"].count == len(expected)  # one row per school × year
    for key, report in expected.items():
        row = found[key]
        assert urlsplit(row["page_url"]).hostname == report.host, key
        assert _path(row["page_url"]) == report.page_url_path, key
        assert _path(row["file_url"]) == report.file_path, key
        assert row["format"] == report.format, key
        assert row["school_name"] == report.school_name
        if report.sha256 is not None:
            assert row["sha256"] == report.sha256, key


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


def test_reports_have_text_or_a_named_error(world, crawled):
    archive, *_ = crawled
    broken = {(e.school_code, e.year) for e in world.expected_reports() if e.broken}
    assert broken, "the world holds a truncated PDF"
    for row in archive.db.query("select * from reports"):
        if (row["school_code"], row["year"]) in broken:
            assert row["status"] == "parse_error"
            assert row["error"].startswith("BrokenDocument: ")
            assert row["text"] is None
        else:
            assert row["status"] == "ok", (row["page_url"], row["error"])
            assert len(row["text"]) > 200
            assert row["parser"] and row["parser_version"]


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


def test_every_fetch_is_logged_with_its_stored_body(crawled):
    archive, _registry, requests, _result = crawled
    rows = list(archive.db.query("select * from fetches where crawl_id is not null"))
    assert len(rows) >= len([r for r in requests if r.method == "GET"]) * 0.9
    for row in rows:
        if row["status"] is not None:
            assert archive.raw_path(row["sha256"]).exists()
            assert row["ip_address"] == "127.0.0.1"
        else:
            assert row["error"], row


def test_challenges_are_retried_and_never_archived(crawled):
    archive, *_ = crawled
    challenged = list(archive.db.query("select * from fetches where error like 'ChallengePage:%'"))
    assert challenged, "the world has a 412 and a 202 challenge"
    archived = {row["sha256"] for row in archive.db.query("select sha256 from reports")}
    assert archived.isdisjoint({row["sha256"] for row in challenged})


def test_robots_txt_is_obeyed_and_user_agent_is_honest(world, crawled):
    _archive, _registry, requests, _result = crawled
    for request in requests:
        for host, prefix in world.disallowed_paths():
            assert not (request.host == host and request.path.startswith(prefix)), request
    agents = {r.user_agent for r in requests}
    assert all("xxgk-archive" in a and "http" in a for a in agents)
    assert any(r.path == "/robots.txt" for r in requests)


def test_a_second_run_adds_no_duplicates(world_server, crawled, tmp_path):
    archive, registry, *_ = crawled
    counts = {t: archive.db[t].count for t in ("reports", "attachments", "sections")}
    raw_files = sorted(p.name for p in archive.raw_dir.rglob("*") if p.is_file())
    run_xxgk(*crawl_args(world_server, archive.data_dir, "--registry", str(registry)))
    assert {t: archive.db[t].count for t in counts} == counts
    assert sorted(p.name for p in archive.raw_dir.rglob("*") if p.is_file()) == raw_files
    assert archive.db["crawls"].count >= 2
