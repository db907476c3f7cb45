"""Property test: crawl many generated portals (one per seed) and find every report, nothing
else, from the right bytes. A failure prints each failing seed with its knobs; rebuild it
with `fixtureworld.generator.choose(seed)` / `generate_world([seed])`."""

from __future__ import annotations

import os

import pytest

from archive import Archive
from tests.conftest import crawl_args, run_xxgk

SEEDS = range(int(os.environ.get("XXGK_WORLD_SEEDS", "100")))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from fixtureworld.generator import generate_world
    from fixtureworld.genserver import serve_generated

    world = generate_world(SEEDS)
    data = tmp_path_factory.mktemp("generated")
    with serve_generated(world) as server:
        registry = server.write_registry(data / "registry.csv")
        run_xxgk(*crawl_args(server, data / "archive", "--registry", str(registry)), timeout=600)
        archive = Archive(data / "archive")
        yield world, server, archive
        archive.close()


def test_recall_and_precision_are_100_percent_on_every_seed(crawled):
    from fixtureworld.generator import choose
    from fixtureworld.scoring import score, summary

    world, _server, archive = crawled
    rows = list(
        archive.db.query(
            "select school_code, year, title, sha256, status, error, text, page_url, file_url "
            "from reports"
        )
    )
    scores = score(world, rows)
    failures = [
        f"seed {s.seed} {choose(s.seed).knobs} hazards={sorted(choose(s.seed).hazards)}\n    "
        + "\n    ".join(s.wrong)
        for s in scores
        if not s.perfect
    ]
    assert not failures, "\n".join(failures)
    recall, precision, expected, correct, found = summary(scores)
    assert (recall, precision) == (1.0, 1.0)
    assert correct == expected == len(world.truth) and found == len(rows)
    assert len(world.portals) == len(SEEDS) and expected >= 2 * len(SEEDS)


def test_trap_pages_are_recorded_by_name(crawled):
    world, server, archive = crawled
    recorded = {
        (row["school_code"], row["error"].split(":")[0])
        for row in archive.db.query(
            "select school_code, error from fetches where kind = 'article' and error is not null"
        )
    }
    reasons = {"intranet": "IntranetOnly", "login": "LoginRequired", "notfound200": "NotFoundPage"}
    expected = {
        (p.code, reasons[h])
        for p in world.portals
        for h in p.hazards & set(reasons)
        if "robots" not in p.hazards  # a column robots.txt shuts is never read
    }
    assert expected and expected <= recorded


def test_portal_events_are_recorded_and_politeness_holds(crawled):
    world, server, archive = crawled
    notes = {}
    for row in archive.db.query("select school_code, error from fetches where status is null"):
        notes.setdefault(row["school_code"], set()).add((row["error"] or "").split(":")[0])
    for portal in world.portals:
        seen = notes.get(portal.code, set())
        assert ("moved" in portal.hazards) == ("PortalMoved" in seen), portal.seed
        assert ("https_registry" in portal.hazards) == ("SchemeFallback" in seen), portal.seed
        if "robots" in portal.hazards:
            assert "RobotsDisallowed" in seen, portal.seed
    # robots.txt obeyed: nothing under a disallowed column was requested
    from fixtureworld.genbuild import _disallowed

    for portal in world.portals:
        if "robots" in portal.hazards:
            shut = _disallowed(portal.knob("paging"))
            hits = [r for r in server.requests if r.host == portal.host and r.path.startswith(shut)]
            assert hits == [], portal.seed
    # 429 with Retry-After: 1 — the retry came a second or more later
    for (host, target), seconds in world.retry_after.items():
        times = [t for t, h, p, _s in server.times if (h, p) == (host, target)]
        if times:  # (a robots-shut column is never asked for)
            assert len(times) == 2 and times[1] - times[0] >= seconds, (host, target, times)
