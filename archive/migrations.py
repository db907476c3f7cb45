"""Every table change is a migration here, applied in order; a past migration's tables never change.

Migrations hold literal schema only and never call the project's live code, so what a
migration did cannot change when that code does. Views, full-text tables and triggers are not
here: archive/shape.py declares them and re-applies them on every open.
"""

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
    """Full-text search: its FTS5 tables and triggers are declared in archive/shape.py."""


@migrations()
def m003_publishing(db: Database) -> None:
    """Indexes for facets and lookups (the coverage view and fetch-log triggers: shape.py)."""
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


# Views and triggers made by earlier versions of m003/m004; shape.py re-creates them.
_OLD_VIEWS = ("coverage", "changed_reports", "removed_reports", "portals_needing_attention")


@migrations()
def m005_derived_state(db: Database) -> None:
    """Derived state is computed, never stored twice.

    `reports.status` follows from `error`, `portal_health.needs_attention` from `reasons`
    (generated columns); which version of a report is current follows from the report's
    sha256, so the versions table becomes `file_versions` under the `report_versions` view.
    """
    for view in _OLD_VIEWS:  # DROP/RENAME COLUMN re-checks every view that names the table
        db.execute(f"DROP VIEW IF EXISTS [{view}]")
    db.execute("DROP INDEX IF EXISTS idx_reports_status")
    db.execute("ALTER TABLE reports DROP COLUMN status")
    db.execute(
        "ALTER TABLE reports ADD COLUMN status TEXT GENERATED ALWAYS AS "
        "(CASE WHEN error IS NULL THEN 'ok' ELSE 'parse_error' END) VIRTUAL"
    )
    db.execute("CREATE INDEX idx_reports_status ON reports (status)")
    db.execute("ALTER TABLE portal_health DROP COLUMN needs_attention")
    db.execute(
        "ALTER TABLE portal_health ADD COLUMN needs_attention INTEGER GENERATED ALWAYS AS "
        "(CASE WHEN reasons IS NULL OR reasons = '' THEN 0 ELSE 1 END) VIRTUAL"
    )
    db.execute("ALTER TABLE report_versions RENAME TO file_versions")
    db.execute("ALTER TABLE file_versions DROP COLUMN current")
