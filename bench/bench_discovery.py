"""Discovery on portals never seen: recall and precision over generated worlds, requests per
report, and the incremental crawl's bytes, in one run.

    .venv/bin/python bench/bench_discovery.py [--seeds 500] [--batch 100] [--baseline DIR]

1. `--seeds` generated portals (`fixtureworld.generator`, one per seed), crawled `--batch` at a
   time (one server and one `xxgk crawl` per batch, no family in the registry, as a new user
   would run it): recall and precision over every report, the seeds of any failure with what
   went wrong, requests per found report.
2. The hand-made fixture world (`fixtureworld.build_world`, 52 reports), crawled twice into one
   archive: requests per found report (server request log), and the second, incremental
   crawl's downloaded bytes against the first's (`downloader/response_bytes` of its crawls).
   With `--baseline DIR` (a checkout of older code, e.g. `git worktree add DIR <commit>`) the
   same is measured with that code first, for before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import Archive  # noqa: E402
from fixtureworld import build_world, serve_world  # noqa: E402
from fixtureworld.generator import choose, generate_world  # noqa: E402
from fixtureworld.genserver import serve_generated  # noqa: E402
from fixtureworld.scoring import score, summary  # noqa: E402

SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "XXGK_RETRY_BACKOFF_BASE=0.05",
    "DOWNLOAD_TIMEOUT=20",
    "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "XXGK_RESOLVE_ONLY=1",
    "LOG_LEVEL=WARNING",
    "XXGK_AS_OF=2026-11-23",
)
# What the crawler at main 0db7a4d (before issue 10) did on the fixture world, measured on
# 2026-12-01 with this script's fixture-world step: 156 requests for 52 reports, second crawl
# 24,027 of 1,637,758 bytes.
BEFORE = {"requests": 156, "reports": 52, "first_bytes": 1637758, "second_bytes": 24027}


def crawl(server, data: Path, registry: Path, code_root: Path = ROOT) -> dict:
    """One `xxgk crawl` (code from `code_root`): requests served, bytes downloaded, seconds."""
    args = ["crawl", "--data", str(data), "--registry", str(registry)]
    args += [a for entry in server.resolve_args() for a in ("--resolve", entry)]
    args += [a for setting in SETTINGS for a in ("--set", setting)]
    args.append("--allow-private-addresses")
    before = len(server.requests)
    last = _last_crawl(data)
    began = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    result = subprocess.run(
        [sys.executable, "-m", "xxgk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=code_root,
    )
    if result.returncode != 0:
        raise SystemExit(f"xxgk crawl failed:\n{result.stderr[-3000:]}")
    archive = Archive(data)
    stats = [
        json.loads(s)
        for (s,) in archive.db.execute("select stats from crawls where id > ?", [last])
    ]
    archive.close()
    return {
        "requests": len(server.requests) - before,
        "bytes": sum(s.get("downloader/response_bytes", 0) for s in stats),
        "seconds": time.perf_counter() - began,
    }


def _last_crawl(data: Path) -> int:
    if not (data / "xxgk.db").exists():
        return 0
    archive = Archive(data)
    last = archive.db.execute("select coalesce(max(id), 0) from crawls").fetchone()[0]
    archive.close()
    return last


def generated(
    seeds: range, batch: int, work: Path, code_root: Path = ROOT, label: str = "", shown: int = 50
) -> None:
    scores, requests, seconds = [], 0, 0.0
    for start in range(seeds.start, seeds.stop, batch):
        chunk = range(start, min(start + batch, seeds.stop))
        world = generate_world(chunk)
        with serve_generated(world) as server:
            data = work / f"generated{label}-{start}"
            data.mkdir(parents=True)
            registry = server.write_registry(data / "registry.csv")
            run = crawl(server, data / "archive", registry, code_root)
        archive = Archive(data / "archive")
        rows = list(archive.db.query("select * from reports"))
        archive.close()
        batch_scores = score(world, rows)
        scores += batch_scores
        requests, seconds = requests + run["requests"], seconds + run["seconds"]
        recall, precision, *_ = summary(batch_scores)
        print(
            f"  seeds {chunk.start}-{chunk.stop - 1}: recall {recall:.2%}, precision "
            f"{precision:.2%}, {run['requests']} requests, {run['seconds']:.0f} s",
            flush=True,
        )
    recall, precision, expected, correct, found = summary(scores)
    print(
        f"generated worlds{label}, {len(scores)} seeds: "
        f"recall {recall:.2%} ({correct}/{expected}), "
        f"precision {precision:.2%} ({correct}/{found}); {requests / max(correct, 1):.2f} "
        f"requests per found report; {seconds:.0f} s of crawling"
    )
    failed = [s for s in scores if not s.perfect]
    for s in failed[:shown]:
        portal = choose(s.seed)
        print(f"  FAILED seed {s.seed}: {portal.knobs} hazards={sorted(portal.hazards)}")
        for line in s.wrong:
            print(f"      {line}")
    if len(failed) > shown:
        print(f"  ... and {len(failed) - shown} more failing seeds")


def fixture_world(work: Path, code_root: Path, label: str) -> dict:
    world = build_world()
    with serve_world(world) as server:
        data = work / f"fixture-{label}"
        data.mkdir(parents=True)
        registry = server.write_registry(data / "registry.csv")
        first = crawl(server, data / "archive", registry, code_root)
        server.reset()
        second = crawl(server, data / "archive", registry, code_root)
    archive = Archive(data / "archive")
    reports = archive.db["reports"].count
    archive.close()
    return {
        "requests": first["requests"],
        "reports": reports,
        "first_bytes": first["bytes"],
        "second_bytes": second["bytes"],
        "expected": len(world.expected_reports()),
    }


def _line(label: str, m: dict) -> str:
    return (
        f"  {label}: {m['requests']} requests / {m['reports']} reports = "
        f"{m['requests'] / m['reports']:.2f} per report; second crawl {m['second_bytes']:,} of "
        f"{m['first_bytes']:,} bytes = {m['second_bytes'] / m['first_bytes']:.2%}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=500)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument(
        "--baseline-worlds", type=int, default=0, help="crawl this many seeds with the baseline too"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-discovery-"))
    print(f"bench_discovery: {os.cpu_count()} cores, work dir {work}", flush=True)
    generated(range(args.first_seed, args.first_seed + args.seeds), args.batch, work)
    if args.baseline and args.baseline_worlds:
        seeds = range(args.first_seed, args.first_seed + args.baseline_worlds)
        generated(seeds, args.batch, work, args.baseline.resolve(), " (baseline code)", shown=5)
    print("fixture world (hand-made, 52 reports):")
    if args.baseline:
        before = fixture_world(work, args.baseline.resolve(), "before")
        print(_line(f"before ({args.baseline})", before))
    else:
        before = BEFORE
        print(_line("before (main 0db7a4d, recorded)", before))
    after = fixture_world(work, ROOT, "after")
    print(_line("after", after))
    ratio = (after["requests"] / after["reports"]) / (before["requests"] / before["reports"])
    print(f"  requests per report after / before: {ratio:.2f} (limit 1.5)")


if __name__ == "__main__":
    main()
