"""Saved pages and fakes for the spider tests (the city-scrapers way): a saved response goes
into `parse_home` / `parse_list` / `parse_article`, and the whole list of what comes out is
compared. No server, no database: the spider gets a fake memory and a fake fetcher.

The pages under tests/files/pages/ were saved from the fixture world (fixtureworld/vsb.py,
webplus.py, custom.py) with the port placeholder removed.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler.items import (
    PortalMemory,
)
from crawler.registry import School
from crawler.spiders.portals import PortalSpider

PAGES = Path(__file__).parent / "files" / "pages"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PDF_TYPE = "application/pdf"

GDOU = School("4144010566", "广东海洋大学", "http://xxgk.gdou.edu.cn/", "vsb")
HFUT = School("4134010359", "合肥工业大学", "http://xxgk.hfut.edu.cn/", "webplus")
HBNU = School("4142010513", "湖北师范大学", "http://xxgk.hbnu.edu.cn/", "")


# VSB's list selector (`ul li a`) also takes the nav link 信息公开年报, whose text reads like a
# report: the spider asks for the column page once more as an article, and Scrapy's dupefilter
# drops that request (the column's list request came first).
COLUMN_AS_ARTICLE = (
    "http://xxgk.gdou.edu.cn/xxgknb.htm",
    "parse_article",
    "article",
    {"title": "信息公开年报", "published": None},
)


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def file_response(
    name: str, url: str, status: int = 200, headers: dict[str, str] | None = None
) -> HtmlResponse:
    """A saved page as the spider gets it: the fetch log has stored it and set its sha256."""
    body = (PAGES / name).read_bytes()
    request = scrapy.Request(url, meta={"xxgk_sha256": sha(body)})
    return HtmlResponse(
        url=url,
        body=body,
        status=status,
        headers={"Content-Type": "text/html; charset=utf-8", **(headers or {})},
        request=request,
        encoding="utf-8",
    )


def file_download(url: str, body: bytes, content_type: str, **headers: str) -> Response:
    request = scrapy.Request(url, meta={"xxgk_sha256": sha(body)})
    return Response(
        url, body=body, headers={"Content-Type": content_type, **headers}, request=request
    )


class FakeFetcher:
    """Answers the downloads a callback makes from saved responses, and remembers the asks."""

    def __init__(self, responses: dict[str, Response]):
        self.responses = responses
        self.asked: list[tuple[str, str]] = []

    async def fetch(self, request: scrapy.Request) -> Response:
        self.asked.append((request.url, request.meta["xxgk_kind"]))
        return self.responses[request.url]


def make_spider(
    cls: type[PortalSpider],
    school: School,
    memory: PortalMemory | None = None,
    max_list_pages: int = 200,
) -> PortalSpider:
    crawler = get_crawler(cls, {"XXGK_MAX_LIST_PAGES": max_list_pages})
    spider = cls.from_crawler(crawler, portal=school.portal_url)
    spider.schools = [school]
    spider.memory = lambda code: memory or PortalMemory()
    list(spider.start_requests_from(spider.memory))
    return spider


def request_row(request: scrapy.Request) -> tuple[str, str, str, dict[str, Any]]:
    kwargs = {k: v for k, v in request.cb_kwargs.items() if k != "school"}
    return request.url, request.callback.__name__, request.meta["xxgk_kind"], kwargs


def rows(output) -> list:
    return [request_row(o) if isinstance(o, scrapy.Request) else o for o in output]


def collect(agen) -> list:
    async def run() -> list:
        return [item async for item in agen]

    return asyncio.run(run())
