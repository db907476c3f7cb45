"""`xxgk reparse` survives stored files that kill or stall their parse worker: each gets its
named error, every other report is reparsed, and the command ends normally. The files are
real: a PDF whose 60 MB content stream makes pdfium abort under a 300 MB worker cap, an LZW
bomb the guard measures, an HTML page with a 40 M-character text node that outlasts a 5 s
deadline."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from archive import Archive
from archive.isolation import Limits
from archive.reparse import reparse
from archive.sample import build_sample_archive
from fixtureworld import nasty_files as nasty
from xxgk.cli import main


def _raw_paths(archive: Archive) -> list[Path]:
    rows = archive.db.query("select sha256 from reports order by id")
    return [archive.raw_path(r["sha256"]) for r in rows]


def _rows(archive: Archive) -> list[dict]:
    return list(archive.db.query("select status, error from reports order by id"))


OK = {"status": "ok", "error": None}


def test_a_worker_that_aborts_costs_one_report(tmp_path):
    sample = build_sample_archive(tmp_path)
    archive = Archive(sample.data_dir)
    paths = _raw_paths(archive)
    paths[1].write_bytes(nasty.reused_contents(60 * nasty.MB, 1))  # stored files turned hostile
    paths[3].write_bytes(nasty.lzw_bomb())
    stats = reparse(archive, workers=2, limits=Limits(memory_mb=300, timeout=60))
    assert (stats.reports, stats.failed) == (5, 2)
    assert stats.errors == {"ParserCrashed": 1, "DocumentTooLarge": 1}
    assert _rows(archive) == [
        OK,
        {"status": "parse_error", "error": "ParserCrashed: signal 6 (SIGABRT) in the parse worker"},
        OK,
        {
            "status": "parse_error",
            "error": "DocumentTooLarge: object 4 (LZWDecode) decodes to over 64 MB "
            "(decompression bomb?)",
        },
        OK,
    ]
    archive.close()


def test_a_document_past_its_deadline_costs_one_report(tmp_path):
    sample = build_sample_archive(tmp_path)
    archive = Archive(sample.data_dir)
    _raw_paths(archive)[2].write_bytes(nasty.html_huge_text_node(40 * 10**6))
    started = time.monotonic()
    stats = reparse(archive, workers=2, limits=Limits(timeout=1))
    assert time.monotonic() - started < 90
    assert stats.errors == {"ParseTimeout": 1}
    assert _rows(archive) == [
        OK,
        OK,
        {
            "status": "parse_error",
            "error": "ParseTimeout: not parsed within 1 s; the worker was killed",
        },
        OK,
        OK,
    ]
    archive.close()


def test_reparse_command_names_a_bomb_and_finishes(tmp_path):
    sample = build_sample_archive(tmp_path)
    archive = Archive(sample.data_dir)
    _raw_paths(archive)[2].write_bytes(nasty.lzw_bomb())
    archive.close()
    result = CliRunner().invoke(main, ["reparse", "--data", str(sample.data_dir), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "5 reports reparsed" in result.output and "1 failed" in result.output
    archive = Archive(sample.data_dir)
    errors = [r["error"] for r in _rows(archive)]
    assert errors == [
        None,
        None,
        "DocumentTooLarge: object 4 (LZWDecode) decodes to over 64 MB (decompression bomb?)",
        None,
        None,
    ]
    archive.close()
