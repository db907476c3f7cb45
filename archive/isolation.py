"""Parsing in isolation: each document is parsed in a worker process with its own memory cap
and a per-document deadline, so a file that makes pdfium abort, loops or eats memory costs
that one document, never the crawl or the reparse.

A worker that dies or overruns is killed and replaced; its document gets a named error
(`ParserCrashed: signal 6 (SIGABRT)`, `ParseTimeout`, `DocumentTooLarge`) and every other
document is parsed. Workers die with their parent (PR_SET_PDEATHSIG), so a crawl killed with
SIGKILL leaves no parse processes behind.

`IsolatedPool.submit` returns a `concurrent.futures.Future`, like `ProcessPoolExecutor`, so the
crawl pipeline awaits it with `asyncio.wrap_future` and reparse simply iterates. Each worker
slot is one thread in the parent that feeds its own process through a pipe; that thread also
spawns the replacement, which matters because the parent-death signal follows the thread
that started the child. Never imports Scrapy (reparse uses it too).
"""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import queue
import resource
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from parsers.errors import DocumentTooLarge, ParserCrashed, ParseTimeout

# A worker with all parsers imported maps ~200 MB; the rest of the cap is the document's.
DEFAULT_MEMORY_MB = 1024
# A large real report parses in under 20 s; LibreOffice conversion gives up at 120 s
# (parsers.word.CONVERT_TIMEOUT) with its own named error, so the deadline lies past it.
DEFAULT_TIMEOUT = 150.0
PR_SET_PDEATHSIG = 1
STARTUP_TIMEOUT = 120.0  # spawning and importing the parsers, on a loaded machine

Result = tuple[Any, str | None]


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB
    timeout: float = DEFAULT_TIMEOUT


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the process group kill still applies
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _cap(memory_mb: int) -> None:
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an aborting pdfium dumps no core


def _preload() -> None:
    """Import the parsers before the first deadline starts, so it measures parsing."""
    try:
        import parsers  # noqa: F401
        import parsers.html  # noqa: F401
        import parsers.pdf  # noqa: F401
    except ImportError:
        pass


def memory_error(memory_mb: int) -> str:
    return str(DocumentTooLarge(f"parsing needed more than the worker's {memory_mb} MB memory cap"))


def _worker_main(conn: Connection, parent: int, memory_mb: int) -> None:
    """The worker process: parse what the parent sends until told to stop."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _preload()
    _cap(memory_mb)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, args = job
        try:
            result: Result = fn(*args)
            recycle = False
        except MemoryError:
            result, recycle = (None, memory_error(memory_mb)), True
        except Exception as exc:  # noqa: BLE001 - a parse function bug: named, never raised
            result, recycle = (None, str(ParserCrashed(f"{type(exc).__name__}: {exc}"))), False
        try:
            conn.send((result, recycle))
        except MemoryError:
            conn.send(((None, memory_error(memory_mb)), True))
            recycle = True
        if recycle:  # a heap that hit the cap is not worth reusing
            return


def crash_reason(exitcode: int | None) -> str:
    """The named error of a worker that died while parsing."""
    if exitcode is not None and exitcode < 0:
        try:
            name = f" ({signal.Signals(-exitcode).name})"
        except ValueError:
            name = ""
        return str(ParserCrashed(f"signal {-exitcode}{name} in the parse worker"))
    return str(ParserCrashed(f"the parse worker exited with code {exitcode}"))


class _Slot:
    """One worker process and the parent thread that feeds it."""

    def __init__(self, pool: IsolatedPool) -> None:
        self.pool = pool
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None
        self.thread = threading.Thread(target=self.run, name="xxgk-parse-slot", daemon=True)

    def start_worker(self) -> None:
        parent_conn, child_conn = self.pool.context.Pipe()
        process = self.pool.context.Process(
            target=_worker_main,
            args=(child_conn, os.getpid(), self.pool.limits.memory_mb),
            name="xxgk-parse-worker",
            daemon=True,
        )
        process.start()
        child_conn.close()
        self.process, self.conn = process, parent_conn
        self.pool.started += 1
        # The deadline is for parsing: wait out the imports before the first document.
        if not parent_conn.poll(STARTUP_TIMEOUT) or parent_conn.recv() != "ready":
            raise EOFError("the parse worker did not start")

    def kill(self) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
        if self.conn is not None:
            self.conn.close()
        self.process, self.conn = None, None

    def run(self) -> None:
        while True:
            job = self.pool.jobs.get()
            if job is None:
                break
            fn, args, future = job
            if future.set_running_or_notify_cancel():
                future.set_result(self.parse(fn, args))
        if self.conn is not None:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.kill()

    def parse(self, fn: Callable[..., Result], args: tuple) -> Result:
        timeout = self.pool.limits.timeout
        try:
            if self.process is None or not self.process.is_alive():
                self.kill()
                self.start_worker()
            assert self.conn is not None and self.process is not None
            self.conn.send((fn, args))
            if self.conn.poll(timeout):
                result, recycle = self.conn.recv()
                if recycle:  # the worker leaves after this answer
                    self.kill()
                return result
        except (EOFError, OSError):
            if self.process is None:
                return None, str(ParserCrashed("the parse worker could not be started"))
            self.process.join(5)
            reason = crash_reason(self.process.exitcode)
            self.pool.crashed += 1
            self.kill()
            return None, reason
        self.pool.timeouts += 1
        self.kill()
        return None, str(ParseTimeout(f"not parsed within {timeout:g} s; the worker was killed"))


class IsolatedPool:
    """`workers` isolated parse processes; `submit(fn, *args)` -> Future of `fn`'s
    (parsed, error) result, or of (None, named error) when the worker died or overran."""

    def __init__(self, workers: int, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        # spawn: forking a process that runs the reactor's threads is unsafe.
        self.context = multiprocessing.get_context("spawn")
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.started = self.crashed = self.timeouts = 0
        self.slots = [_Slot(self) for _ in range(max(workers, 1))]
        self.closed = False
        for slot in self.slots:
            slot.thread.start()
        atexit.register(self.kill)  # an exiting parent takes its workers along at once

    def submit(self, fn: Callable[..., Result], *args: Any) -> Future:
        if self.closed:
            raise RuntimeError("the parse pool is shut down")
        future: Future = Future()
        self.jobs.put((fn, args, future))
        return future

    def pids(self) -> list[int]:
        return [s.process.pid for s in self.slots if s.process is not None and s.process.pid]

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers; queued documents not yet started are cancelled."""
        if self.closed:
            return
        self.closed = True
        atexit.unregister(self.kill)
        pending = []
        while True:
            try:
                pending.append(self.jobs.get_nowait())
            except queue.Empty:
                break
        for job in pending:
            if job is not None:
                job[2].cancel()
        for _ in self.slots:
            self.jobs.put(None)
        if wait:
            for slot in self.slots:
                slot.thread.join(self.limits.timeout + 10)

    def kill(self) -> None:
        """Kill every worker now (the process is exiting); nothing waits for a parse."""
        self.closed = True
        for slot in self.slots:
            process = slot.process
            if process is not None and process.is_alive():
                process.kill()

    def __enter__(self) -> IsolatedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
