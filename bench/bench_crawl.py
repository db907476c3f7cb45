"""Crawl throughput and memory against the fixture portals, next to `scrapy bench`, one run.

    .venv/bin/python bench/bench_crawl.py [--portals 1000] [--repeats 3] [--keep DIR]

1. `scrapy bench` (Scrapy's own link-following spider against its local server): once outside
   the project (bare Scrapy, its defaults) and once from the repo root with the project's
   settings, middlewares and archive (address policy told to allow its loopback server,
   politeness off, Scrapy's default concurrency), parsed from the log.
2. `xxgk crawl` of the fixture world (10 portals, 52 reports) with politeness off
   (DOWNLOAD_DELAY=0, AutoThrottle off, 2 requests per host as configured, the tests'
   settings), `--repeats` times: requests and archived reports per second of wall time.
3. `xxgk crawl` of `--portals` fixture portals (`fixtureworld.scale`, clones of the 10):
   wall time, requests, reports, peak memory, raw store size.

Every figure is read from what the crawl leaves behind (`crawls.stats`, the raw store) or
measured from outside (wall time, the crawler's rusage, its process tree's RSS sampled every
0.25 s). The portals are served by this process (`fixtureworld.serve_world`, one thread per
connection) and compete with the crawler and its parse pool for the same cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fixtureworld import build_world, serve_world  # noqa: E402
from fixtureworld.scale import build_scaled_world  # noqa: E402

VENV_BIN = Path(sys.executable).parent
# The tests' settings (tests/conftest.py): no politeness delays against our own server, quick
# retry backoff, no DNS. CONCURRENT_REQUESTS_PER_DOMAIN stays the project's 2.
CRAWL_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "XXGK_RETRY_BACKOFF_BASE=0.05",
    "DOWNLOAD_TIMEOUT=20",
    "XXGK_RESOLVE_ONLY=1",
    "LOG_LEVEL=INFO",
)
SCRAPY_BENCH = ("bench", "-s", "LOGLEVEL=INFO", "-s", "CLOSESPIDER_TIMEOUT=10")
# From the repo root the project's settings apply: its address policy refuses the bench
# server on localhost unless told otherwise, and its politeness would measure the delays.
IN_PROJECT = (
    "XXGK_ALLOW_PRIVATE_ADDRESSES=1",
    "XXGK_RESOLVE=localhost:8998:127.0.0.1",
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",  # scrapy bench's defaults
)


# -- scrapy bench -----------------------------------------------------------------------------


@dataclass
class ScrapyBench:
    label: str
    pages: int
    seconds: float
    rates: list[int]  # the per-second logstats lines, pages/min

    @property
    def pages_per_min(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds else 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages_per_min / 60


def scrapy_bench(label: str, cwd: Path, extra: tuple[str, ...] = ()) -> ScrapyBench:
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "PYTHONPATH")}
    args = [str(VENV_BIN / "scrapy"), *SCRAPY_BENCH]
    for setting in extra:
        args += ["-s", setting]
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    log = result.stdout + result.stderr
    rates = [int(m) for m in re.findall(r"Crawled \d+ pages \(at (\d+) pages/min\)", log)]
    pages = _stat(log, "response_received_count") or 0
    seconds = _stat(log, "elapsed_time_seconds") or 0.0
    if not pages:
        print(
            f"  ! scrapy bench ({label}) crawled nothing; log tail:\n{log[-1500:]}", file=sys.stderr
        )
    return ScrapyBench(label, int(pages), float(seconds), rates)


def _stat(log: str, name: str) -> float | None:
    found = re.findall(rf"'{re.escape(name)}': ([0-9.]+)", log)
    return float(found[-1]) if found else None


# -- xxgk crawl -------------------------------------------------------------------------------


@dataclass
class CrawlRun:
    label: str
    portals: int
    wall: float = 0.0
    scrapy_seconds: float = 0.0  # longest spider's elapsed_time_seconds (they run together)
    requests: int = 0  # downloader/request_count, summed over the spiders
    responses: int = 0
    served: int = 0  # requests the fixture server answered
    reports: int = 0  # xxgk/reports/inserted
    expected: int = 0
    memusage_max: int = 0  # Scrapy's memusage/max: the crawler process's own peak RSS
    maxrss: int = 0  # wait4() ru_maxrss: the largest single process of the crawler's tree
    tree_rss: int = 0  # sampled peak RSS of the crawler plus its parse workers, summed
    crawler_rss: int = 0  # sampled peak RSS of the crawler process alone
    raw_files: int = 0
    raw_bytes: int = 0
    db_bytes: int = 0
    returncode: int = 0
    spiders: dict[str, float] = field(default_factory=dict)
    cpu_crawler: float = 0.0  # CPU seconds of the crawler process (reactor, SQLite, raw store)
    cpu_workers: float = 0.0  # CPU seconds of its children (the parse pool)
    cpu_server: float = 0.0  # CPU seconds of this process meanwhile (the fixture server)
    machine_busy: float = 0.0  # share of all cores busy meanwhile (/proc/stat), any process

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.reports > 0

    @property
    def requests_per_s(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    @property
    def reports_per_s(self) -> float:
        return self.reports / self.wall if self.wall else 0.0


class TreeRss:
    """Peak summed RSS of a process and its descendants, sampled from /proc, and the CPU time
    each of them had used when last seen."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval, self.peak, self.own_peak = pid, interval, 0, 0
        self.cpu: dict[int, float] = {}
        self._tick = os.sysconf("SC_CLK_TCK")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def sample(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                pages = int(Path(entry.path, "statm").read_text().split()[1])
            except (OSError, ValueError, IndexError):
                continue
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
            cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
        self.own_peak = max(self.own_peak, rss.get(self.pid, 0))
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            if pid in cpu:
                self.cpu[pid] = cpu[pid]
            todo += children.get(pid, [])
        return total


def crawl(world, label: str, work: Path, portals: int) -> CrawlRun:
    data = work / label
    shutil.rmtree(data, ignore_errors=True)
    run = CrawlRun(label, portals, expected=len(world.expected_reports()))
    with serve_world(world) as server:
        registry = server.write_registry(work / f"{label}.csv", families=True)
        args = [
            sys.executable,
            "-m",
            "xxgk",
            "crawl",
            "--data",
            str(data),
            "--registry",
            str(registry),
            "--allow-private-addresses",
            "--log-file",
            str(work / f"{label}.log"),
        ]
        for entry in server.resolve_args():
            args += ["--resolve", entry]
        for setting in CRAWL_SETTINGS:
            args += ["--set", setting]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(work / f"{label}.out", "wb") as out:
            own, machine = time.process_time(), _machine_cpu()
            started = time.perf_counter()
            proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=out)
            with TreeRss(proc.pid) as tree:
                _pid, status, usage = os.wait4(proc.pid, 0)
            run.wall = time.perf_counter() - started
            run.cpu_server = time.process_time() - own
            busy, total = (b - a for a, b in zip(machine, _machine_cpu(), strict=True))
            run.machine_busy = busy / total if total else 0.0
        proc.returncode = run.returncode = os.waitstatus_to_exitcode(status)
        run.maxrss = usage.ru_maxrss * 1024
        run.tree_rss, run.crawler_rss = tree.peak, tree.own_peak
        run.served = len(server.requests)
        # wait4's rusage covers the crawler and its reaped children; the last /proc sample
        # of the crawler itself splits them (up to one sampling interval short).
        run.cpu_crawler = tree.cpu.get(proc.pid, 0.0)
        run.cpu_workers = max(0.0, usage.ru_utime + usage.ru_stime - run.cpu_crawler)
    _read_archive(run, data)
    if not run.ok:
        print(
            f"  ! crawl {label} failed (exit {run.returncode}, {run.reports} reports); "
            f"see {work / f'{label}.out'}",
            file=sys.stderr,
        )
    return run


