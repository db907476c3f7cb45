"""Parse isolation: a worker that aborts, overruns or runs out of memory costs its one
document a named error; every other document is parsed; workers die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from archive.isolation import IsolatedPool, Limits


def behave(kind: str, value: int) -> tuple[object, str | None]:
    """A parse function that misbehaves on demand (module level: workers import it)."""
    if kind == "abort":
        os.abort()
    if kind == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "sleep":
        time.sleep(value)
    if kind == "hog":
        block = bytearray(value * 2**20)
        return len(block), None
    if kind == "raise":
        raise RuntimeError("bug in a parser")
    if kind == "exit":
        os._exit(value)
    return {"pid": os.getpid(), "value": value}, None


def test_a_dying_worker_costs_one_document_and_every_other_is_parsed():
    jobs = [("ok", 1), ("abort", 0), ("ok", 2), ("segv", 0), ("ok", 3), ("sleep", 30)]
    jobs += [("ok", 4), ("hog", 900), ("ok", 5), ("raise", 0), ("exit", 3), ("ok", 6)]
    started = time.monotonic()
    with IsolatedPool(2, Limits(memory_mb=400, timeout=3)) as pool:
        futures = [pool.submit(behave, kind, value) for kind, value in jobs]
        results = [f.result(timeout=60) for f in futures]
        counts = (pool.crashed, pool.timeouts)
    elapsed = time.monotonic() - started
    errors = [error for _, error in results]
    assert errors == [
        None,
        "ParserCrashed: signal 6 (SIGABRT) in the parse worker",
        None,
        "ParserCrashed: signal 11 (SIGSEGV) in the parse worker",
        None,
        "ParseTimeout: not parsed within 3 s; the worker was killed",
        None,
        "DocumentTooLarge: parsing needed more than the worker's 400 MB memory cap",
        None,
        "ParserCrashed: RuntimeError: bug in a parser",
        "ParserCrashed: the parse worker exited with code 3",
        None,
    ]
    assert [r[0]["value"] for r, (kind, _) in zip(results, jobs, strict=True) if kind == "ok"] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert counts == (3, 1)
    assert elapsed < 30


def test_the_memory_cap_is_the_workers_own():
    with IsolatedPool(1, Limits(memory_mb=600, timeout=20)) as pool:
        assert pool.submit(behave, "hog", 300).result(timeout=30) == (300 * 2**20, None)
        assert pool.submit(behave, "hog", 700).result(timeout=30)[1].startswith("DocumentTooLarge")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_workers_die_with_a_killed_parent(tmp_path: Path):
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from archive.isolation import IsolatedPool
            from test_hostile_isolation import behave
            if __name__ == "__main__":
                pool = IsolatedPool(2)
                futures = [pool.submit(behave, "sleep", 60) for _ in range(2)]
                while len(pool.pids()) < 2:
                    time.sleep(0.05)
                time.sleep(0.5)
                print(*pool.pids(), flush=True)
                time.sleep(120)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), str(Path(__file__).parent)])}
    parent = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in pids if _alive(p)] == []
    finally:
        parent.kill()
        parent.wait(10)
