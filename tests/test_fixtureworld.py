"""The fixture portal world: ground truth is reachable, families look like themselves, and the
deliberate hazards (challenges, errors, GBK, robots, mirrors) behave as documented."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import urllib.error
import urllib.request
from collections import Counter
from email.message import Message

import pytest

from fixtureworld import MIRROR_HOST, build_world, serve_world
from fixtureworld.model import World


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


@pytest.fixture(scope="module")
def srv(world):
    with serve_world(world) as server:
        yield server


@pytest.fixture
def fresh_srv(world):
    """A server whose one-shot challenges have not fired yet."""
    with serve_world(world) as server:
        yield server


def fetch(
    srv, host: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    req = urllib.request.Request(
        f"http://127.0.0.1:{srv.port}{path}",
        method=method,
        headers={"Host": host, "User-Agent": "fixture-test", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def fetch_retrying(srv, host: str, path: str) -> tuple[int, bytes]:
    status, _, body = fetch(srv, host, path)
    if status in (202, 412, 500):
        status, _, body = fetch(srv, host, path)
    return status, body


def article_pages(srv, report) -> bytes:
    """All pages of a report's article (VSB long articles continue at `<id>_N.htm`)."""
    status, body = fetch_retrying(srv, report.host, report.page_url_path)
    assert status == 200, report
    pages, n = [body], 1
    while f"_{n}.htm".encode() in body:
        status, body = fetch_retrying(
            srv, report.host, report.page_url_path.replace(".htm", f"_{n}.htm")
        )
        assert status == 200
        pages.append(body)
        n += 1
    return b"".join(pages)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def test_world_shape(world):
    reports = world.expected_reports()
    families = Counter(s.family or "other" for s in world.schools)
    assert families == {"vsb": 3, "webplus": 3, "other": 4}
    assert len(reports) == 52
    per_school = Counter(r.school_code for r in reports)
    assert set(per_school) == {s.code for s in world.schools}
    assert all(2 <= n <= 8 for n in per_school.values())
    assert len({(r.school_code, r.year) for r in reports}) == len(reports)
    assert {r.year for r in reports} == set(range(2019, 2027))
    assert Counter(r.format for r in reports) == {"pdf": 47, "docx": 2, "html": 3}
    assert [r.host for r in reports if r.broken] == ["xxgk.ctbu.edu.cn"]
    assert not set(world.lookalike_titles()) & {r.title for r in reports}
    assert MIRROR_HOST in world.hosts and world.mirror_hosts() == [MIRROR_HOST]
    assert {(r.host, len(r.alt_page_url_paths)) for r in reports if r.alt_page_url_paths} == {
        ("xxgk.ctbu.edu.cn", 1),
        ("xwgk.fzu.edu.cn", 1),
    }


def test_every_expected_report_is_served_byte_exact(world, srv):
    for report in world.expected_reports():
        pages = article_pages(srv, report)
        charset = "gbk" if report.host == "www.jhun.edu.cn" else "utf-8"
        # A column page linking the PDF directly holds the title in the link text.
        assert report.title.encode(charset) in pages
        for alt in report.alt_page_url_paths:
            assert fetch_retrying(srv, report.host, alt)[0] == 200
        if report.file_path is None:
            assert report.format == "html" and report.sha256 is None
            assert "清单事项公开情况表".encode() in pages
            continue
        assert report.file_path.encode() in pages, report
        status, headers, body = fetch(srv, report.host, report.file_path)
        assert status == 200
        assert hashlib.sha256(body).hexdigest() == report.sha256
        assert world.files[(report.host, report.file_path)] == body
        assert int(headers["Content-Length"]) == len(body)
        if report.format == "pdf":
            assert body.startswith(b"%PDF-")
            assert body.rstrip().endswith(b"%%EOF") is not report.broken
            if not report.broken:
                assert 3 <= page_count(body) <= 8
        else:
            assert body.startswith(b"PK")


def test_docx_reports_carry_the_checklist_table(world):
    import docx

    for report in (r for r in world.expected_reports() if r.format == "docx"):
        document = docx.Document(io.BytesIO(world.files[(report.host, report.file_path)]))
        assert document.tables[0].rows[0].cells[2].text == "清单事项"
        assert any(p.text.startswith("一、") for p in document.paragraphs)


