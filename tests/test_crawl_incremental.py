"""Scheduled crawls: cheap when nothing changed, and edits and removals are noticed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from archive import Archive, sha256_hex
from tests.conftest import crawl_args, run_xxgk, write_family_registry


@pytest.fixture(scope="module")
def own_world():
    """A world of its own: these tests edit and delete what the portals serve."""
    from fixtureworld import build_world, serve_world

    world = build_world()
    with serve_world(world) as server:
        yield world, server


def crawl(server, data, registry):
    server.reset()  # re-arm the one-time challenges: every crawl meets them
    run_xxgk(
        *crawl_args(server, data, "--registry", str(registry), "--set", "XXGK_AS_OF=2026-11-23")
    )
    archive = Archive(data)
    last = archive.db.execute("select max(id) from crawls").fetchone()[0]
    stats = [
        json.loads(s)
        for (s,) in archive.db.execute("select stats from crawls where id > ? - 3", [last])
    ]  # one crawl row per spider
    return archive, sum(s.get("downloader/response_bytes", 0) for s in stats), stats


def test_unchanged_portals_cost_little_and_changes_are_kept(own_world, tmp_path):
    world, server = own_world
    registry = write_family_registry(world, server, tmp_path / "registry.csv")
    data = tmp_path / "data"
    archive, first_bytes, _ = crawl(server, data, registry)
    expected = {(e.school_code, e.year) for e in world.expected_reports()}
    assert archive.db["reports"].count == len(expected)
    first_crawl_rows = archive.db["reports"].count

    archive, second_bytes, stats = crawl(server, data, registry)
    assert second_bytes < 0.10 * first_bytes, (second_bytes, first_bytes)
    # Every 304 the server sent is counted and logged as one, and they are most of the crawl.
    answered_304 = sum(1 for r in server.requests if r.status == 304)
    assert answered_304 > 0.5 * len(server.requests), (answered_304, len(server.requests))
    assert sum(s.get("xxgk/incremental/not_modified", 0) for s in stats) == answered_304
    logged_304 = archive.db.execute("select count(*) from fetches where status = 304").fetchone()
    assert logged_304[0] == answered_304
    assert archive.db["reports"].count == first_crawl_rows
    assert archive.db["report_versions"].count == first_crawl_rows
    started = archive.db.execute("select started_at from crawls order by id desc").fetchone()[0]
    stale = archive.db.execute(
        "select count(*) from reports where last_seen < ?", [started]
    ).fetchone()[0]
    assert stale == 0  # every report was seen again, though the list walks stopped early

    # The school replaces its 2024 PDF in place, and deletes another report's article.
    from fixtureworld.documents import render_pdf
    from fixtureworld.reports import compose_report

    edited = next(
        e for e in world.expected_reports() if e.school_code == "4144010566" and e.year == 2024
    )
    corrected = render_pdf(
        compose_report(
            "广东海洋大学",
            2024,
            edited.title + "（更正）",
            "http://xxgk.gdou.edu.cn/",
            dt.date(2024, 11, 8),
            "academic",
            "corrected",
        )
    )
    key = (edited.host, edited.file_path)
    world.resources[key] = replace(
        world.resources[key], body=corrected, modified=dt.date(2024, 11, 8)
    )
    gone = next(
        e for e in world.expected_reports() if e.school_code == "4134010359" and e.year == 2023
    )
    del world.resources[(gone.host, gone.page_url_path)]

    archive, _, _ = crawl(server, data, registry)
    db = archive.db
    assert db["reports"].count == first_crawl_rows  # nothing deleted
    row = db.execute(
        "select id, sha256 from reports where school_code = ? and year = 2024", ["4144010566"]
    ).fetchone()
    assert row[1] == sha256_hex(corrected)
    versions = list(
        db.query(
            "select sha256, current from report_versions where report_id = ? order by id", [row[0]]
        )
    )
    assert versions == [
        {"sha256": edited.sha256, "current": 0},
        {"sha256": sha256_hex(corrected), "current": 1},
    ]
    assert archive.read_raw(edited.sha256)  # the first version's bytes are still there
    assert [r["report_id"] for r in db.query("select report_id from changed_reports")] == [row[0]]
    removed = list(db.query("select school_code, year, removal_reason from removed_reports"))
    assert removed == [
        {
            "school_code": "4134010359",
            "year": 2023,
            "removal_reason": f"HTTP 404 at http://{gone.host}:{server.port}{gone.page_url_path}",
        }
    ]


def test_health_lists_portals_that_need_attention(own_world, tmp_path):
    world, server = own_world
    registry = write_family_registry(world, server, tmp_path / "registry.csv")
    with registry.open("a", encoding="utf-8") as handle:  # a portal that no longer answers
        handle.write(f"4111010001,北京大学,http://xxgk.pku.edu.cn:{server.port}/,\n")
    archive, _, _ = crawl(server, tmp_path / "data", registry)
    attention = {
        row["school_code"]: row["reasons"]
        for row in archive.db.query("select * from portals_needing_attention")
    }
    latest = {}
    for e in world.expected_reports():
        latest[e.school_code] = max(latest.get(e.school_code, 0), e.year)
    expected = {
        code: f"no report for 2026 (latest {year})" for code, year in latest.items() if year < 2026
    }
    expected["4111010001"] = (
        f"home page failed: NotResolved: xxgk.pku.edu.cn:{server.port} has no --resolve entry; "
        "no report archived"
    )
    assert attention == expected
    result = run_xxgk("status", "--data", str(tmp_path / "data"), "--check", check=False)
    assert result.returncode == 1
    assert f"Portals needing attention: {len(expected)} of {len(latest) + 1}" in result.stdout
