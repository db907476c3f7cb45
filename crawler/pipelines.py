"""The archive pipeline: parse each report's stored file in a worker process, then save it.

Parsing (~0.6 s a PDF) never runs on the reactor thread, so downloads go on meanwhile.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from scrapy.crawler import Crawler

from archive import ReportCandidate, save_report
from archive.ingest import parse_stored
from crawler.article import empty_text_checked, parse_pages
from crawler.documents import format_of
from crawler.session import session_of

_POOL: ProcessPoolExecutor | None = None


def parse_pool(workers: int) -> ProcessPoolExecutor:
    """One pool per process, shared by every crawler running in it."""
    global _POOL
    if _POOL is None:
        # spawn: forking a process that runs the reactor's threads is unsafe.
        _POOL = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return _POOL


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.workers = crawler.settings.getint("XXGK_PARSE_WORKERS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: ReportCandidate) -> ReportCandidate:
        archive = session_of(self.crawler).archive
        source = item.source
        pages = [f for f in item.files if f.role == "continuation"]
        if source.role == "article" and pages:
            # An article over several pages is one report: its pages' texts joined in order.
            paths = [str(archive.raw_path(s.sha256)) for s in (source, *pages)]
            args = (parse_pages, paths, source.content_type, source.url, source.file_name)
        else:
            args = (
                parse_stored,
                str(archive.raw_path(source.sha256)),
                source.content_type,
                source.url,
                source.file_name,
            )
        future = parse_pool(self.workers).submit(*args)
        parsed, error = empty_text_checked(*await asyncio.wrap_future(future))
        fmt = parsed.format if parsed else format_of(source.content_type)
        _report_id, outcome = save_report(archive.db, item, parsed, error, fmt)
        stats = self.crawler.stats
        stats.inc_value(f"xxgk/reports/{outcome}")
        if error:
            stats.inc_value(f"xxgk/parse_error/{error.split(':')[0]}")
        return item
