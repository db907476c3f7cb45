"""Politeness that outlives a scheme fallback: robots.txt per scheme and host, Retry-After.

Scrapy's RobotsTxtMiddleware keeps one robots.txt per host:port. When https:// does not answer
(an HTTP-only host) that failure reads as "no robots.txt" for the host, and the http:// pages
tried next would be fetched unchecked; here each scheme's robots.txt is asked for on its own.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobots
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

RETRY_AFTER_CAP = 120.0  # a server asking for longer is asked again later, not waited for


class RobotsTxtMiddleware(ScrapyRobots):
    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        key = f"{url.scheme}://{url.netloc}"
        if key not in self._parsers:
            self._parsers[key] = Deferred()
            robots = Request(
                f"{key}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True},
                callback=NO_CALLBACK,
            )
            try:
                response = await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, key, request)
            except Exception as exc:  # the fetch log holds the reason; no file = no rules
                self._robots_error(exc, key)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[key]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser


def retry_after_seconds(value: bytes | str | None, cap: float = RETRY_AFTER_CAP) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, min((when - dt.datetime.now(dt.UTC)).total_seconds(), cap))
