"""Standard sections: real samples and synthetic reports with renamed, merged, nested,
missing and misnumbered sections."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers.sections import heading_key, split_sections

FILES = Path(__file__).parent / "files"


def _outline(text: str) -> list[tuple[str, str]]:
    return [(s.key, s.heading) for s in split_sections(text)[0]]


def test_huse_sample():
    text = (FILES / "html" / "huse_2023_html_extract.txt").read_text(encoding="utf-8")
    sections, warnings = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == [
        ("overview", "一、概述"),
        ("proactive", "二、信息公开情况"),
        ("on_request", "三、依申请公开和不予公开情况"),
        ("review", "四、对信息公开的评议情况"),
        ("complaints", "五、因学校信息公开工作受到举报、复议、诉讼的情况"),
        ("improvements", "六、本年度信息公开工作的新做法新举措、主要经验、问题和下一步改进措施"),
        ("other", "七、其他需要报告的事项"),
    ]
    assert warnings == []
    assert sections[2].text == (
        "学校严格按照《中华人民共和国政府信息公开条例》《高等学校信息公开办法》"
        "《中华人民共和国保守国家秘密法》以及学校的相关规章制度，依规依程序开展依申请公开和"
        "不予公开工作。2023年度，学校未收到依申请公开事项。"
    )
    assert sections[-1].text == ""  # the web copy stops at the heading


def test_cust_sample():
    text = (FILES / "samples" / "cust_2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    sections, warnings = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == [
        ("overview", "一、工作概述"),
        ("proactive", "二、主动公开情况"),
        ("on_request", "三、依申请公开和不予公开情况"),
        ("review", "四、对信息公开的评议情况"),
        ("complaints", "五、因学校信息公开工作受到举报、复议、诉讼的情况"),
        ("improvements", "六、本年度信息公开工作的新做法新举措、主要经验、问题和下一步改进措施"),
        ("other", "七、其他需要报告的事项"),
        ("checklist", "附件：清单事项公开情况表"),
    ]
    assert warnings == []
    assert sections[6].text == "无其他需要报告的事项。"
    assert sections[7].text == ""  # the sign-off (school, date) is not section text
    assert "（四）重点领域信息主动公开情况" in sections[1].text  # a subsection stays inside


def test_bit_sample_nested_on_request():
    text = (FILES / "samples" / "bit_2022-2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    sections, warnings = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == [
        ("overview", "一、信息公开工作概述"),
        ("proactive", "二、信息公开具体情况"),
        ("on_request", "（二）依申请公开信息情况"),
        ("complaints", "三、对信息公开工作的举报的情况"),
        ("improvements", "四、存在的主要问题和改进措施"),
    ]
    assert warnings == []
    assert sections[2].text.startswith("学校严格遵守依申请公开答复期限")


RENAMED = """XX大学2023年信息公开工作报告
一、信息公开工作概述
内容。
二、信息主动公开情况
内容。
三、依申请公开情况
内容。
四、对信息公开工作的评议情况
内容。
五、收到举报、复议、诉讼的情况
内容。
六、存在的问题
内容。
七、其他事项
无。"""

MERGED = """XX学院2023年度信息公开年度报告
一、概述
内容。
二、主动公开和依申请公开情况
内容。
三、评议及举报、复议、诉讼情况
内容。
四、主要经验、问题和改进措施
内容。"""

NESTED = """XX大学2022-2023学年信息公开年度报告
一、总体情况
内容。
二、信息公开具体情况
（一）主动公开情况
内容。
（二）依申请公开和不予公开情况
内容。
（三）对信息公开的评议情况
内容。
三、因学校信息公开工作遭到举报、复议、诉讼的情况
内容。
四、问题和改进措施
（一）加强培训
内容。"""

MISSING = """XX职业技术学院2024年信息公开年度报告
一、概述
内容。
二、主动公开情况
内容。
三、依申请公开和不予公开情况
内容。
四、下一步工作
内容。"""

MISNUMBERED = """XX大学2023年信息公开年度报告
一、概述
内容。
二、主动公开情况
内容。
三、依申请公开和不予公开情况
内容。
三、对信息公开的评议情况
内容。
六、新做法新举措、主要经验、问题和改进措施
一、加强培训
内容。
二、完善信息公开目录
内容。
七、其他需要报告的事项
无。"""

EXTRA = """XX大学2023年信息公开年度报告
根据规定，报告包括概述、主动公开情况、依申请公开和不予公开情况等八个部分。
一、概述
内容。
二、主动公开情况
内容。
三、重点领域信息公开情况
内容。
四、专项信息公开情况
内容。
五、依申请公开和不予公开情况
内容。
六、学校章程建设
内容。
附件1：高等学校信息公开事项清单公开情况表
序号 事项
华东理工大学
2023年10月31日"""

PARTS = """XX大学2023年信息公开年度报告
第一部分 概述
内容。
第二部分 主动公开情况
内容。
第三部分 依申请公开和不予公开情况
内容。"""

BARE = """XX大学2023年信息公开年度报告
概述
内容。
主动公开情况
内容。
依申请公开和不予公开情况
内容。
其他需要报告的事项
无。"""


@pytest.mark.parametrize(
    ("text", "outline", "warnings"),
    [
        (
            RENAMED,
            [
                ("overview", "一、信息公开工作概述"),
                ("proactive", "二、信息主动公开情况"),
                ("on_request", "三、依申请公开情况"),
                ("review", "四、对信息公开工作的评议情况"),
                ("complaints", "五、收到举报、复议、诉讼的情况"),
                ("improvements", "六、存在的问题"),
                ("other", "七、其他事项"),
            ],
            [],
        ),
        (
            MERGED,
            [
                ("overview", "一、概述"),
                ("proactive", "二、主动公开和依申请公开情况"),
                ("review", "三、评议及举报、复议、诉讼情况"),
                ("improvements", "四、主要经验、问题和改进措施"),
            ],
            [
                "heading '二、主动公开和依申请公开情况' also covers: on_request",
                "heading '三、评议及举报、复议、诉讼情况' also covers: complaints",
            ],
        ),
        (
            NESTED,
            [
                ("overview", "一、总体情况"),
                ("proactive", "二、信息公开具体情况"),
                ("on_request", "（二）依申请公开和不予公开情况"),
                ("review", "（三）对信息公开的评议情况"),
                ("complaints", "三、因学校信息公开工作遭到举报、复议、诉讼的情况"),
                ("improvements", "四、问题和改进措施"),
            ],
            [],
        ),
        (
            MISSING,
            [
                ("overview", "一、概述"),
                ("proactive", "二、主动公开情况"),
                ("on_request", "三、依申请公开和不予公开情况"),
                ("improvements", "四、下一步工作"),
            ],
            [],
        ),
        (
            MISNUMBERED,
            [
                ("overview", "一、概述"),
                ("proactive", "二、主动公开情况"),
                ("on_request", "三、依申请公开和不予公开情况"),
                ("review", "三、对信息公开的评议情况"),
                ("improvements", "六、新做法新举措、主要经验、问题和改进措施"),
                ("other", "七、其他需要报告的事项"),
            ],
            ["section numbering jumps from 3 to 6: 六、新做法新举措、主要经验、问题和改进措施"],
        ),
        (
            EXTRA,
            [
                ("overview", "一、概述"),
                ("proactive", "二、主动公开情况"),
                ("extra", "三、重点领域信息公开情况"),
                ("extra", "四、专项信息公开情况"),
                ("on_request", "五、依申请公开和不予公开情况"),
                ("extra", "六、学校章程建设"),
                ("checklist", "附件1：高等学校信息公开事项清单公开情况表"),
            ],
            [],
        ),
        (
            PARTS,
            [
                ("overview", "第一部分 概述"),
                ("proactive", "第二部分 主动公开情况"),
                ("on_request", "第三部分 依申请公开和不予公开情况"),
            ],
            [],
        ),
        (
            BARE,
            [
                ("overview", "概述"),
                ("proactive", "主动公开情况"),
                ("on_request", "依申请公开和不予公开情况"),
                ("other", "其他需要报告的事项"),
            ],
            [],
        ),
        ("XX大学2023年信息公开年度报告\n学校信息公开工作平稳推进。", [], []),
        ("", [], []),
    ],
    ids=[
        "renamed",
        "merged",
        "nested",
        "missing",
        "misnumbered",
        "extra",
        "parts",
        "bare",
        "no-headings",
        "empty",
    ],
)
def test_synthetic_reports(text, outline, warnings):
    sections, found_warnings = split_sections(text)
    assert [(s.key, s.heading) for s in sections] == outline
    assert found_warnings == warnings


def test_restarting_list_stays_in_its_section():
    sections, _ = split_sections(MISNUMBERED)
    assert sections[4].text == "一、加强培训\n内容。\n二、完善信息公开目录\n内容。"


def test_checklist_text_without_sign_off():
    sections, _ = split_sections(EXTRA)
    assert sections[-1].text == "序号 事项"


def test_nested_section_splits_its_parent():
    sections, _ = split_sections(NESTED)
    assert sections[1].text == "（一）主动公开情况\n内容。"
    assert sections[2].text == "内容。"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("工作概述", ("overview", [])),
        ("信息公开工作概述", ("overview", [])),
        ("总体情况", ("overview", [])),
        ("主动公开信息情况", ("proactive", [])),
        ("信息公开情况", ("proactive", [])),
        ("信息公开具体情况", ("proactive", [])),
        ("依申请公开和不予公开情况", ("on_request", [])),
        ("对信息公开的评议情况", ("review", [])),
        ("对信息公开的评议和举报情况", ("review", ["complaints"])),
        ("因学校信息公开工作受到举报、复议、诉讼的情况", ("complaints", [])),
        ("本年度信息公开工作的新做法新举措、主要经验、问题和下一步改进措施", ("improvements", [])),
        ("存在的主要问题和改进措施", ("improvements", [])),
        ("其他需要报告的事项", ("other", [])),
        ("清单事项公开情况表", ("checklist", [])),
        ("重点领域信息主动公开情况", ("extra", [])),
        ("专项信息公开情况", ("extra", [])),
        ("学校章程建设", ("extra", [])),
    ],
)
def test_heading_key(heading, expected):
    assert heading_key(heading) == expected


_LINES = st.sampled_from(
    [
        "一、概述",
        "二、主动公开情况",
        "（二）依申请公开情况",
        "三、评议和举报情况",
        "内容。",
        "六、其他需要报告的事项",
        "附件：清单事项公开情况表",
        "一、加强培训",
        "2023年10月30日",
        "华东理工大学",
        "学校未收到信息公开申请。",
        "第二部分 概述",
    ]
)


@given(st.lists(_LINES, max_size=25))
def test_sections_are_never_invented(lines):
    text = "\n".join(lines)
    sections, _ = split_sections(text)
    headings = [s.heading for s in sections]
    assert all(h in lines for h in headings)
    assert len(headings) == len(set(headings)) or len(lines) != len(set(lines))
