"""The shape (views, FTS, triggers) re-applied on open, and derived state that is computed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive import Archive, ReportCandidate, SourceFile, save_report
from archive.health import PortalObservation, record_health
from archive.migrations import migrations
from archive.shape import VIEWS, ensure_db_shape
from archive.store import open_database
from parsers.document import ParsedDocument

# The coverage view as migration m003 created it before the shape moved to archive/shape.py.
OLD_COVERAGE = """
SELECT s.code AS school_code, s.name AS school_name, s.province AS province, r.year AS year,
       r.id AS report_id, r.published AS published, 'present' AS state
FROM schools s LEFT JOIN reports r ON r.school_code = s.code
"""
OLD_CHANGED = """
SELECT r.id AS report_id, count(v.id) AS versions
FROM reports r JOIN report_versions v ON v.report_id = r.id GROUP BY r.id
"""


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    arch = Archive(tmp_path)
    yield arch
    arch.close()


def _parsed(text: str) -> ParsedDocument:
    return ParsedDocument(text=text, format="html", parser="html", parser_version="1")


def _save(archive: Archive, code: str, year: int, published: str | None, text: str | None) -> int:
    candidate = ReportCandidate(
        school_code=code,
        school_name=code,
        title="报告",
        page_url=f"https://{code}/{year}",
        year=year,
        published=published,
        source=SourceFile(
            url=f"https://{code}/{year}",
            sha256=f"{code}{year}{text}",
            role="article",
            page_url=f"https://{code}/{year}",
        ),
    )
    parsed = _parsed(text) if text is not None else None
    error = None if text is not None else "BrokenDocument: not a PDF"
    report_id, _ = save_report(archive.db, candidate, parsed, error, "html")
    return report_id


def _shape_sql(db: Database) -> dict[str, str]:
    rows = db.execute(
        "select type, name, sql from sqlite_master where type in ('view', 'trigger') "
        "or name like '%_fts'"
    ).fetchall()
    return {f"{kind}:{name}": sql for kind, name, sql in rows}


def test_coverage_rows(archive: Archive) -> None:
    archive.upsert_schools([{"code": c, "name": c, "province": "北京"} for c in "abcd"])
    ids = {
        ("a", 2023): _save(archive, "a", 2023, "2023-10-31", "正文"),
        ("a", 2024): _save(archive, "a", 2024, "2024-11-03 09:00", "正文"),
        ("b", 2024): _save(archive, "b", 2024, None, "正文"),
        ("c", 2023): _save(archive, "c", 2023, "2023-09-01", None),
        ("c", 2024): _save(archive, "c", 2024, "2024-09-01", "  "),
        ("d", 2024): _save(archive, "d", 2024, "", "正文"),
    }
    rows = list(archive.db.query("select * from coverage order by school_code, year"))

    def row(code, year, published, days_late, state):
        return {
            "school_code": code,
            "school_name": code,
            "province": "北京",
            "year": year,
            "report_id": ids.get((code, year)),
            "published": published,
            "due": f"{year}-10-31",
            "days_late": days_late,
            "state": state,
        }

    assert rows == [
        row("a", 2023, "2023-10-31", 0, "present"),
        row("a", 2024, "2024-11-03 09:00", 3, "late"),
        row("b", 2023, None, None, "missing"),
        row("b", 2024, None, None, "undated"),
        row("c", 2023, "2023-09-01", 0, "parse_error"),
        row("c", 2024, "2024-09-01", 0, "parse_error"),
        row("d", 2023, None, None, "missing"),
        row("d", 2024, None, None, "undated"),
    ]


def test_upgraded_archive_has_the_same_shape_as_a_new_one(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    old = Database(tmp_path / "old" / "xxgk.db")
    migrations.apply(old, stop_before="m005_derived_state")
    old.execute("create view coverage as " + OLD_COVERAGE)
    old.execute("create view changed_reports as " + OLD_CHANGED)
    old["schools"].insert({"code": "a", "name": "甲大学", "province": "北京"})
    old["reports"].insert(
        {"id": 1, "school_code": "a", "year": 2023, "sha256": "new", "status": "ok", "text": "文"}
    )
    old["report_versions"].insert_all(
        [
            {"report_id": 1, "sha256": "old", "current": 1},  # a stale flag the view corrects
            {"report_id": 1, "sha256": "new", "current": 0},
        ]
    )
    old["portal_health"].insert({"school_code": "a", "reasons": "no report archived"})
    old.close()

    upgraded = open_database(tmp_path / "old" / "xxgk.db")
    fresh = open_database(tmp_path / "new.db")
    assert _shape_sql(upgraded) == _shape_sql(fresh)
    assert set(VIEWS) <= set(upgraded.view_names())
    assert list(upgraded.query("select sha256, current from report_versions order by id")) == [
        {"sha256": "old", "current": 0},
        {"sha256": "new", "current": 1},
    ]
    assert list(upgraded.query("select state, days_late from coverage")) == [
        {"state": "undated", "days_late": None}
    ]
    assert [r["needs_attention"] for r in upgraded.query("select * from portal_health")] == [1]


def test_ensure_db_shape_is_idempotent_and_repairs(archive: Archive) -> None:
    db = archive.db
    assert ensure_db_shape(db) == []
    db.execute("drop view coverage")
    db.execute("drop trigger fetches_append_only_delete")
    assert ensure_db_shape(db) == ["coverage", "fetches_append_only_delete"]
    assert ensure_db_shape(db) == []


def test_missing_search_index_is_recreated_and_filled(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.upsert_schools([{"code": "a", "name": "甲大学", "province": "北京"}])
    _save(archive, "a", 2023, "2023-10-01", "依申请公开")
    archive.db.execute("drop table reports_fts")
    archive.close()
    db = open_database(tmp_path / "xxgk.db")
    hits = db.execute(
        "select rowid from reports_fts where reports_fts match xxgk_match('申请')"
    ).fetchall()
    assert hits == [(1,)]


def test_status_is_generated_from_error(archive: Archive) -> None:
    archive.upsert_schools([{"code": "a", "name": "a", "province": "北京"}])
    report_id = _save(archive, "a", 2023, None, None)
    status = "select status, error from reports where id = ?"
    assert list(archive.db.query(status, [report_id])) == [
        {"status": "parse_error", "error": "BrokenDocument: not a PDF"}
    ]
    archive.db.execute("update reports set error = null where id = ?", [report_id])
    assert list(archive.db.query(status, [report_id])) == [{"status": "ok", "error": None}]


def test_needs_attention_is_generated_from_reasons(archive: Archive) -> None:
    archive.upsert_schools([{"code": c, "name": c, "province": "北京"} for c in "ab"])
    _save(archive, "b", 2024, "2024-10-01", "正文")
    crawl = archive.begin_crawl("portals", {})
    observed = [
        PortalObservation("a", home_status=200, column_found=True),
        PortalObservation("b", home_status=200, column_found=True),
    ]
    assert record_health(archive.db, crawl, observed, dt.date(2025, 1, 1)) == 1
    rows = archive.db.query(
        "select school_code, needs_attention, reasons from portal_health order by id"
    )
    assert list(rows) == [
        {"school_code": "a", "needs_attention": 1, "reasons": "no report archived"},
        {"school_code": "b", "needs_attention": 0, "reasons": None},
    ]


def test_current_version_follows_the_report(archive: Archive) -> None:
    archive.upsert_schools([{"code": "a", "name": "a", "province": "北京"}])
    first = _save(archive, "a", 2023, "2023-10-01", "第一版")
    second = _save(archive, "a", 2023, "2023-10-01", "第二版")  # same page: a replacement
    assert first == second
    rows = archive.db.query("select sha256, current from report_versions order by id")
    assert list(rows) == [
        {"sha256": "a2023第一版", "current": 0},
        {"sha256": "a2023第二版", "current": 1},
    ]
