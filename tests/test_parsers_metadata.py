"""Metadata from titles and report text: label/year, report-or-not, school, period, dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.metadata import (
    classify_title,
    extract_metadata,
    is_annual_disclosure_report,
    label_and_year,
    school_name,
    signed_date,
    statistics_period,
)

FILES = Path(__file__).parent / "files"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022—2023学年", ("2022—2023学年", 2023)),
        ("2022-2023学年", ("2022-2023学年", 2023)),
        ("北京理工大学 2022-2023 学年", ("2022-2023学年", 2023)),
        ("2022至2023学年", ("2022至2023学年", 2023)),
        ("2022-23学年信息公开年度报告", ("2022-23学年", 2023)),
        ("长沙理工大学2023-2024学年度信息公开工作年度报告", ("2023-2024学年度", 2024)),
        ("2024年度", ("2024年度", 2024)),
        ("2023年", ("2023年", 2023)),
        ("广东海洋大学2021年度信息公开年度报告", ("2021年度", 2021)),
        ("2022-2023学年昆明理工大学信息公开年度报告", ("2022-2023学年", 2023)),
        ("长春理工大学 2023 年信息公开工作报告", ("2023年", 2023)),
        ("2023年9月1日", (None, None)),  # a date, not a label
        ("2021-2023学年", (None, None)),  # not one academic year
        ("信息公开年度报告", (None, None)),
        ("某大学二〇二三年信息公开工作年度报告", ("2023年", 2023)),  # Chinese digits
        ("某大学二零二三年度信息公开年报", ("2023年度", 2023)),
        ("某大学信息公开年度报告（2023-2024）", ("（2023-2024）", 2024)),  # bracketed pair
        ("某大学信息公开年度报告(2023~2024)", ("(2023~2024)", 2024)),
        ("某大学（2023-2025）发展规划", (None, None)),  # not one academic year
        ("二〇二三年十月", (None, None)),  # a signing date, not a label
        ("2023年十二月三十日", (None, None)),
    ],
)
def test_label_and_year(text, expected):
    assert label_and_year(text) == expected


REPORTS = [
    "广东海洋大学2021年度信息公开年度报告",
    "中山大学2023—2024学年信息公开年度报告",
    "2022-2023学年昆明理工大学信息公开年度报告",
    "长春理工大学2023年信息公开工作报告",
    "湖南科技学院2023年度信息公开工作报告",
    "北京理工大学 2022-2023 学年信息公开工作报告",
    "深圳职业技术学院2024年信息公开工作年度报告",
    "华中师范大学2019-2020学年信息公开年报",
    "中国科学院大学2022-2023学年信息公开年度报告",
    "2023年度信息公开报告.pdf",
    "信息公开年度报告",
    "南京大学2023年政府信息公开工作年度报告",  # a school using the government format
    "关于公布我校2023年度信息公开年度报告的通知",  # a notice that publishes the report
    "Tsinghua University Annual Report on Information Disclosure (2022-2023)",
    "Annual Report on Information Disclosure of Peking University, 2021-2022",
    "南方医科大学2023年信息公开年度报告",
]
NOT_REPORTS = [
    ("广东海洋大学2023年本科教学质量报告", "no 信息公开…报告/年报 phrase"),
    ("广东海洋大学2023届毕业生就业质量年度报告", "no 信息公开…报告/年报 phrase"),
    ("广东海洋大学2023年部门预算", "no 信息公开…报告/年报 phrase"),
    ("广东海洋大学2022年度决算公开", "no 信息公开…报告/年报 phrase"),
    ("2023年度报告", "no 信息公开…报告/年报 phrase"),
    ("信息公开指南", "no 信息公开…报告/年报 phrase"),
    (
        "关于做好2023年信息公开年度报告编制工作的通知",
        "a notice about preparing or submitting the report",
    ),
    (
        "关于报送2022-2023学年信息公开年度报告的通知",
        "a notice about preparing or submitting the report",
    ),
    (
        "湖南省教育厅关于做好2023年高校信息公开年度报告工作的通知",
        "a notice about preparing or submitting the report",
    ),
    ("关于开展2023年度信息公开年度报告审查工作的通知", "a notice, not the report"),
    ("2023年度信息公开年度报告解读", "an interpretation of the report, not the report"),
    (
        "广东省教育厅2023年政府信息公开工作年度报告",
        "a government body's 政府信息公开 report, not a school's",
    ),
    (
        "广州市人民政府2023年政府信息公开工作年度报告",
        "a government body's 政府信息公开 report, not a school's",
    ),
    ("北京市教育委员会2023年信息公开年度报告", "issued by a government body, not a school"),
    (
        "中山大学附属第一医院2023年信息公开年度报告",
        "the report of an affiliated hospital or school, not of the university",
    ),
    (
        "南方医科大学南方医院2023年度信息公开工作报告",
        "the report of an affiliated hospital or school, not of the university",
    ),
    (
        "Annual Report on Government Information Disclosure of the Ministry of Education",
        "a government body's report, not a school's",
    ),
    ("", "empty title"),
]


@pytest.mark.parametrize("title", REPORTS)
def test_report_titles(title):
    assert is_annual_disclosure_report(title), classify_title(title)


@pytest.mark.parametrize(("title", "reason"), NOT_REPORTS)
def test_look_alike_titles(title, reason):
    assert classify_title(title) == (False, reason)
    assert not is_annual_disclosure_report(title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("广东海洋大学2021年度信息公开年度报告", "广东海洋大学"),
        ("2022-2023学年昆明理工大学信息公开年度报告", "昆明理工大学"),
        ("中国科学院大学2022-2023学年信息公开年度报告", "中国科学院大学"),
        ("深圳职业技术学院2024年度信息公开工作报告", "深圳职业技术学院"),
        ("中国石油大学（北京）2023年信息公开年度报告", "中国石油大学（北京）"),
        ("广东省教育厅2023年政府信息公开工作年度报告", None),
        ("中国科学院2023年报告", None),
    ],
)
def test_school_name(text, expected):
    assert school_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本报告统计期限为2023年9月1日到2024年8月31日。", ("2023-09-01", "2024-08-31")),
        ("统计数据时间范围为2020年9月1日至2021年8月31日", ("2020-09-01", "2021-08-31")),
        ("2022年9月1日—2023年8月31日", ("2022-09-01", "2023-08-31")),
        ("时间范围为 2020 年 9 月 1 日至 2021 年 8 月 31 日", ("2020-09-01", "2021-08-31")),
        ("统计时间为2022年9月至2023年8月", ("2022-09-01", "2023-08-31")),
        ("报告期为2023年1月1日至2023年12月31日", ("2023-01-01", "2023-12-31")),
        ("2023年1月1日至11月24日，发布新闻290余条", (None, None)),
        ("2023年1月1日至2023年3月31日，发布新闻20条", (None, None)),  # no cue, not a year
        ("没有日期", (None, None)),
    ],
)
def test_statistics_period(text, expected):
    assert statistics_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("正文。\n长春理工大学\n2023 年 10 月 30 日", "2023-10-30"),
        ("正文。\n合肥工业大学\n二〇二三年十月三十日", "2023-10-30"),
        ("正文。\n二○二一年十一月一日", "2021-11-01"),
        ("正文。\n广东海洋大学 2021年10月28日", "2021-10-28"),
        ("2023年1月1日至11月24日，发布新闻。\n七、其他需要报告的事项", None),
        ("正文。\n重庆邮电大学\n二〇二三年十月", "2023-10"),  # month-only sign-off
        ("正文。\nXX大学办公室2012年12月6日印发", None),  # an imprint, not a signature
        # a notice signed on its first page, its 附件 running on for pages after
        ("通知正文。\n重庆邮电大学\n2012年12月3日\n" + "附件正文。\n" * 20, "2012-12-03"),
    ],
)
def test_signed_date(text, expected):
    assert signed_date(text) == expected


def _meta(text: str) -> dict:
    return extract_metadata(text).as_dict()


def test_huse_sample_metadata():
    text = (FILES / "html" / "huse_2023_html_extract.txt").read_text(encoding="utf-8")
    assert _meta("\n".join(line.strip() for line in text.splitlines())) == {
        "title": "湖南科技学院2023年度信息公开工作报告",
        "school": "湖南科技学院",
        "label": "2023年度",
        "year": 2023,
        "period_start": None,  # only news-count windows (2023年1月1日至11月24日)
        "period_end": None,
        "published": None,  # the web copy has no sign-off
        "published_source": None,
    }


def test_cust_sample_metadata():
    text = (FILES / "samples" / "cust_2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    assert _meta(text) == {
        "title": "长春理工大学2023年信息公开工作报告",
        "school": "长春理工大学",
        "label": "2023年",
        "year": 2023,
        "period_start": None,
        "period_end": None,
        "published": "2023-10-30",
        "published_source": "signature",
    }


def test_bit_sample_metadata():
    text = (FILES / "samples" / "bit_2022-2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    assert _meta(text) == {
        "title": "北京理工大学2022-2023学年信息公开工作报告",
        "school": "北京理工大学",
        "label": "2022-2023学年",
        "year": 2023,
        "period_start": None,
        "period_end": None,
        "published": None,
        "published_source": None,
    }


def test_page_title_and_date_win():
    text = "\n".join(
        [
            "正文第一行没有标题。",
            "统计时间为2022年9月1日至2023年8月31日。",
            "华南农业大学",
            "2023年10月31日",
        ]
    )
    meta = extract_metadata(
        text, title="华南农业大学2022-2023学年信息公开年度报告", published="2023-11-02"
    )
    assert meta.as_dict() == {
        "title": "华南农业大学2022-2023学年信息公开年度报告",
        "school": "华南农业大学",
        "label": "2022-2023学年",
        "year": 2023,
        "period_start": "2022-09-01",
        "period_end": "2023-08-31",
        "published": "2023-11-02",
        "published_source": "page",
    }


def test_school_from_sign_off_when_title_lacks_it():
    text = "2023年度信息公开工作报告\n一、概述\n内容。\n湖南科技学院\n2023年11月24日"
    meta = extract_metadata(text)
    assert (meta.school, meta.label, meta.published) == ("湖南科技学院", "2023年度", "2023-11-24")
