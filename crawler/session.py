"""One archive per crawl: opened when the crawler starts, shared by middlewares and pipelines."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from crawler.schools import upsert_registry_schools


class ArchiveSession:
    """Owns the Archive and the crawl row; components reach it as `crawler.xxgk`."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.archive = Archive(Path(crawler.settings.get("XXGK_DATA_DIR")))
        self.crawl_id: int | None = None
        crawler.xxgk = self  # type: ignore[attr-defined]
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
        upsert_registry_schools(
            self.archive, schools, getattr(spider, "crawl_args", {}).get("registry")
        )

    def spider_closed(self, spider, reason: str) -> None:
        self.close_reason = reason

    def engine_stopped(self) -> None:
        # Last of all: the spider's own `closed` handler may still have written.
        if self.crawl_id is not None:
            reason = getattr(self, "close_reason", "unknown")
            self.archive.end_crawl(self.crawl_id, reason, self.crawler.stats.get_stats())
        self.archive.close()


def session_of(crawler: Crawler) -> ArchiveSession:
    return crawler.xxgk  # type: ignore[attr-defined]
