"""Finds each school's disclosure portal: xxgk.<domain> and variants, else a 信息公开 link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler import extract
from crawler.documents import is_html_page
from crawler.items import PortalFound
from crawler.registry import School
from crawler.schools import MinistrySchool, read_ministry_list

PORTAL_MARKERS = ("信息公开", "校务公开")


def looks_like_portal(response: TextResponse) -> bool:
    title = " ".join(response.css("title::text").getall())
    return any(marker in title for marker in PORTAL_MARKERS) or bool(extract.column_links(response))


class DiscoverSpider(scrapy.Spider):
    """`xxgk schools import`: one registry row per school whose portal could be found."""

    name = "discover"

    def __init__(self, schools_csv: str, limit: str | int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        listed = [s for s in read_ministry_list(schools_csv) if s.website]
        self.listed = listed[: int(limit)] if limit else listed
        self.schools: list[School] = []  # the import command writes the ministry rows itself
        self.crawl_args = {"schools_csv": schools_csv, "limit": limit}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for school in self.listed:
            yield self._try(school, 0)

    def _try(self, school: MinistrySchool, index: int) -> scrapy.Request:
        candidates = school.portal_candidates()
        if index < len(candidates):
            url, callback = candidates[index], self.parse_candidate
        else:
            url, callback = school.website, self.parse_website
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_failure,
            dont_filter=True,
            meta={"xxgk_school": school.code, "xxgk_kind": "discover"},
            cb_kwargs={"school": school, "index": index},
        )

    def parse_candidate(self, response: Response, school: MinistrySchool, index: int):
        tied = School(school.code, school.name, school.website).owns(response.url)
        if is_html_page(response) and tied and looks_like_portal(response):
            yield PortalFound(school.code, response.url)
            return
        yield self._try(school, index + 1)

    def on_failure(self, failure):
        request = failure.request
        school, index = request.cb_kwargs["school"], request.cb_kwargs["index"]
        if request.callback == self.parse_candidate:
            return self._try(school, index + 1)
        return None

    def parse_website(self, response: Response, school: MinistrySchool, index: int):
        if not is_html_page(response):
            return
        owner = School(school.code, school.name, school.website)
        for link in extract.hub_links(response) + extract.column_links(response):
            if owner.owns(link.url) and link.text in ("信息公开", "信息公开网", "校务公开"):
                yield PortalFound(school.code, link.url)
                return
