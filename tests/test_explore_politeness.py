"""Scheme fallback decisions, Retry-After, and robots.txt kept per scheme (no server)."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, TimeoutError
from twisted.web._newclient import ResponseNeverReceived

from crawler.politeness import retry_after_seconds
from crawler.spiders.explorer import scheme_mismatch


def _tls(message: str) -> ResponseNeverReceived:
    from OpenSSL.SSL import Error
    from twisted.python.failure import Failure

    return ResponseNeverReceived([Failure(Error([("SSL routines", "", message)]))])


def _http_error(url: str, status: int, body: bytes) -> HttpError:
    return HttpError(HtmlResponse(url, status=status, body=body, request=Request(url)))


@pytest.mark.parametrize(
    ("url", "exc", "expected"),
    [
        (
            "https://x.edu.cn/",
            _tls("wrong version number"),
            "TLS handshake answered by a plain-HTTP server",
        ),
        ("https://x.edu.cn/", _tls("certificate verify failed"), None),  # speaks TLS: no fallback
        ("https://x.edu.cn/", ConnectionRefusedError(), "ConnectionRefused"),
        ("http://x.edu.cn/", ConnectionRefusedError(), "ConnectionRefused"),
        ("https://x.edu.cn/", TimeoutError(), None),  # a slow host is slow on both schemes
        (
            "http://x.edu.cn/",
            _http_error("http://x.edu.cn/", 400, b"The plain HTTP request was sent to HTTPS port"),
            "HTTP 400 asking for HTTPS",
        ),
        ("http://x.edu.cn/", _http_error("http://x.edu.cn/", 404, b"Not Found"), None),
    ],
)
def test_scheme_mismatch(url, exc, expected):
    assert scheme_mismatch(url, exc) == expected


def test_retry_after():
    assert retry_after_seconds(b"3") == 3.0
    assert retry_after_seconds("600") == 120.0  # capped: asked again later, not waited for
    assert retry_after_seconds(None) is None and retry_after_seconds(b"soon") is None
    later = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 30
    past = format_datetime(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), usegmt=True)
    assert retry_after_seconds(past) == 0.0


def test_robots_txt_is_kept_per_scheme():
    import asyncio

    from scrapy.utils.test import get_crawler

    from crawler.politeness import RobotsTxtMiddleware

    asked = []

    class Engine:
        async def download_async(self, request):
            asked.append(request.url)
            if request.url.startswith("https:"):
                raise ConnectionRefusedError()
            return HtmlResponse(request.url, body=b"User-agent: *\nDisallow: /ndbg/\n")

    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.engine = Engine()
    middleware = RobotsTxtMiddleware(crawler)

    async def check():
        from scrapy.exceptions import IgnoreRequest

        await middleware.process_request(Request("https://x.edu.cn:8080/ndbg/list.htm"))
        with pytest.raises(IgnoreRequest):
            await middleware.process_request(Request("http://x.edu.cn:8080/ndbg/list.htm"))
        await middleware.process_request(Request("http://x.edu.cn:8080/index.htm"))

    asyncio.run(check())
    assert asked == ["https://x.edu.cn:8080/robots.txt", "http://x.edu.cn:8080/robots.txt"]
