"""Text-level normaliser: spacing, page numbers, headings, paragraphs; the CER helper."""

from __future__ import annotations

import pytest
from golden.cer import levenshtein
from hypothesis import given
from hypothesis import strategies as st

from parsers.textnorm import (
    Line,
    fix_spacing,
    is_heading,
    is_page_number,
    rebuild_paragraphs,
)


@pytest.mark.parametrize(
    "line",
    [
        "7",
        " 7 ",
        "7 / 7",
        "12/30",
        "- 7 -",
        "— 7 —",
        "–7–",
        "第 7 页 共 12 页",
        "第7页",
        "第７页",
        "共12页 第7页",
        "Page 3 of 9",
        "·3·",
    ],
)
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2023年", "1.加强培训", "七、其他", "第7页内容", "3项", ""])
def test_not_page_numbers(line):
    assert not is_page_number(line)


@pytest.mark.parametrize(
    "line",
    [
        "一、工作概述",
        "（一）完善机制",
        "(二)拓展渠道",
        "1.通过网站",
        "2．完善",
        "（1）定期",
        "十二、其他",
        "附件：清单事项公开情况表",
    ],
)
def test_headings(line):
    assert is_heading(line)


@pytest.mark.parametrize("line", ["1.5万人次", "学校一、二级单位", "2023年度"])
def test_not_headings(line):
    assert not is_heading(line)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("2023 年 10 月 30 日", "2023年10月30日"),
        ("智能问答系统“小 e 机器人”", "智能问答系统“小e机器人”"),
        ("信 息 公 开", "信息公开"),
        ("通过 Open Data  Portal 查询", "通过Open Data Portal查询"),
        ("146 条,招标", "146条,招标"),  # half-width comma kept as written
        ("（教育部令第 29 号）", "（教育部令第29号）"),
        ("\u3000\u3000首行缩进", "首行缩进"),
    ],
)
def test_fix_spacing(raw, clean):
    assert fix_spacing(raw) == clean


def test_paragraph_joining():
    lines = [
        Line("根据有关要求，共收到申请 9", starts_paragraph=True),
        Line("项，已全部答复。", ends_paragraph=True),
        Line("一、概述", ends_paragraph=True),
        Line("本科招生网（h", starts_paragraph=True),
        Line("ttp://zsb.cust.edu.cn）及手机网（https://apps.eol.cn/1586/in"),
        Line("dex.html）公布。Open Data"),
        Line("Portal 上线。", ends_paragraph=True),
        Line("1.第一项"),
        Line("（1）第二项"),
    ]
    assert rebuild_paragraphs(lines) == [
        "根据有关要求，共收到申请9项，已全部答复。",
        "一、概述",
        "本科招生网（http://zsb.cust.edu.cn）及手机网（https://apps.eol.cn/1586/index.html）公布。"
        "Open Data Portal上线。",
        "1.第一项",
        "（1）第二项",
    ]


@given(st.text(), st.text())
def test_levenshtein_matches_dynamic_programming(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    assert levenshtein(a, b) == row[-1]
