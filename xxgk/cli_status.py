"""`xxgk status`: which portals broke, what changed, what the last crawls did."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from archive import Archive
from archive.health import latest_health
from xxgk.archive_dir import current_archive
from xxgk.cli_crawl import DATA_OPTION


@click.command()
@DATA_OPTION
@click.option("--all", "show_all", is_flag=True, help="List every portal, not only broken ones.")
@click.option("--check", is_flag=True, help="Exit with status 1 when a portal needs attention.")
@click.pass_context
def status(ctx: click.Context, data_dir: Path, show_all: bool, check: bool) -> None:
    """Show portal health from the latest crawls, and changed or removed reports.

    A portal needs attention when its home page failed, its report column was not found or
    vanished since the last crawl, it has no report for the year now due (31 October), or its
    challenge defeats the browser too. Portals that needed the browser are listed with why, and
    portals that moved, fell back to the other scheme or forbade a page in robots.txt with notes.

    Example:

        xxgk status --data data

        xxgk status --data data --check   # for monitoring: exit 1 if anything needs attention
    """
    data_dir = current_archive(ctx, data_dir)
    archive = Archive(data_dir)
    db = archive.db
    console = Console()
    crawls = Table(title="Latest crawls")
    for column in (
        "crawl",
        "spider",
        "started",
        "finished",
        "status",
        "reports new/seen",
        "MB downloaded",
    ):
        crawls.add_column(column)
    for row in db.query("select * from crawls order by id desc limit 5"):
        stats = json.loads(row["stats"] or "{}")
        crawls.add_row(
            str(row["id"]),
            row["spider"],
            row["started_at"],
            row["finished_at"] or "—",
            row["status"],
            f"{stats.get('xxgk/reports/inserted', 0)}/{stats.get('xxgk/reports/duplicate', 0)}",
            f"{stats.get('downloader/response_bytes', 0) / 1e6:.2f}",
        )
    console.print(crawls)

    health = latest_health(db)
    broken = [row for row in health if row["needs_attention"]]
    portals = Table(title=f"Portals needing attention: {len(broken)} of {len(health)}")
    for column in ("code", "school", "crawl", "reports seen", "latest year", "reasons"):
        portals.add_column(column)
    for row in health if show_all else broken:
        portals.add_row(
            row["school_code"],
            row["school_name"],
            str(row["crawl_id"]),
            str(row["reports_seen"]),
            str(row["latest_year"] or "—"),
            row["reasons"] or "ok",
        )
    console.print(portals)

    # The browser path (crawler/browser_path.py): which portals needed it, why, and how it went;
    # what crawls noticed about the portals themselves (moves, scheme fallbacks, robots.txt).
    _print_column(console, health, "browser", "Portals that needed the browser",
                  "why (pages through the browser)")  # fmt: skip
    _print_column(console, health, "notes", "Portals with notes", "notes")

    changed = db["changed_reports"].count
    removed = db["removed_reports"].count
    console.print(
        f"Reports: {db['reports'].count} archived, {changed} changed since first "
        f"seen, {removed} removed from their portals."
    )
    archive.close()
    if check and broken:
        sys.exit(1)


COMMANDS = [status]


def _print_column(console: Console, health: list[dict], key: str, title: str, header: str) -> None:
    """The portals whose latest health row has `key` set, with that value."""
    rows = [row for row in health if row.get(key)]
    if not rows:
        return
    table = Table(title=f"{title}: {len(rows)}")
    for column in ("code", "school", "crawl", header):
        table.add_column(column)
    for row in rows:
        table.add_row(row["school_code"], row["school_name"], str(row["crawl_id"]), row[key])
    console.print(table)
