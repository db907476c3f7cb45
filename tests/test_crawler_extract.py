"""The page readers on saved pages in the markup of each CMS family (portals.md)."""

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler import extract
from crawler.article import continuation_pages
from crawler.listing import ListItem, read_listing
from crawler.paging import next_pages
from parsers.families import VSB, WEBPLUS, detect

FILES = Path(__file__).parent / "files" / "pages"


def page(name: str, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=(FILES / name).read_bytes(), encoding="utf-8")


def test_vsb_list_items_take_the_full_title_and_date():
    response = page("vsb_list.htm", "http://xxgk.gdou.edu.cn/xxgknb.htm")
    assert detect(response.text) is VSB
    assert read_listing(response.url, response.text).dated == (
        ListItem(
            "http://xxgk.gdou.edu.cn/info/1100/8337.htm",
            "广东海洋大学2023—2024学年信息公开年度报告",
            "2024-10-30",
            True,
        ),
        ListItem(
            "http://xxgk.gdou.edu.cn/info/1100/8201.htm",
            "广东海洋大学2023年本科教学质量报告",
            "2024-09-12",
            True,
        ),
        ListItem(
            "http://xxgk.gdou.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
            "&owner=1404874179&wbfileid=9607F8947E5547D2CA3A541D32E985A6",
            "2022-2023学年信息公开年度报告",
            "2023-10-28",
            True,
        ),
    )


def test_vsb_list_pagination_and_column_link():
    response = page("vsb_list.htm", "http://xxgk.gdou.edu.cn/xxgknb.htm")
    assert next_pages(response.url, response.text, VSB.next_page) == [
        "http://xxgk.gdou.edu.cn/xxgknb/10.htm",
    ]
    assert extract.column_links(response) == [
        extract.Link("http://xxgk.gdou.edu.cn/xxgknb.htm", "信息公开年报")
    ]
    assert extract.hub_links(response) == [
        extract.Link("http://xxgk.gdou.edu.cn/jbxx.htm", "基本信息")
    ]


def test_vsb_article_attachments_pages_and_date():
    response = page("vsb_article.htm", "http://xxgk.gdou.edu.cn/info/1100/8337.htm")
    assert extract.attachments(response) == [
        extract.AttachmentLink(
            "http://xxgk.gdou.edu.cn/__local/2/30/25/report.pdf", None, "embedded"
        ),
        extract.AttachmentLink(
            "http://xxgk.gdou.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
            "&owner=1404874179&wbfileid=9607F8947E5547D2CA3A541D32E985A6",
            "2023-2024学年信息公开年度报告.pdf",
            "attachment",
        ),
        extract.AttachmentLink(
            "http://xxgk.gdou.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
            "&owner=1404874179&wbfileid=AB00",
            "清单事项公开情况表.xls",
            "attachment",
        ),
    ]
    assert continuation_pages(response.url, response.text) == [
        "http://xxgk.gdou.edu.cn/info/1100/8337_1.htm",
        "http://xxgk.gdou.edu.cn/info/1100/8337_2.htm",
    ]
    assert extract.published_date(response, VSB) == "2024-10-30"


def test_webplus_embedded_players_are_found():
    response = page("webplus_article.htm", "http://xxgk.hfut.edu.cn/2023/1030/c1234a5678/page.htm")
    assert detect(response.text) is WEBPLUS
    assert extract.attachments(response) == [
        extract.AttachmentLink(
            "http://xxgk.hfut.edu.cn/_upload/article/files/5f/16/x.pdf",
            "2023年度报告.pdf",
            "embedded",
        ),
        extract.AttachmentLink(
            "http://xxgk.hfut.edu.cn/_upload/article/files/f1/bc/a.pdf", None, "embedded"
        ),
    ]
    assert extract.published_date(response, WEBPLUS) == "2023-10-30"


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("http://x.edu.cn/docs/20231030123456.pdf", "", True),
        ("http://x.edu.cn/system/_content/download.jsp?wbfileid=1", "报告.pdf", True),
        ("http://x.edu.cn/info/1010/1.htm", "2023年报告", False),
        ("http://x.edu.cn/download?id=3", "2023年度信息公开报告.docx", True),
    ],
)
def test_document_links(url, text, expected):
    assert extract.is_document_url(url, text) is expected


def test_file_name_from_url():
    assert extract.file_name_from_url("http://x.cn/a/%E6%8A%A5%E5%91%8A.pdf") == "报告.pdf"
    assert extract.file_name_from_url("http://x.cn/view?file=/up/a/b.pdf") == "b.pdf"
    assert extract.file_name_from_url("http://x.cn/download.jsp?id=1") is None


def test_documents_opened_by_an_onclick_script_are_attachments():
    html = """<html><body><div class="v_news_content"><p>正文</p>
    <a href="javascript:;" onclick="openFile('/upload/2024年报.pdf')">2024年报.pdf</a>
    <span onclick="window.open(&quot;/files/b.docx&quot;)">附件二</span>
    <a href="#" onclick="alert('hi.there')">x</a></div></body></html>"""
    response = HtmlResponse("http://xxgk.a.edu.cn/info/1.htm", body=html.encode(), encoding="utf-8")
    assert extract.attachments(response) == [
        extract.AttachmentLink(
            "http://xxgk.a.edu.cn/upload/2024年报.pdf", "2024年报.pdf", "attachment"
        ),
        extract.AttachmentLink("http://xxgk.a.edu.cn/files/b.docx", None, "attachment"),
    ]
