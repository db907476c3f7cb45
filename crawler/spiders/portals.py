"""Portal spiders: one per CMS family of `parsers.families` plus a generic fallback, all driven
by registry rows.

Home page → report column (explored: `crawler.spiders.explorer`) → every list page → every
report article (all its pages) → every attachment and embedded document.

The spiders only yield: requests, and the items of `crawler.items` that the pipeline writes.
What earlier crawls left (`PortalMemory`) comes from the crawler's session, and downloads made
inside a callback go through `self.fetcher`; tests hand the spider fakes of both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler import extract
from crawler import fetch_errors as fe
from crawler.addresses import refusal_reason
from crawler.documents import choose_source, file_name_for, is_html_page, real_content_type
from crawler.items import (
    PortalMemory,
    PortalObservation,
    RemovalNotice,
    ReportCandidate,
    SkippedLink,
    SourceFile,
)
from crawler.middlewares import FETCH_ERROR, StorageError
from crawler.registry import School, load_registry, school_for_portal
from crawler.responses import exception_reason
from crawler.session import session_of
from crawler.spiders.explorer import ExplorerMixin
from parsers.families import FAMILIES, Family, detect
from parsers.metadata import label_and_year


class Fetcher(Protocol):
    """What fetches a file inside a callback (an article's pages and attachments)."""

    async def fetch(self, request: scrapy.Request) -> Response: ...


class EngineFetcher:
    """Downloads a request inside a callback through the crawler's engine (every middleware
    applies: the address guard, the fetch log, retries)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    async def fetch(self, request: scrapy.Request) -> Response:
        return await self.crawler.engine.download_async(request)


class BasePortalSpider(scrapy.Spider):
    """The plumbing of the portal spiders: registry rows, requests, reports, files, notes.
    How pages are explored and read is `ExplorerMixin`'s."""

    name = ""  # not a spider of its own (Scrapy lists only named spider classes)
    family = ""  # registry rows this spider takes ("" = rows of no known family)
    custom_settings: dict[str, Any] = {}

    def __init__(self, registry: str | None = None, portal: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        known = load_registry(registry or None)
        portals = [p for p in (portal or "").split(",") if p.strip()]
        if portals:
            self.schools = [school_for_portal(p.strip(), known) for p in portals]
        else:
            self.schools = [s for s in known if s.family == self.family]
        self.crawl_args = {"registry": registry, "portal": portal}
        self.list_pages: dict[str, int] = {}
        self.known: dict[str, frozenset[str]] = {}
        self.observed: dict[str, PortalObservation] = {}
        self.stop_at_known: set[str] = set()
        self.skipped: set = set()  # offsite / other-scheme links and post-backs already seen
        # Set by tests; a crawl takes the session's memory and the engine's downloads.
        self.memory: Callable[[str], PortalMemory] | None = None
        self.fetcher: Fetcher | None = None

    # -- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.start_requests_from(
            self.memory or session_of(self.crawler).portal_memory
        ):
            yield request

    def start_requests_from(
        self, memory: Callable[[str], PortalMemory]
    ) -> Iterator[scrapy.Request]:
        for school in self.schools:
            remembered = memory(school.code)
            self.observed[school.code] = PortalObservation(school.code)
            if remembered.completed_before:
                self.stop_at_known.add(school.code)
            self.known[school.code] = remembered.report_urls
            yield self._request(school, school.portal_url, self.parse_home, "home", depth=0)
            # Reports met in earlier crawls are re-checked at their own address, so an edit or a
            # removal is noticed even when the list walk stops at the first known report.
            for known in remembered.report_pages:
                yield self._request(
                    school,
                    known.page_url,
                    self.parse_article,
                    "article",
                    title=known.title,
                    published=known.published,
                )

    def observations(self) -> list[PortalObservation]:
        """What this crawl saw of each portal; the session records them when the spider closes."""
        return list(self.observed.values())

    def _request(self, school: School, url: str, callback, kind: str, **kwargs) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"xxgk_school": school.code, "xxgk_kind": kind},
            cb_kwargs={"school": school, **kwargs},
        )

    def markup_for(self, response: TextResponse) -> Family:
        return FAMILIES.get(self.family) or detect(response.text)

    def on_error(self, failure) -> Iterator[RemovalNotice]:
        # The fetch log already holds the reason; count it, and note what it means for the portal.
        self.crawler.stats.inc_value(f"xxgk/request_failed/{failure.type.__name__}")
        request = failure.request
        seen = self.observed.get(request.meta.get("xxgk_school"))
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        if seen is not None:
            seen.fetch_errors += 1
            if request.meta.get("xxgk_kind") == "home":
                seen.home_status = status
                seen.home_error = request.meta.get(FETCH_ERROR) or exception_reason(failure.value)
        known = self.known.get(request.meta.get("xxgk_school"), frozenset())
        if status in (404, 410) and request.url in known:
            yield RemovalNotice(request.url, f"HTTP {status} at {request.url}")

    # -- reports -----------------------------------------------------------------------------
    async def parse_article(
        self, response: Response, school: School, title: str, published: str | None
    ):
        if not school.owns(response.url):
            for note in self._offsite(response.url, school, "article"):
                yield note
            return
        if not is_html_page(response):  # the "article" link was a file after all
            async for item in self.parse_direct_file(
                response, school, title, response.url, published
            ):
                yield item
            return
        markup = self.markup_for(response)
        notes: list[SkippedLink] = []
        try:
            files: list[SourceFile] | None = await self._article_files(response, school, notes)
        except StorageError:
            files = None
        for note in notes:
            yield note
        if files is None:
            # A file of the report could not be stored: saving the report without it would
            # archive the wrong source. Left for the next crawl, which fetches it again.
            self.crawler.stats.inc_value("xxgk/reports/deferred_storage_error")
            return
        article = SourceFile(
            url=response.url,
            sha256=response.meta["xxgk_sha256"],
            role="article",
            page_url=response.url,
            content_type=real_content_type(response),
        )
        source, others = choose_source(article, files)
        yield self._candidate(
            school,
            title,
            response.url,
            source,
            others,
            published or extract.published_date(response, markup),
        )

    async def parse_direct_file(
        self,
        response: Response,
        school: School,
        title: str,
        page_url: str,
        published: str | None,
    ):
        if response.status != 200:
            return
        source = self._source(response, response.url, page_url, "attachment", None)
        yield self._candidate(school, title, page_url, source, [], published)

    async def _fetch(self, school: School, url: str, kind: str) -> Response | None:
        request = scrapy.Request(url, meta={"xxgk_school": school.code, "xxgk_kind": kind})
        if self.fetcher is None:
            self.fetcher = EngineFetcher(self.crawler)
        try:
            return await self.fetcher.fetch(request)
        except StorageError:
            raise
        except IgnoreRequest:
            return None
        except Exception as exc:  # recorded by the fetch log; the report goes on without it
            self.crawler.stats.inc_value(f"xxgk/request_failed/{type(exc).__name__}")
            return None

    def _source(
        self, response: Response, url: str, page_url: str, role: str, name: str | None
    ) -> SourceFile:
        return SourceFile(
            url=url,
            sha256=response.meta["xxgk_sha256"],
            role=role,
            page_url=page_url,
            file_name=file_name_for(response, url, name),
            content_type=real_content_type(response),
        )

    def _candidate(self, school, title, page_url, source, others, published) -> ReportCandidate:
        label, year = label_and_year(title)
        self.observed[school.code].reports_seen += 1
        # crawl_id is the pipeline's to fill: the spider does not know the crawl row.
        return ReportCandidate(
            school_code=school.code,
            school_name=school.name,
            title=title,
            page_url=page_url,
            source=source,
            files=others,
            year=year,
            label=label,
            published=published,
        )

    def _offsite(self, url: str, school: School, kind: str) -> Iterator[SkippedLink]:
        """A report link off the school's registered domains (spam mirrors clone whole sites)
        or of another scheme (file://, ftp://): never fetched, recorded once with its reason."""
        self.logger.info("not tied to %s's domain, skipped: %s", school.name, url)
        self.crawler.stats.inc_value("xxgk/offsite_skipped")
        refused = refusal_reason(url, allow_private=True)  # the scheme check of the guard
        if refused is None or not refused.startswith("UnsupportedScheme"):
            host = urlsplit(url).hostname or ""
            refused = fe.OffsiteSkipped(
                f"{host} is not on {school.name}'s registered domains"
            ).row()
        yield from self._note(url, school, kind, refused)

    def _list_page_cap(self, school: School, url: str, cap: int) -> Iterator[SkippedLink]:
        """Endless (or just very long) pagination: stop at XXGK_MAX_LIST_PAGES, say so once."""
        self.crawler.stats.inc_value("xxgk/list_page_cap_reached")
        if f"cap:{school.code}" in self.skipped:
            return
        self.skipped.add(f"cap:{school.code}")
        self.logger.warning("%s: %d list pages walked, not following %s", school.name, cap, url)
        yield from self._note(
            url,
            school,
            "list",
            fe.ListPageCap(f"{cap} list pages walked (XXGK_MAX_LIST_PAGES), not fetched").row(),
        )

    def _note(self, url: str, school: School, kind: str, reason: str) -> Iterator[SkippedLink]:
        """A link deliberately not fetched (a fetches row with no status, no body); once per
        URL and reason (one home address can both fall back to http and have moved)."""
        key = (url, reason.split(":", 1)[0])
        if key in self.skipped:
            return
        self.skipped.add(key)
        yield SkippedLink(url=url, school=school.code, kind=kind, reason=reason)


class PortalSpider(ExplorerMixin, BasePortalSpider):
    """Generic fallback: detects the family of each page from its fingerprints."""

    name = "generic"


def _family_spider(family: Family) -> type[PortalSpider]:
    """The spider of a named family: the generic spider bound to the family's registry rows
    and markup."""
    return type(
        f"{family.name.capitalize()}Spider",
        (PortalSpider,),
        {
            "__doc__": f"{family.description} portals (registry rows with family={family.name}).",
            "__module__": __name__,
            "name": family.name,
            "family": family.name,
        },
    )


FAMILY_SPIDERS = tuple(_family_spider(family) for family in FAMILIES.values())
# Module-level names, because `scrapy list` / `scrapy crawl` find spiders among a module's classes.
globals().update({spider.__name__: spider for spider in FAMILY_SPIDERS})
SPIDERS = (*FAMILY_SPIDERS, PortalSpider)
