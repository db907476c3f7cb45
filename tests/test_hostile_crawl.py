"""Issue 14 end to end: a hostile portal's tricks each leave a fetches row or a report row with
a named reason, a flood of fake report links costs a few requests and the real reports are
still reached, and budgets stop a portal by name."""

from __future__ import annotations

import hashlib
import time

import pytest

from archive import Archive
from fixtureworld.nasty_hostile import BOMB_HOST, FLOOD_HOST, OFFSITE_HOST, build_hostile_world
from fixtureworld.nasty_server import serve_nasty
from tests.test_crawl_nasty import assert_consistent, crawl, sitecustomize_dir, tripped

LINK_CAP = 5


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    site_dir = sitecustomize_dir(base / "site")
    world = build_hostile_world()
    with serve_nasty(world) as server:
        registry = server.write_registry(base / "registry.csv")
        started = time.monotonic()
        result = crawl(
            server,
            base / "data",
            site_dir,
            "--registry",
            str(registry),
            "--set",
            f"XXGK_MAX_LINKS_PER_REPORT={LINK_CAP}",
            timeout=300,
        )
        seconds = time.monotonic() - started
        budget = crawl(
            server,
            base / "budget",
            site_dir,
            "--portal",
            server.portal(BOMB_HOST),
            "--set",
            "XXGK_MAX_REQUESTS=4",
            timeout=120,
        )
        requests = list(server.requests)
    archive = Archive(base / "data")
    yield world, archive, result, seconds, requests, site_dir, base, budget
    archive.close()


def _fetch_errors(archive: Archive, where: str) -> list[str]:
    rows = archive.db.query(
        "select error from fetches where url like ? and error is not null", [f"%{where}%"]
    )
    return [r["error"] for r in rows]


def test_the_crawl_finishes_and_the_archive_is_consistent(hostile):
    _world, _archive, result, seconds, _requests, site_dir, base, _budget = hostile
    assert result.returncode == 0, result.stderr[-3000:]
    assert seconds < 240
    assert tripped(site_dir) == ""
    assert_consistent(base / "data")


@pytest.mark.parametrize(
    "name", ["gzip_bomb_page", "gzip_gzip", "not_gzip", "long_url", "offsite_redirect"]
)
def test_every_request_leaves_a_named_row(hostile, name):
    world, archive, *_ = hostile
    case = world.case(name)
    errors = _fetch_errors(archive, case.where)
    assert errors and all(e.startswith(case.fetch) for e in errors), errors


def test_the_offsite_redirect_records_its_chain_and_is_not_the_schools_report(hostile):
    world, archive, *_ = hostile
    (error,) = _fetch_errors(archive, "/docs/2023.pdf")
    assert f"{BOMB_HOST}:" in error and f"-> http://{OFFSITE_HOST}:" in error
    offsite = hashlib.sha256(world.routes[(OFFSITE_HOST, "/2023.pdf")].body).hexdigest()
    rows = list(
        archive.db.query(
            "select r.file_url, r.format, r.sha256 = ? as is_offsite_file, "
            "(select count(*) from attachments a where a.report_id = r.id and a.sha256 = ?) "
            "as offsite_files from reports r where r.year = 2023 and r.school_code = '91101'",
            [offsite, offsite],
        )
    )
    # The article page stays the school's report; the other host's file is no part of it.
    assert rows == [{"file_url": None, "format": "html", "is_offsite_file": 0, "offsite_files": 0}]


@pytest.mark.parametrize("name", ["lzw_bomb", "nested_forms"])
def test_parse_bombs_get_their_named_error(hostile, name):
    world, archive, *_ = hostile
    case = world.case(name)
    rows = list(
        archive.db.query(
            "select status, error from reports where school_code = '91101' and year = ?",
            [case.year],
        )
    )
    assert len(rows) == 1 and rows[0]["status"] == "parse_error"
    assert rows[0]["error"].startswith(case.parse)


def test_a_flood_of_report_links_costs_a_few_requests_and_the_real_reports_are_reached(hostile):
    world, archive, _result, _seconds, requests, *_ = hostile
    fakes = [path for host, path in requests if host == FLOOD_HOST and path.startswith("/fake/")]
    assert len(fakes) <= LINK_CAP
    for year in (2021, 2022):
        (row,) = archive.db.query(
            "select status, sha256 from reports where school_code = '91102' and year = ?", [year]
        )
        assert row["status"] == "ok"
    caps = _fetch_errors(archive, "/fake/")
    capped = [e for e in caps if e.startswith("ReportLinkCap: ")]
    assert len(capped) == 1
    versions = archive.db.execute(
        "select count(*) from attachments a join reports r on r.id = a.report_id "
        "where r.school_code = '91102' and r.year = 2023"
    ).fetchone()[0]
    assert versions <= LINK_CAP


def test_an_article_with_500_attachments_fetches_only_the_cap(hostile):
    world, archive, _result, _seconds, requests, *_ = hostile
    fetched = [path for host, path in requests if host == FLOOD_HOST and path.startswith("/att/")]
    assert len(fetched) == LINK_CAP
    capped = [e for e in _fetch_errors(archive, "/att/") if e.startswith("ReportLinkCap: ")]
    assert len(capped) == 1 and "links more than 5 attachments" in capped[0]


def test_a_portal_budget_stops_the_portal_by_name(hostile):
    *_, base, budget = hostile
    assert budget.returncode == 0, budget.stderr[-3000:]
    archive = Archive(base / "budget")
    errors = [
        r["error"]
        for r in archive.db.query(
            "select error from fetches where error like 'PortalBudgetExceeded:%'"
        )
    ]
    requests = archive.db.execute(
        "select count(*) from fetches where school_code = '91102' and status is not null"
    ).fetchone()[0]
    archive.close()
    assert len(errors) == 1 and "requests budget" in errors[0]
    assert requests <= 4
