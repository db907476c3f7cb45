"""`xxgk schedule` and the crawl lock: nightly runs that never overlap."""

from __future__ import annotations

import os
import subprocess
import sys

from crawler.lock import CrawlLock
from tests.conftest import ROOT, run_xxgk


def test_cron_line_runs_the_crawl_with_a_log(tmp_path):
    data = tmp_path / "data"
    line = run_xxgk("schedule", "--data", str(data), "--at", "03:15").stdout.strip()
    assert line.startswith("15 3 * * * ")
    assert line.endswith(" >/dev/null 2>&1 # xxgk nightly crawl")
    assert f" crawl --data {data} --log-file {data}/logs/crawl.log " in line
    assert (data / "logs").is_dir()


def test_systemd_units(tmp_path):
    out = run_xxgk("schedule", "--data", str(tmp_path), "--systemd", "--at", "01:00").stdout
    assert "# xxgk-crawl.service" in out and "# xxgk-crawl.timer" in out
    assert "OnCalendar=*-*-* 01:00:00" in out and "Persistent=true" in out
    assert f"crawl --data {tmp_path} --log-file {tmp_path}/logs/crawl.log" in out


def test_install_replaces_its_own_crontab_line(tmp_path):
    # A stand-in `crontab` that keeps the table in a file, first on PATH.
    table = tmp_path / "crontab.txt"
    table.write_text("0 1 * * * backup.sh\n5 5 * * * old xxgk # xxgk nightly crawl\n")
    fake = tmp_path / "bin" / "crontab"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat {table}; else cat > {table}; fi\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "xxgk", "schedule", "--data", str(tmp_path / "d"), "--install"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    lines = table.read_text().splitlines()
    assert lines[0] == "0 1 * * * backup.sh"
    assert len(lines) == 2 and lines[1].startswith("30 2 * * * ")
    assert lines[1].endswith("# xxgk nightly crawl")


def test_bad_time_is_refused(tmp_path):
    result = run_xxgk("schedule", "--data", str(tmp_path), "--at", "25:00", check=False)
    assert result.returncode == 2
    assert "Error: Invalid value for --at: '25:00': expected HH:MM" in result.stderr


def test_a_second_crawl_does_not_start_while_one_runs(tmp_path):
    with CrawlLock(tmp_path):
        result = run_xxgk(
            "crawl", "--data", str(tmp_path), "--portal", "http://x.edu.cn/", check=False
        )
    assert result.returncode == 75
    assert f"another crawl holds {tmp_path}/.crawl.lock" in result.stderr
    assert not (tmp_path / "xxgk.db").exists()  # the running crawl's archive was not touched
