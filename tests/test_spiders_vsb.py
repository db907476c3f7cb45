"""VSB portal spider and the spider start, on saved pages (see tests/spider_pages.py)."""

from __future__ import annotations

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.items import (
    KnownReport,
    PortalMemory,
    PortalObservation,
    RemovalNotice,
    ReportCandidate,
    SkippedLink,
    SourceFile,
)
from crawler.spiders.portals import SPIDERS, VsbSpider
from tests.spider_pages import (
    COLUMN_AS_ARTICLE,
    GDOU,
    PDF,
    PDF_TYPE,
    FakeFetcher,
    collect,
    file_download,
    file_response,
    make_spider,
    rows,
    sha,
)


# -- spiders derived from the family spec ------------------------------------------------------
def test_one_spider_per_family_plus_generic():
    assert [(s.__name__, s.name, s.family) for s in SPIDERS] == [
        ("VsbSpider", "vsb", "vsb"),
        ("WebplusSpider", "webplus", "webplus"),
        ("PortalSpider", "generic", ""),
    ]


# -- start -------------------------------------------------------------------------------------
def test_start_asks_for_the_home_page_then_rechecks_known_reports():
    memory = PortalMemory(
        completed_before=True,
        report_urls=frozenset({"http://xxgk.gdou.edu.cn/info/1100/8294.htm"}),
        report_pages=(
            KnownReport("http://xxgk.gdou.edu.cn/info/1100/8294.htm", "2026年度报告", "2026-11-03"),
        ),
    )
    crawler = get_crawler(VsbSpider, {"XXGK_MAX_LIST_PAGES": 200})
    spider = VsbSpider.from_crawler(crawler)
    spider.schools = [GDOU]
    asked: list[str] = []

    def recall(code: str) -> PortalMemory:
        asked.append(code)
        return memory

    assert rows(spider.start_requests_from(recall)) == [
        ("http://xxgk.gdou.edu.cn/", "parse_home", "home", {"depth": 0}),
        (
            "http://xxgk.gdou.edu.cn/info/1100/8294.htm",
            "parse_article",
            "article",
            {"title": "2026年度报告", "published": "2026-11-03"},
        ),
    ]
    assert asked == [GDOU.code]
    assert spider.stop_at_known == {GDOU.code}
    assert spider.observations() == [PortalObservation(GDOU.code)]


# -- VSB -----------------------------------------------------------------------------------------
def test_vsb_home_leads_to_the_column_and_the_reports_it_lists():
    spider = make_spider(VsbSpider, GDOU)
    home = file_response("vsb_home.htm", "http://xxgk.gdou.edu.cn/")
    assert rows(spider.parse_home(home, GDOU, depth=0)) == [
        (
            "http://xxgk.gdou.edu.cn/xxgknb.htm",
            "parse_list",
            "list",
            {"column": "http://xxgk.gdou.edu.cn/xxgknb.htm"},
        ),
        COLUMN_AS_ARTICLE,
        (
            "http://xxgk.gdou.edu.cn/info/1100/8294.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2026年度信息公开年度报告", "published": "2026-11-03"},
        ),
        (
            "http://xxgk.gdou.edu.cn/info/1100/8282.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2025年度信息公开年度报告", "published": "2025-10-30"},
        ),
    ]
    seen = spider.observations()[0]
    assert (seen.home_status, seen.column_found, seen.list_pages, seen.report_links) == (
        200,
        True,
        0,
        3,  # the nav link counted too
    )


