"""One function per fact: dates, file names, formats, Chinese numerals, folding."""

from __future__ import annotations

import pytest

from parsers.dates import date_in, labelled_date, meta_date, published_date, url_date
from parsers.filenames import clean_name, disposition_name, file_name, link_name, url_name
from parsers.folding import despace, fold, fold_spaced, half_width, squeeze
from parsers.formats import (
    FORMAT_MIME,
    format_of_mime,
    format_of_name,
    mime_of,
    mime_of_name,
)
from parsers.numerals import cn_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("两千", 2000),
        ("两千零二十三", 2023),
        ("一万二千", 12000),
        ("三亿", 300_000_000),
        ("二〇二三", 2023),
        ("二○二四", 2024),
        ("二零二二", 2022),
        ("〇", 0),
        ("零", 0),
        ("两", 2),
        ("贰拾", 20),
        ("42", 42),
        ("４２", 42),
        ("", None),
        ("十二月", None),
        ("百分之", None),
        ("三五十", None),
        ("abc", None),
    ],
)
def test_cn_number(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2023-10-30", "2023-10-30"),
        ("2023/1/5", "2023-01-05"),
        ("2023.10.30 09:15", "2023-10-30"),
        ("2023年10月30日", "2023-10-30"),
        ("2023 年 10 月 30 日", "2023-10-30"),
        ("２０２３年１０月３０日", "2023-10-30"),
        ("二〇二三年十月三十日", "2023-10-30"),
        ("二○二四年一月五日", "2024-01-05"),
        ("2023-02-30 then 2023-03-01", "2023-03-01"),  # no 30 February: the next real date
        ("12023-10-30", None),
        ("2023年10月", None),
        ("", None),
        (None, None),
    ],
)
def test_date_in(text, value):
    assert date_in(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("发布日期：2023-10-30 来源：办公室", "2023-10-30"),
        ("发布时间: 2024年10月25日 09:00", "2024-10-25"),
        ("发表时间：2022/11/1", "2022-11-01"),
        ("更新时间：2021-11-01", "2021-11-01"),
        ("作者：张三 日期：2020-10-30", "2020-10-30"),
        ("[时间：2019-10-31]", "2019-10-31"),
        ("统计日期：2023-08-31", None),  # the report's own date, not the page's
        ("截止时间：2023-08-31", None),
        ("统计时间：2023-08-31 发布日期：2023-10-30", "2023-10-30"),
        ("2023-10-30", None),  # a date without a label says nothing
        ("发布日期：近日", None),
        (None, None),
    ],
)
def test_labelled_date(text, value):
    assert labelled_date(text) == value


def test_meta_date():
    assert meta_date([("keywords", "2020-01-01"), ("PubDate", "2023-10-30 10:00")]) == (
        "2023-10-30"
    )
    assert meta_date([("article:published_time", "2024-10-25T08:00:00+08:00")]) == "2024-10-25"
    assert meta_date([("pubdate", "soon"), ("description", "2023-10-30")]) is None


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://xxgk.x.edu.cn/2023/1030/c1234a5678/page.htm", "2023-10-30"),
        ("https://xxgk.x.edu.cn/2023/1330/c1234a5678/page.htm", None),
        ("https://xxgk.x.edu.cn/info/1012/2345.htm", None),
        (None, None),
    ],
)
def test_url_date(url, value):
    assert url_date(url) == value


