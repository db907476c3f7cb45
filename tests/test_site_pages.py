"""The research site's routes on a small archive with every state: whole answers compared."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.site_archive import PARSE_ERROR, Site, build_site_archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    served = Site(build_site_archive(tmp_path_factory.mktemp("site")))
    yield served
    served.close()


def test_coverage_json_has_every_state(site: Site) -> None:
    response = site.get("/-/coverage.json")
    assert response.status_code == 200
    rows = [
        (r["school_code"], r["year"], r["report_id"], r["state"], r["state_label"])
        for r in response.json()["rows"]
    ]
    assert rows == [
        ("1001", 2023, 1, "present", "已发布"),
        ("1001", 2024, 2, "late", "逾期"),
        ("1002", 2023, 5, "parse_error", "解析失败"),
        ("1002", 2024, 3, "undated", "未注明日期"),
        ("1003", 2023, None, "missing", "缺失"),
        ("1003", 2024, 4, "present", "已发布"),
    ]
    late = response.json()["rows"][1]
    assert (late["due"], late["days_late"]) == ("2024-10-31", 5)


def test_coverage_csv_opens_in_excel(site: Site) -> None:
    response = site.get("/-/coverage.csv?province=江苏省")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "school_code",
        "school_name",
        "province",
        "year",
        "report_id",
        "published",
        "due",
        "days_late",
        "state",
        "state_label",
    ]
    assert [(r[0], r[3], r[8], r[9]) for r in rows[1:]] == [
        ("1002", "2023", "parse_error", "解析失败"),
        ("1002", "2024", "undated", "未注明日期"),
        ("1003", "2023", "missing", "缺失"),
        ("1003", "2024", "present", "已发布"),
    ]


def test_coverage_page_shows_parse_failure_apart(site: Site) -> None:
    html = site.get("/-/coverage").text
    assert "发布情况：学校 × 年度" in html
    assert (
        'class="xxgk-state-parse_error" data-state="parse_error"><a href="/xxgk/reports/5"' in html
    )
    assert 'data-state="missing">缺失</td>' in html
    assert '<a href="/-/schools/1002">乙学院</a>' in html
    assert "透明度指标" in html


def test_compare_json_matrix(site: Site) -> None:
    data = site.get("/-/compare.json?figure=requests_received").json()
    assert (data["figure"], data["label"], data["years"]) == (
        "requests_received",
        "依申请公开：收到申请",
        [2023, 2024],
    )
    matrix = {
        r["code"]: {y: (c["value"], c["report_id"]) for y, c in r["values"].items()}
        for r in data["rows"]
    }
    assert matrix == {
        "1001": {"2023": (12, 1), "2024": (20, 2)},
        "1002": {"2024": (3, 3)},
        "1003": {"2024": (0, 4)},
    }
    cell = data["rows"][0]["values"]["2023"]
    assert cell["evidence"] == "本年度共收到依申请公开申请12件，予以公开8件。"
    assert cell["url"] == "/xxgk/reports/1"


def test_compare_filters_sorts_and_csv(site: Site) -> None:
    response = site.get("/-/compare.csv?figure=requests_granted&province=江苏省&sort=2024&desc=1")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["school_code", "school_name", "province", "authority", "level", "2024"],
        ["1002", "乙学院", "江苏省", "江苏省", "专科", "3"],
        ["1003", "丙大学", "江苏省", "江苏省", "本科", "0"],
    ]
    level = site.get("/-/compare.json?figure=days_late&level=本科").json()
    assert {r["code"]: {y: c["value"] for y, c in r["values"].items()} for r in level["rows"]} == {
        "1001": {"2023": 0, "2024": 5},
        "1003": {"2024": 0},
    }


def test_compare_page_links_cells_to_evidence(site: Site) -> None:
    html = site.get("/-/compare?figure=requests_received").text
    assert "学校对比：依申请公开：收到申请" in html
    assert (
        '<a href="/xxgk/reports/1#figure-1" '
        'title="本年度共收到依申请公开申请12件，予以公开8件。">12</a>' in html
    )
    assert site.get("/-/compare?figure=no_such_figure").status_code == 400


def test_search_json_hits(site: Site) -> None:
    data = site.get("/-/search.json?q=依申请").json()
    assert (data["total"], data["total_capped"]) == (4, False)
    assert {h["report_id"] for h in data["hits"]} == {1, 2, 3, 4}  # not the parse failure
    hit = next(h for h in data["hits"] if h["report_id"] == 1)
    assert {k: hit[k] for k in ("school_code", "year", "section", "snippet")} == {
        "school_code": "1001",
        "year": 2023,
        "section": "三、依申请公开情况",
        "snippet": "本年度共收到<mark>依申请</mark>公开申请12件，予以公开8件。",
    }
    assert isinstance(hit["score"], float)
    assert data["facets"]["province"] == [
        {"value": "北京市", "label": "北京市", "count": 2},
        {"value": "江苏省", "label": "江苏省", "count": 2},
    ]


def test_search_page_two_characters_with_filter(site: Site) -> None:
    html = site.get("/-/search?q=招生&province=江苏省").text
    assert "共 2 份报告含「招生」" in html
    assert "<mark>招生</mark>" in html
    assert "一、概述" in html
    empty = site.get("/-/search.json?q=，。")
    assert empty.status_code == 200 and empty.json()["ok"] is False


def test_school_page(site: Site) -> None:
    html = site.get("/-/schools/1002").text
    for text in ("乙学院", "江苏省", "南京市", "专科", "历年报告", "透明度指标", "历年数字"):
        assert text in html, text
    assert f"解析失败：{PARSE_ERROR[3]}" in html
    assert "未注明" in html
    assert site.get("/-/schools/nope").status_code == 404
    index = site.get("/-/schools?province=北京市").text
    assert "甲大学" in index and "乙学院" not in index


def test_report_page_reads_as_document(site: Site) -> None:
    html = site.get("/xxgk/reports/1").text
    assert "<h1>甲大学2023年信息公开年度报告</h1>" in html
    assert '<h2 class="sec" id="section-on_request">三、依申请公开情况</h2>' in html
    assert '<a href="#section-on_request">三、依申请公开情况</a>' in html  # the outline
    assert '<span id="figure-1">依申请公开：收到申请</span>' in html
    assert "<td>招生考试信息</td>" not in html and "<td class=wrap>招生章程</td>" in html
    assert "/-/raw/" + f"{1:064x}" in html
    failed = site.get("/xxgk/reports/5").text
    assert f"解析失败：{PARSE_ERROR[3]}" in failed


def test_home_page_is_a_research_entry(site: Site) -> None:
    html = site.get("/").text
    for text in (
        'action="/-/search"',
        "发布情况",
        "从这里开始",
        "常用查询",
        "/-/compare",
        "最近一次抓取",
    ):
        assert text in html, text
    assert '<span class="xxgk-state-parse_error">解析失败 1</span>' in html


def test_charts_in_chinese_with_values(site: Site) -> None:
    html = site.get("/-/charts").text
    assert html.count('<figure class="xxgk-chart"><svg') == 3
    assert "每年报告发布情况" in html and "每年收到的依申请公开申请" in html
    svg = site.get("/-/charts/requests-per-year.svg").text
    assert '<text x="' in svg and ">20</text>" in svg  # 2024: 20 + 3 + 0 on the bar


def test_unknown_route_is_a_chinese_404(site: Site, capsys: pytest.CaptureFixture) -> None:
    response = site.get("/no/such/page")
    assert response.status_code == 404
    assert "未找到（404）" in response.text
    assert site.get("/xxgk/no_such_table.json").json()["ok"] is False
    assert "Traceback" not in capsys.readouterr().err


def test_transparency_measures(site: Site) -> None:
    from archive.site.transparency import SCORED_SQL
    from archive.store import open_database

    db = open_database(Path(site.datasette.get_database("xxgk").path))
    rows = {
        r["report_id"]: (
            r["on_time"],
            r["sections_present"],
            r["checklist_present"],
            r["on_request_stated"],
            r["period_stated"],
            r["score"],
        )
        for r in db.query(SCORED_SQL)
    }
    db.close()
    assert rows == {
        1: (1, 7, 1, 1, 1, 5),
        2: (0, 7, 1, 1, 1, 4),
        3: (None, 5, 0, 1, 0, 1),
        4: (1, 7, 1, 1, 1, 5),
        5: (1, 0, 0, 0, 0, 1),
    }


def test_json_keys_stay_english(site: Site) -> None:
    data = json.loads(site.get("/-/search.json?q=举报").text)
    assert set(data["hits"][0]) >= {
        "report_id",
        "school_code",
        "year",
        "section",
        "snippet",
        "score",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/-/search?q=招生",
        "/-/schools",
        "/-/schools/1001",
        "/xxgk/reports/1",
        "/-/compare",
        "/-/coverage",
        "/-/charts",
    ],
)
def test_pages_are_html_not_escaped_markup(site: Site, path: str) -> None:
    response = site.get(path)
    assert response.status_code == 200
    for escaped in ("&lt;p", "&lt;div", "&lt;table", "&lt;a ", "&lt;form"):
        assert escaped not in response.text, (path, escaped)
    assert "<h1>" in response.text and "首页" in response.text


def test_health_reasons_in_chinese() -> None:
    from archive.site.labels import reasons_label

    assert reasons_label("home page failed: 503; no report for 2026 (latest 2024); odd") == (
        "首页无法访问：503（home page failed: 503）；"
        "缺少 2026 年度报告（最新为 2024）（no report for 2026 (latest 2024)）；odd"
    )
    assert reasons_label(None) == ""


def test_canned_query_cells_link_to_reports_and_schools(site: Site) -> None:
    html = site.get("/xxgk/late_reports").text
    assert '<a href="/xxgk/reports/2" title="打开报告">2</a>' in html
    assert '<a href="/-/schools/1001" title="学校页面">1001</a>' in html
    tables = site.get("/xxgk/tables").text
    assert "<th>类别</th><th>事项</th><th>公开情况</th>" in tables  # rows as a table, not JSON


# Datasette's own words on its table, query, row and database pages (templates overridden in
# archive/site/templates with the markup unchanged).
DATASETTE_ENGLISH = (
    "Suggested facets",
    "Advanced export",
    "This data as",
    "View and edit SQL",
    'value="Apply"',
    "Next page",
    "CSV options",
    'value="Run SQL"',
    "Custom SQL query",
    "Links from other tables",
    "Download SQLite DB",
)


@pytest.mark.parametrize(
    ("path", "chinese"),
    [
        ("/xxgk/reports?_size=2", ("导出本页数据", "导出选项", "下一页", 'value="应用"')),
        ("/xxgk/fetches?_size=1", ("导出本页数据", "共 ")),
        ("/xxgk?sql=select+1", ('value="运行 SQL"', "导出本页数据")),
        ("/xxgk", ("数据表", "预设查询")),
    ],
)
def test_datasette_chrome_is_chinese(site: Site, path: str, chinese: tuple[str, ...]) -> None:
    response = site.get(path)
    assert response.status_code == 200, path
    found = [words for words in DATASETTE_ENGLISH if words in response.text]
    assert found == [], path
    assert all(words in response.text for words in chinese), path
