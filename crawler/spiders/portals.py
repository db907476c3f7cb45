"""Portal spiders: one per CMS family plus a generic fallback, all driven by registry rows.

Home page → report column (by link text, through 基本信息 where needed) → every list page →
every report article (all its pages) → every attachment and embedded document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from archive import ReportCandidate, SourceFile
from archive.health import PortalObservation, completed_before, record_health
from archive.reports import known_report_pages, known_report_urls, mark_removed
from crawler import extract
from crawler.addresses import POLICY, refusal_reason
from crawler.documents import choose_source, file_name_for, is_html_page, real_content_type
from crawler.families import FAMILIES, Markup, detect
from crawler.middlewares import StorageError
from crawler.registry import School, load_registry, school_for_portal
from crawler.responses import exception_reason
from crawler.session import session_of
from crawler.spiders.explorer import ExplorerMixin
from parsers.metadata import label_and_year


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
        self.known: dict[str, set[str]] = {}
        self.observed: dict[str, PortalObservation] = {}
        self.stop_at_known: set[str] = set()
        self.skipped: set[str] = set()  # offsite / other-scheme links already recorded

    # -- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        incremental = not self.settings.getbool("XXGK_FULL_CRAWL")
        db = session_of(self.crawler).archive.db
        for school in self.schools:
            self.observed[school.code] = PortalObservation(school.code)
            # Stop list walks at known reports only after a crawl of this portal that finished:
            # a killed crawl may have archived the newest reports and none of the older ones.
            if incremental and completed_before(db, school.code):
                self.stop_at_known.add(school.code)
            self.known[school.code] = known_report_urls(db, school.code) if incremental else set()
            yield self._request(school, school.portal_url, self.parse_home, "home", depth=0)
            # Reports met in earlier crawls are re-checked at their own address, so an edit or a
            # removal is noticed even when the list walk stops at the first known report.
            for known in known_report_pages(db, school.code) if incremental else []:
                yield self._request(
                    school,
                    known["page_url"],
                    self.parse_article,
                    "article",
                    title=known["title"],
                    published=known["published"],
                )

    def _request(self, school: School, url: str, callback, kind: str, **kwargs) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"xxgk_school": school.code, "xxgk_kind": kind},
            cb_kwargs={"school": school, **kwargs},
        )

    def markup_for(self, response: TextResponse) -> Markup:
        return FAMILIES.get(self.family) or detect(response.text)

    def on_error(self, failure) -> None:
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
                host = urlsplit(request.url).hostname or ""
                seen.home_error = POLICY.refusals.get(host) or exception_reason(failure.value)
        known = self.known.get(request.meta.get("xxgk_school"), set())
        if status in (404, 410) and request.url in known:
            archive = session_of(self.crawler).archive
            removed = mark_removed(archive.db, request.url, f"HTTP {status} at {request.url}")
            self.crawler.stats.inc_value("xxgk/reports/removed", removed)

    def closed(self, reason: str) -> None:
        if not self.observed:
            return
        today = self.settings.get("XXGK_AS_OF") or dt.date.today().isoformat()
        session = session_of(self.crawler)
        attention = record_health(
            session.archive.db,
            session.crawl_id,
            list(self.observed.values()),
            dt.date.fromisoformat(today),
        )
        self.crawler.stats.set_value("xxgk/portals_needing_attention", attention)

    # -- reports -----------------------------------------------------------------------------
    async def parse_article(
        self, response: Response, school: School, title: str, published: str | None
    ):
        if not school.owns(response.url):
            self._offsite(response.url, school, "article")
            return
        if not is_html_page(response):  # the "article" link was a file after all
            async for item in self.parse_direct_file(
                response, school, title, response.url, published
            ):
                yield item
            return
        markup = self.markup_for(response)
        try:
            files = await self._article_files(response, school)
        except StorageError:
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
        try:
            return await self.crawler.engine.download_async(request)
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
            crawl_id=session_of(self.crawler).crawl_id,
        )

    def _offsite(self, url: str, school: School, kind: str) -> None:
        """A report link off the school's registered domains (spam mirrors clone whole sites)
        or of another scheme (file://, ftp://): never fetched, recorded once with its reason."""
        self.logger.info("not tied to %s's domain, skipped: %s", school.name, url)
        self.crawler.stats.inc_value("xxgk/offsite_skipped")
        refused = refusal_reason(url, allow_private=True)  # the scheme check of the guard
        if refused is None or not refused.startswith("UnsupportedScheme"):
            host = urlsplit(url).hostname or ""
            refused = f"OffsiteSkipped: {host} is not on {school.name}'s registered domains"
        self._note(url, school, kind, refused)

    def _list_page_cap(self, school: School, url: str, cap: int) -> None:
        """Endless (or just very long) pagination: stop at XXGK_MAX_LIST_PAGES, say so once."""
        self.crawler.stats.inc_value("xxgk/list_page_cap_reached")
        if f"cap:{school.code}" in self.skipped:
            return
        self.skipped.add(f"cap:{school.code}")
        self.logger.warning("%s: %d list pages walked, not following %s", school.name, cap, url)
        self._note(
            url,
            school,
            "list",
            f"ListPageCap: {cap} list pages walked (XXGK_MAX_LIST_PAGES), not fetched",
        )

    def _note(self, url: str, school: School, kind: str, reason: str) -> None:
        """A fetches row for a link deliberately not fetched (no status, no body)."""
        if url in self.skipped:
            return
        self.skipped.add(url)
        session = session_of(self.crawler)
        session.archive.record_fetch(
            {
                "url": url,
                "school_code": school.code,
                "kind": kind,
                "crawl_id": session.crawl_id,
                "error": reason,
            }
        )


class PortalSpider(ExplorerMixin, BasePortalSpider):
    """Generic fallback: detects the family of each page from its fingerprints."""

    name = "generic"


class VsbSpider(PortalSpider):
    """博达 VSB portals (registry rows with family=vsb)."""

    name = "vsb"
    family = "vsb"


class WebPlusSpider(PortalSpider):
    """WebPlus (Sudy) portals (registry rows with family=webplus)."""

    name = "webplus"
    family = "webplus"


SPIDERS = (VsbSpider, WebPlusSpider, PortalSpider)
