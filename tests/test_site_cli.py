"""Commands find the archive `xxgk run` built, say which one, and never create an empty one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site_archive import build_site_archive

ROOT = Path(__file__).resolve().parents[1]


def _xxgk(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
    )


def test_export_warc_on_a_missing_archive_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _xxgk(tmp_path, "export", "warc", "--data", str(missing))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: no archive at {missing / 'xxgk.db'}; build one with `xxgk run` or "
        "`xxgk crawl --data DIR`, or pass --data DIR"
    ]
    assert not missing.exists()  # nothing created


def test_default_data_finds_the_demo_archive_xxgk_run_built(tmp_path: Path) -> None:
    demo = tmp_path / "data" / "demo"
    demo.mkdir(parents=True)
    build_site_archive(demo)
    status = _xxgk(tmp_path, "status")
    assert status.returncode == 0, status.stderr
    assert status.stderr.splitlines()[0] == (
        "using the demo archive data/demo (built by `xxgk run` offline; --data DIR to choose)"
    )
    assert "Reports: 5 archived" in status.stdout
    exported = _xxgk(tmp_path, "export", "warc")
    assert exported.returncode == 0, exported.stderr
    assert (demo / "export" / "xxgk.warc.gz").is_file()
    assert not (tmp_path / "data" / "xxgk.db").exists()
    # Given explicitly, --data means that directory and nothing else.
    explicit = _xxgk(tmp_path, "status", "--data", "data")
    assert explicit.returncode == 1 and "no archive at data/xxgk.db;" in explicit.stderr


def test_schedule_says_where_the_crawls_go(tmp_path: Path) -> None:
    result = _xxgk(tmp_path, "schedule")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"scheduling crawls into {(tmp_path / 'data').resolve()} (--data DIR to choose)"
    )
    assert result.stdout.startswith("30 2 * * * ")


def test_run_is_quiet_and_says_where_the_archive_is(tmp_path: Path) -> None:
    result = _xxgk(tmp_path, "run", "--mode", "demo", "--no-serve", "--data", "data")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    assert lines[0] == "No portal reachable: crawling the bundled demo portals on loopback."
    assert lines[1].startswith("$ xxgk crawl --registry data/demo/registry.csv")
    assert lines[-1] == (
        f"archive: {(tmp_path / 'data/demo/xxgk.db').resolve()} "
        "(crawl log: data/demo/logs/crawl.log)"
    )
    # Scrapy's start-up dump (versions, settings, middlewares) is in the log, not on the console.
    assert "Overridden settings" not in result.stderr and "[scrapy" not in result.stderr
    assert "Overridden settings" in (tmp_path / "data/demo/logs/crawl.log").read_text()
    assert len(lines) < 30  # the command, the per-school summary table, where things are
