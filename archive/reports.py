"""Turn a fetched report (its source file plus what parsing made of it) into archive rows.

One row per school and year: the same report posted twice is one row, and every file seen
for it is kept in `attachments` so nothing fetched goes unlisted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.search import index_report
from archive.store import utc_now
from parsers.document import ParsedDocument
from parsers.formats import DOCUMENT_FORMATS


@dataclass
class SourceFile:
    """One file that carries (part of) a report: the article page, an attachment, an embed."""

    url: str
    sha256: str
    role: str  # article | attachment | embedded
    page_url: str
    file_name: str | None = None
    content_type: str | None = None


@dataclass
class ReportCandidate:
    school_code: str
    school_name: str
    title: str
    page_url: str
    source: SourceFile
    year: int | None = None
    label: str | None = None
    published: str | None = None
    files: list[SourceFile] = field(default_factory=list)
    crawl_id: int | None = None


def parse_columns(parsed: ParsedDocument | None, error: str | None) -> dict[str, Any]:
    """The report columns a parse decides (`status` is generated from `error`).

    The one place a parse becomes row values: the crawl (`save_report`) and `xxgk reparse`
    (`archive.reparse.apply_parse`) both take them from here.
    """
    return {
        "text": parsed.text if parsed else None,
        "period_start": parsed.period_start if parsed else None,
        "period_end": parsed.period_end if parsed else None,
        "pages": parsed.pages if parsed else None,
        "parser": parsed.parser if parsed else None,
        "parser_version": parsed.parser_version if parsed else None,
        "error": error,
    }


def _precedence(fmt: str | None, published: str | None) -> tuple[int, str]:
    # A report's own file beats the article page that links it; then the later (corrected) post.
    return (1 if fmt in DOCUMENT_FORMATS else 0, published or "")


def save_report(
    db: Database,
    candidate: ReportCandidate,
    parsed: ParsedDocument | None,
    error: str | None,
    fmt: str,
) -> tuple[int, str]:
    """Insert or merge the report; returns (report id, outcome: inserted|updated|duplicate|kept)."""
    now = utc_now()
    year = candidate.year if candidate.year is not None else (parsed.year if parsed else None)
    row: dict[str, Any] = {
        "school_code": candidate.school_code,
        "school_name": candidate.school_name,
        "title": candidate.title,
        "year": year,
        "published": candidate.published or (parsed.published if parsed else None),
        "page_url": candidate.page_url,
        "file_url": candidate.source.url if candidate.source.role != "article" else None,
        "file_name": candidate.source.file_name,
        "format": fmt,
        "sha256": candidate.source.sha256,
        "label": candidate.label or (parsed.label if parsed else None),
        "last_seen": now,
        "crawl_id": candidate.crawl_id,
        **parse_columns(parsed, error),
    }
    # IMMEDIATE: the check for an existing row and the write are one step, even when several
    # crawler processes share the archive (scale-out).
    with immediate(db):
        existing = _find_existing(db, candidate.school_code, year, candidate.source.sha256)
        if existing is None:
            row["first_seen"] = now
            reports = db["reports"]  # db[...] makes a new Table: last_pk lives on this one
            reports.insert(row)
            report_id, outcome = int(reports.last_pk), "inserted"
            _replace_details(db, report_id, parsed)
        elif existing["sha256"] == candidate.source.sha256:
            report_id, outcome = existing["id"], "duplicate"
            seen: dict[str, Any] = {"last_seen": now, "removed_at": None, "removal_reason": None}
            if _earlier(row["published"], existing["published"]):
                # The same bytes posted twice: the first posting is the report's home,
                # whichever order the crawl met them in.
                # The label goes with the title it was read from (an English copy has none).
                keys = ("title", "label", "published", "page_url", "file_url", "file_name")
                seen.update({k: row[k] for k in keys})
            db["reports"].update(report_id, seen)
        elif _replaces(row, existing) or _precedence(fmt, row["published"]) > _precedence(
            existing["format"], existing["published"]
        ):
            report_id, outcome = existing["id"], "updated"
            _keep_as_alternate(db, existing, now)
            db["reports"].update(report_id, {**row, "removed_at": None, "removal_reason": None})
            _replace_details(db, report_id, parsed)
        else:
            report_id, outcome = existing["id"], "kept"
            db["reports"].update(report_id, {"last_seen": now})
        for source in [candidate.source, *candidate.files]:
            role = source.role if outcome != "kept" else "alternate"
            _add_attachment(db, report_id, source, role, now)
        _record_version(db, report_id, row, now=now)
        if outcome in ("inserted", "updated"):
            index_report(db, report_id)  # same transaction: never a report the search misses
    return report_id, outcome


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """A write transaction taken at once (sqlite-utils' own calls nest inside as savepoints)."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _replaces(row: dict[str, Any], existing: dict[str, Any]) -> bool:
    """New bytes at the address of the current version: the school replaced its report."""
    return bool(
        (row["file_url"] and row["file_url"] == existing["file_url"])
        or (row["file_url"] is None and row["page_url"] == existing["page_url"])
    )


def _record_version(db: Database, report_id: int, row: dict[str, Any], now: str) -> None:
    """Note the file in `file_versions`; the `report_versions` view derives which is current."""
    versions = db["file_versions"]
    found = list(versions.rows_where("report_id = ? and sha256 = ?", [report_id, row["sha256"]]))
    if found:
        versions.update(found[0]["id"], {"last_seen": now})
        return
    versions.insert(
        {
            "report_id": report_id,
            "sha256": row["sha256"],
            "page_url": row["page_url"],
            "file_url": row["file_url"],
            "format": row["format"],
            "published": row["published"],
            "first_seen": now,
            "last_seen": now,
        }
    )


def mark_removed(db: Database, page_url: str, reason: str) -> int:
    """Reports whose article page is gone from the portal: kept, and marked removed."""
    with immediate(db):
        cursor = db.execute(
            "update reports set removed_at = ?, removal_reason = ? "
            "where page_url = ? and removed_at is null",
            [utc_now(), reason, page_url],
        )
        return cursor.rowcount


def _find_existing(db: Database, school_code: str, year: int | None, sha256: str) -> dict | None:
    if year is not None:
        where, args = "school_code = ? and year = ?", [school_code, year]
    else:
        where, args = "school_code = ? and sha256 = ?", [school_code, sha256]
    rows = list(db["reports"].rows_where(where, args))
    return rows[0] if rows else None


def _keep_as_alternate(db: Database, existing: dict, now: str) -> None:
    source = SourceFile(
        url=existing["file_url"] or existing["page_url"],
        sha256=existing["sha256"],
        role="alternate",
        page_url=existing["page_url"],
        file_name=existing["file_name"],
    )
    _add_attachment(db, existing["id"], source, "alternate", now)


def _add_attachment(db: Database, report_id: int, source: SourceFile, role: str, now: str) -> None:
    db["attachments"].insert(
        {
            "report_id": report_id,
            "page_url": source.page_url,
            "url": source.url,
            "file_name": source.file_name,
            "content_type": source.content_type,
            "sha256": source.sha256,
            "role": role,
            "first_seen": now,
        },
        ignore=True,
    )


def _replace_details(db: Database, report_id: int, parsed: ParsedDocument | None) -> None:
    for table in ("sections", "figures", "tables"):
        db[table].delete_where("report_id = ?", [report_id])
    if parsed is None:
        return
    db["sections"].insert_all(
        {"report_id": report_id, "ordinal": i, "key": s.key, "heading": s.heading, "text": s.text}
        for i, s in enumerate(parsed.sections)
    )
    db["figures"].insert_all(
        {"report_id": report_id, "name": f.name, "value": f.value, "evidence": f.evidence}
        for f in parsed.figures
    )
    db["tables"].insert_all(
        {
            "report_id": report_id,
            "ordinal": i,
            "page": t.page,
            "rows": json.dumps(t.rows, ensure_ascii=False),
        }
        for i, t in enumerate(parsed.tables)
    )


def _earlier(published: str | None, than: str | None) -> bool:
    return bool(published) and (not than or published < than)


def known_report_urls(db: Database, school_code: str) -> set[str]:
    """Every article and file URL that already carried a report of the school."""
    rows = db.execute(
        """select page_url from reports where school_code = :code
           union select file_url from reports where school_code = :code
           union select a.url from attachments a join reports r on r.id = a.report_id
                 where r.school_code = :code
           union select a.page_url from attachments a join reports r on r.id = a.report_id
                 where r.school_code = :code""",
        {"code": school_code},
    ).fetchall()
    return {url for (url,) in rows if url}


def known_report_pages(db: Database, school_code: str) -> list[dict[str, Any]]:
    """The article pages of the school's archived reports, to re-check them directly."""
    return [
        dict(row)
        for row in db.query(
            """select r.page_url, r.title, r.published from reports r
               where r.school_code = ? and exists (
                   select 1 from attachments a
                   where a.report_id = r.id and a.role = 'article' and a.url = r.page_url)
               order by r.year""",
            [school_code],
        )
    ]
