"""Downloader middlewares: refuse what must not be fetched, store every body, retry politely."""

from __future__ import annotations

import asyncio
import random
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import fetch_errors as fe
from crawler.addresses import parse_networks, refusal_reason, resolver_refusal
from crawler.documents import file_name_for, is_html_page
from crawler.incremental import NOT_MODIFIED
from crawler.politeness import retry_after_seconds
from crawler.responses import challenge_reason, exception_reason, fetch_error, repaired_encoding
from crawler.session import session_of

# request.meta key: the fetch log's reason for a failed download, for the spider's errback.
FETCH_ERROR = "xxgk_fetch_error"
# Headers worth keeping in the fetch log (conditional requests, file names, types).
_HEADER_COLUMNS = {
    "content_type": b"Content-Type",
    "etag": b"ETag",
    "last_modified": b"Last-Modified",
    "content_disposition": b"Content-Disposition",
}


class RequestRefused(IgnoreRequest):
    """A request the address policy forbids; its reason is in the fetch log."""


class GaveUp(IgnoreRequest):
    """A request abandoned on purpose (redirect loop, challenge that never lifts, retries
    exhausted); the named reason is in the fetch log."""


class StorageError(IgnoreRequest):
    """The body could not be written to the raw store (disk full...): the fetch is logged with
    `StorageError: ...` and the response dropped, so nothing is parsed from unstored bytes."""


def _meta_row(request: Request) -> dict:
    row = {
        "url": (request.meta.get("redirect_urls") or [request.url])[0],
        "school_code": request.meta.get("xxgk_school"),
        "kind": "robots"
        if urlsplit(request.url).path == "/robots.txt"
        else request.meta.get("xxgk_kind", "page"),
        "method": request.method,
    }
    if request.meta.get("xxgk_via"):  # "browser": fetched by the browser path
        row["via"] = request.meta["xxgk_via"]
    return row


def record_outcome(crawler: Crawler, request: Request, reason: str, **columns) -> None:
    """A fetches row for a request that ended without a stored body, with its named reason."""
    session = session_of(crawler)
    if request.meta.get("redirect_urls"):
        columns.setdefault("final_url", request.url)
    session.archive.record_fetch(
        {**_meta_row(request), "crawl_id": session.crawl_id, **columns, "error": reason}
    )
    crawler.stats.inc_value(f"xxgk/fetch_error/{reason.split(':')[0]}")


class AddressGuardMiddleware:
    """Refuses non-http(s) schemes and internal IP literals before any connection is made."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.allow_private = crawler.settings.getbool("XXGK_ALLOW_PRIVATE_ADDRESSES")
        self.allowed = parse_networks(crawler.settings.getlist("XXGK_ALLOWED_NETWORKS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        # Runs for every download, redirected ones included (a redirect is a new request).
        reason = refusal_reason(request.url, self.allow_private, self.allowed)
        if reason is None:
            return None
        record_outcome(self.crawler, request, reason)
        self.crawler.stats.inc_value("xxgk/refused")
        raise RequestRefused(reason)


class FetchLogMiddleware:
    """Stores every response body verbatim (by sha256) and logs the fetch, before any parsing."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        # Bytes received per request: a body without Content-Length that outgrows
        # DOWNLOAD_MAXSIZE is cancelled by Scrapy with a bare DownloadCancelledError.
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchLogMiddleware:
        return cls(crawler)

    @staticmethod
    def _bytes_received(data: bytes, request: Request, **_kwargs) -> None:
        request.meta["xxgk_received"] = request.meta.get("xxgk_received", 0) + len(data)

    def _reason(self, request: Request, exception: Exception) -> str:
        host = urlsplit(request.url).hostname or ""
        received = request.meta.get("xxgk_received", 0)
        maxsize = request.meta.get("download_maxsize", self.maxsize)
        if type(exception).__name__ == "DownloadCancelledError" and maxsize and received > maxsize:
            return fe.DownloadTooLarge(
                f"received {received} bytes (no Content-Length), over "
                f"the download max size ({maxsize}) in {request.url}"
            ).row()
        return resolver_refusal(host) or exception_reason(exception)

    def process_response(self, request: Request, response: Response) -> Response:
        session = session_of(self.crawler)
        try:
            sha = session.archive.store_raw(response.body)
        except OSError as exc:  # disk full, read-only, quota: logged, and nothing is parsed
            # No status on the row: a row with a status has its body in the raw store.
            record_outcome(
                self.crawler,
                request,
                fe.StorageError(
                    f"{exc} (HTTP {response.status}, {len(response.body)} bytes not stored)"
                ).row(),
                final_url=response.url,
            )
            raise StorageError(str(exc)) from exc
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
            "file_name": file_name_for(response, response.url, None),
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
        reason = self._reason(request, exception)
        request.meta[FETCH_ERROR] = reason
        session.archive.record_fetch(
            {**_meta_row(request), "crawl_id": session.crawl_id, "error": reason}
        )
        self.crawler.stats.inc_value(f"xxgk/fetch_error/{reason.split(':')[0]}")
        return None