def test_build_is_deterministic(world):
    again = build_world()
    assert again.files == world.files
    assert {k: r.body for k, r in again.resources.items()} == {
        k: r.body for k, r in world.resources.items()
    }
    assert again.expected_reports() == world.expected_reports()


@pytest.mark.parametrize(
    "host,needles",
    [
        (
            "xxgk.gdou.edu.cn",
            (
                "<!--Announced by Visual SiteBuilder 9-->",
                "_sitegray/_sitegray_d.css",
                "/system/resource/js/counter.js",
                "index.vsb.css",
            ),
        ),
        ("xxgk.ctbu.edu.cn", ("Visual SiteBuilder", "/system/resource/js/counter.js")),
        ("xxgk.jlau.edu.cn", ("Visual SiteBuilder", "_sitegray/_sitegray_d.css")),
        ("xxgk.hfut.edu.cn", ("/_js/_portletPlugs/", "sudy-wp-siteId")),
        ("xxgk.scut.edu.cn", ("/_js/_portletPlugs/", "/_css/_system/system.css")),
        ("xwgk.fzu.edu.cn", ("/_js/_portletPlugs/",)),
    ],
)
def test_family_fingerprints(world, srv, host, needles):
    status, _, home = fetch(srv, host, "/")
    assert status == 200
    assert all(n.encode() in home for n in needles)
    report = next(r for r in world.expected_reports() if r.host == host and r.format == "pdf")
    page = article_pages(srv, report).decode()
    if "Visual SiteBuilder" in needles[0]:
        assert '<form name="_newscontent_fromname">' in page
        assert '<div id="vsb_content_2"><div class="v_news_content">' in page
        assert '<META Name="PubDate"' in page and "点击数:<span" in page
        assert "download.jsp" in page or "showVsbpdfIframe(" in page
    else:
        assert "wp_articlecontent" in page and 'class="arti_update">发布时间：' in page
        assert 'class="wp_pdf_player"' in page and '<a href="/_upload' not in page


def follow(srv, host: str, path: str, pattern: str) -> list[str]:
    """List pages reached by following the next-page link matched by `pattern`."""
    seen = [path]
    while True:
        body = fetch(srv, host, seen[-1])[2].decode()
        match = re.search(pattern, body)
        if not match:
            return seen
        base = seen[-1].rsplit("/", 1)[0]
        seen.append(urllib.parse.urljoin(f"{base}/", match.group(1)))


def test_vsb_lists_count_down(world, srv):
    pages = follow(srv, "xxgk.gdou.edu.cn", "/xxgknb.htm", r'p_next p_fun"><a href="([^"]+)"')
    assert pages == ["/xxgknb.htm", "/xxgknb/3.htm", "/xxgknb/2.htm", "/xxgknb/1.htm"]
    last = fetch(srv, "xxgk.gdou.edu.cn", "/xxgknb/1.htm")[2].decode()
    assert '<span class="p_next_d p_fun_d">下页</span>' in last and "4/4" in last
    holding = {
        p
        for p in pages
        for r in world.expected_reports()
        if r.host == "xxgk.gdou.edu.cn"
        and r.page_url_path.rsplit("/", 1)[1].encode() in fetch(srv, r.host, p)[2]
    }
    assert len(holding) >= 3
    old = follow(srv, "xxgk.ctbu.edu.cn", "/xxgknb.htm", r'<a href="([^"]+)" class="Next">下页')
    first = fetch(srv, "xxgk.ctbu.edu.cn", "/xxgknb.htm")[2].decode()
    count, total = map(
        int,
        re.search(
            r'<td nowrap align="left" width="1%" id="fanye148356">共(\d+)条&nbsp;&nbsp;1/(\d+)',
            first,
        ).groups(),
    )
    assert total >= 3 and count > 5 * (total - 1)
    assert old == ["/xxgknb.htm"] + [f"/xxgknb/{n}.htm" for n in range(total - 1, 0, -1)]
    assert (
        '<span class="NextDisabled">下页</span>'
        in fetch(srv, "xxgk.ctbu.edu.cn", "/xxgknb/1.htm")[2].decode()
    )
    assert re.search(
        r'<li id="line_u5_0"><a href="info/1010/\d+\.htm" target="_blank" '
        r'title="[^"]+">[^<]+</a><span>\d{4}-\d\d-\d\d</span></li>',
        first,
    )


