"""Raw downloads (bytes and headers) and the Datasette site: search box, queries, pages."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import pytest

from archive.downloads import (
    clean_content_type,
    content_disposition,
    sanitize_file_name,
)
from archive.sample import SampleArchive, build_sample_archive
from archive.serve import build_datasette, prepare

SHA = "ab" * 32


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleArchive:
    return build_sample_archive(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def get(sample: SampleArchive):
    datasette = build_datasette(prepare(sample.data_dir))
    loop = asyncio.new_event_loop()
    yield lambda path: loop.run_until_complete(datasette.client.get(path))
    loop.close()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("北京大学2023年信息公开年度报告.pdf", "北京大学2023年信息公开年度报告.pdf"),
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", f"{SHA[:16]}.pdf"),
        (None, f"{SHA[:16]}.pdf"),
        ("a\r\nContent-Type: text/html.pdf", "html.pdf"),  # "/" starts a path: dropped
        ('报告"; filename=evil.exe', "报告__ filename=evil.exe"),
        (".htaccess", "htaccess.pdf"),
    ],
)
def test_file_names_are_sanitised(name: str | None, expected: str) -> None:
    assert sanitize_file_name(name, SHA, "application/pdf") == expected


def test_content_disposition_has_ascii_fallback_and_rfc5987_name() -> None:
    value = content_disposition("北京大学 2023年报告.pdf")
    assert value == (
        'attachment; filename="_2023.pdf"; '
        "filename*=UTF-8''" + quote("北京大学 2023年报告.pdf", safe="")
    )
    assert value.isascii()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("application/pdf", "application/pdf"),
        ("text/html; charset=GBK", "text/html; charset=GBK"),
        ("TEXT/HTML", "text/html"),
        ("text/html\r\nSet-Cookie: a=b", None),
        ("nonsense", None),
        (None, None),
    ],
)
def test_content_types_are_cleaned(value: str | None, expected: str | None) -> None:
    assert clean_content_type(value) == expected


def test_raw_pdf_download_is_byte_exact_with_name_and_type(sample, get) -> None:
    report = sample.reports[0]
    response = get(f"/-/raw/{report.sha256}")
    assert response.status_code == 200
    assert response.content == report.body
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment; ")
    assert headers["content-disposition"].endswith(
        "filename*=UTF-8''" + quote(report.file_name, safe="")
    )
    assert headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in headers["content-security-policy"]
    assert headers["content-length"] == str(len(report.body))
    assert headers["etag"] == f'"{report.sha256}"'


def test_scraped_html_is_downloaded_never_rendered(sample, get) -> None:
    response = get(f"/-/raw/{sample.html_sha256}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-security-policy"].startswith("default-src 'none'; sandbox")
    assert b"<script>" in response.content  # bytes untouched, but inert


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/-/raw/{SHA}", 404),  # well-formed but not in the archive
        ("/-/raw/abc", 400),
        ("/-/raw/" + "g" * 64, 400),
        ("/-/raw/%2e%2e%2fxxgk.db", 400),
        ("/-/raw/..%2F..%2Fxxgk.db", 400),
    ],
)
def test_bad_raw_addresses(get, path: str, status: int) -> None:
    assert get(path).status_code == status


def test_rows_link_to_raw_downloads(sample, get) -> None:
    report = sample.reports[0]
    html = get(f"/xxgk/reports/{report.report_id}").text
    assert f'href="/-/raw/{report.sha256}"' in html
    assert f'href="/-/raw/{report.sha256}"' in get("/xxgk/fetches").text


def test_search_box_and_search_parameter(get) -> None:
    assert 'name="_search"' in get("/xxgk/reports").text
    rows = get("/xxgk/reports.json?_search=清华&_shape=array&_col=school_code").json()
    assert sorted(r["school_code"] for r in rows) == ["10003", "10003"]
    rows = get("/xxgk/reports.json?_search=招&_shape=array").json()
    assert len(rows) == 5
    assert get("/xxgk/reports.json?_search=，&_shape=array").json() == []
    sections = get("/xxgk/sections.json?_search=依申请&key=on_request&_shape=array").json()
    assert len(sections) == 5


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("school_reports.json?school=10001", 2),
        ("school_reports.json?school=北京大学", 2),
        ("schools_without_report.json?year=2022", 1),
        ("late_reports.json", 2),
        ("on_request_by_school.json?school=10001&from_year=2015&to_year=2024", 2),
        ("on_request_figures.json?year=", None),  # figures depend on the parser
        ("section_search.json?q=依申请&key=on_request", 5),
        ("section_search.json?q=招生&key=", 5),
    ],
)
def test_canned_queries(get, query: str, count: int | None) -> None:
    response = get(f"/xxgk/{query}{'&' if '?' in query else '?'}_shape=array")
    assert response.status_code == 200, response.text
    if count is not None:
        assert len(response.json()) == count


def test_coverage_and_charts_pages(get) -> None:
    coverage = get("/-/coverage").text
    assert coverage.count('data-state="late"') == 2
    assert coverage.count('data-state="missing"') == 1
    charts = get("/-/charts").text
    assert charts.count('<figure class="xxgk-chart"><svg') == 3
    svg = get("/-/charts/reports-per-year.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<script" not in svg.text and "http://" not in svg.text.replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_site_pages_carry_security_headers(get) -> None:
    headers = get("/xxgk").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in headers["content-security-policy"]


def test_database_file_is_downloadable(sample, get) -> None:
    response = get("/xxgk.db")
    assert response.status_code == 200
    assert response.content == (Path(sample.data_dir) / "xxgk.db").read_bytes()


@pytest.mark.parametrize(
    "sql",
    [
        "insert into schools (code, name) values ('x', 'y')",
        "update reports set text = ''",
        "delete from fetches",
        "drop table reports",
        "attach database '/tmp/x.db' as x",
        "pragma journal_mode=delete",
    ],
)
def test_the_archive_has_no_write_path(sample, get, sql: str) -> None:
    before = Path(sample.data_dir, "xxgk.db").read_bytes()
    response = get(f"/xxgk.json?sql={quote(sql)}")
    assert response.status_code in (400, 403)
    assert Path(sample.data_dir, "xxgk.db").read_bytes() == before


def test_runaway_queries_are_stopped_by_the_time_limit(get) -> None:
    # A recursive CTE that would count to a billion: the SQL time limit ends it.
    sql = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000000) "
        "select count(*) from n"
    )
    response = get(f"/xxgk.json?sql={quote(sql)}")
    assert response.status_code == 400
    assert "SQL query took too long" in response.text
