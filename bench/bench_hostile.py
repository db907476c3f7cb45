"""Hostile input, at the sizes the adversarial pass used: per case the named error, wall time
and peak RSS. Every case must finish under 60 s and 1 GiB.

Documents are parsed the way the crawl and `xxgk reparse` parse them: through
`archive.isolation` (one worker per case, 1024 MB address-space cap, 55 s deadline); the peak
RSS is the worker's own high-water mark (VmHWM). Site cases run against `xxgk serve` on
loopback with a sample archive: each abusive request's status and time, the server's peak
RSS, and the load test (p95 of normal requests alone and with 10 of 50 clients abusive).
Crawl cases crawl each portal of `fixtureworld.nasty_hostile` and print what was recorded,
with the crawl's wall time and the peak RSS of the crawl and its parse workers.

    .venv/bin/python bench/bench_hostile.py [--only NAME]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.ingest import parse_stored  # noqa: E402
from archive.isolation import IsolatedPool, Limits  # noqa: E402
from fixtureworld import nasty_files as nasty  # noqa: E402

MB = nasty.MB
LIMIT_S, LIMIT_MB = 60.0, 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html; charset=utf-8"
# (name, builder, content type, file name): the sizes where they are known.
CASES = [
    ("LZW bomb, 2 GB decoded", lambda: nasty.lzw_bomb(2048 * MB), PDF, "r.pdf"),
    (
        "60 MB content stream, pdfium under a 300 MB cap",
        lambda: nasty.reused_contents(60 * MB, 1),
        PDF,
        "r.pdf",
        300,
    ),
    ("Flate bomb behind ASCIIHex", lambda: nasty.hex_flate_bomb(512 * MB), PDF, "r.pdf"),
    ("Flate bomb with /Image in dict", lambda: nasty.image_dict_bomb(512 * MB), PDF, "r.pdf"),
    ("Flate bomb with wrong /Length", lambda: nasty.wrong_length_bomb(512 * MB), PDF, "r.pdf"),
    ("60 MB stream x100 in /Contents", lambda: nasty.reused_contents(60 * MB, 100), PDF, "r.pdf"),
    ("nested forms 10^10 draws", nasty.nested_forms, PDF, "r.pdf"),
    ("form cycle", nasty.form_cycle, PDF, "r.pdf"),
    ("forms 20 deep", nasty.deep_forms, PDF, "r.pdf"),
    ("(cid:NN) text layer", nasty.cid_text, PDF, "r.pdf"),
    (".docx zip bomb, 1 GB", lambda: nasty.docx_bomb(1024 * MB), DOCX, "r.docx"),
    ("HTML 11 M-char text node", nasty.html_huge_text_node, HTML, "r.html"),
    ("HTML nested 400 deep", lambda: nasty.html_deep(400), HTML, "r.html"),
    ("HTML nested 3000 deep", lambda: nasty.html_deep(3000), HTML, "r.html"),
]


def measured_parse(raw_path: str, content_type, url, file_name):
    """parse_stored plus the worker's peak RSS (runs in the isolated worker)."""
    parsed, error = parse_stored(raw_path, content_type, url, file_name)
    with open("/proc/self/status") as handle:
        peak = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM"))
    summary = None if parsed is None else f"ok, {len(parsed.text)} chars, {parsed.warnings[:1]}"
    return summary, error, peak // 1024


def noop(raw_path: str, content_type, url, file_name):
    return None, None


def hog(raw_path: str, content_type, url, file_name):
    """A parser that wants 3 GB (the memory cap must stop it)."""
    block = bytearray(3 * 2**30)
    return len(block), None


def stall(raw_path: str, content_type, url, file_name):
    time.sleep(600)
    return None, None


def crash(raw_path: str, content_type, url, file_name):
    os.abort()


def _row(name: str, outcome: str, seconds: float, peak: str, size: int | None = None) -> None:
    within = "" if seconds < LIMIT_S else "  <-- over 60 s"
    label = f"{name} ({size // 1024} KB)" if size is not None else name
    print(f"| {label} | {outcome[:110]} | {seconds:.2f} | {peak} |{within}", flush=True)


def documents(only: str | None, tmp: Path) -> None:
    print("| case (file size) | named error / outcome | wall s | peak RSS MB |")
    print("|---|---|---|---|")
    for name, build, content_type, file_name, *cap in CASES:
        if only and only not in name:
            continue
        memory = cap[0] if cap else LIMIT_MB
        body = build()
        path = tmp / file_name
        path.write_bytes(body)
        with IsolatedPool(1, Limits(memory_mb=memory, timeout=55)) as pool:
            pool.submit(noop, "-", None, None, None).result()  # the worker's start is not timed
            started = time.monotonic()
            result = pool.submit(measured_parse, str(path), content_type, None, file_name).result()
            seconds = time.monotonic() - started
        if len(result) == 3:
            summary, error, peak = result
            _row(name, error or summary or "", seconds, str(peak), len(body))
        else:
            _row(name, result[1] or "", seconds, f"<= {memory} (worker killed)", len(body))
    for name, fn, limits in (
        ("parser wanting 3 GB", hog, Limits(memory_mb=LIMIT_MB, timeout=55)),
        ("parser that never returns", stall, Limits(memory_mb=LIMIT_MB, timeout=10)),
        ("parser that aborts (pdfium-style)", crash, Limits(memory_mb=LIMIT_MB, timeout=55)),
    ):
        if only and only not in name:
            continue
        with IsolatedPool(1, limits) as pool:
            pool.submit(noop, "-", None, None, None).result()
            started = time.monotonic()
            _, error = pool.submit(fn, "-", None, None, None).result()[:2]
            seconds = time.monotonic() - started
        _row(name, error or "", seconds, f"<= {LIMIT_MB} (cap)")


