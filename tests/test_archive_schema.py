"""Schema, migrations (an m001-only database upgrades), metadata coverage and the fetch log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from sqlite_utils import Database

from archive import Archive
from archive.migrations import migrations
from archive.search import search_reports
from archive.serve import METADATA
from archive.store import open_database

TABLES = {
    "schools",
    "crawls",
    "fetches",
    "reports",
    "sections",
    "figures",
    "tables",
    "attachments",
    "file_versions",
    "portal_health",
}


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    arch = Archive(tmp_path)
    yield arch
    arch.close()


def test_fresh_archive_has_every_table_view_and_migration(archive: Archive) -> None:
    db = archive.db
    assert TABLES <= set(db.table_names())
    assert {"reports_fts", "sections_fts"} <= set(db.table_names())
    assert db.view_names() == [
        "coverage",
        "changed_reports",
        "removed_reports",
        "portals_needing_attention",
        "report_versions",
    ]
    assert [m.name for m in migrations.applied(db)] == [
        "m001_initial",
        "m002_search",
        "m003_publishing",
        "m004_history_and_health",
        "m005_derived_state",
    ]
    # table_xinfo: `status` is a generated column, which table_info leaves out.
    report_columns = {r[1] for r in db.execute("PRAGMA table_xinfo(reports)").fetchall()}
    assert {
        "school_code",
        "school_name",
        "title",
        "year",
        "published",
        "page_url",
        "file_url",
        "format",
        "text",
        "sha256",
        "label",
        "period_start",
        "period_end",
        "pages",
        "first_seen",
        "last_seen",
        "parser",
        "parser_version",
        "status",
        "removed_at",
        "removal_reason",
    } <= report_columns


@pytest.mark.parametrize(
    ("table", "column", "other"),
    [
        ("reports", "school_code", "schools"),
        ("reports", "crawl_id", "crawls"),
        ("fetches", "crawl_id", "crawls"),
        ("sections", "report_id", "reports"),
        ("figures", "report_id", "reports"),
        ("tables", "report_id", "reports"),
        ("attachments", "report_id", "reports"),
    ],
)
def test_foreign_keys(archive: Archive, table: str, column: str, other: str) -> None:
    fks = {(fk.column, fk.other_table) for fk in archive.db[table].foreign_keys}
    assert (column, other) in fks


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("reports", ["school_code", "year"]),
        ("reports", ["published"]),
        ("reports", ["format"]),
        ("schools", ["province"]),
        ("sections", ["key"]),
        ("fetches", ["sha256"]),
        ("attachments", ["sha256"]),
    ],
)
def test_indexes(archive: Archive, table: str, columns: list[str]) -> None:
    assert columns in [index.columns for index in archive.db[table].indexes]


def test_fetch_log_is_append_only(archive: Archive) -> None:
    fetch_id = archive.record_fetch({"url": "https://example.edu.cn/", "status": 200})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        archive.db.execute("update fetches set status = 500 where id = ?", [fetch_id])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        archive.db.execute("delete from fetches")
    assert archive.db["fetches"].count == 1


def test_database_made_with_only_m001_upgrades(tmp_path: Path) -> None:
    # An archive from before this issue: m001 applied, rows written, no search index.
    old = Database(tmp_path / "xxgk.db")
    migrations.apply(old, stop_before="m002_search")
    assert "reports_fts" not in old.table_names()
    old["schools"].insert({"code": "10001", "name": "北京大学", "province": "北京"})
    old["reports"].insert(
        {
            "id": 1,
            "school_code": "10001",
            "school_name": "北京大学",
            "title": "2023年报告",
            "year": 2023,
            "published": "2023-11-02",
            "text": "本年度未收到依申请公开申请。",
        }
    )
    old["sections"].insert(
        {
            "report_id": 1,
            "ordinal": 0,
            "key": "on_request",
            "heading": "三、依申请公开",
            "text": "未收到申请。",
        }
    )
    old.close()

    db = open_database(tmp_path / "xxgk.db")
    assert [m.name for m in migrations.pending(db)] == []
    assert search_reports(db, "申请") == [1]
    assert search_reports(db, "北京") == [1]
    assert list(db.query("select state from coverage")) == [{"state": "late"}]
    hits = db.execute(
        "select rowid from sections_fts where sections_fts match xxgk_match('申请')"
    ).fetchall()
    assert hits == [(1,)]


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    Archive(tmp_path).close()
    db = open_database(tmp_path / "xxgk.db")
    assert len(migrations.applied(db)) == len(migrations.pending(Database(memory=True)))


def test_metadata_describes_every_table_and_column(archive: Archive) -> None:
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    assert metadata["title"] and metadata["license"] and metadata["source"]
    described = metadata["databases"]["xxgk"]["tables"]
    db = archive.db
    shown = [t for t in db.table_names() if not t.startswith(("reports_fts_", "sections_fts_"))]
    for name in shown + db.view_names():
        assert described.get(name, {}).get("description"), f"{name} lacks a description"
        if name.endswith("_fts"):
            continue
        columns = described[name].get("columns", {})
        missing = [c for c in db[name].columns_dict if not columns.get(c)]
        assert not missing, f"{name}: columns without a description: {missing}"
