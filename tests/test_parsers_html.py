"""HTML article pages of each CMS family through `parsers.parse`, whole results; decoding;
sniffing of formats by bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import PARSER_VERSION, BrokenDocument, UnsupportedFormat, parse
from parsers.dispatch import sniff
from parsers.html import decode, extract_html

HTML = Path(__file__).parent / "files" / "html"


def _summary(name: str, **kwargs) -> dict:
    doc = parse((HTML / name).read_bytes(), "text/html", **kwargs).to_dict()
    return {
        "meta": {
            k: doc[k]
            for k in (
                "format",
                "title",
                "school",
                "label",
                "year",
                "period_start",
                "period_end",
                "published",
                "pages",
            )
        },
        "sections": [(s["key"], s["heading"]) for s in doc["sections"]],
        "figures": [(f["name"], f["value"]) for f in doc["figures"]],
        "tables": [t["rows"] for t in doc["tables"]],
        "warnings": doc["warnings"],
        "text": doc["text"],
        "parser": (doc["parser"], doc["parser_version"]),
    }


def test_vsb_article():
    result = _summary("vsb_article.htm", url="http://xxgk.gdou.edu.cn/info/1100/8337.htm")
    assert result["meta"] == {
        "format": "html",
        "title": "广东海洋大学2020—2021学年信息公开年度报告",
        "school": "广东海洋大学",
        "label": "2020—2021学年",
        "year": 2021,
        "period_start": "2020-09-01",
        "period_end": "2021-08-31",
        "published": "2021-11-01",  # the page's 发布日期 line, not the sign-off (10-28)
        "pages": None,
    }
    assert result["sections"] == [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开情况"),
        ("on_request", "三、依申请公开和不予公开情况"),
        ("review", "四、对信息公开的评议情况"),
        ("complaints", "五、因学校信息公开工作受到举报、复议、诉讼的情况"),
        ("improvements", "六、存在的主要问题和改进措施"),
        ("other", "七、其他需要报告的事项"),
    ]
    assert result["figures"] == [
        ("requests_received", 3),
        ("requests_granted", 2),
        ("requests_not_school", 1),
        ("complaints", 0),
        ("reconsiderations", 0),
        ("lawsuits", 0),
    ]
    assert result["tables"] == [[["申请数", "予以公开", "不属于本校"], ["3", "2", "1"]]]
    assert result["warnings"] == []
    assert result["parser"] == ("xxgk-parsers", PARSER_VERSION)
    text = result["text"]
    # Inline spans kept: the date split over <span>s survives whole.
    assert "统计数据时间范围为2020年9月1日至2021年8月31日。" in text
    assert "202091日" not in text
    # Page furniture and tables stay out of the text; <br> breaks a line.
    for absent in ("首页", "点击数", "发布日期", "版权所有", "申请数", "附件【", "showVsbpdf"):
        assert absent not in text
    assert "部分单位公开意识有待加强。\n下一步将加强培训。" in text
    assert text.splitlines()[0] == "广东海洋大学2020—2021学年信息公开年度报告"


def test_webplus_article():
    result = _summary(
        "webplus_article.htm", url="https://xxgk.hfut.edu.cn/2023/1030/c1234a5678/page.htm"
    )
    assert result["meta"] == {
        "format": "html",
        "title": "合肥工业大学2022—2023学年信息公开年度报告",
        "school": "合肥工业大学",
        "label": "2022—2023学年",
        "year": 2023,
        "period_start": "2022-09-01",
        "period_end": "2023-08-31",
        "published": "2023-10-30",
        "pages": None,
    }
    assert result["sections"] == [
        ("overview", "一、总体情况"),
        ("proactive", "二、信息公开具体情况"),
        ("on_request", "（二）依申请公开情况"),
        ("review", "三、对信息公开的评议和举报情况"),
        ("improvements", "五、问题和改进措施"),
    ]
    assert result["figures"] == [
        ("requests_received", 5),
        ("requests_granted", 3),
        ("requests_partially_granted", 1),
        ("requests_not_exist", 1),
        ("complaints", 1),
        ("reconsiderations", 0),
        ("lawsuits", 0),
    ]
    assert result["tables"] == []
    assert result["warnings"] == [
        "heading '三、对信息公开的评议和举报情况' also covers: complaints",
        "section numbering jumps from 3 to 5: 五、问题和改进措施",
    ]
    assert "浏览次数" not in result["text"] and "Copyright" not in result["text"]


def test_generic_page_uses_trafilatura():
    result = _summary("generic_article.htm")
    assert result["meta"] == {
        "format": "html",
        "title": "深圳职业技术学院2024年度信息公开工作报告",  # <title> minus the site name
        "school": "深圳职业技术学院",
        "label": "2024年度",
        "year": 2024,
        "period_start": "2023-09-01",
        "period_end": "2024-08-31",
        "published": "2024-10-25",
        "pages": None,
    }
    assert result["sections"] == [
        ("overview", "一、工作概述"),
        ("proactive", "二、主动公开情况"),
        ("on_request", "三、依申请公开和不予公开情况"),
        ("complaints", "四、因学校信息公开工作受到举报、复议、诉讼的情况"),
        ("other", "五、其他需要报告的事项"),
    ]
    assert result["figures"] == [
        ("requests_received", 0),
        ("complaints", 0),
        ("reconsiderations", 0),
        ("lawsuits", 0),
    ]
    assert result["warnings"] == ["no known CMS body container; extracted with trafilatura"]
    text = result["text"]
    assert "统一规范信息发布流程" in text  # inline spans kept by trafilatura too
    for absent in ("发布时间", "相关链接", "粤ICP备", "首页"):
        assert absent not in text


def test_gbk_page_declared_utf8():
    result = _summary("gbk_declared_utf8.htm")
    assert result["meta"] == {
        "format": "html",
        "title": "长江大学2019年信息公开工作年度报告",
        "school": "长江大学",
        "label": "2019年",
        "year": 2019,
        "period_start": None,
        "period_end": None,
        "published": "2019-10-31",
        "pages": None,
    }
    assert result["sections"] == [
        ("overview", "一、概述"),
        ("on_request", "二、依申请公开情况"),
        ("complaints", "三、受到举报、复议、诉讼的情况"),
    ]
    assert result["figures"] == [
        ("requests_received", 0),
        ("complaints", 0),
        ("reconsiderations", 0),
        ("lawsuits", 0),
    ]
    assert result["warnings"] == ["declared charset utf-8 is wrong; decoded as gb18030"]
    assert "\ufffd" not in result["text"]


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("<meta charset=gbk><p>信息公开</p>".encode("gbk"), None, ("gb18030", [])),
        ("<p>信息公开</p>".encode("gb2312"), "text/html; charset=GB2312", ("gb18030", [])),
        (
            "<p>信息公开</p>".encode(),
            "text/html; charset=gbk",
            ("utf-8", ["declared charset gb18030 is wrong; decoded as utf-8"]),
        ),
        ("<p>信息公开</p>".encode(), None, ("utf-8", [])),
        (b"\xef\xbb\xbf<p>x</p>", "text/html; charset=gbk", ("utf-8", [])),
    ],
)
def test_decode(body, content_type, expected):
    text, encoding, warnings = decode(body, content_type)
    assert (encoding, warnings) == expected
    assert "\ufffd" not in text


def test_empty_article_body_warns():
    page = (
        b'<html><body><div class="wp_articlecontent"><div class="wp_pdf_player" '
        b'pdfsrc="/a.pdf"></div></div></body></html>'
    )
    extracted = extract_html(page)
    assert (extracted.text, extracted.warnings) == (
        "",
        ["article body is (nearly) empty: the report is probably attached"],
    )


def test_layout_table_is_text():
    page = (
        '<div class="v_news_content"><table><tr><td><p>一、概述</p><p>内容。</p></td></tr>'
        "</table></div>"
    ).encode()
    extracted = extract_html(page)
    assert (extracted.text, extracted.tables) == ("一、概述\n内容。", [])


@pytest.mark.parametrize(
    ("body", "kwargs", "expected"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", {}, "html"),
        (
            b"\r\n  <html><head><title>t</title></head></html>",
            {"content_type": "application/pdf"},
            "html",
        ),  # a challenge page served as PDF: the bytes win
        (b"%PDF-1.7\n...", {"url": "http://x/system/_content/download.jsp?wbfileid=1"}, "pdf"),
        ("纯文本报告".encode(), {"filename": "report.txt"}, "text"),
    ],
)
def test_sniff(body, kwargs, expected):
    assert sniff(body, kwargs.pop("content_type", None), **kwargs) == expected


@pytest.mark.parametrize(
    ("body", "kwargs", "error", "reason"),
    [
        (b"", {}, BrokenDocument, "zero bytes or only whitespace: empty download"),
        (b"  \n", {}, BrokenDocument, "zero bytes or only whitespace: empty download"),
        (b"GIF89a....", {}, UnsupportedFormat, "unrecognised bytes: starts with b'GIF89a....'"),
        (
            b"GIF89a",
            {"filename": "a.pdf"},
            BrokenDocument,
            "labelled PDF but no %PDF- header: damaged or not a PDF",
        ),
        (
            "纯文本".encode(),
            {"content_type": "text/plain"},
            UnsupportedFormat,
            "unrecognised bytes: starts with b'\\xe7\\xba\\xaf\\xe6\\x96\\x87\\xe6\\x9c\\xac'",
        ),
    ],
)
def test_sniff_errors(body, kwargs, error, reason):
    with pytest.raises(error) as caught:
        parse(body, kwargs.pop("content_type", None), **kwargs)
    assert caught.value.reason == reason


def test_mislabelled_html_warns():
    doc = parse(
        b"<html><body><div class='v_news_content'><p>x</p></div></body></html>", "application/pdf"
    )
    assert doc.format == "html"
    assert doc.warnings[0] == "labelled pdf but the bytes are html"
