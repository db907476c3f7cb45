"""Re-run the current parsers over the stored raw files and update the report rows.

The bytes are the archive's ground truth, so an improved parser can be applied without a
crawl. Parsing a PDF costs ~0.6 s, so files are parsed in isolated worker processes
(`archive.isolation`: a memory cap and a deadline per document, a crashed worker replaced and
its document named `ParserCrashed`/`ParseTimeout`/`DocumentTooLarge`); all writes happen in this
process, one transaction per report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from archive.ingest import is_annex, parse_stored
from archive.isolation import IsolatedPool, Limits
from archive.reports import SourceFile, _replace_details, parse_columns
from archive.search import index_report
from archive.store import Archive
from parsers.document import ParsedDocument

ParseResult = tuple[ParsedDocument | None, str | None]

# The source file of each report with the type and name it was served with.
SOURCES_SQL = """
select r.id, r.sha256, coalesce(r.file_url, r.page_url) as url, r.file_name,
       (select a.content_type from attachments a
         where a.report_id = r.id and a.sha256 = r.sha256 and a.content_type is not null
         limit 1) as attachment_type,
       (select f.content_type from fetches f
         where f.sha256 = r.sha256 and f.content_type is not null
         order by f.id desc limit 1) as fetch_type
  from reports r
 where r.sha256 is not null
 order by r.id
"""


@dataclass
class ReparseStats:
    reports: int = 0
    changed: int = 0
    failed: int = 0
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class Job:
    report_id: int
    raw_path: str
    content_type: str | None
    url: str | None
    file_name: str | None
    annexes: tuple[tuple[str, str | None], ...] = ()


def _annexes(archive: Archive) -> dict[int, list[tuple[str, str | None]]]:
    """Each report's annex files (正文 + 附件), as the crawl gave them to the parser."""
    found: dict[int, list[tuple[str, str | None]]] = {}
    for row in archive.db.query(
        "select a.report_id, a.url, a.sha256, a.role, a.page_url, a.file_name, a.content_type,"
        " r.sha256 as report_sha256 from attachments a join reports r on r.id = a.report_id"
        " order by a.id"
    ):
        attached = SourceFile(
            row["url"], row["sha256"], row["role"], row["page_url"], row["file_name"],
            row["content_type"],
        )  # fmt: skip
        if is_annex(attached, row["report_sha256"]):
            path = (str(archive.raw_path(row["sha256"])), row["file_name"])
            if path not in found.setdefault(row["report_id"], []):
                found[row["report_id"]].append(path)
    return found


def jobs(archive: Archive) -> list[Job]:
    annexes = _annexes(archive)
    return [
        Job(
            row["id"],
            str(archive.raw_path(row["sha256"])),
            row["attachment_type"] or row["fetch_type"],
            row["url"],
            row["file_name"],
            tuple(annexes.get(row["id"], ())),
        )
        for row in archive.db.query(SOURCES_SQL)
    ]


def apply_parse(
    db: Database, report_id: int, parsed: ParsedDocument | None, error: str | None
) -> bool:
    """Store a new parse of a report's own file; returns whether any stored value changed.

    What the crawl learnt from the page (title, year, publication date) is kept; the parse
    only fills those when they are empty.
    """
    current = db["reports"].get(report_id)
    update: dict[str, Any] = parse_columns(parsed, error)
    if parsed:
        update["format"] = parsed.format or current["format"]
        for column in ("label", "published"):
            if not current[column] and getattr(parsed, column):
                update[column] = getattr(parsed, column)
        if "published" in update:
            update["published_source"] = parsed.published_source
    changed = any(current[k] != v for k, v in update.items())
    with db.conn:
        db["reports"].update(report_id, update)
        _replace_details(db, report_id, parsed)
        index_report(db, report_id)
    return changed


def _args(job: Job) -> tuple:
    return job.raw_path, job.content_type, job.url, job.file_name, job.annexes


def _results(
    todo: list[Job], workers: int, limits: Limits | None
) -> Iterator[tuple[Job, ParseResult]]:
    if workers <= 0:  # in-process and unguarded: for debugging only
        for job in todo:
            yield job, parse_stored(*_args(job))
        return
    with IsolatedPool(workers, limits) as pool:
        futures = [(job, pool.submit(parse_stored, *_args(job))) for job in todo]
        for job, future in futures:
            yield job, future.result()


def reparse(
    archive: Archive,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    limits: Limits | None = None,
) -> ReparseStats:
    """Parse every report's stored file again and update its rows and search index.

    `workers` isolated processes parse (0: in this process, unguarded); `limits` are each
    document's memory cap and deadline."""
    todo = jobs(archive)
    stats = ReparseStats(reports=len(todo))
    workers = workers if workers is not None else max(os.cpu_count() or 1, 1)
    for done, (job, (parsed, error)) in enumerate(_results(todo, workers, limits), start=1):
        if apply_parse(archive.db, job.report_id, parsed, error):
            stats.changed += 1
        if error:
            stats.failed += 1
            kind = error.split(":")[0]
            stats.errors[kind] = stats.errors.get(kind, 0) + 1
        if progress:
            progress(done, len(todo))
    return stats