def _vm_hwm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM"):
                    return str(int(line.split()[1]) // 1024)
    except OSError:
        pass
    return "?"


def site(tmp: Path) -> None:
    from archive.sample import build_sample_archive
    from fixtureworld.nasty_load import ABUSIVE, request, run_load, served

    sample = build_sample_archive(tmp / "site")
    print("\n| site request | status | wall s |")
    print("|---|---|---|")
    with served(sample.data_dir, tmp / "serve.log") as server:
        for path in ABUSIVE:
            status, seconds = request(server.port, path)
            print(f"| `{path[:90]}` | {status} | {seconds:.2f} |", flush=True)
        single = run_load(server.port, 1, 0, 5, think=0.2)
        calm = run_load(server.port, 50, 0, 10, think=2.0)
        abused = run_load(server.port, 50, 10, 10, think=2.0)
        peak = _vm_hwm(server.pid)
    lines = (tmp / "serve.log").read_text(errors="replace").splitlines()
    print(f"\nserver peak RSS {peak} MB; log {len(lines)} lines, longest {max(map(len, lines))}")
    print(
        f"normal requests p95: 1 client {single.p95():.3f} s; 50 clients {calm.p95():.3f} s "
        f"({len(calm.normal)} requests); 40 normal + 10 abusive {abused.p95():.3f} s "
        f"({len(abused.normal)} normal, abusive statuses {abused.abusive_statuses})"
    )


# No politeness delays against the loopback fixture server; only --resolve hosts.
CRAWL_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "XXGK_RETRY_BACKOFF_BASE=0.05",
    "DOWNLOAD_TIMEOUT=20",
    "XXGK_RESOLVE_ONLY=1",
    "LOG_LEVEL=WARNING",
    "XXGK_ALLOWED_NETWORKS=127.0.0.0/8",
)
_MEASURED = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print('peak_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def _crawl(server, data: Path, host: str) -> tuple[float, int, int]:
    """`xxgk crawl` of one hostile portal: (wall s, exit code, peak RSS MB of the crawl and its
    parse workers, measured by a wrapper process)."""
    args = [sys.executable, "-m", "xxgk", "crawl", "--data", str(data)]
    args += ["--portal", server.portal(host)]
    for entry in server.resolve_args():
        args += ["--resolve", entry]
    for setting in CRAWL_SETTINGS:
        args += ["--set", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args], capture_output=True, text=True, env=env, cwd=ROOT
    )
    seconds = time.monotonic() - started
    peak = next(
        (
            int(line.split()[1]) // 1024
            for line in done.stderr.splitlines()
            if line.startswith("peak_kb")
        ),
        -1,
    )
    return seconds, done.returncode, peak


def crawls(tmp: Path) -> None:
    """The hostile world crawled portal by portal: each case's recorded name."""
    from archive import Archive
    from fixtureworld.nasty_hostile import build_hostile_world
    from fixtureworld.nasty_server import serve_nasty

    world = build_hostile_world()
    print("\n| crawl case | recorded named error / outcome | crawl wall s | crawl peak RSS MB |")
    print("|---|---|---|---|")
    with serve_nasty(world) as server:
        for host in sorted({c.host for c in world.cases}):
            data = tmp / host
            seconds, code, peak = _crawl(server, data, host)
            archive = Archive(data)
            for case in (c for c in world.cases if c.host == host):
                if case.fetch:
                    rows = archive.db.execute(
                        "select error from fetches where url like ? and error is not null",
                        [f"%{case.where}%"],
                    ).fetchall()
                    outcome = rows[0][0] if rows else "NO ROW"
                else:
                    rows = archive.db.execute(
                        "select r.status, r.error from reports r join schools s "
                        "on s.code = r.school_code where s.portal_url like ? and r.year = ?",
                        [f"%//{host}:%", case.year],
                    ).fetchall()
                    outcome = f"{rows[0][0]} {rows[0][1] or ''}" if rows else "NO REPORT"
                print(f"| {case.name} | {outcome[:110]} | {seconds:.1f} (exit {code}) | {peak} |")
            fakes = archive.db.execute(
                "select count(*) from fetches where url like '%/fake/%'"
            ).fetchone()[0]
            if fakes:
                label = "100,000 report links: fetches rows of fake links"
                print(f"| {label} | {fakes} | {seconds:.1f} | {peak} |")
            archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--no-site", action="store_true", help="skip the site cases")
    parser.add_argument("--no-crawl", action="store_true", help="skip the crawl cases")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-hostile-") as tmp:
        documents(args.only, Path(tmp))
        if not args.no_site and not args.only:
            site(Path(tmp))
        if not args.no_crawl and not args.only:
            crawls(Path(tmp))


if __name__ == "__main__":
    main()
