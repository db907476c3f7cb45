"""Per-portal health: what a crawl found for each school and whether someone should look.

The silently broken scraper is the common failure: a redesigned portal yields nothing and
nothing complains. Each crawl writes one row per school; a school whose home page failed, whose
report column vanished, or that has no report for a year now due is flagged with its reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from archive.shape import DUE_DAY, DUE_MONTH
from archive.store import utc_now


def due_year(today: dt.date) -> int:
    """The latest year whose report is due by `today` (reports are due by 31 October)."""
    return today.year if today >= dt.date(today.year, DUE_MONTH, DUE_DAY) else today.year - 1


@dataclass
class PortalObservation:
    """What one crawl saw of one portal (counted by the spider)."""

    school_code: str
    home_status: int | None = None
    home_error: str | None = None
    column_found: bool = False
    list_pages: int = 0
    report_links: int = 0
    reports_seen: int = 0
    fetch_errors: int = 0


def assess(db: Database, crawl_id: int, seen: PortalObservation, today: dt.date) -> dict[str, Any]:
    """The health row for one school after one crawl, with the reasons it needs attention."""
    latest = db.execute(
        "select max(year) from reports where school_code = ? and removed_at is null",
        [seen.school_code],
    ).fetchone()[0]
    previous = db.execute(
        "select column_found from portal_health where school_code = ? order by id desc limit 1",
        [seen.school_code],
    ).fetchone()
    due = due_year(today)
    reasons = []
    if seen.home_error or (seen.home_status or 0) >= 400 or seen.home_status is None:
        reasons.append(f"home page failed: {seen.home_error or seen.home_status}")
    elif not seen.column_found and not seen.report_links:
        reasons.append("report column not found")
    if previous and previous[0] and not seen.column_found and not seen.report_links:
        reasons.append("report column vanished since the last crawl")
    if latest is None:
        reasons.append("no report archived")
    elif latest < due:
        reasons.append(f"no report for {due} (latest {latest})")
    row = asdict(seen)
    row.update(
        crawl_id=crawl_id,
        checked_at=utc_now(),
        column_found=int(seen.column_found),
        latest_year=latest,
        due_year=due,
        reasons="; ".join(reasons) or None,
    )
    return row


def record_health(
    db: Database, crawl_id: int, observations: list[PortalObservation], today: dt.date
) -> int:
    rows = [assess(db, crawl_id, seen, today) for seen in observations]
    db["portal_health"].insert_all(rows)
    return sum(1 for row in rows if row["reasons"])


def latest_health(db: Database) -> list[dict[str, Any]]:
    """The newest health row of every school, schools needing attention first."""
    return list(
        db.query(
            """select h.*, s.name as school_name from portal_health h
               join schools s on s.code = h.school_code
               where h.id = (select max(id) from portal_health where school_code = h.school_code)
               order by h.needs_attention desc, h.school_code"""
        )
    )


def completed_before(db: Database, school_code: str) -> bool:
    """True when an earlier crawl of the school's portal ran to its end (and wrote its health)."""
    row = db.execute(
        "select 1 from portal_health where school_code = ? limit 1", [school_code]
    ).fetchone()
    return row is not None
