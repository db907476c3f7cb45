"""The archive pipeline: parse each report's stored file in an isolated worker, then save it.

Parsing (~0.6 s a PDF) never runs on the reactor thread, so downloads go on meanwhile. Each
worker has its own memory cap and per-document deadline (`archive.isolation`): a file that
crashes pdfium or runs away gets its named error (`ParserCrashed:`, `ParseTimeout:`,
`DocumentTooLarge:`) and its report row, the worker is replaced, every other report is parsed,
and the workers die with the crawl.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler

from archive import ReportCandidate, save_report
from archive.ingest import parse_stored
from archive.isolation import IsolatedPool, Limits
from crawler.documents import format_of
from crawler.session import session_of

_POOL: IsolatedPool | None = None


def parse_pool(workers: int, limits: Limits | None = None) -> IsolatedPool:
    """One pool per process, shared by every crawler running in it."""
    global _POOL
    if _POOL is None:
        _POOL = IsolatedPool(workers, limits)
    return _POOL


def close_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.workers = settings.getint("XXGK_PARSE_WORKERS")
        self.limits = Limits(
            memory_mb=settings.getint("XXGK_PARSE_MEMORY_MB"),
            timeout=settings.getfloat("XXGK_PARSE_TIMEOUT"),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: ReportCandidate) -> ReportCandidate:
        archive = session_of(self.crawler).archive
        source = item.source
        future = parse_pool(self.workers, self.limits).submit(
            parse_stored,
            str(archive.raw_path(source.sha256)),
            source.content_type,
            source.url,
            source.file_name,
        )
        parsed, error = await asyncio.wrap_future(future)
        fmt = parsed.format if parsed else format_of(source.content_type)
        _report_id, outcome = save_report(archive.db, item, parsed, error, fmt)
        stats = self.crawler.stats
        stats.inc_value(f"xxgk/reports/{outcome}")
        if error:
            stats.inc_value(f"xxgk/parse_error/{error.split(':')[0]}")
        return item
