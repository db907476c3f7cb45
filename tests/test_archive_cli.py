"""The archive's commands: reparse, export warc, serve (its command line), and their help."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.reparse import reparse
from archive.sample import build_sample_archive
from archive.search import search_reports
from archive.serve import ArchiveNotFound, datasette_args, prepare
from parsers import PARSER_VERSION
from xxgk.cli import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "archive.md"


def _make_stale(archive: Archive) -> None:
    """Rows as an older parser left them: other text, no figures, an old version."""
    with archive.db.conn:
        archive.db.execute("update reports set text = '旧的解析结果', parser_version = '0.9'")
        archive.db.execute("delete from figures")


@pytest.fixture
def sample(tmp_path: Path):
    return build_sample_archive(tmp_path)


def test_reparse_updates_rows_and_search(sample) -> None:
    archive = Archive(sample.data_dir)
    fresh = list(archive.db.query("select id, text, parser_version from reports order by id"))
    figures = archive.db["figures"].count
    _make_stale(archive)
    stats = reparse(archive, workers=1)
    assert (stats.reports, stats.changed, stats.failed) == (5, 5, 0)
    rows = list(archive.db.query("select id, text, parser_version from reports order by id"))
    assert rows == fresh
    assert {r["parser_version"] for r in rows} == {PARSER_VERSION}
    assert archive.db["figures"].count == figures > 0
    assert search_reports(archive.db, "旧的") == []
    assert len(search_reports(archive.db, "招生宣传")) == 5
    # Title and publication date came from the crawl and are kept.
    undated = archive.db.execute("select count(*) from reports where published is null")
    assert undated.fetchone()[0] == 0
    assert reparse(archive, workers=1).changed == 0  # nothing left to change
    archive.close()


def test_reparse_failure_keeps_the_report(sample) -> None:
    archive = Archive(sample.data_dir)
    for report in sample.reports:  # damaged on disk: half of each PDF
        archive.raw_path(report.sha256).write_bytes(report.body[: len(report.body) // 2])
    stats = reparse(archive, workers=1)
    assert stats.failed == 5 and stats.errors == {"BrokenDocument": 5}
    assert {r["status"] for r in archive.db.query("select status from reports")} == {"parse_error"}
    assert len(search_reports(archive.db, "清华")) == 2  # titles and names still found
    archive.close()


def test_reparse_in_a_process_pool(sample) -> None:
    archive = Archive(sample.data_dir)
    _make_stale(archive)
    stats = reparse(archive, workers=2)
    assert (stats.changed, stats.failed) == (5, 0)
    archive.close()


def test_reparse_command_with_the_real_parsers(sample) -> None:
    result = CliRunner().invoke(main, ["reparse", "--data", str(sample.data_dir), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "5 reports reparsed" in result.output


def test_export_warc_is_byte_exact(sample, tmp_path: Path) -> None:
    archive = Archive(sample.data_dir)
    # The same PDF fetched again: written once, then as a revisit record.
    again = archive.db.execute("select * from fetches where kind = 'file' limit 1").fetchone()
    archive.record_fetch(
        {
            "url": again[4],
            "status": 200,
            "content_type": "application/pdf",
            "sha256": sample.reports[0].sha256,
            "size": len(sample.reports[0].body),
        }
    )
    archive.close()
    output = tmp_path / "out" / "x.warc.gz"
    result = CliRunner().invoke(
        main, ["export", "warc", "--data", str(sample.data_dir), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "10 responses, 1 revisits" in result.output
    bodies, types = {}, []
    with output.open("rb") as handle:
        for record in ArchiveIterator(handle):
            types.append(record.rec_type)
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                bodies[uri] = record.content_stream().read()
    assert types[0] == "warcinfo" and types.count("revisit") == 1
    for report in sample.reports:
        assert report.body in bodies.values()


def test_serve_command_line(sample) -> None:
    db_path = prepare(sample.data_dir)
    args = datasette_args(db_path, "127.0.0.1", 8123)
    assert args[:3] == ["serve", "-i", str(db_path)]
    assert "--metadata" in args and "sql_time_limit_ms" in args
    assert "-i" not in datasette_args(db_path, "127.0.0.1", 8123, live=True)
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # folded in: immutable mode ignores it


def test_serve_without_archive_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ArchiveNotFound, match="--data"):
        prepare(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "nothing")])
    assert result.exit_code != 0 and "--data" in result.output


@pytest.mark.parametrize("command", [["serve"], ["reparse"], ["export"], ["export", "warc"]])
def test_commands_have_help_with_example_and_docs(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    if command != ["export"]:
        assert "Example:" in result.output
    assert f"xxgk {' '.join(command)}" in DOCS.read_text(encoding="utf-8")
