"""Text-level normaliser: spacing, page furniture, paragraphs; quality floors on real samples."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden.cer import cer, levenshtein
from hypothesis import given
from hypothesis import strategies as st

from parsers.textnorm import (
    Line,
    fix_spacing,
    is_heading,
    is_page_number,
    normalise_extracted_text,
    normalise_lines,
    rebuild_paragraphs,
    unmapped_share,
)

FILES = Path(__file__).parent / "files" / "samples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "samples"
SAMPLES = ["bit_2022-2023", "cust_2023"]


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


def test_normalise_lines_drops_furniture():
    page = ["学校信息公开报告", "第{}段：学校坚持以公开为常态、不公开为例外的原则。 ", "- {} -"]
    lines = [t.format(n) for n in range(1, 5) for t in page]
    assert normalise_lines(lines) == "\n".join(
        f"第{n}段：学校坚持以公开为常态、不公开为例外的原则。" for n in range(1, 5)
    )


def test_unmapped_share():
    assert unmapped_share("(cid:12)(cid:7)(cid:99)学") == 0.75
    assert unmapped_share("正常文本") == 0.0
    assert unmapped_share("") == 0.0


def _sample(name: str) -> str:
    return (FILES / f"{name}_pdf_extract.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_cer(name):
    truth = (FILES / f"{name}.clean.txt").read_text(encoding="utf-8").rstrip("\n")
    out = normalise_extracted_text(_sample(name))
    assert cer(out, truth) <= 0.01
    lines = out.split("\n")
    assert not [ln for ln in lines if is_page_number(ln)]
    assert "7 / 7" not in out
    assert all(ln == ln.strip() and ln for ln in lines)


def test_samples_whole_lines():
    out = normalise_extracted_text(_sample("cust_2023")).split("\n")
    assert out[0] == "长春理工大学2023年信息公开工作报告"
    assert "六、本年度信息公开工作的新做法新举措、主要经验、问题和下一步改进措施" in out
    assert "（一）持续加大宣传培训力度" in out
    assert any("长春理工大学本科招生网（http://zsb.cust.edu.cn）" in ln for ln in out)
    assert any("进一步加大对信息公开的评议工作" in ln for ln in out)  # joined over 7 / 7
    bit = normalise_extracted_text(_sample("bit_2022-2023")).split("\n")
    assert bit[0] == "北京理工大学2022-2023学年信息公开工作报告"
    assert any("共收到师生和公众的信息公开申请9项" in ln for ln in bit)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared samples folder {SHARED} is absent")
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_copies_match_shared(name):
    shared = (SHARED / f"{name}_pdf_extract.txt").read_text(encoding="utf-8")
    assert shared == _sample(name), "tests/files/samples copy is out of date"


@given(st.text(), st.text())
def test_levenshtein_matches_dynamic_programming(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    assert levenshtein(a, b) == row[-1]


@given(st.lists(st.sampled_from(["学校公开信息。", "7 / 7", "第 3 页", "- 2 -", "2023 年", ""])))
def test_normalised_text_has_no_page_numbers(lines):
    out = normalise_lines(lines)
    assert not [ln for ln in out.split("\n") if ln and is_page_number(ln)]