def test_gbk_site_and_the_misdeclared_page(world, srv):
    jhun = [r for r in world.expected_reports() if r.host == "www.jhun.edu.cn"]
    for report in jhun:
        _, headers, body = fetch(srv, report.host, report.page_url_path)
        assert report.title in body.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        declared = headers.get_content_charset()
        assert declared == ("utf-8" if report.year == 2023 else "gbk")
    _, headers, body = fetch(srv, "www.jhun.edu.cn", "/a/xinxigongkai/xxgknb/")
    assert headers.get_content_charset() == "gbk" and "年报" in body.decode("gbk")


def test_robots_on_every_host_and_a_tempting_link(world, srv):
    for host in world.hosts:
        status, _, body = fetch(srv, host, "/robots.txt")
        assert status == 200 and body.startswith(b"User-agent: *")
        for h, prefix in world.disallowed_paths():
            if h == host:
                assert f"Disallow: {prefix}\n".encode() in body
    home = fetch(srv, "xxgk.gdou.edu.cn", "/")[2].decode()
    assert 'href="/system/resource/search/xxgksearch.jsp?' in home
    assert ("xxgk.gdou.edu.cn", "/system/resource/") in world.disallowed_paths()


@pytest.mark.parametrize(
    "host,status", [("xxgk.gdou.edu.cn", 412), ("xxgk.jlau.edu.cn", 202), ("xxgk.ctbu.edu.cn", 500)]
)
def test_one_shot_challenges_and_errors(world, fresh_srv, host, status):
    report = next(
        r
        for r in world.expected_reports()
        if r.host == host and fetch(fresh_srv, host, r.page_url_path, "HEAD")[0] == status
    )
    fresh_srv.reset()
    first = fetch(fresh_srv, host, report.page_url_path)
    assert first[0] == status and report.title.encode() not in first[2]
    if status != 500:
        assert b"<script>" in first[2] and b"__jsl_clearance" in first[2]
    second = fetch(fresh_srv, host, report.page_url_path)
    assert second[0] == 200 and report.title.encode() in second[2]
    assert [r.status for r in fresh_srv.requests] == [status, 200]