def _machine_cpu() -> tuple[int, int]:
    """Busy and total jiffies of all cores so far (first line of /proc/stat)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks[:8]) - idle, sum(ticks[:8])


def _read_archive(run: CrawlRun, data: Path) -> None:
    db_path = data / "xxgk.db"
    if not db_path.exists():
        return
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    for spider, stats in db.execute("select spider, stats from crawls"):
        s = json.loads(stats or "{}")
        run.requests += int(s.get("downloader/request_count", 0))
        run.responses += int(s.get("downloader/response_count", 0))
        run.reports += int(s.get("xxgk/reports/inserted", 0))
        elapsed = float(s.get("elapsed_time_seconds", 0.0))
        run.spiders[spider] = elapsed
        run.scrapy_seconds = max(run.scrapy_seconds, elapsed)
        run.memusage_max = max(run.memusage_max, int(s.get("memusage/max", 0)))
    db.close()
    for path in (data / "raw").rglob("*"):
        if path.is_file():
            run.raw_files += 1
            run.raw_bytes += path.stat().st_size
    run.db_bytes = sum(p.stat().st_size for p in data.glob("xxgk.db*") if p.is_file())


# -- report -----------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def print_table(
    benches: list[ScrapyBench], small: list[CrawlRun], big: CrawlRun, build_seconds: float
) -> None:
    good = [r for r in small if r.ok] or small
    med = sorted(good, key=lambda r: r.wall)[len(good) // 2]
    print("\n== scrapy bench (Scrapy's link-following spider, its own server, 10 s) ==")
    print(f"{'run':<36}{'pages':>7}{'s':>7}{'pages/min':>11}{'pages/s':>9}  per-second lines")
    for b in benches:
        lines = f"{min(b.rates[1:] or [0])}–{max(b.rates or [0])}/min"
        print(
            f"{b.label:<36}{b.pages:>7}{b.seconds:>7.1f}{b.pages_per_min:>11,.0f}"
            f"{b.pages_per_s:>9.1f}  {lines}"
        )

    print("\n== xxgk crawl, politeness off (DOWNLOAD_DELAY=0, AutoThrottle off, 2 per host) ==")
    print(
        f"{'run':<28}{'portals':>8}{'wall s':>8}{'scrapy s':>9}{'requests':>9}"
        f"{'reports':>11}{'req/s':>7}{'rep/s':>7}{'memusage':>10}{'tree RSS':>10}"
    )
    for r in [*small, big]:
        name = r.label + (" (median)" if r is med and len(small) > 1 else "")
        name += "" if r.ok else " FAILED"
        print(
            f"{name:<28}{r.portals:>8}{r.wall:>8.1f}{r.scrapy_seconds:>9.1f}{r.requests:>9}"
            f"{r.reports:>6}/{r.expected:<4}{r.requests_per_s:>7.1f}{r.reports_per_s:>7.1f}"
            f"{mb(r.memusage_max):>10}{mb(r.tree_rss):>10}"
        )
    print(
        "  wall s: the `xxgk crawl` process from start to exit; scrapy s: the longest spider's "
        "elapsed_time_seconds;\n  memusage: Scrapy's memusage/max (crawler process); "
        "tree RSS: sampled peak of crawler + parse workers"
    )

    n = max(big.portals, 1)
    print(
        f"\n{big.portals} portals: world built in {build_seconds:.1f} s; wall {big.wall:.1f} s "
        f"({big.wall / 60:.1f} min), Scrapy elapsed {big.scrapy_seconds:.1f} s; "
        f"{big.requests} requests ({big.served} answered by the fixture server), "
        f"{big.reports} of {big.expected} reports archived"
    )
    print(
        f"  peak memory: memusage/max {mb(big.memusage_max)} (crawler process), "
        f"ru_maxrss {mb(big.maxrss)} (largest single process of its tree), "
        f"sampled: crawler {mb(big.crawler_rss)}, crawler + parse workers "
        f"{mb(big.tree_rss)}"
    )
    print(
        f"  raw store: {big.raw_files} files, {mb(big.raw_bytes)}; database "
        f"{mb(big.db_bytes)}; per portal {big.raw_bytes / n / 1024:,.0f} KiB raw, "
        f"{big.requests / n:.1f} requests, {big.wall / n * 1000:.0f} ms of wall"
    )
    total = big.cpu_crawler + big.cpu_workers + big.cpu_server
    cores = os.cpu_count() or 1
    print(
        f"  CPU: crawler process {big.cpu_crawler:.0f} s, parse pool {big.cpu_workers:.0f} s, "
        f"fixture server {big.cpu_server:.1f} s; {total:.0f} CPU s in {big.wall:.0f} s of wall "
        f"= {total / big.wall / cores if big.wall else 0:.0%} of {cores} cores; all processes "
        f"meanwhile: {big.machine_busy:.0%} of the cores busy"
    )
    print("\n== ratio: crawl requests/s (wall) ÷ scrapy bench pages/s ==")
    for r in (med, big):
        parts = [
            f"{r.requests_per_s / b.pages_per_s:.2f} × {b.label}" for b in benches if b.pages_per_s
        ]
        print(f"  {r.label}: {r.requests_per_s:.1f} req/s = " + "; ".join(parts))
    print("\n" + interpretation(benches, med, big))


def interpretation(benches: list[ScrapyBench], med: CrawlRun, big: CrawlRun) -> str:
    bare = benches[0].pages_per_s or float("nan")
    proj = benches[1].pages_per_s if len(benches) > 1 and benches[1].pages else float("nan")
    cores = os.cpu_count() or 1
    total = big.cpu_crawler + big.cpu_workers + big.cpu_server
    busy = total / big.wall / cores if big.wall else 0.0
    shares = sorted(
        (
            (
                big.cpu_crawler,
                "the crawler process (reactor, fetch log, raw store, report rows and search index)",
            ),
            (big.cpu_workers, "the parse pool"),
            (big.cpu_server, "the fixture server"),
        ),
        reverse=True,
    )
    per_portal = (big.crawler_rss - med.crawler_rss) / max(big.portals - med.portals, 1)
    others = max(0.0, big.machine_busy - busy)
    split = (
        (
            f"of the crawl's own CPU, {shares[0][1]} took {shares[0][0] / total:.0%} and "
            f"{shares[1][1]} {shares[1][0] / total:.0%}"
        )
        if total
        else "no CPU figures"
    )
    if big.machine_busy >= 0.9:
        bound = (
            f"the {cores} cores were {big.machine_busy:.0%} busy ({busy:.0%} this crawl"
            + (f", {others:.0%} other processes" if others >= 0.05 else "")
            + f"), so the crawl is CPU-bound here; {split}"
        )
    elif big.machine_busy >= 0.7:
        bound = (
            f"the {cores} cores were {big.machine_busy:.0%} busy ({busy:.0%} this crawl), "
            f"close to CPU-bound (the rest is waiting: start-up, the per-host limit, the "
            f"last portals' chains of list pages); {split}"
        )
    else:
        bound = (
            f"the {cores} cores were only {big.machine_busy:.0%} busy, so the crawl "
            f"waits more than it computes (per-host limit of 2, chains of list pages, "
            f"the pool's queue); {split}"
        )
    return (
        f"Interpretation: Scrapy alone follows {bare:.0f} pages/s here and {proj:.0f} pages/s "
        f"with the project's settings and middlewares (every response stored by sha256 with "
        f"an fsync and logged to SQLite before the spider sees it). An xxgk crawl does "
        f"{med.requests_per_s:.0f} req/s on the 10-portal world, where fixed costs dominate "
        f"(interpreter and imports, migrations, spawning the parse pool: {med.wall:.1f} s of "
        f"wall against {med.scrapy_seconds:.1f} s of Scrapy time, and the run lasts as long "
        f"as the slowest portal's chain of list pages), and {big.requests_per_s:.0f} req/s "
        f"({big.requests_per_s / bare:.2f} × scrapy bench; {big.reports_per_s:.1f} reports "
        f"archived per second) over {big.portals} portals, where every third request is a "
        f"report whose file is parsed, saved with its sections, tables and search index, and "
        f"{bound}. Memory is not the constraint: the crawler's peak RSS grows by about "
        f"{per_portal / 1024:,.0f} KiB per portal ({mb(med.crawler_rss)} at {med.portals}, "
        f"{mb(big.crawler_rss)} at {big.portals}), "
        f"{mb(big.tree_rss)} with the parse workers. Against real portals politeness, not "
        f"this machine, sets the pace (2 requests at a time per host, DOWNLOAD_DELAY 0.5 s, "
        f"AutoThrottle): these rates are the ceiling the crawler could reach with delays off."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portals", type=int, default=1000, help="portals in the big crawl")
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="crawls of the 10-portal world (the median is reported)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="work in this directory and keep the archives and logs",
    )
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    try:
        print(
            f"bench_crawl: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, work dir {work}",
            flush=True,
        )
        benches = []
        bare_dir = work / "scrapy-bench"
        bare_dir.mkdir(exist_ok=True)
        for label, cwd, extra in (
            ("bare Scrapy (outside the project)", bare_dir, ()),
            (
                "in the project, politeness off",
                ROOT,
                (f"XXGK_DATA_DIR={work / 'scrapy-bench-data'}", *IN_PROJECT),
            ),
        ):
            print(f"scrapy bench: {label} ...", flush=True)
            benches.append(scrapy_bench(label, cwd, extra))
        world = build_world()
        small = []
        for i in range(args.repeats):
            print(f"xxgk crawl: fixture world, run {i + 1}/{args.repeats} ...", flush=True)
            small.append(crawl(world, f"fixture-world-{i + 1}", work, len(world.schools)))
        t = time.perf_counter()
        scaled = build_scaled_world(args.portals, world)
        build_seconds = time.perf_counter() - t
        print(
            f"xxgk crawl: {args.portals} portals ({len(scaled.resources):,} resources, "
            f"{len(scaled.expected_reports()):,} reports) ...",
            flush=True,
        )
        big = crawl(scaled, f"portals-{args.portals}", work, args.portals)
        big.label = f"{args.portals} portals"
        for i, run in enumerate(small):
            run.label = f"fixture world #{i + 1}"
        print_table(benches, small, big, build_seconds)
        print(f"\nbench_crawl took {time.perf_counter() - began:.0f} s in all.")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
