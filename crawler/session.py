"""One archive per crawl: opened when the crawler starts, shared by middlewares and pipelines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from archive.health import completed_before, record_health
from archive.reports import known_report_pages, known_report_urls
from crawler.items import KnownReport, PortalMemory


class ArchiveSession:
    """Owns the Archive and the crawl row (an extension; components reach it by `session_of`).

    It reads what the spider needs to know of earlier crawls (`portal_memory`) and writes what
    the spider observed of each portal when it closes, so the spider itself never touches the
    database.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.archive = Archive(Path(crawler.settings.get("XXGK_DATA_DIR")))
        self.crawl_id: int | None = None
        self.incremental = not crawler.settings.getbool("XXGK_FULL_CRAWL")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        args = {k: v for k, v in getattr(spider, "crawl_args", {}).items() if v}
        self.crawl_id = self.archive.begin_crawl(spider.name, args)
        schools = getattr(spider, "schools", [])
        self.archive.upsert_schools(
            {
                "code": s.code,
                "name": s.name,
                "portal_url": s.portal_url,
                "domain": " ".join(sorted(s.domains)),
            }
            for s in schools
        )

    def portal_memory(self, school_code: str) -> PortalMemory:
        """What earlier crawls archived of the school (nothing on a full crawl)."""
        if not self.incremental:
            return PortalMemory()
        db = self.archive.db
        return PortalMemory(
            # Only after a crawl of this portal that finished: a killed crawl may have archived
            # the newest reports and none of the older ones.
            completed_before=completed_before(db, school_code),
            report_urls=frozenset(known_report_urls(db, school_code)),
            report_pages=tuple(
                KnownReport(row["page_url"], row["title"], row["published"])
                for row in known_report_pages(db, school_code)
            ),
        )

    def spider_closed(self, spider, reason: str) -> None:
        self.close_reason = reason
        observed = spider.observations() if hasattr(spider, "observations") else []
        if observed and self.crawl_id is not None:
            today = self.crawler.settings.get("XXGK_AS_OF") or dt.date.today().isoformat()
            attention = record_health(
                self.archive.db, self.crawl_id, observed, dt.date.fromisoformat(today)
            )
            self.crawler.stats.set_value("xxgk/portals_needing_attention", attention)

    def engine_stopped(self) -> None:
        # Last of all: pipelines and the health rows above may still have written.
        if self.crawl_id is not None:
            reason = getattr(self, "close_reason", "unknown")
            self.archive.end_crawl(self.crawl_id, reason, self.crawler.stats.get_stats())
        self.archive.close()


def session_of(crawler: Crawler) -> ArchiveSession:
    """The crawler's own session (an extension, so each crawler of a process has its own)."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise LookupError("crawler.session.ArchiveSession is not in EXTENSIONS")
    return session
