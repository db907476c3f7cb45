"""The whole `reports` rows the fixture world's ground truth says a correct crawl stores."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from parsers import PARSER, PARSER_VERSION
from parsers.errors import BrokenDocument, ParseError

# Columns that say where a report was found: a report posted twice (or an English copy with
# the same file) may be found through any of its articles; those columns then describe that one.
FOUND_THROUGH = ("page_url", "title", "published", "label")


def expected_report_row(report, server) -> dict:
    """Every column a correct crawl fills, from the fixture's ground truth (not from a crawl)."""
    readable = not report.broken
    return {
        "school_code": report.school_code,
        "school_name": report.school_name,
        "title": report.title,
        "year": report.year,
        "published": report.published.isoformat(),
        "page_url": server.url(report.host, report.page_url_path),
        "file_url": server.url(report.host, report.file_path) if report.file_path else None,
        "file_name": report.file_name,
        "format": report.format,
        "text": report.text,
        # An article that is its own report: the bytes served for it, links' port filled in.
        "sha256": report.sha256
        or hashlib.sha256(server.served_body(report.host, report.page_url_path)).hexdigest(),
        "label": report.label,
        "period_start": report.period_start.isoformat() if readable else None,
        "period_end": report.period_end.isoformat() if readable else None,
        "pages": report.pages,
        "parser": PARSER if readable else None,
        "parser_version": PARSER_VERSION if readable else None,
        "status": "ok" if readable else "parse_error",
        "error": None if readable else BrokenDocument.__name__,  # the reason is the parser's
        "removed_at": None,
        "removal_reason": None,
    }


def stored_row(row: dict) -> dict:
    """A reports row with its parse error cut to the error's name (checked to be `Name: why`)."""
    row = dict(row)
    if row["error"] is not None:
        name, _, reason = row["error"].partition(": ")
        assert reason, row["error"]
        assert name in {cls.__name__ for cls in ParseError.__subclasses__()}, row["error"]
        row["error"] = name
    return row


def report_row_mismatches(archive, world, server, strict: bool = True) -> list:
    """(key, expected, found) for every report whose stored row differs from the truth; with
    `strict=False` a report found through another of its articles compares without the
    FOUND_THROUGH columns."""
    stored = archive.db.query("select * from reports")
    rows = {(r["school_code"], r["year"]): stored_row(r) for r in stored}
    mismatches = []
    for report in world.expected_reports():
        key = (report.school_code, report.year)
        expected = expected_report_row(report, server)
        row = rows.pop(key, None)
        if row is None:
            mismatches.append((key, expected, None))
            continue
        found = {column: row[column] for column in expected}
        alt = urlsplit(row["page_url"]).path in report.alt_page_url_paths
        if alt and not strict:
            for column in FOUND_THROUGH:
                expected.pop(column), found.pop(column)
        if found != expected:
            mismatches.append((key, expected, found))
    mismatches += [(key, None, row) for key, row in rows.items()]  # archived, not a report
    return mismatches
