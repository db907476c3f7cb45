"""`xxgk reparse` survives documents that kill or stall their parse worker: each gets its
named error, every other report is reparsed, and the command ends normally."""

from __future__ import annotations

import os
import time
from pathlib import Path

from click.testing import CliRunner

from archive import Archive
from archive.ingest import parse_stored
from archive.isolation import Limits
from archive.reparse import reparse
from archive.sample import build_sample_archive
from fixtureworld.nasty_files import lzw_bomb
from xxgk.cli import main

MARKS = "XXGK_TEST_MISBEHAVE"  # raw path -> what its parse does, set before workers spawn


def misbehaving_parse(raw_path: str, content_type, url, file_name):
    """The real parse, except for the raw files named in $XXGK_TEST_MISBEHAVE."""
    for entry in os.environ.get(MARKS, "").split(";"):
        path, _, kind = entry.partition("=")
        if path == raw_path and kind == "abort":
            os.abort()
        if path == raw_path and kind == "hang":
            time.sleep(600)
    return parse_stored(raw_path, content_type, url, file_name)


def _raw_paths(archive: Archive) -> list[str]:
    rows = archive.db.query("select sha256 from reports order by id")
    return [str(archive.raw_path(r["sha256"])) for r in rows]


def test_reparse_names_crashed_and_stalled_documents_and_parses_the_rest(tmp_path, monkeypatch):
    sample = build_sample_archive(tmp_path)
    archive = Archive(sample.data_dir)
    paths = _raw_paths(archive)
    monkeypatch.setenv(MARKS, f"{paths[1]}=abort;{paths[3]}=hang")
    started = time.monotonic()
    stats = reparse(archive, workers=2, parse=misbehaving_parse, limits=Limits(timeout=10))
    assert time.monotonic() - started < 90
    assert (stats.reports, stats.failed) == (5, 2)
    assert stats.errors == {"ParserCrashed": 1, "ParseTimeout": 1}
    rows = list(archive.db.query("select status, error from reports order by id"))
    assert rows == [
        {"status": "ok", "error": None},
        {"status": "parse_error", "error": "ParserCrashed: signal 6 (SIGABRT) in the parse worker"},
        {"status": "ok", "error": None},
        {
            "status": "parse_error",
            "error": "ParseTimeout: not parsed within 10 s; the worker was killed",
        },
        {"status": "ok", "error": None},
    ]
    archive.close()


def test_reparse_command_names_a_bomb_and_finishes(tmp_path):
    sample = build_sample_archive(tmp_path)
    archive = Archive(sample.data_dir)
    Path(_raw_paths(archive)[2]).write_bytes(lzw_bomb())  # a stored file turned hostile
    archive.close()
    result = CliRunner().invoke(main, ["reparse", "--data", str(sample.data_dir), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "5 reports reparsed" in result.output and "1 failed" in result.output
    archive = Archive(sample.data_dir)
    errors = [r["error"] for r in archive.db.query("select error from reports order by id")]
    assert errors == [
        None,
        None,
        "DocumentTooLarge: object 4 (LZWDecode) decodes to over 64 MB (decompression bomb?)",
        None,
        None,
    ]
    archive.close()
