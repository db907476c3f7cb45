"""Running spiders from Python: the `xxgk crawl` front over Scrapy's own machinery."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.addresses import ResolveEntry
from crawler.lock import CrawlLock
from crawler.registry import load_registry
from crawler.session import session_of
from parsers.families import FAMILIES

# `xxgk crawl --spider` choices: a spider per named family, then the generic one.
SPIDER_NAMES = (*FAMILIES, "generic")


@dataclass
class CrawlOptions:
    data_dir: Path = Path("data")
    registry: str | None = None
    portals: list[str] = field(default_factory=list)
    resolve: list[str] = field(default_factory=list)
    allow_private_addresses: bool = False
    insecure_tls: bool = False
    spiders: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    log_file: str | None = None
    spider_args: dict[str, Any] | None = None
    redis_url: str | None = None


def project_settings(options: CrawlOptions) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    for entry in options.resolve:
        ResolveEntry.parse(entry)  # fail before the crawl starts, with the reason
    settings.setdict(
        {
            "XXGK_DATA_DIR": str(options.data_dir),
            "XXGK_RESOLVE": list(options.resolve),
            "XXGK_ALLOW_PRIVATE_ADDRESSES": options.allow_private_addresses,
            "DOWNLOAD_VERIFY_CERTIFICATES": not options.insecure_tls,
        },
        priority="cmdline",
    )
    if options.log_file:
        Path(options.log_file).parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", options.log_file, priority="cmdline")
    else:
        # On a terminal only warnings: Scrapy's start-up dump (versions, overridden settings,
        # middlewares) belongs in a log file. `--set LOG_LEVEL=INFO` brings it back.
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    if options.redis_url:
        settings.setdict(shared_frontier(options.redis_url), priority="cmdline")
    settings.setdict(options.settings, priority="cmdline")
    return settings


def spiders_for(options: CrawlOptions) -> list[str]:
    """Family spiders that have rows to crawl, plus the generic one; ad-hoc portals go generic."""
    if options.spiders:
        return options.spiders
    if options.portals:
        return ["generic"]
    families = {school.family for school in load_registry(options.registry)}
    named = [(name, name) for name in FAMILIES]
    return [name for name, family in (*named, ("generic", "")) if family in families]


def shared_frontier(redis_url: str) -> dict[str, Any]:
    """scrapy-redis: several crawler processes (or machines) share one queue and dupefilter."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Kept when one worker finishes first, so the others' requests are not forgotten.
        "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
    }


def run_crawl(options: CrawlOptions) -> list[int]:
    """Crawl in this process (blocks until done); returns the ids of the crawl rows written.

    One crawl per archive at a time (a lock beside the database), except for the workers of a
    shared frontier, which are meant to run together.
    """
    if options.redis_url:
        return _run(options)
    with CrawlLock(options.data_dir):
        _mark_interrupted(options.data_dir)
        return _run(options)


def _mark_interrupted(data_dir: Path) -> None:
    """Crawls a kill or timeout left `running` are `interrupted` (we hold the lock)."""
    from archive import Archive
    from archive.crawls import mark_interrupted

    archive = Archive(data_dir)
    try:
        mark_interrupted(archive.db)
    finally:
        archive.close()


def _run(options: CrawlOptions) -> list[int]:
    from crawler.spiders.discover import DiscoverSpider
    from crawler.spiders.portals import SPIDERS

    by_name = {spider.name: spider for spider in (*SPIDERS, DiscoverSpider)}
    settings = project_settings(options)
    process = CrawlerProcess(settings)
    crawlers = []
    for name in spiders_for(options):
        crawler = process.create_crawler(by_name[name])
        crawlers.append(crawler)
        args = options.spider_args or {
            "registry": options.registry,
            "portal": ",".join(options.portals) or None,
        }
        process.crawl(crawler, **args)
    process.start()
    crawl_ids = []
    for crawler in crawlers:
        try:
            session = session_of(crawler)
        except (RuntimeError, LookupError):  # never started, or run without the session
            continue
        if session.crawl_id:
            crawl_ids.append(session.crawl_id)
    return crawl_ids
