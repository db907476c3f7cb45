"""Pagination in every wording and address shape, decided on saved list-page snippets."""

from __future__ import annotations

import pytest

from crawler.paging import is_next_text, next_pages, trs_pages

BASE = "http://xxgk.example.edu.cn"


def page(pager: str) -> str:
    items = "".join(
        f'<li><a href="/info/1011/{n}.htm">学校{n}年信息公开年度报告</a>'
        f"<span>2024-10-0{n}</span></li>"
        for n in range(1, 4)
    )
    return f"<html><body><ul>{items}</ul><div class='pager'>{pager}</div></body></html>"


@pytest.mark.parametrize(
    "text",
    [
        "下一页",
        "下页",
        "后页",
        "下一頁",
        "›",
        "»",
        ">",
        ">>",
        "Next",
        "next page",
        "下一页 ›",
        "[下一页]",
        "【下一页】",
        "下一页>>",
        "Next »",
        " 下一页 > ",
    ],
)
def test_next_wordings(text):
    assert is_next_text(text)


@pytest.mark.parametrize("text", ["上一页", "首页", "尾页", "<", "‹", "Prev", "2024", "更多", ""])
def test_not_next_wordings(text):
    assert not is_next_text(text)


@pytest.mark.parametrize(
    ("url", "pager", "expected"),
    [
        # Drupal views pager: ?page=1, "下一页 ›"
        (
            f"{BASE}/ndbg",
            '<a href="/ndbg?page=1" title="去下一页">下一页 ›</a>',
            [f"{BASE}/ndbg?page=1"],
        ),
        # ?pageIndex=N with numbered links only
        (
            f"{BASE}/list.aspx?cid=7",
            '<span>1</span><a href="list.aspx?cid=7&pageIndex=2">2</a>'
            '<a href="list.aspx?cid=7&pageIndex=3">3</a>',
            [f"{BASE}/list.aspx?cid=7&pageIndex=2", f"{BASE}/list.aspx?cid=7&pageIndex=3"],
        ),
        # VSB dynamic list: PAGENUM=
        (
            f"{BASE}/list.jsp?wbtreeid=1011",
            '<a href="list.jsp?totalpage=3&PAGENUM=2&wbtreeid=1011">下页</a>',
            [f"{BASE}/list.jsp?totalpage=3&PAGENUM=2&wbtreeid=1011"],
        ),
        # DedeCMS list_7_2.html
        (
            f"{BASE}/a/ndbg/",
            "<a href='list_7_2.html'>2</a><a href='list_7_3.html'>3</a>"
            "<a href='list_7_2.html'>后页</a>",
            [f"{BASE}/a/ndbg/list_7_2.html", f"{BASE}/a/ndbg/list_7_3.html"],
        ),
        # static index_1.htm
        (f"{BASE}/ndbg/index.htm", '<a href="index_1.htm">[2]</a>', [f"{BASE}/ndbg/index_1.htm"]),
        # WebPlus listN.htm
        (
            f"{BASE}/ndbg/list.htm",
            '<a class="next" href="/ndbg/list2.htm">&gt;</a>',
            [f"{BASE}/ndbg/list2.htm"],
        ),
        # VSB count-down pages: ndbg.htm -> ndbg/2.htm -> ndbg/1.htm
        (
            f"{BASE}/ndbg.htm",
            '<span class="p_next"><a href="ndbg/2.htm">下页</a></span>'
            '<a href="ndbg/2.htm">2</a><a href="ndbg/1.htm">3</a>',
            [f"{BASE}/ndbg/2.htm", f"{BASE}/ndbg/1.htm"],
        ),
        # Next in English with an arrow glued on
        (f"{BASE}/news/", '<a href="/news/?p=2">Next»</a>', [f"{BASE}/news/?p=2"]),
    ],
)
def test_next_pages(url, pager, expected):
    assert next_pages(url, page(pager)) == expected


def test_numbers_that_are_not_list_pages_are_ignored():
    pager = '<a href="/info/1011/2.htm">2</a><a href="http://other.edu.cn/list2.htm">3</a>'
    # an article address is a list-shape address (VSB count-down), but another host is not
    assert next_pages(f"{BASE}/ndbg.htm", page(pager)) == [f"{BASE}/info/1011/2.htm"]


def test_previous_and_self_links_are_not_next():
    pager = '<a href="list.htm">上一页</a><a href="list2.htm">1</a><a href="list2.htm">尾页</a>'
    assert next_pages(f"{BASE}/ndbg/list2.htm", page(pager)) == []


def test_trs_script_pages_are_inferred():
    html = page('<script type="text/javascript">createPageHTML(4, 0, "index", "html");</script>')
    url = f"{BASE}/xxgk/ndbg/index.html"
    expected = [f"{BASE}/xxgk/ndbg/index_{n}.html" for n in (1, 2, 3)]
    assert trs_pages(url, html) == expected
    assert next_pages(url, html) == expected
    # on the third page the other three are known
    later = html.replace("4, 0,", "4, 2,")
    third = f"{BASE}/xxgk/ndbg/index_2.html"
    assert next_pages(third, later) == [
        f"{BASE}/xxgk/ndbg/index.html",
        f"{BASE}/xxgk/ndbg/index_1.html",
        f"{BASE}/xxgk/ndbg/index_3.html",
    ]


def test_family_next_selector_comes_first():
    html = page('<a href="list3.htm">3</a><span class="p_next"><a href="list2.htm">下页</a></span>')
    url = f"{BASE}/ndbg/list.htm"
    assert next_pages(url, html, "span.p_next a::attr(href)") == [
        f"{BASE}/ndbg/list2.htm",
        f"{BASE}/ndbg/list3.htm",
    ]


def test_an_image_next_button_is_read_by_its_alt():
    html = (
        '<div class="pager"><a href="list2.htm"><img src="/images/next.gif" alt="下一页"></a>'
        '<a href="list9.htm"><img src="/images/last.gif" alt="尾页"></a>'
        '<a href="/"><img src="/logo.png" alt="学校首页"></a></div>'
    )
    assert next_pages("http://x.edu.cn/ndbg/list.htm", html) == ["http://x.edu.cn/ndbg/list2.htm"]
