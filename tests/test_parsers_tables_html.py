"""HTML tables through `parsers.parse`: layout tables are text, data tables are grids."""

from __future__ import annotations

from parsers import parse

PARA = "学校坚持公开为常态、不公开为例外。本学年信息公开网发布各类信息1286条，均及时更新。"


def _page(body: str, container: str = '<div class="v_news_content">{}</div>') -> bytes:
    html = (
        "<html><head><title>某大学2023年信息公开工作报告</title></head><body>"
        + container.format(body)
        + "</body></html>"
    )
    return html.encode("utf-8")


def test_body_in_one_cell_table_is_text():
    body = (
        "<table><tr><td><p>一、概述</p><p>" + PARA + "</p>"
        "<p><span>2020</span><span>年9</span><span>月1</span><span>日起</span>施行。</p>"
        "</td></tr></table>"
    )
    doc = parse(_page(body), "text/html")
    assert doc.text == "\n".join(["一、概述", PARA, "2020年9月1日起施行。"])
    assert doc.tables == []


def test_body_in_unknown_layout_table_keeps_its_data_table():
    # The body is a table of tables: the outer one lays the page out, the inner one is data.
    data = (
        "<table><tr><th>类别</th><th>件数</th></tr>"
        "<tr><td>予以公开</td><td>3</td></tr><tr><td>不予公开</td><td>1</td></tr></table>"
    )
    body = (
        '<table width="100%"><tr><td><p>二、依申请公开情况</p><p>' + PARA + "</p>"
        + data + "<p>以上为统计情况。</p></td><td>相关链接</td></tr></table>"
    )  # fmt: skip
    doc = parse(_page(body), "text/html")
    assert doc.text == "\n".join(["二、依申请公开情况", PARA, "以上为统计情况。", "相关链接"])
    assert [(t.rows, t.header_rows) for t in doc.tables] == [
        ([["类别", "件数"], ["予以公开", "3"], ["不予公开", "1"]], 1)
    ]


def test_word_pasted_table_of_paragraphs_is_text():
    rows = "".join(f"<tr><td><p>（{n}）{PARA}</p></td><td><p>{PARA}</p></td></tr>" for n in "一二")
    doc = parse(_page(f"<table>{rows}</table>"), "text/html")
    assert doc.text.splitlines() == [f"（一）{PARA}", PARA, f"（二）{PARA}", PARA]
    assert doc.tables == []


def test_merged_cells_as_printed():
    body = (
        "<table><thead><tr><th rowspan='2'>类别</th><th colspan='2'>申请人</th></tr>"
        "<tr><th>自然人</th><th>法人</th></tr></thead>"
        "<tr><td>本年新收</td><td>2 1</td><td>3</td></tr></table>"
    )
    doc = parse(_page("<p>统计如下。</p>" + body), "text/html")
    assert [(t.rows, t.header_rows) for t in doc.tables] == [
        ([["类别", "申请人", ""], ["", "自然人", "法人"], ["本年新收", "21", "3"]], 2)
    ]
    assert doc.text == "统计如下。"