class EncodingRepairMiddleware:
    """Re-decodes pages whose declared charset is wrong (GBK pages declared UTF-8 exist)."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not is_html_page(response):  # never guess a charset for a PDF (costly, pointless)
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
            request,
            spider=self.crawler.spider,
            reason="challenge",
            max_retry_times=self.max_tries,
        )
        if retry is None:
            self.crawler.stats.inc_value("xxgk/challenge_not_lifted")
            given_up = fe.ChallengeNotLifted(f"{reason} after {self.max_tries} retries").row()
            record_outcome(self.crawler, request, given_up, final_url=response.url)
            raise GaveUp(given_up)
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
            waited = retry_after_seconds(response.headers.get(b"Retry-After"))
            if waited is not None and response.status in (429, 503):
                await asyncio.sleep(waited)  # the server said how long: honour it
            else:
                await _sleep_backoff(self.backoff, result.meta.get("retry_times", 1))
        elif response.status in self.retry_http_codes and not request.meta.get("dont_retry"):
            # The last answer (a 5xx, 429...) is in the fetch log; name the give-up too.
            record_outcome(
                self.crawler,
                request,
                fe.RetriesExhausted(
                    f"HTTP {response.status} after {request.meta.get('retry_times', 0)} retries"
                ).row(),
                final_url=response.url,
            )
        return result

    async def process_exception(self, request: Request, exception: Exception):
        if resolver_refusal(urlsplit(request.url).hostname or ""):
            return None  # refused by policy: asking again cannot change the answer
        if isinstance(fetch_error(exception), fe.TLSError):
            return None  # a bad certificate stays bad
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await _sleep_backoff(self.backoff, result.meta.get("retry_times", 1))
        return result


class LoggedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with every give-up recorded by name: a redirect back to a URL of the
    same chain or past REDIRECT_MAX_TIMES (`RedirectLoop:`), to another scheme
    (`UnsupportedScheme:`). Redirects to internal addresses go through AddressGuardMiddleware
    like any request."""

    def process_response(self, request: Request, response: Response):
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or location is None:
            return super().process_response(request, response)
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = [*request.meta.get("redirect_urls", []), request.url]
        scheme = urlsplit(target).scheme
        if scheme not in ("http", "https"):
            reason = fe.UnsupportedScheme(
                f"redirect to {scheme or 'none'}:// ({target[:200]})"
            ).row()
        elif target in chain:
            reason = fe.RedirectLoop(
                f"{request.url} redirects back to {target} after {len(chain) - 1} redirects"
            ).row()
        elif offsite := offsite_redirect_reason(self.crawler, request, target):
            reason = offsite  # a file that lands on another host is not the school's report
        else:
            try:
                return super().process_response(request, response)
            except IgnoreRequest:  # max redirections reached
                reason = fe.RedirectLoop(
                    f"gave up after {len(chain) - 1} redirects "
                    f"(REDIRECT_MAX_TIMES), last {request.url}"
                ).row()
        record_outcome(self.crawler, request, reason, final_url=request.url)
        raise GaveUp(reason)


def offsite_redirect_reason(crawler: Crawler, request: Request, target: str) -> str | None:
    from crawler.guards import offsite_redirect_reason as reason  # guards imports this module

    return reason(crawler, request, target)


async def _sleep_backoff(base: float, attempt: int) -> None:
    if base > 0:
        await asyncio.sleep(base * 2 ** (attempt - 1) * random.uniform(0.75, 1.25))
