"""Whole articles and pages that are not articles, decided on saved page snippets."""

from __future__ import annotations

import pytest

from crawler.article import continuation_pages, empty_text_checked, page_problem

H = "http://xxgk.example.edu.cn"
REAL = (
    "<html><head><title>示例大学2024年信息公开年度报告</title></head><body>"
    '<div class="v_news_content">'
    + "<p>根据《高等学校信息公开办法》要求，现将报告公布如下。</p>" * 30
    + "</div></body></html>"
)


@pytest.mark.parametrize(
    ("url", "html", "reason"),
    [
        (
            f"{H}/2024/1030/c123a456/page.htm",
            '<html><body><div class="wp_error_msg">对不起，您无权访问此页面（仅限校内访问）</div>'
            "</body></html>",
            "IntranetOnly",
        ),
        (
            f"{H}/info/1/2.htm",
            '<html><body><div class="wp_error_msg">系统错误</div></body></html>',
            "ErrorPage",
        ),
        (
            "http://authserver.example.edu.cn/authserver/login?service=http%3A%2F%2Fxxgk",
            "<html><head><title>统一身份认证平台</title></head><body><form>"
            '<input name="username"><input type="password" name="password"></form></body></html>',
            "LoginRequired",
        ),
        (
            f"{H}/info/1/3.htm",
            "<html><head><title>提示</title></head><body><p>无权访问该信息</p></body></html>",
            "IntranetOnly",
        ),
        (
            f"{H}/info/1/4.htm",
            "<html><head><title>404 页面不存在</title></head><body><h1>404</h1>"
            "<p>您访问的页面不存在或已被删除</p></body></html>",
            "NotFoundPage",
        ),
    ],
)
def test_pages_that_are_not_articles(url, html, reason):
    problem = page_problem(url, html)
    assert problem is not None and problem.split(":")[0] == reason, problem


def test_a_real_article_is_no_problem():
    assert page_problem(f"{H}/info/1/5.htm", REAL) is None
    # a report mentioning 404 or a login in its long text is still an article
    long = REAL.replace("现将报告", "统一身份认证系统404次访问，现将报告")
    assert page_problem(f"{H}/info/1/5.htm", long) is None


def test_vsb_continuation_pages_in_order():
    bar = '<a href="1673_2.htm">3</a><a href="1673_1.htm">2</a><a href="1673_1.htm">下一页</a>'
    assert continuation_pages(f"{H}/info/1011/1673.htm", f"<body>{bar}</body>") == [
        f"{H}/info/1011/1673_1.htm",
        f"{H}/info/1011/1673_2.htm",
    ]
    # page 2 links back to the first page (not a continuation) and on to page 3
    bar = '<a href="1673.htm">1</a><a href="1673_2.htm">3</a>'
    assert continuation_pages(f"{H}/info/1011/1673_1.htm", bar) == [f"{H}/info/1011/1673_2.htm"]


def test_query_and_next_link_continuations():
    html = '<div class="pages"><a href="?id=9&page=2">2</a><a href="?id=9&page=3">3</a></div>'
    assert continuation_pages(f"{H}/show.php?id=9", html) == [
        f"{H}/show.php?id=9&page=2",
        f"{H}/show.php?id=9&page=3",
    ]
    dede = '<a href="/a/ndbg/88_2.html">下一页</a><a href="/b/other.html">下一页</a>'
    assert continuation_pages(f"{H}/a/ndbg/88.html", dede) == [f"{H}/a/ndbg/88_2.html"]


def test_empty_text_is_a_named_error():
    from parsers.document import ParsedDocument

    empty = ParsedDocument(text=" \n", format="html", parser="p", parser_version="1")
    assert empty_text_checked(empty, None) == (
        None,
        "EmptyText: the report's source has no text (body taken for a table?)",
    )
    full = ParsedDocument(text="报告", format="html", parser="p", parser_version="1")
    assert empty_text_checked(full, None) == (full, None)
    assert empty_text_checked(None, "BrokenDocument: x") == (None, "BrokenDocument: x")
