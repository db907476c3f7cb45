"""One crawl at a time per archive: an exclusive lock file beside the database."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = ".crawl.lock"


class CrawlLocked(RuntimeError):
    """Another crawl holds the archive's lock."""


class CrawlLock:
    """`with CrawlLock(data_dir):` — released by the OS even if the process is killed."""

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.path = Path(data_dir) / LOCK_NAME
        self.handle = None

    def __enter__(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self.handle.close()
            message = f"another crawl holds {self.path}; not starting a second one"
            raise CrawlLocked(message) from exc
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"{os.getpid()}\n")
        self.handle.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
