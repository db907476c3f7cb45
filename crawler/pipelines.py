"""The archive pipeline: writes what spiders yield. Reports are parsed in isolated workers.

Parsing (~0.6 s a PDF) never runs on the reactor thread, so downloads go on meanwhile. Each
worker has its own memory cap and per-document deadline (`archive.isolation`): a file that
crashes pdfium or runs away gets its named error (`ParserCrashed:`, `ParseTimeout:`,
`DocumentTooLarge:`) and its report row, the worker is replaced, every other report is parsed,
and the workers die with the crawl.
"""

from __future__ import annotations

import asyncio
import dataclasses

from scrapy.crawler import Crawler

from archive import save_report
from archive.ingest import annexes_of, parse_stored
from archive.isolation import IsolatedPool, Limits
from archive.reports import mark_removed
from crawler.article import empty_text_checked, parse_pages
from crawler.documents import format_of
from crawler.items import PortalFound, RemovalNotice, ReportCandidate, SkippedLink
from crawler.session import session_of


class ParsePool:
    """The pipeline's worker processes, started at the first report and shut down at close."""

    def __init__(self, workers: int, limits: Limits):
        self.workers, self.limits = workers, limits
        self._pool: IsolatedPool | None = None

    async def parse(self, *args, function=parse_stored):
        if self._pool is None:
            self._pool = IsolatedPool(self.workers, self.limits)
        return await asyncio.wrap_future(self._pool.submit(function, *args))

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        limits = Limits(
            memory_mb=settings.getint("XXGK_PARSE_MEMORY_MB"),
            timeout=settings.getfloat("XXGK_PARSE_TIMEOUT"),
        )
        self.pool = ParsePool(settings.getint("XXGK_PARSE_WORKERS"), limits)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        self.pool.shutdown()

    async def process_item(self, item):
        session = session_of(self.crawler)
        stats = self.crawler.stats
        if isinstance(item, ReportCandidate):
            await self._save_report(dataclasses.replace(item, crawl_id=session.crawl_id))
        elif isinstance(item, SkippedLink):
            session.archive.record_fetch(
                {
                    "url": item.url,
                    "school_code": item.school,
                    "kind": item.kind,
                    "crawl_id": session.crawl_id,
                    "error": item.reason,
                }
            )
        elif isinstance(item, RemovalNotice):
            removed = mark_removed(session.archive.db, item.url, item.reason)
            stats.inc_value("xxgk/reports/removed", removed)
        elif isinstance(item, PortalFound):
            session.archive.upsert_schools([{"code": item.school, "portal_url": item.portal_url}])
            stats.inc_value("xxgk/portals_found")
        else:
            raise TypeError(f"{type(item).__name__} is not an item the archive knows")
        return item

    async def _save_report(self, item: ReportCandidate) -> None:
        archive = session_of(self.crawler).archive
        source = item.source
        pages = [f for f in item.files if f.role == "continuation"]
        if source.role == "article" and pages:
            # An article over several pages is one report: its pages' texts joined in order.
            paths = [str(archive.raw_path(s.sha256)) for s in (source, *pages)]
            done = await self.pool.parse(
                paths, source.content_type, source.url, source.file_name, function=parse_pages
            )
        else:
            annexes = tuple(
                (str(archive.raw_path(f.sha256)), f.file_name)
                for f in annexes_of(source, item.files)
            )
            done = await self.pool.parse(
                str(archive.raw_path(source.sha256)),
                source.content_type,
                source.url,
                source.file_name,
                annexes,
            )
        parsed, error = empty_text_checked(*done)
        fmt = parsed.format if parsed else format_of(source.content_type)
        _report_id, outcome = save_report(archive.db, item, parsed, error, fmt)
        stats = self.crawler.stats
        stats.inc_value(f"xxgk/reports/{outcome}")
        if error:
            stats.inc_value(f"xxgk/parse_error/{error.split(':')[0]}")
