"""Figures with evidence: requests and how they were answered, complaints, appeals, suits."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.figures import FIGURE_NAMES, extract_figures
from parsers.sections import split_sections

FILES = Path(__file__).parent / "files"


def _figures(text: str, *, with_sections: bool = True) -> list[tuple[str, int, str]]:
    sections = split_sections(text)[0] if with_sections else None
    figures, _ = extract_figures(text, sections)
    return [(f.name, f.value, f.evidence) for f in figures]


def test_huse_sample():
    text = (FILES / "html" / "huse_2023_html_extract.txt").read_text(encoding="utf-8")
    none = "2023年，学校信息公开工作未发生举报、复议、诉讼的情况。"
    assert _figures(text) == [
        ("requests_received", 0, "2023年度，学校未收到依申请公开事项。"),
        ("complaints", 0, none),
        ("reconsiderations", 0, none),
        ("lawsuits", 0, none),
    ]


def test_cust_sample():
    text = (FILES / "samples" / "cust_2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    none = "本年度学校未收到信息公开工作方面的相关举报、复议、诉讼材料。"
    assert _figures(text) == [
        (
            "requests_received",
            0,
            "2023年度，学校未接到信息公开申请，没有因依申请公开信息收取或减免费用情况。",
        ),
        ("complaints", 0, none),
        ("reconsiderations", 0, none),
        ("lawsuits", 0, none),
    ]


def test_bit_sample():
    text = (FILES / "samples" / "bit_2022-2023.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    assert _figures(text) == [
        (
            "requests_received",
            9,
            "2022-2023学年，共收到师生和公众的信息公开申请9项，已在规定时间内将处理结果告知申请人，"
            "申请人对信息公开申请受理工作及答复意见均表示认可和满意。",
        ),
        # Only 举报 is reported on; 复议 and 诉讼 are not mentioned, so no figure for them.
        ("complaints", 0, "2022-2023学年，学校未收到师生和公众关于我校信息公开工作的举报。"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "本年度共收到信息公开申请12件，其中予以公开8件，部分公开2件，不予公开1件，"
            "信息不存在1件。",
            [
                ("requests_received", 12),
                ("requests_granted", 8),
                ("requests_partially_granted", 2),
                ("requests_denied", 1),
                ("requests_not_exist", 1),
            ],
        ),
        ("学校受理依申请公开事项三件，均已按期答复。", [("requests_received", 3)]),
        (
            "共接到信息公开申请5件，不属于本校信息公开范围的2件。",
            [("requests_received", 5), ("requests_not_school", 2)],
        ),
        ("学校未收到信息公开申请。", [("requests_received", 0)]),
        ("2023年学校没有收到依申请公开的申请。", [("requests_received", 0)]),
        ("本年度无信息公开申请。", [("requests_received", 0)]),
        ("没有因依申请公开信息收取或减免费用情况。", []),  # fees, not requests
        (
            "因信息公开工作收到举报2件，行政复议1件，行政诉讼0件。",
            [("complaints", 2), ("reconsiderations", 1), ("lawsuits", 0)],
        ),
        (
            "学校信息公开工作未发生举报、复议、诉讼的情况。",
            [("complaints", 0), ("reconsiderations", 0), ("lawsuits", 0)],
        ),
        (
            "因信息公开工作引起的举报、复议、诉讼均为0。",
            [("complaints", 0), ("reconsiderations", 0), ("lawsuits", 0)],
        ),
        (
            "本学年信息公开工作未受到举报，发生行政复议1起。",
            [("complaints", 0), ("reconsiderations", 1)],
        ),
        ("新生复查期间收到有关举报2件，已处理完毕。", []),  # 招生, not 信息公开
        ("信息公开工作收到投诉1件。", []),  # 投诉 is not counted as 举报
        ("学校设立了信息公开举报电话。", []),  # a channel, not a count
        ("学校网站发布新闻300条。", []),
    ],
)
def test_sentences(text, expected):
    assert [(name, value) for name, value, _ in _figures(text, with_sections=False)] == expected


def test_every_figure_has_its_sentence():
    text = "本年度共收到信息公开申请12件，其中予以公开8件。\n学校信息公开工作未发生举报。"
    for name, _value, evidence in _figures(text, with_sections=False):
        assert name in FIGURE_NAMES
        assert evidence in text


def test_section_context_counts_sentences_without_topic_words():
    text = (
        "一、概述\n内容。\n三、依申请公开和不予公开情况\n本年度共收到申请4件。\n"
        "五、因学校信息公开工作受到举报、复议、诉讼的情况\n本年度未发生上述情况，无举报。"
    )
    assert _figures(text) == [
        ("requests_received", 4, "本年度共收到申请4件。"),
        ("complaints", 0, "本年度未发生上述情况，无举报。"),
    ]


def test_disagreeing_sentences_leave_the_figure_out():
    text = "学校共收到信息公开申请3件。\n本年度学校未收到信息公开申请。"
    figures, warnings = extract_figures(text)
    assert figures == []
    assert warnings == [
        "requests_received left out: sentences disagree (3 from '学校共收到信息公开申请3件。'; "
        "0 from '本年度学校未收到信息公开申请。')"
    ]