@pytest.mark.parametrize(
    ("kwargs", "value"),
    [
        (
            {
                "selected": ["2024-10-30"],
                "meta": [("PubDate", "2024-10-01")],
                "text": "发布日期：2024-09-01",
            },
            "2024-10-30",
        ),
        ({"selected": ["无"], "meta": [("PubDate", "2024-10-01")]}, "2024-10-01"),
        ({"meta": [("x", "2024-10-01")], "text": "发布日期：2024-09-01"}, "2024-09-01"),
        (
            {"text": "无日期", "url": "https://x.edu.cn/2023/1030/c1a2/page.htm"},
            "2023-10-30",
        ),
        ({"text": "统计日期：2023-08-31"}, None),
        ({}, None),
    ],
)
def test_published_date_order_of_evidence(kwargs, value):
    assert published_date(**kwargs) == value


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (b"attachment; filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf", "年度报告.pdf"),
        (
            b"attachment; filename=\"fallback.pdf\"; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf",
            "报告.pdf",
        ),
        (b"attachment; filename*=GBK''%C4%EA%B6%C8.pdf", "年度.pdf"),
        ('attachment; filename="年度报告.pdf"'.encode("gbk"), "年度报告.pdf"),
        ('attachment; filename="年度报告.pdf"'.encode("gb18030"), "年度报告.pdf"),
        ('attachment; filename="年度报告.pdf"'.encode(), "年度报告.pdf"),
        (b'attachment; filename="%E6%8A%A5%E5%91%8A.docx"', "报告.docx"),
        (b"attachment; filename=plain.doc", "plain.doc"),
        ('attachment; filename="报告.pdf"', "报告.pdf"),  # a header already decoded
        (b"attachment; filename*=bogus''%FF.pdf; filename=ok.pdf", "ok.pdf"),
        (b"inline", None),
        (b"", None),
        (None, None),
    ],
)
def test_disposition_name(header, name):
    assert disposition_name(header) == name


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://x.cn/a/%E6%8A%A5%E5%91%8A.pdf", "报告.pdf"),
        ("http://x.cn/view?file=/up/a/b.pdf", "b.pdf"),
        ("http://x.cn/dl?fileName=%E6%8A%A5%E5%91%8A.docx", "报告.docx"),
        ("http://x.cn/download.jsp?wbfileid=1", None),
        ("http://x.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl", None),
        ("http://x.cn/down.php?id=3", None),
        ("http://x.cn/getfile.do?name=list.jsp", None),
        ("http://x.cn/info/1012/2345.htm", None),
        ("http://x.cn/files/report", None),
        ("http://x.cn/", None),
        (None, None),
    ],
)
def test_url_name(url, name):
    assert url_name(url) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("2023年度报告.pdf", "2023年度报告.pdf"),
        (" 附件：报告.DOCX ", "附件：报告.DOCX"),
        ("点击下载", None),
        ("", None),
        (None, None),
    ],
)
def test_link_name(text, name):
    assert link_name(text) == name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        (".hidden.pdf", "hidden.pdf"),
        ("报告\x00\r\n.pdf", "报告.pdf"),
        ("x" * 300 + ".pdf", "x" * 200),
        ("", None),
        ("..", None),
        (None, None),
    ],
)
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (
            {
                "link_text": "链接.pdf",
                "disposition": b"attachment; filename=header.pdf",
                "url": "http://x.cn/a.pdf",
            },
            "链接.pdf",
        ),
        (
            {
                "link_text": "点击下载",
                "disposition": b"attachment; filename=header.pdf",
                "url": "http://x.cn/a.pdf",
            },
            "header.pdf",
        ),
        ({"disposition": b"inline", "url": "http://x.cn/docs/a%20b.pdf"}, "a b.pdf"),
        ({"url": "http://x.cn/download.jsp?wbfileid=1"}, None),
        ({"disposition": b'attachment; filename="../x/.evil.pdf"'}, "evil.pdf"),
        ({}, None),
    ],
)
def test_file_name(kwargs, name):
    assert file_name(**kwargs) == name


@pytest.mark.parametrize(
    ("content_type", "fmt"),
    [
        ("application/pdf", "pdf"),
        ("Application/PDF; name=x.pdf", "pdf"),
        ("text/html; charset=gbk", "html"),
        ("application/xhtml+xml", "html"),
        ("application/msword", "doc"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/kswps", "wps"),
        ("application/vnd.ms-works", "wps"),
        ("text/plain", None),  # servers' error messages: only a .txt name claims text
        ("application/zip", None),
        ("application/octet-stream", None),
        (None, None),
    ],
)
def test_format_of_mime(content_type, fmt):
    assert format_of_mime(content_type) == fmt


@pytest.mark.parametrize(
    ("name", "fmt", "mime"),
    [
        ("报告.PDF", "pdf", "application/pdf"),
        ("a.docx", "docx", FORMAT_MIME["docx"]),
        ("a.doc", "doc", "application/msword"),
        ("a.wps", "wps", "application/vnd.ms-works"),
        ("/info/1.htm", "html", "text/html"),
        ("a.shtml", "html", "text/html"),
        ("a.txt", "text", "text/plain"),
        ("download.jsp", None, None),
        ("a.xlsx", None, None),
        (None, None, None),
    ],
)
def test_format_of_name(name, fmt, mime):
    assert (format_of_name(name), mime_of_name(name)) == (fmt, mime)


def test_every_format_has_one_mime_that_reads_back():
    assert {f: format_of_mime(mime_of(f)) for f in FORMAT_MIME} == {
        "pdf": "pdf",
        "docx": "docx",
        "doc": "doc",
        "wps": "wps",
        "html": "html",
        "text": None,
    }
    assert mime_of("other") is None


@pytest.mark.parametrize(
    ("text", "folded", "spaced", "squeezed", "despaced"),
    [
        (
            "２０２３ 年度  报告（全文）",
            "2023年度报告(全文)",
            "2023 年度 报告(全文)",
            "２０２３ 年度 报告（全文）",
            "２０２３年度报告（全文）",
        ),
        ("\u3000\u3000信息\u00a0公开\n", "信息公开", "信息 公开", "信息 公开", "信息公开"),
        ("ＡＢＣ", "ABC", "ABC", "ＡＢＣ", "ＡＢＣ"),
        ("", "", "", "", ""),
        (None, "", "", "", ""),
    ],
)
def test_folding(text, folded, spaced, squeezed, despaced):
    assert (fold(text), fold_spaced(text), squeeze(text), despace(text)) == (
        folded,
        spaced,
        squeezed,
        despaced,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("２０２３（一）", "2023(一)"),
        ("ＡＢＣ：１", "ABC:1"),
        ("信息　公开", "信息 公开"),
        (None, ""),
    ],
)
def test_half_width(text, value):
    assert half_width(text) == value
