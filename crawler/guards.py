"""What a hostile portal cannot do to a crawl: leave a request without a fetches row, or spend
the crawl on itself.

- `LoggedCompressionMiddleware` (Scrapy's HttpCompressionMiddleware, in its place): a body
  that decodes past DOWNLOAD_MAXSIZE (`DecompressionBomb:`), does not decode as its
  Content-Encoding says (`ContentDecodingFailed:`: a plain body labelled gzip, `gzip, gzip` on a
  body compressed once) gets a fetches row; Scrapy dropped both with a log line only.
- `ReportCapMiddleware` (spider middleware): at most XXGK_MAX_LINKS_PER_REPORT article or
  attachment requests per school and report year in one crawl, so a list page with 100,000
  report-titled links costs a few requests (`ReportLinkCap:`, recorded once) and the portal's
  real reports, further down, are still reached.
- `offsite_redirect_reason`: a redirect that leaves the school's registered domain(s) ends the
  request as `OffsiteSkipped:` with the redirect chain, so a file that lands on another host
  is never archived as the school's report.
- `PortalBudgetMiddleware`: per portal and crawl at most XXGK_MAX_REQUESTS requests,
  XXGK_MAX_ARTICLES article pages, XXGK_MAX_BYTES bytes; the first request past a budget is
  recorded by name (`PortalBudgetExceeded:`), later ones only counted. URLs longer than
  URLLENGTH_LIMIT are refused with a row (`UrlTooLong:`) instead of Scrapy's silent drop; it
  sits among the downloader middlewares, so attachments fetched by the spider directly are
  covered too.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import fetch_errors as fe
from crawler.addresses import parse_networks, refusal_reason
from crawler.middlewares import GaveUp, RequestRefused, record_outcome
from crawler.registry import registrable_domain
from parsers.metadata import label_and_year

# Decoders raise these on a body that is not what its Content-Encoding says.
_DECODE_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, ValueError)
try:  # brotli is optional for Scrapy; its error type only exists when it is installed
    import brotli

    _DECODE_ERRORS += (brotli.error,)
except (ImportError, AttributeError):  # pragma: no cover - depends on the environment
    pass


class LoggedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression (bounded by DOWNLOAD_MAXSIZE), with every failure recorded."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler=crawler)
        self.crawler = crawler

    def process_response(self, request: Request, response: Response, spider=None):
        encoding = b", ".join(response.headers.getlist("Content-Encoding")).decode("latin-1")
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:  # Scrapy's "exceeded DOWNLOAD_MAXSIZE during decompression"
            maxsize = request.meta.get("download_maxsize", self._max_size)
            reason = fe.DecompressionBomb(
                f"the {encoding} body ({len(response.body)} bytes) decodes "
                f"past the download max size ({maxsize} bytes)"
            ).row()
            cause: BaseException = exc
        except _DECODE_ERRORS as exc:
            reason = fe.ContentDecodingFailed(
                f"Content-Encoding {encoding[:100]} but the body "
                f"({len(response.body)} bytes) does not decode: {type(exc).__name__}: "
                f"{str(exc)[:200]}"
            ).row()
            cause = exc
        # No status on the row: a row with a status has its body in the raw store.
        record_outcome(self.crawler, request, reason, final_url=response.url)
        raise GaveUp(reason) from cause


class PortalBudgetMiddleware:
    """Per-portal budgets for one crawl, and the URL length limit, each refusal recorded."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.url_limit = settings.getint("URLLENGTH_LIMIT")
        self.budgets = {
            "requests": settings.getint("XXGK_MAX_REQUESTS"),
            "articles": settings.getint("XXGK_MAX_ARTICLES"),
            "bytes": settings.getint("XXGK_MAX_BYTES"),
        }
        self.spent: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.recorded: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalBudgetMiddleware:
        return cls(crawler)

    def _refuse(self, request: Request, reason: str, once: tuple[str, str] | None) -> None:
        self.crawler.stats.inc_value(f"xxgk/refused/{reason.split(':')[0]}")
        if once is None or once not in self.recorded:
            if once is not None:
                self.recorded.add(once)
            record_outcome(self.crawler, request, reason)
        raise RequestRefused(reason)

    def process_request(self, request: Request) -> None:
        if len(request.url) > self.url_limit:
            self._refuse(
                request,
                fe.UrlTooLong(
                    f"{len(request.url)} characters, over URLLENGTH_LIMIT "
                    f"({self.url_limit}): {request.url[:200]}..."
                ).row(),
                None,
            )
        school = request.meta.get("xxgk_school")
        if not school or request.meta.get("redirect_urls"):
            return None  # robots.txt; a redirect hop was counted as its first request
        spent = self.spent[school]
        kinds = ["requests"] + (["articles"] if request.meta.get("xxgk_kind") == "article" else [])
        for budget in [*kinds, "bytes"]:
            limit = self.budgets[budget]
            if limit and spent[budget] >= limit:
                self._refuse(
                    request,
                    fe.PortalBudgetExceeded(
                        f"{school} spent its {budget} budget for this crawl "
                        f"({limit}, XXGK_MAX_{budget.upper()}); {request.url[:200]} and later "
                        "requests of this portal are not fetched"
                    ).row(),
                    (school, budget),
                )
        for budget in kinds:
            spent[budget] += 1
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        school = request.meta.get("xxgk_school")
        if school:
            self.spent[school]["bytes"] += len(response.body)
        return response


