"""The archive: SQLite through sqlite-utils, raw files content-addressed beside it."""

from archive.reports import ReportCandidate, SourceFile, save_report
from archive.store import Archive, RawFileMissing, open_database, sha256_hex, utc_now

__all__ = [
    "Archive",
    "RawFileMissing",
    "ReportCandidate",
    "SourceFile",
    "open_database",
    "save_report",
    "sha256_hex",
    "utc_now",
]
