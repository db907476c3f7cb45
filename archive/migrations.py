"""Every schema change is a migration here, applied in order; a past migration is never edited."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("xxgk")


@migrations()
def m001_initial(db: Database) -> None:
    db["schools"].create(
        {
            "code": str,
            "name": str,
            "province": str,
            "city": str,
            "authority": str,
            "level": str,
            "portal_url": str,
            "domain": str,
            "website": str,
        },
        pk="code",
    )
    db["crawls"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "spider": str,
            "args": str,
            "status": str,
            "stats": str,
        },
        pk="id",
    )
    db["fetches"].create(
        {
            "id": int,
            "crawl_id": int,
            "school_code": str,
            "kind": str,
            "url": str,
            "final_url": str,
            "method": str,
            "status": int,
            "content_type": str,
            "content_length": int,
            "etag": str,
            "last_modified": str,
            "content_disposition": str,
            "file_name": str,
            "ip_address": str,
            "sha256": str,
            "size": int,
            "fetched_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db["fetches"].create_index(["url"])
    db["fetches"].create_index(["sha256"])
    db["fetches"].create_index(["crawl_id"])
    db["reports"].create(
        {
            "id": int,
            "school_code": str,
            "school_name": str,
            "title": str,
            "year": int,
            "published": str,
            "page_url": str,
            "file_url": str,
            "file_name": str,
            "format": str,
            "text": str,
            "sha256": str,
            "label": str,
            "period_start": str,
            "period_end": str,
            "pages": int,
            "first_seen": str,
            "last_seen": str,
            "parser": str,
            "parser_version": str,
            "status": str,
            "error": str,
            "crawl_id": int,
        },
        pk="id",
        foreign_keys=[("school_code", "schools", "code"), ("crawl_id", "crawls", "id")],
    )
    db["reports"].create_index(["school_code", "year"], unique=True)
    db["reports"].create_index(["sha256"])
    db["reports"].create_index(["year"])
    db["sections"].create(
        {"id": int, "report_id": int, "ordinal": int, "key": str, "heading": str, "text": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["sections"].create_index(["report_id"])
    db["figures"].create(
        {"id": int, "report_id": int, "name": str, "value": int, "evidence": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["figures"].create_index(["report_id"])
    db["tables"].create(
        {"id": int, "report_id": int, "ordinal": int, "page": int, "rows": str},
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["tables"].create_index(["report_id"])
    db["attachments"].create(
        {
            "id": int,
            "report_id": int,
            "page_url": str,
            "url": str,
            "file_name": str,
            "content_type": str,
            "sha256": str,
            "role": str,
            "first_seen": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["attachments"].create_index(["report_id", "url", "sha256"], unique=True)


@migrations()
def m002_search(db: Database) -> None:
    """Chinese full-text search over reports and sections (see archive/search.py)."""
    from archive.search import create_search_tables, rebuild_search_index

    create_search_tables(db)
    rebuild_search_index(db)


# The school × year grid over every year from the first report to the last; `state` is
# present | late (published after 31 October of `year`) | undated (no publication date) | missing.
COVERAGE_VIEW = """
WITH RECURSIVE years(year) AS (
    SELECT min(year) FROM reports WHERE year IS NOT NULL
    UNION ALL
    SELECT year + 1 FROM years WHERE year < (SELECT max(year) FROM reports)
)
SELECT
    s.code AS school_code,
    s.name AS school_name,
    s.province AS province,
    y.year AS year,
    r.id AS report_id,
    r.published AS published,
    CASE
        WHEN r.id IS NULL THEN 'missing'
        WHEN r.published IS NULL OR r.published = '' THEN 'undated'
        WHEN substr(r.published, 1, 10) > (y.year || '-10-31') THEN 'late'
        ELSE 'present'
    END AS state
FROM schools s
CROSS JOIN years y
LEFT JOIN reports r ON r.school_code = s.code AND r.year = y.year
WHERE y.year IS NOT NULL
"""


@migrations()
def m003_publishing(db: Database) -> None:
    """Indexes for facets and lookups, the coverage view, and an append-only fetch log."""
    for table, columns in [
        ("reports", ["format"]),
        ("reports", ["published"]),
        ("reports", ["status"]),
        ("schools", ["province"]),
        ("sections", ["key"]),
        ("figures", ["name"]),
        ("attachments", ["sha256"]),
        ("fetches", ["school_code"]),
    ]:
        db[table].create_index(columns, if_not_exists=True)
    db.create_view("coverage", COVERAGE_VIEW)
    # The fetch log is evidence of what was fetched when: rows are never changed or removed.
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS fetches_append_only_{event.lower()} "
            f"BEFORE {event} ON fetches "
            f"BEGIN SELECT RAISE(ABORT, 'fetches is an append-only log'); END"
        )


@migrations()
def m004_history_and_health(db: Database) -> None:
    """Report versions and removals, and per-portal health of every crawl."""
    db["reports"].add_column("removed_at", str)
    db["reports"].add_column("removal_reason", str)
    db["report_versions"].create(
        {
            "id": int,
            "report_id": int,
            "sha256": str,
            "page_url": str,
            "file_url": str,
            "format": str,
            "published": str,
            "first_seen": str,
            "last_seen": str,
            "current": int,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id")],
    )
    db["report_versions"].create_index(["report_id", "sha256"], unique=True)
    db.execute(
        """insert into report_versions
               (report_id, sha256, page_url, file_url, format, published, first_seen, last_seen,
                current)
           select id, sha256, page_url, file_url, format, published, first_seen, last_seen, 1
           from reports"""
    )
    db["portal_health"].create(
        {
            "id": int,
            "crawl_id": int,
            "school_code": str,
            "checked_at": str,
            "home_status": int,
            "home_error": str,
            "column_found": int,
            "list_pages": int,
            "report_links": int,
            "reports_seen": int,
            "fetch_errors": int,
            "latest_year": int,
            "due_year": int,
            "needs_attention": int,
            "reasons": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id"), ("school_code", "schools", "code")],
    )
    db["portal_health"].create_index(["school_code", "crawl_id"])
    db.create_view("changed_reports", CHANGED_REPORTS_VIEW)
    db.create_view("removed_reports", REMOVED_REPORTS_VIEW)
    db.create_view("portals_needing_attention", ATTENTION_VIEW)


CHANGED_REPORTS_VIEW = """
SELECT r.id AS report_id, r.school_code, r.school_name, r.year, r.title,
       count(v.id) AS versions, min(v.first_seen) AS first_seen, max(v.first_seen) AS changed_at,
       r.sha256 AS current_sha256
FROM reports r JOIN report_versions v ON v.report_id = r.id
GROUP BY r.id HAVING count(v.id) > 1
"""

REMOVED_REPORTS_VIEW = """
SELECT id AS report_id, school_code, school_name, year, title, page_url, removed_at,
       removal_reason, sha256
FROM reports WHERE removed_at IS NOT NULL
"""

# The newest health row of each school, where that row asks for attention.
ATTENTION_VIEW = """
SELECT h.school_code, s.name AS school_name, s.portal_url, h.crawl_id, h.checked_at,
       h.home_status, h.column_found, h.latest_year, h.due_year, h.reasons
FROM portal_health h
JOIN schools s ON s.code = h.school_code
WHERE h.id = (SELECT max(id) FROM portal_health WHERE school_code = h.school_code)
  AND h.needs_attention = 1
"""