def school_domains(crawler: Crawler, code: str | None) -> frozenset[str]:
    """The registered domains of the school a request belongs to (empty when unknown)."""
    for school in getattr(crawler.spider, "schools", None) or []:
        if school.code == code:
            return school.domains
    return frozenset()


def offsite_redirect_reason(crawler: Crawler, request: Request, target: str) -> str | None:
    """`OffsiteSkipped: ...` with the chain when a redirect of a school's request leaves the
    school's registered domain(s) (the domain of the first URL when the school is unknown)."""
    code = request.meta.get("xxgk_school")
    if not code:
        return None
    settings = crawler.settings
    allowed = parse_networks(settings.getlist("XXGK_ALLOWED_NETWORKS"))
    if refusal_reason(target, settings.getbool("XXGK_ALLOW_PRIVATE_ADDRESSES"), allowed):
        return None  # an internal address: the address guard refuses it by that name
    chain = [*request.meta.get("redirect_urls", []), request.url]
    domains = school_domains(crawler, code) or frozenset({registrable_domain(chain[0])})
    if registrable_domain(target) in domains:
        return None
    hops = " -> ".join(url[:200] for url in [*chain, target])
    return fe.OffsiteSkipped(
        f"{request.meta.get('xxgk_kind', 'page')} of school {code} redirects "
        f"off its domain ({', '.join(sorted(domains))}): {hops}"
    ).row()


def report_link_key(title: str) -> Any:
    """Which report a link's title names, as the cap counts it: its year, else the title."""
    year = label_and_year(title)[1] if title else None
    return year if year is not None else title[:200]


class ReportCapMiddleware:
    """At most XXGK_MAX_LINKS_PER_REPORT article/attachment requests per school and report
    year per crawl; the first one past the cap is recorded, the rest counted."""

    KINDS = ("article", "attachment")

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getint("XXGK_MAX_LINKS_PER_REPORT")
        self.seen: dict[tuple[str, Any], int] = defaultdict(int)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportCapMiddleware:
        return cls(crawler)

    def _admit(self, entry: Any) -> bool:
        if not (isinstance(entry, Request) and self.cap):
            return True
        if entry.meta.get("xxgk_kind") not in self.KINDS:
            return True
        school = entry.meta.get("xxgk_school")
        key = (school, report_link_key(entry.cb_kwargs.get("title") or ""))
        self.seen[key] += 1
        if self.seen[key] <= self.cap:
            return True
        self.crawler.stats.inc_value("xxgk/refused/ReportLinkCap")
        if self.seen[key] == self.cap + 1:
            record_outcome(
                self.crawler,
                entry,
                fe.ReportLinkCap(
                    f"school {school} linked report {key[1]} more than {self.cap} "
                    f"times in this crawl (XXGK_MAX_LINKS_PER_REPORT); {entry.url[:200]} and "
                    "later links to it are not followed"
                ).row(),
            )
        return False

    def process_spider_output(self, response: Response, result: Iterable) -> Iterator:
        for entry in result:
            if self._admit(entry):
                yield entry

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator
    ) -> AsyncIterator:
        async for entry in result:
            if self._admit(entry):
                yield entry


__all__ = [
    "LoggedCompressionMiddleware",
    "PortalBudgetMiddleware",
    "ReportCapMiddleware",
    "offsite_redirect_reason",
]
