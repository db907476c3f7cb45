"""WebPlus and generic portal spiders on saved pages (see tests/spider_pages.py)."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.items import (
    PortalFound,
    ReportCandidate,
    SkippedLink,
    SourceFile,
)
from crawler.schools import MinistrySchool
from crawler.spiders.discover import DiscoverSpider
from crawler.spiders.portals import PortalSpider, WebplusSpider
from tests.spider_pages import (
    HBNU,
    HFUT,
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


# -- WebPlus -------------------------------------------------------------------------------------
def test_webplus_home_and_list():
    spider = make_spider(WebplusSpider, HFUT)
    home = rows(
        spider.parse_home(
            file_response("webplus_home.htm", "http://xxgk.hfut.edu.cn/"), HFUT, depth=0
        )
    )
    column = "http://xxgk.hfut.edu.cn/2657/list.htm"
    # The search link reads 信息公开年度报告 too; robots.txt keeps the crawl out of it.
    search = (
        "http://xxgk.hfut.edu.cn/_web/_search/api/search/new.rst?locale=zh_CN&keyword="
        "%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A"
    )
    # The home page's own report links first, then the column links the explorer follows.
    assert home == [
        (
            f"http://xxgk.hfut.edu.cn/{path}/page.htm",
            "parse_article",
            "article",
            {"title": f"合肥工业大学{year}年度信息公开工作报告", "published": None},
        )
        for path, year in (
            ("2026/1028/c2657a231629", 2026),
            ("2025/1029/c2657a231555", 2025),
            ("2024/1030/c2657a231481", 2024),
        )
    ] + [
        (column, "parse_home", "list", {"depth": 1, "column": True}),
        (search, "parse_home", "list", {"depth": 1, "column": True}),
    ]
    page = file_response("webplus_column.htm", column)
    assert rows(spider.parse_list(page, HFUT, column=column)) == [
        (
            f"http://xxgk.hfut.edu.cn/{path}/page.htm",
            "parse_article",
            "article",
            {"title": f"合肥工业大学{year}年度信息公开工作报告", "published": published},
        )
        for path, year, published in (
            ("2026/1028/c2657a231629", 2026, "2026-10-28"),
            ("2025/1029/c2657a231555", 2025, "2025-10-29"),
            ("2024/1030/c2657a231481", 2024, "2024-10-30"),
        )
    ] + [("http://xxgk.hfut.edu.cn/2657/list2.htm", "parse_list", "list", {"column": column})]


def test_webplus_article_takes_the_pdf_player_document():
    spider = make_spider(WebplusSpider, HFUT)
    url = "http://xxgk.hfut.edu.cn/2024/1030/c2657a231481/page.htm"
    pdf = "http://xxgk.hfut.edu.cn/_upload/article/files/3a/29/a512f51283bba5644773da45926cbbbd.pdf"
    spider.fetcher = FakeFetcher({pdf: file_download(pdf, PDF, PDF_TYPE)})
    article = file_response("webplus_report.htm", url)
    title = "合肥工业大学2024年度信息公开工作报告"
    assert collect(spider.parse_article(article, HFUT, title=title, published=None)) == [
        ReportCandidate(
            school_code=HFUT.code,
            school_name=HFUT.name,
            title=title,
            page_url=url,
            source=SourceFile(pdf, sha(PDF), "embedded", url, f"{title}.pdf", PDF_TYPE),
            files=[SourceFile(url, sha(article.body), "article", url, None, "text/html")],
            year=2024,
            label="2024年度",
            published="2024-10-30",  # .arti_update
        )
    ]
    assert spider.fetcher.asked == [(pdf, "attachment")]


# -- generic (no family) -------------------------------------------------------------------------
def test_generic_home_list_and_article():
    spider = make_spider(PortalSpider, HBNU)
    column = "http://xxgk.hbnu.edu.cn/list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1234"
    home = file_response("generic_home.htm", "http://xxgk.hbnu.edu.cn/")
    assert rows(spider.parse_home(home, HBNU, depth=0)) == [
        (column, "parse_home", "list", {"depth": 1, "column": True})
    ]
    report = "http://xxgk.hbnu.edu.cn/xxgk/2024_10/31_09/content-52000.html"
    title = "湖北师范大学2024年度信息公开年度报告"
    assert rows(spider.parse_list(file_response("generic_column.htm", column), HBNU, column)) == [
        (report, "parse_article", "article", {"title": title, "published": "2024-10-31"}),
        (
            "http://xxgk.hbnu.edu.cn/list.jsp?totalpage=3&PAGENUM=2&urltype=tree.TreeTempUrl"
            "&wbtreeid=1234",
            "parse_list",
            "list",
            {"column": column},
        ),
    ]
    pdf = "http://xxgk.hbnu.edu.cn/uploadfile/2024/1031/bceabe64b7b9a39f.pdf"
    spider.fetcher = FakeFetcher({pdf: file_download(pdf, PDF, PDF_TYPE)})
    article = file_response("generic_report.htm", report)
    assert collect(spider.parse_article(article, HBNU, title=title, published="2024-10-31")) == [
        ReportCandidate(
            school_code=HBNU.code,
            school_name=HBNU.name,
            title=title,
            page_url=report,
            source=SourceFile(pdf, sha(PDF), "attachment", report, f"{title}.pdf", PDF_TYPE),
            files=[SourceFile(report, sha(article.body), "article", report, None, "text/html")],
            year=2024,
            label="2024年度",
            published="2024-10-31",
        )
    ]


def test_an_article_served_off_the_domain_is_skipped_not_archived():
    spider = make_spider(PortalSpider, HBNU)
    url = "http://xxgk.hbnu.edu.cn.mirror.cn/xxgk/2024_10/31_09/content-52000.html"
    article = file_response("generic_report.htm", url)
    assert collect(spider.parse_article(article, HBNU, title="t", published=None)) == [
        SkippedLink(
            url=url,
            school=HBNU.code,
            kind="article",
            reason="OffsiteSkipped: xxgk.hbnu.edu.cn.mirror.cn is not on 湖北师范大学's "
            "registered domains",
        )
    ]


def test_a_home_that_fell_back_to_http_and_moved_says_both():
    """The http address a scheme fallback tried is the address the portal moved from: both
    notes land (each reason once), so health shows the move (a generated-world seed found it)."""
    from scrapy import Request

    spider = make_spider(PortalSpider, HBNU)
    home = "https://xxgk.hbnu.edu.cn/"
    failure = type("F", (), {})()
    failure.request = Request(home, meta={"xxgk_kind": "home", "xxgk_school": HBNU.code})
    failure.request.cb_kwargs["school"] = HBNU
    failure.value = OSError("[('SSL routines', '', 'wrong version number')]")
    failure.type = OSError
    out = list(spider.on_error(failure))
    fallback = [o for o in out if isinstance(o, SkippedLink)]
    retry = [o for o in out if not isinstance(o, SkippedLink)]
    moved = file_response("generic_home.htm", "http://xxgkw.hbnu.edu.cn/")
    moved.meta.update({"redirect_urls": ["http://xxgk.hbnu.edu.cn/"], "xxgk_kind": "home"})
    notes = [o for o in spider.parse_home(moved, HBNU, depth=0) if isinstance(o, SkippedLink)]
    notes += list(spider._note("http://xxgk.hbnu.edu.cn/", HBNU, "home", "PortalMoved: again"))
    assert [r.url for r in retry] == ["http://xxgk.hbnu.edu.cn/"]
    assert [(n.url, n.reason.split(":")[0]) for n in fallback + notes] == [
        ("http://xxgk.hbnu.edu.cn/", "SchemeFallback"),
        ("http://xxgk.hbnu.edu.cn/", "PortalMoved"),
    ]


# -- discover (xxgk schools import) --------------------------------------------------------------
def test_discover_yields_the_portal_it_recognises_else_tries_the_next_candidate(tmp_path):
    listed = tmp_path / "schools.csv"
    listed.write_text("code,name,authority,province,city,level,website\n", encoding="utf-8")
    spider = DiscoverSpider.from_crawler(get_crawler(DiscoverSpider), schools_csv=str(listed))
    school = MinistrySchool(
        HBNU.code, HBNU.name, "湖北省", "湖北省", "黄石市", "本科", "http://www.hbnu.edu.cn/"
    )
    portal = file_response("generic_home.htm", "http://xxgk.hbnu.edu.cn/")
    assert list(spider.parse_candidate(portal, school, index=0)) == [
        PortalFound(HBNU.code, "http://xxgk.hbnu.edu.cn/")
    ]
    # A page of another school (or no portal at all) sends the spider to the next candidate.
    elsewhere = file_response("vsb_home.htm", "http://xxgk.gdou.edu.cn/")
    assert rows(spider.parse_candidate(elsewhere, school, index=0)) == [
        (school.portal_candidates()[1], "parse_candidate", "discover", {"index": 1})
    ]
