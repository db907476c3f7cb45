"""Clean exits: parse workers die with a SIGKILLed crawl, the killed crawl's row becomes
`interrupted` at the next start, and no remote-control listener or job file is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from archive import Archive
from fixtureworld.nasty import PDF, NastyWorld, _Builder, report_pdf
from fixtureworld.nasty_server import serve_nasty
from tests.conftest import FAST_SETTINGS, ROOT

HOST = "xxgk.slow.edu.cn"


def slow_world() -> NastyWorld:
    """One good report, then a file that is never answered (keeps the crawl alive)."""
    world = NastyWorld()
    site = _Builder(world, "91201", "缓慢大学", HOST)
    site.file(2016, "/docs/2016.pdf", report_pdf(site.name, 2016))
    site.file(2017, "/docs/hang.pdf", b"", kind="hang")
    site.put("/docs/2016.pdf", report_pdf(site.name, 2016), content_type=PDF)
    site.list_page()
    return world


def _command(server, data: Path) -> list[str]:
    args = [sys.executable, "-m", "xxgk", "crawl", "--data", str(data)]
    args += ["--portal", server.portal(HOST)]
    for entry in server.resolve_args():
        args += ["--resolve", entry]
    for setting in (*FAST_SETTINGS, "XXGK_ALLOWED_NETWORKS=127.0.0.0/8", "LOG_LEVEL=INFO"):
        args += ["--set", setting]
    return args


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    return {**env, "HOME": str(home), "PYTHONPATH": str(ROOT)}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _workers(pid: int) -> list[int]:
    return [
        child
        for child in _children(pid)
        if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes()
    ]


def test_a_killed_crawl_leaves_no_workers_and_is_interrupted_next_time(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    data = tmp_path / "data"
    with serve_nasty(slow_world()) as server:
        log = (tmp_path / "crawl.log").open("w")
        crawl = subprocess.Popen(
            _command(server, data), stdout=log, stderr=subprocess.STDOUT, env=_env(home), cwd=ROOT
        )
        try:
            deadline = time.monotonic() + 90
            workers: list[int] = []
            while not workers and time.monotonic() < deadline and crawl.poll() is None:
                time.sleep(0.2)
                workers = _workers(crawl.pid)
            assert workers, "no parse worker started"
            time.sleep(0.5)
            crawl.send_signal(signal.SIGKILL)
            crawl.wait(10)
            deadline = time.monotonic() + 10
            while any(_alive(w) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [w for w in workers if _alive(w)] == []
        finally:
            crawl.kill()
            crawl.wait(10)
            log.close()
        archive = Archive(data)
        assert [r["status"] for r in archive.db.query("select status from crawls")] == ["running"]
        archive.close()
        again = subprocess.run(
            _command(server, data),
            capture_output=True,
            text=True,
            env=_env(home),
            cwd=ROOT,
            timeout=120,
        )
    assert again.returncode == 0, again.stderr[-2000:]
    archive = Archive(data)
    statuses = [r["status"] for r in archive.db.query("select status from crawls order by id")]
    archive.close()
    assert statuses == ["interrupted", "finished"]
    output = (tmp_path / "crawl.log").read_text() + again.stderr + again.stdout
    assert "Remote control" not in output and "Telnet console listening" not in output
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []
