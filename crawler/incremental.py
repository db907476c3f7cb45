"""Incremental crawling: conditional requests, and answers from the raw store when unchanged.

A 304 answer is turned back into the body stored for the URL last time, so spiders parse it
as usual and the crawl downloads only what changed.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from archive import RawFileMissing
from crawler.session import session_of

NOT_MODIFIED = "xxgk_not_modified"


class ConditionalRequestMiddleware:
    """Adds If-None-Match / If-Modified-Since from the last good fetch of the same URL."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.enabled = not crawler.settings.getbool("XXGK_FULL_CRAWL")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not self.enabled or b"If-None-Match" in request.headers:
            return None
        last = session_of(self.crawler).archive.last_good_fetch(request.url)
        if last is None:
            return None
        if last["etag"]:
            request.headers[b"If-None-Match"] = last["etag"]
        if last["last_modified"]:
            request.headers[b"If-Modified-Since"] = last["last_modified"]
        if last["etag"] or last["last_modified"]:
            request.meta["xxgk_last_fetch"] = last
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        last = request.meta.get("xxgk_last_fetch")
        if response.status != 304 or last is None:
            return response
        try:
            body = session_of(self.crawler).archive.read_raw(last["sha256"])
        except RawFileMissing:
            # The stored copy is gone: fetch it again without conditions.
            self.crawler.stats.inc_value("xxgk/incremental/raw_missing")
            return request.replace(
                headers={}, dont_filter=True, meta={**request.meta, "xxgk_last_fetch": None}
            )
        # The stored body with the validators as they stand now, for the next conditional GET.
        headers = {
            name: value
            for name, value in (
                ("Content-Type", last["content_type"]),
                ("ETag", response.headers.get(b"ETag") or last["etag"]),
                ("Last-Modified", response.headers.get(b"Last-Modified") or last["last_modified"]),
            )
            if value
        }
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        request.meta[NOT_MODIFIED] = True
        self.crawler.stats.inc_value("xxgk/incremental/not_modified")
        return cls(
            url=request.url,
            status=200,
            headers=headers,
            body=body,
            request=request,
            flags=["not_modified"],
            ip_address=response.ip_address,
        )
