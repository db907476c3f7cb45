"""The explorer's link scoring and choices, on home-page snippets (no server)."""

from __future__ import annotations

from crawler.explore import Candidate, Exploration, box_heading, candidates, redirects

H = "http://xxgk.example.edu.cn"


def urls(found):
    return [(c.url, c.why) for c in found]


def test_more_link_inherits_its_box_heading():
    html = """<html><body>
    <div class="box"><div class="box-hd"><span>信息公开年度报告</span>
      <a class="more" href="/ndbg/list.htm">更多&gt;&gt;</a></div>
      <ul><li><a href="/info/3.htm">示例大学2024年信息公开年度报告</a></li></ul></div>
    <div class="box"><h3>通知公告</h3><a href="/tzgg.htm">more+</a></div>
    <div class="box"><h3>学校新闻</h3><a href="/xw.htm">更多</a></div>
    </body></html>"""
    assert urls(candidates(f"{H}/", html)) == [
        (f"{H}/ndbg/list.htm", "column"),
        (f"{H}/tzgg.htm", "notices"),
    ]


def test_title_and_image_alt_name_a_link():
    html = """<a href="/a/ndbg/" title="信息公开年度报告"><img src="/i/b1.png"></a>
    <a href="/jbxx/"><img src="/i/b2.png" alt="基本信息"></a>
    <a href="/2023.htm">示例大学2023年信息公开年度报告</a>
    <a href="/ml2025.htm">示例大学信息公开目录（2025年修订）</a>
    <a href="/ml2024.htm" title="示例大学信息公开目录（2024年修订）">示例大学信息公开目录（2…</a>"""
    assert urls(candidates(f"{H}/index.htm", html)) == [
        (f"{H}/a/ndbg/", "column"),
        (f"{H}/jbxx/", "catalogue"),
    ]


def test_nav_menu_catalogue_and_site_map():
    html = """<ul class="nav"><li><a href="/">首页</a></li>
    <li><a href="/xxgkml.htm">信息公开目录</a>
      <ul><li><a href="/ndbg.htm">年度报告</a></li></ul></li>
    <li><a href="/sitemap.htm">网站地图</a></li></ul>"""
    found = candidates(f"{H}/", html)
    assert found == [
        Candidate(f"{H}/ndbg.htm", 100, "column", "年度报告"),
        Candidate(f"{H}/xxgkml.htm", 60, "catalogue", "信息公开目录"),
        Candidate(f"{H}/sitemap.htm", 30, "sitemap", "网站地图"),
    ]


def test_frames_meta_refresh_and_window_location():
    frameset = '<frameset rows="80,*"><frame src="top.htm"><frame src="main.htm"></frameset>'
    assert redirects(f"{H}/", frameset) == [f"{H}/top.htm", f"{H}/main.htm"]
    refresh = '<meta http-equiv="refresh" content="0; url=/xxgk/index.htm">'
    assert redirects(f"{H}/", refresh) == [f"{H}/xxgk/index.htm"]
    script = "<script>window.location.href = 'portal/index.jsp';</script>"
    assert redirects(f"{H}/", script) == [f"{H}/portal/index.jsp"]
    replace = '<body><script>location.replace("/new/")</script></body>'
    assert redirects(f"{H}/", replace) == [f"{H}/new/"]
    wrapper = '<body><iframe src="/main.htm" width="100%"></iframe></body>'
    assert redirects(f"{H}/", wrapper) == [f"{H}/main.htm"]
    assert [c.why for c in candidates(f"{H}/", frameset)] == ["frame", "frame"]


def test_a_long_page_with_an_iframe_is_no_wrapper():
    text = "学校简介" * 30
    assert redirects(f"{H}/", f'<body><p>{text}</p><iframe src="/map.htm"></iframe></body>') == []


def test_box_heading_of_a_plain_list_link():
    from parsel import Selector

    sel = Selector(
        text='<div class="col"><h2>信息公开年报</h2><p><a href="/x">&gt;&gt;</a></p></div>'
    )
    assert box_heading(sel.css("a")[0].root) == "信息公开年报"


def test_exploration_follows_columns_always_hubs_breadth_first_within_budget():
    same = lambda url: url.startswith(H)  # noqa: E731
    hubs = [Candidate(f"{H}/h{i}.htm", 50, "hub", "信息公开") for i in range(5)]
    explore = Exploration(budget=3, max_depth=2)
    explore.start(f"{H}/")
    chosen = explore.next_fetches(0, [*hubs, Candidate("http://evil.cn/", 50, "hub", "x")], same)
    assert [(c.url, d) for c, d in chosen] == [(f"{H}/h{i}.htm", 1) for i in range(3)]
    column = Candidate(f"{H}/ndbg.htm", 100, "column", "年度报告")
    # budget spent: hubs no more, but a column link still
    assert [(c.url, d) for c, d in explore.next_fetches(1, [column, hubs[4]], same)] == [
        (f"{H}/ndbg.htm", 2)
    ]
    # a page offering a column link is not explored further; seen pages are not fetched again
    fresh = Exploration(budget=9, max_depth=2)
    assert [(c.url, d) for c, d in fresh.next_fetches(0, [column, hubs[0]], same)] == [
        (f"{H}/ndbg.htm", 1)
    ]
    assert fresh.next_fetches(1, [column], same) == []
    # hubs stop at max_depth; frames keep their depth
    frame = Candidate(f"{H}/main.htm", 200, "frame", "")
    assert [(c.url, d) for c, d in fresh.next_fetches(2, [frame, hubs[1]], same)] == [
        (f"{H}/main.htm", 2)
    ]
