"""Downloader middlewares: refuse what must not be fetched, store every body, retry politely."""

from __future__ import annotations

import asyncio
import random
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler.addresses import POLICY, refusal_reason
from crawler.incremental import NOT_MODIFIED
from crawler.responses import challenge_reason, exception_reason, repaired_encoding
from crawler.session import session_of

# Headers worth keeping in the fetch log (conditional requests, file names, types).
_HEADER_COLUMNS = {
    "content_type": b"Content-Type",
    "etag": b"ETag",
    "last_modified": b"Last-Modified",
    "content_disposition": b"Content-Disposition",
}


class RequestRefused(IgnoreRequest):
    """A request the address policy forbids; its reason is in the fetch log."""


def _meta_row(request: Request) -> dict:
    return {
        "url": (request.meta.get("redirect_urls") or [request.url])[0],
        "school_code": request.meta.get("xxgk_school"),
        "kind": "robots" if urlsplit(request.url).path == "/robots.txt" else
        request.meta.get("xxgk_kind", "page"),
    }


class AddressGuardMiddleware:
    """Refuses non-http(s) schemes and internal IP literals before any connection is made."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("XXGK_ALLOW_PRIVATE_ADDRESSES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        reason = refusal_reason(request.url, self.allow_private)
        if reason is None:
            return None
        session = session_of(self.crawler)
        session.archive.record_fetch({**_meta_row(request), "crawl_id": session.crawl_id,
                                      "error": reason})
        self.crawler.stats.inc_value("xxgk/refused")
        raise RequestRefused(reason)


class FetchLogMiddleware:
    """Stores every response body verbatim (by sha256) and logs the fetch, before any parsing."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchLogMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        session = session_of(self.crawler)
        sha = session.archive.store_raw(response.body)
        request.meta["xxgk_sha256"] = sha
        not_modified = request.meta.get(NOT_MODIFIED, False)
        row = {
            **_meta_row(request),
            "crawl_id": session.crawl_id,
            "final_url": response.url,
            "status": 304 if not_modified else response.status,
            # Bytes that crossed the network: none for a 304, whose body came from the store.
            "content_length": 0 if not_modified else len(response.body),
            "size": len(response.body),
            "sha256": sha,
            "ip_address": str(response.ip_address) if response.ip_address else None,
            "error": challenge_reason(response),
        }
        for column, header in _HEADER_COLUMNS.items():
            value = response.headers.get(header)
            row[column] = value.decode("latin-1") if value else None
        request.meta["xxgk_fetch_id"] = session.archive.record_fetch(row)
        self.crawler.stats.inc_value("xxgk/fetched")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return None  # robots.txt and refusals are counted where they are decided
        session = session_of(self.crawler)
        host = urlsplit(request.url).hostname or ""
        reason = POLICY.refusals.get(host) or exception_reason(exception)
        session.archive.record_fetch({**_meta_row(request), "crawl_id": session.crawl_id,
                                      "error": reason})
        self.crawler.stats.inc_value(f"xxgk/fetch_error/{reason.split(':')[0]}")
        return None


class EncodingRepairMiddleware:
    """Re-decodes pages whose declared charset is wrong (GBK pages declared UTF-8 exist)."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        encoding = repaired_encoding(response)
        return response.replace(encoding=encoding) if encoding else response


class ChallengeMiddleware:
    """Anti-bot 412/202 challenge pages: retried with backoff, never passed on as content."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.max_tries = crawler.settings.getint("XXGK_CHALLENGE_RETRIES")
        self.backoff = crawler.settings.getfloat("XXGK_RETRY_BACKOFF_BASE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response):
        reason = challenge_reason(response)
        if reason is None:
            return response
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason="challenge",
            max_retry_times=self.max_tries,
        )
        if retry is None:
            self.crawler.stats.inc_value("xxgk/challenge_not_lifted")
            raise IgnoreRequest(f"ChallengeNotLifted: {reason} after {self.max_tries} retries")
        await _sleep_backoff(self.backoff, retry.meta.get("retry_times", 1))
        return retry


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retry (5xx, timeouts, resets) with exponential backoff and jitter."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.backoff = crawler.settings.getfloat("XXGK_RETRY_BACKOFF_BASE")
        return middleware

    async def process_response(self, request: Request, response: Response):
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await _sleep_backoff(self.backoff, result.meta.get("retry_times", 1))
        return result

    async def process_exception(self, request: Request, exception: Exception):
        if (urlsplit(request.url).hostname or "") in POLICY.refusals:
            return None  # refused by policy: asking again cannot change the answer
        if exception_reason(exception).startswith("TLSError"):
            return None  # a bad certificate stays bad
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await _sleep_backoff(self.backoff, result.meta.get("retry_times", 1))
        return result


async def _sleep_backoff(base: float, attempt: int) -> None:
    if base > 0:
        await asyncio.sleep(base * 2 ** (attempt - 1) * random.uniform(0.75, 1.25))