def test_conditional_requests_head_and_unknown_hosts(world, srv):
    report = next(r for r in world.expected_reports() if r.host == "xxgk.hfut.edu.cn")
    status, headers, body = fetch(srv, report.host, report.file_path)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert etag == f'"{report.sha256[:16]}"' and headers["Content-Type"] == "application/pdf"
    assert fetch(srv, report.host, report.file_path, headers={"If-None-Match": etag})[0] == 304
    assert (
        fetch(srv, report.host, report.file_path, headers={"If-Modified-Since": modified})[0] == 304
    )
    assert fetch(srv, report.host, report.file_path, headers={"If-None-Match": '"stale"'})[0] == 200
    status, headers, body = fetch(srv, report.host, report.file_path, "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert fetch(srv, "www.example.edu.cn", "/")[0] == 404
    log = srv.requests[-1]
    assert (log.host, log.path, log.method, log.status, log.user_agent) == (
        "www.example.edu.cn",
        "/",
        "GET",
        404,
        "fixture-test",
    )


def test_vsb_download_headers(world, srv):
    gdou = next(
        r for r in world.expected_reports() if r.host == "xxgk.gdou.edu.cn" and r.year == 2023
    )
    _, headers, _ = fetch(srv, gdou.host, gdou.file_path)
    assert headers["Content-Type"] == "application/octet-stream"
    assert urllib.parse.quote(gdou.file_name) in headers["Content-Disposition"]
    ctbu = next(
        r for r in world.expected_reports() if r.host == "xxgk.ctbu.edu.cn" and r.format == "docx"
    )
    _, headers, _ = fetch(srv, ctbu.host, ctbu.file_path)
    raw = headers["Content-Disposition"].encode("latin-1")
    assert ctbu.file_name.encode("gbk") in raw


def test_webplus_viewer_intranet_and_hex_paths(world, srv):
    scut = [r for r in world.expected_reports() if r.host == "xxgk.scut.edu.cn"]
    assert all(
        re.fullmatch(r"/_t1007/[0-9a-f]{2}/[0-9a-f]{2}/c17621a\d+/page\.htm", r.page_url_path)
        for r in scut
    )
    page = fetch(srv, scut[0].host, scut[0].page_url_path)[2].decode()
    viewer = re.search(r'<iframe class="wp_pdf_player" src="([^"]+)"', page).group(1)
    assert viewer.endswith(f"viewer.html?file={scut[0].file_path}")
    assert fetch(srv, scut[0].host, viewer)[0] == 200
    hfut_list = fetch(srv, "xxgk.hfut.edu.cn", "/2657/list.htm")[2].decode()
    assert '<em class="curr_page">1</em>/<em class="all_pages">3</em>' in hfut_list
    intranet = "2023年信息公开工作自查报告（校内）"
    assert intranet in world.lookalike_titles()
    for p in ("/2657/list.htm", "/2657/list2.htm", "/2657/list3.htm"):
        body = fetch(srv, "xxgk.hfut.edu.cn", p)[2].decode()
        found = re.search(rf'href="([^"]+)"[^>]*title="{intranet}"', body)
        if found:
            article = fetch(srv, "xxgk.hfut.edu.cn", found.group(1))[2].decode()
            assert 'class="wp_error_msg"' in article
            break
    else:
        pytest.fail("intranet article not listed")


def test_registry_resolve_and_mirror(world, srv, tmp_path):
    rows = srv.registry_rows()
    assert rows[0] == {
        "code": "4144010566",
        "name": "广东海洋大学",
        "portal_url": f"http://xxgk.gdou.edu.cn:{srv.port}/",
        "province": "广东省",
        "city": "湛江市",
        "authority": "广东省",
        "level": "本科",
    }
    path = srv.write_registry(tmp_path / "registry.csv")
    assert list(csv.DictReader(path.open(encoding="utf-8"))) == rows
    assert sorted(srv.resolve_args()) == sorted(f"{h}:{srv.port}:127.0.0.1" for h in world.hosts)
    assert MIRROR_HOST not in {urllib.parse.urlsplit(r["portal_url"]).hostname for r in rows}
    home = fetch(srv, "xxgk.gdou.edu.cn", "/")[2].decode()
    assert f'href="http://{MIRROR_HOST}:{srv.port}/"' in home
    mirror_home = fetch(srv, MIRROR_HOST, "/")[2].decode()
    assert "广东海洋大学" in mirror_home and "Visual SiteBuilder" in mirror_home
    mirror_files = {k: v for k, v in world.files.items() if k[0] == MIRROR_HOST}
    real = {r.sha256 for r in world.expected_reports()}
    mirror_digests = {hashlib.sha256(v).hexdigest() for v in mirror_files.values()}
    assert mirror_files and not mirror_digests & real
    assert fetch(srv, "xxgk.gdou.edu.cn", "/info/1100/9999.htm")[0] == 404


def test_only_the_deliberate_link_is_dead(world, srv):
    """Walk every `<a href>` on every host: all answer 200 except gdou's listed 404."""
    from fixtureworld.world import DEAD_LINKS

    todo = [(s.host, s.portal_path) for s in world.schools] + [(MIRROR_HOST, "/")]
    seen, statuses = set(todo), {}
    while todo:
        host, path = todo.pop()
        status, headers, body = fetch_retrying_full(srv, host, path)
        statuses[(host, path)] = status
        if status != 200 or "html" not in headers.get_content_type():
            continue
        text = body.decode("gbk" if b'charset="gbk"' in body[:300] else "utf-8")
        for href in re.findall(r'<a\s[^>]*?href="([^"#]+)"', text):
            target = urllib.parse.urlsplit(
                urllib.parse.urljoin(f"http://{host}{path}", href.replace("&amp;", "&"))
            )
            key = target.path + (f"?{target.query}" if target.query else "")
            if target.scheme != "http" or target.hostname not in world.hosts:
                continue
            if any(target.hostname == h and key.startswith(p) for h, p in world.disallowed_paths()):
                continue
            if (target.hostname, key) not in seen:
                seen.add((target.hostname, key))
                todo.append((target.hostname, key))
    assert {k for k, v in statuses.items() if v != 200} == set(DEAD_LINKS)
    reports = world.expected_reports()
    assert {(r.host, r.page_url_path) for r in reports} <= set(statuses)
    # Files behind plain links are reached too (embedded ones hide in script/div/iframe).
    linked = {
        (r.host, r.file_path)
        for r in reports
        if r.file_path and not r.file_path.startswith(("/__local/", "/_upload/"))
    }
    assert linked and linked <= set(statuses)


def fetch_retrying_full(srv, host, path):
    status, headers, body = fetch(srv, host, path)
    if status in (202, 412, 500):
        status, headers, body = fetch(srv, host, path)
    return status, headers, body
