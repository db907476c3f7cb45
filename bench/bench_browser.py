"""The browser path's cost: peak memory with chromium, browser share of requests, and the
no-browser crawl time with the browser path on (auto) and off (never).

    .venv/bin/python bench/bench_browser.py [--repeats 2]

1. `xxgk crawl` of the scripted world (`fixtureworld.scripted`: script challenge, XHR lists,
   createPageHTML, __doPostBack, a render=browser row, a challenge no browser lifts): wall
   time, peak RSS of the whole process tree (crawler + parse pool + Playwright's driver +
   chromium and its renderer; RSS summed, so shared pages count more than once: an upper
   bound; and PSS, which splits them) sampled every 0.1 s, the crawler's own peak
   (`memusage/max`), and browser pages as a fraction of all requests (Scrapy requests the
   browser downloaded / all Scrapy requests; fetch-log rows with via = 'browser' / all rows).
2. `xxgk crawl` of the realistic fixture world (10 portals, no page needs a script) with
   `--browser auto` and `--browser never`, `--repeats` times each, interleaved: wall times and
   whether any browser started (it must not).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtureworld import build_world, serve_world  # noqa: E402
from fixtureworld.scripted_server import serve_scripted  # noqa: E402

SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "XXGK_RETRY_BACKOFF_BASE=0.05",
    "DOWNLOAD_TIMEOUT=20",
    "XXGK_RESOLVE_ONLY=1",
    "XXGK_ALLOWED_NETWORKS=127.0.0.1/32",
    "LOG_LEVEL=WARNING",
)
RSS_BOUND_MB = 800


def _tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) bytes of `root` and every descendant, from /proc: RSS summed counts the
    pages chromium's processes share once per process; PSS splits them."""
    children: dict[int, list[int]] = {}
    memory: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rollup = (entry / "smaps_rollup").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        values = {line.split(":")[0]: line.split()[1] for line in rollup.splitlines()[1:]}
        memory[pid] = (int(values.get("Rss", 0)) * 1024, int(values.get("Pss", 0)) * 1024)
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        rss += memory.get(pid, (0, 0))[0]
        pss += memory.get(pid, (0, 0))[1]
        todo += children.get(pid, [])
    return rss, pss


def crawl(server, data: Path, registry: Path, *extra: str) -> tuple[float, int, int]:
    """Run one crawl; (wall seconds, peak tree RSS, peak tree PSS), bytes."""
    args = [sys.executable, "-m", "xxgk", "crawl", "--data", str(data), "--registry", str(registry)]
    for entry in server.resolve_args():
        args += ["--resolve", entry]
    for setting in SETTINGS:
        args += ["--set", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    process = subprocess.Popen(
        [*args, *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, pss = _tree_memory(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = process.communicate(timeout=600)
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"crawl failed:\n{err.decode()[-3000:]}")
    return elapsed, peak[0], peak[1]


def stats_of(data: Path) -> list[dict]:
    with sqlite3.connect(data / "xxgk.db") as db:
        return [json.loads(s) for (s,) in db.execute("select stats from crawls order by id")]


def scripted_run(workdir: Path) -> bool:
    data = workdir / "scripted"
    data.mkdir()
    with serve_scripted() as server:
        registry = server.write_registry(data / "registry.csv")
        elapsed, peak, pss = crawl(server, data, registry)
        expected = server.world.expected()
    (stats,) = stats_of(data)
    with sqlite3.connect(data / "xxgk.db") as db:
        archived = set(db.execute("select school_code, year, sha256 from reports"))
        rows = db.execute("select count(*), count(via) from fetches").fetchone()
    pages, requests = stats.get("xxgk/browser/pages", 0), stats["downloader/request_count"]
    print("scripted world (6 portals, 19 reports, 1 challenge no browser lifts)")
    print(f"  wall time                         {elapsed:6.1f} s")
    print(f"  reports archived / expected       {len(archived & expected)} / {len(expected)}")
    print(f"  peak RSS, whole process tree      {peak / 2**20:6.0f} MB (bound {RSS_BOUND_MB} MB)")
    print(f"  peak PSS, whole process tree      {pss / 2**20:6.0f} MB")
    print(f"  peak RSS, crawler (memusage/max)  {stats['memusage/max'] / 2**20:6.0f} MB")
    print(f"  browser pages / Scrapy requests   {pages} / {requests} = {pages / requests:.1%}")
    print(f"  fetch rows via browser / all      {rows[1]} / {rows[0]} = {rows[1] / rows[0]:.1%}")
    print(
        f"  browser pages at a time (max)     {stats.get('playwright/page_count/max_concurrent')}"
    )
    return archived == expected and peak < RSS_BOUND_MB * 2**20 and pss < RSS_BOUND_MB * 2**20


def plain_runs(workdir: Path, repeats: int) -> bool:
    times: dict[str, list[float]] = {"auto": [], "never": []}
    started_any = False
    world = build_world()
    with serve_world(world) as server:
        for run in range(repeats):
            for mode in ("auto", "never"):
                data = workdir / f"plain-{mode}-{run}"
                data.mkdir()
                registry = server.write_registry(data / "registry.csv", families=True)
                elapsed, _rss, _pss = crawl(
                    server, data, registry, "--allow-private-addresses", "--browser", mode
                )
                times[mode].append(elapsed)
                started_any |= any(
                    k.startswith(("xxgk/browser/started", "playwright"))
                    for stats in stats_of(data)
                    for k in stats
                )
    auto, never = min(times["auto"]), min(times["never"])
    print("realistic world (10 portals, no page needs the browser), best of", repeats)
    print(f"  --browser auto                    {auto:6.1f} s  {times['auto']}")
    print(f"  --browser never                   {never:6.1f} s  {times['never']}")
    print(f"  auto / never                      {auto / never:6.2f}")
    print(f"  a browser started                 {'yes' if started_any else 'no'}")
    return not started_any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="xxgk-bench-browser-"))
    try:
        ok = scripted_run(workdir)
        ok = plain_runs(workdir, args.repeats) and ok
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