def test_vsb_list_yields_its_reports_and_every_next_page():
    spider = make_spider(VsbSpider, GDOU)
    column = "http://xxgk.gdou.edu.cn/xxgknb.htm"
    page = file_response("vsb_column.htm", column)
    assert rows(spider.parse_list(page, GDOU, column=column)) == [
        COLUMN_AS_ARTICLE,
        (
            "http://xxgk.gdou.edu.cn/info/1100/8294.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2026年度信息公开年度报告", "published": "2026-11-03"},
        ),
        (
            "http://xxgk.gdou.edu.cn/info/1100/8282.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2025年度信息公开年度报告", "published": "2025-10-30"},
        ),
        *(
            (f"http://xxgk.gdou.edu.cn/xxgknb/{n}.htm", "parse_list", "list", {"column": column})
            for n in (3, 2, 1)
        ),
    ]
    assert spider.list_pages == {GDOU.code: 3}


def test_a_known_report_stops_the_list_walk_after_a_completed_crawl():
    known = frozenset({"http://xxgk.gdou.edu.cn/info/1100/8282.htm"})
    spider = make_spider(VsbSpider, GDOU, PortalMemory(completed_before=True, report_urls=known))
    column = "http://xxgk.gdou.edu.cn/xxgknb.htm"
    urls = [
        r[0] for r in rows(spider.parse_list(file_response("vsb_column.htm", column), GDOU, column))
    ]
    assert urls == [
        "http://xxgk.gdou.edu.cn/xxgknb.htm",
        "http://xxgk.gdou.edu.cn/info/1100/8294.htm",
        "http://xxgk.gdou.edu.cn/info/1100/8282.htm",
    ]


def test_list_page_cap_is_recorded_once_and_stops_the_walk():
    spider = make_spider(VsbSpider, GDOU, max_list_pages=1)
    column = "http://xxgk.gdou.edu.cn/xxgknb.htm"
    out = rows(spider.parse_list(file_response("vsb_column.htm", column), GDOU, column=column))
    cap = SkippedLink(
        url="http://xxgk.gdou.edu.cn/xxgknb/2.htm",
        school=GDOU.code,
        kind="list",
        reason="ListPageCap: 1 list pages walked (XXGK_MAX_LIST_PAGES), not fetched",
    )
    assert out[3:] == [
        ("http://xxgk.gdou.edu.cn/xxgknb/3.htm", "parse_list", "list", {"column": column}),
        cap,
    ]
    # The next list page meets the cap again: counted, not recorded twice.
    again = file_response("vsb_column_3.htm", "http://xxgk.gdou.edu.cn/xxgknb/3.htm")
    assert [
        o
        for o in spider.parse_list(again, GDOU, column=column)
        if not isinstance(o, scrapy.Request)
    ] == [
        SkippedLink(
            url="http://xxgk.gdou.edu.cn.jxmirror.cn/info/1100/8836.htm",
            school=GDOU.code,
            kind="article",
            reason="OffsiteSkipped: xxgk.gdou.edu.cn.jxmirror.cn is not on 广东海洋大学's "
            "registered domains",
        )
    ]
    assert spider.crawler.stats.get_value("xxgk/list_page_cap_reached") == 2


def test_vsb_list_skips_a_mirror_copy_off_the_schools_domain_once():
    spider = make_spider(VsbSpider, GDOU)
    column = "http://xxgk.gdou.edu.cn/xxgknb.htm"
    page = file_response("vsb_column_3.htm", "http://xxgk.gdou.edu.cn/xxgknb/3.htm")
    skipped = SkippedLink(
        url="http://xxgk.gdou.edu.cn.jxmirror.cn/info/1100/8836.htm",
        school=GDOU.code,
        kind="article",
        reason="OffsiteSkipped: xxgk.gdou.edu.cn.jxmirror.cn is not on 广东海洋大学's "
        "registered domains",
    )
    assert rows(spider.parse_list(page, GDOU, column=column)) == [
        COLUMN_AS_ARTICLE,
        (
            "http://xxgk.gdou.edu.cn/info/1100/8267.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2024年度信息公开年度报告", "published": "2024-10-29"},
        ),
        skipped,
        (
            "http://xxgk.gdou.edu.cn/info/1100/8255.htm",
            "parse_article",
            "article",
            {"title": "广东海洋大学2023年度信息公开年度报告", "published": "2023-10-30"},
        ),
        *(
            (f"http://xxgk.gdou.edu.cn/xxgknb/{n}.htm", "parse_list", "list", {"column": column})
            for n in (2, 1)
        ),
    ]
    assert [
        o for o in spider.parse_list(page, GDOU, column=column) if isinstance(o, SkippedLink)
    ] == []


def test_vsb_article_walks_its_pages_and_takes_the_attached_report():
    spider = make_spider(VsbSpider, GDOU)
    url = "http://xxgk.gdou.edu.cn/info/1100/8240.htm"
    download = (
        "http://xxgk.gdou.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
        "&owner=1404874179&wbfileid=4E0367A1F76B1DD8BB35447B122A30F2"
    )
    spider.fetcher = FakeFetcher(
        {
            "http://xxgk.gdou.edu.cn/info/1100/8240_1.htm": file_response(
                "vsb_report_1.htm", "http://xxgk.gdou.edu.cn/info/1100/8240_1.htm"
            ),
            "http://xxgk.gdou.edu.cn/info/1100/8240_2.htm": file_response(
                "vsb_report_2.htm", "http://xxgk.gdou.edu.cn/info/1100/8240_2.htm"
            ),
            download: file_download(download, PDF, "application/octet-stream"),
        }
    )
    article = file_response("vsb_report.htm", url)
    title = "广东海洋大学2022年度信息公开年度报告"
    assert collect(spider.parse_article(article, GDOU, title=title, published=None)) == [
        ReportCandidate(
            school_code=GDOU.code,
            school_name=GDOU.name,
            title=title,
            page_url=url,
            source=SourceFile(
                download, sha(PDF), "attachment", url, "2022年度信息公开报告.pdf", PDF_TYPE
            ),
            files=[SourceFile(url, sha(article.body), "article", url, None, "text/html")],
            year=2022,
            label="2022年度",
            published="2022-10-31",  # the page's 发布日期, the list gave none
        )
    ]
    assert spider.fetcher.asked == [
        ("http://xxgk.gdou.edu.cn/info/1100/8240_1.htm", "article"),
        ("http://xxgk.gdou.edu.cn/info/1100/8240_2.htm", "article"),
        (download, "attachment"),
    ]


def test_a_known_report_gone_404_yields_a_removal_notice():
    url = "http://xxgk.gdou.edu.cn/info/1100/8294.htm"
    spider = make_spider(VsbSpider, GDOU, PortalMemory(report_urls=frozenset({url})))
    request = spider._request(GDOU, url, spider.parse_article, "article", title="t", published=None)
    failure = Failure(HttpError(Response(url, status=404, request=request)))
    failure.request = request
    assert list(spider.on_error(failure)) == [RemovalNotice(url, f"HTTP 404 at {url}")]
    gone = "http://xxgk.gdou.edu.cn/info/1100/1.htm"  # never archived: nothing to remove
    request = spider._request(
        GDOU, gone, spider.parse_article, "article", title="t", published=None
    )
    failure = Failure(HttpError(Response(gone, status=404, request=request)))
    failure.request = request
    assert list(spider.on_error(failure)) == []
    assert spider.observations()[0].fetch_errors == 2


def test_a_failed_home_page_is_observed_with_the_fetch_logs_reason():
    spider = make_spider(VsbSpider, GDOU)
    request = spider._request(GDOU, GDOU.portal_url, spider.parse_home, "home", depth=0)
    request.meta["xxgk_fetch_error"] = "NotResolved: xxgk.gdou.edu.cn:80 has no --resolve entry"
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = request
    assert list(spider.on_error(failure)) == []
    seen = spider.observations()[0]
    assert (seen.home_status, seen.home_error, seen.fetch_errors) == (
        None,
        "NotResolved: xxgk.gdou.edu.cn:80 has no --resolve entry",
        1,
    )
