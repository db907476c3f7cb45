"""List pages recognised by repeated dated items whatever the markup; full titles kept."""

from __future__ import annotations

import pytest

from crawler.listing import ListItem, english_year, find_date, read_listing

URL = "http://xxgk.example.edu.cn/ndbg/list.htm"
H = "http://xxgk.example.edu.cn"
TITLES = [
    ("/info/1/3.htm", "示例大学2023-2024学年信息公开年度报告", "2024-10-30"),
    ("/info/1/2.htm", "示例大学2022-2023学年信息公开年度报告", "2023-10-28"),
    ("/info/1/1.htm", "关于公布2023年本科教学质量报告的通知", "2023-07-01"),
]


def _ul(rows):
    return (
        "<ul>"
        + "".join(
            f'<li><a href="{u}" title="{t}">{t[:10]}…</a><span class="date">{d}</span></li>'
            for u, t, d in rows
        )
        + "</ul>"
    )


def _table(rows):
    return (
        "<table>"
        + "".join(f'<tr><td><a href="{u}">{t}</a></td><td>[{d}]</td></tr>' for u, t, d in rows)
        + "</table>"
    )


def _divs(rows):
    return "".join(
        f'<div class="item"><h4><a href="{u}">{t}</a></h4><p class="meta">发布时间：'
        f"{d[:4]}年{int(d[5:7])}月{int(d[8:])}日</p></div>"
        for u, t, d in rows
    )


def _dl(rows):
    return (
        "<dl>"
        + "".join(f'<dt><a href="{u}">{t}</a></dt><dd>{d}</dd>' for u, t, d in rows)
        + "</dl>"
    )


def _split(rows):
    # calendar-style: the day apart from year and month
    return (
        "<ul>"
        + "".join(
            f'<li><div class="day">{d[8:]}</div><div class="ym">{d[:7]}</div>'
            f'<a href="{u}">{t}</a></li>'
            for u, t, d in rows
        )
        + "</ul>"
    )


NAV = '<div class="nav"><a href="/">首页</a><a href="/jbxx.htm">基本信息公开</a></div>'


@pytest.mark.parametrize("markup", [_ul, _table, _divs, _dl, _split])
def test_dated_items_in_any_markup(markup):
    listing = read_listing(URL, f"<html><body>{NAV}{markup(TITLES)}</body></html>")
    assert listing.dated == tuple(ListItem(f"{H}{u}", t, d, True) for u, t, d in TITLES)
    assert listing.is_list
    assert [r.title for r in listing.reports] == [TITLES[0][1], TITLES[1][1]]
    assert listing.is_report_column
    undated = [i.title for i in listing.items if not i.dated]
    assert undated == ["基本信息公开"]


def test_a_notice_list_with_one_report_is_a_list_but_not_a_column():
    rows = [*TITLES[1:], ("/info/1/0.htm", "关于校园开放日安排的通知", "2023-05-01")]
    listing = read_listing(URL, f"<html><body>{_ul(rows)}</body></html>")
    assert listing.is_list and not listing.is_report_column
    assert [r.url for r in listing.reports] == [f"{H}/info/1/2.htm"]


def test_a_container_of_several_items_lends_none_its_date():
    html = (
        '<div class="box"><div class="hd">信息公开 更新于 2024-11-01</div><ul>'
        '<li><a href="/a.htm">示例大学信息公开指南</a></li>'
        '<li><a href="/b.htm">示例大学章程全文</a></li></ul></div>'
    )
    assert [i.dated for i in read_listing(URL, html).items] == [False, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-30", ("2024-10-30", True)),
        ("[2024/1/5]", ("2024-01-05", True)),
        ("2024年10月30日", ("2024-10-30", True)),
        ("30 2024-10", ("2024-10-30", True)),
        ("2024-10 30", ("2024-10-30", True)),
        ("2024-10", (None, True)),
        ("第2024号", (None, False)),
        ("2024-13-01", (None, False)),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("Annual Report on Information Disclosure of X University (2022-2023 Academic Year)", 2023),
        (
            "Annual Report on Information Disclosure of X University "
            "for the 2023-2024 academic year",
            2024,
        ),
        ("X University Annual Report on Information Disclosure 2024", 2024),
        ("2023 Annual Report on Information Disclosure of X University", 2023),
        ("Annual Report on Information Disclosure of X University", None),
    ],
)
def test_english_year(title, year):
    assert english_year(title) == year


def test_links_that_only_say_download_take_their_items_title():
    """File tables (`<td>title</td>…<td><a>下载</a></td>`) and cards (a heading without a
    link, a 阅读全文 link): the item's own text is the title, its date and serial left out."""
    html = """<html><body><table>
    <tr><th>序号</th><th>标题</th><th>发布日期</th><th>操作</th></tr>
    <tr><td>1</td><td>2023-2024学年信息公开年度报告</td><td>2024-10-30</td>
        <td><a href="/a.pdf">下载</a></td></tr>
    <tr><td>2</td><td>2022-2023学年信息公开年度报告</td><td>2023-10-28</td>
        <td><a href="/b.pdf">[下载]</a> <a href="/b.htm">查看</a></td></tr></table>
    <div class="card"><h3>2021年信息公开年度报告</h3><p>2021年10月30日</p>
        <a href="/c.htm">阅读全文&gt;&gt;</a></div>
    <div class="card"><h3><a href="/d.htm">2020年信息公开年度报告</a></h3>
        <span>2020-10-30</span><a href="/d.htm">阅读全文</a></div>
    <p><a href="/e.htm">查看详情</a></p>
    </body></html>"""
    listing = read_listing("http://x.edu.cn/list.htm", html)
    assert listing.items == (
        ListItem("http://x.edu.cn/a.pdf", "2023-2024学年信息公开年度报告", "2024-10-30", True),
        ListItem("http://x.edu.cn/b.pdf", "2022-2023学年信息公开年度报告", "2023-10-28", True),
        ListItem("http://x.edu.cn/b.htm", "2022-2023学年信息公开年度报告", "2023-10-28", True),
        ListItem("http://x.edu.cn/c.htm", "2021年信息公开年度报告", "2021-10-30", True),
        ListItem("http://x.edu.cn/d.htm", "2020年信息公开年度报告", "2020-10-30", True),
        ListItem("http://x.edu.cn/e.htm", "查看详情", None, False),
    )
    assert len(listing.reports) == 5 and listing.is_report_column


def test_a_month_and_day_without_the_year_is_a_date_written():
    written = ["[10-30]", "10月30日", "发布：10-30", "10/30"]
    not_dates = ["第1-2页", "共12/30条", "1/5页", "13-40", "3.14", "下一页"]
    assert [find_date(t) for t in written] == [(None, True)] * len(written)
    assert [find_date(t) for t in not_dates] == [(None, False)] * len(not_dates)


def test_a_download_link_takes_no_title_from_the_list_around_it():
    """A bare 下载 link in a row without a title: the table holding every row is the list,
    not the item, so its text is no title (and is not read once per link)."""
    rows = "".join(f'<tr><td></td><td><a href="/f/{i}.pdf">下载</a></td></tr>' for i in range(6))
    html = (
        f"<html><body><div><p>2023年信息公开年度报告</p><table>{rows}</table></div></body></html>"
    )
    listing = read_listing("http://x.edu.cn/l.htm", html)
    assert [(i.url, i.title) for i in listing.items] == []  # "下载" is under the title length
    assert listing.reports == ()
