"""A portal's move, scheme fallback and robots.txt refusals reach its health row (`notes`), once
each, and `xxgk status` lists them."""

from __future__ import annotations

import datetime as dt

from archive import Archive
from archive.health import PortalObservation, latest_health, record_health
from tests.conftest import run_xxgk

MOVED = "PortalMoved: xxgk.old.edu.cn now answers from https://xxgk.new.edu.cn"
ROBOTS = "RobotsDisallowed: robots.txt of xxgk.new.edu.cn forbids this list"


def test_notes_are_kept_once_each_and_listed_by_status(tmp_path):
    archive = Archive(tmp_path)
    archive.db["schools"].insert({"code": "4100000000", "name": "示范大学"})
    crawl = archive.begin_crawl("generic", {})
    seen = PortalObservation("4100000000", home_status=200, column_found=True)
    for reason in (MOVED, ROBOTS, MOVED):
        seen.note(reason)
    assert seen.notes == f"{MOVED}; {ROBOTS}"
    record_health(archive.db, crawl, [seen], dt.date(2026, 12, 1))
    (row,) = latest_health(archive.db)
    assert row["notes"] == f"{MOVED}; {ROBOTS}"
    archive.end_crawl(crawl, "finished", {})
    archive.close()
    out = run_xxgk("status", "--data", str(tmp_path), "--all", check=False).stdout
    assert "Portals with notes: 1" in out
    assert "PortalMoved" in out
