"""The archive on disk: `xxgk.db` (SQLite) and the raw files beside it, content-addressed."""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.migrations import migrations
from archive.search import register_functions
from archive.shape import ensure_db_shape

DB_NAME = "xxgk.db"
RAW_DIR = "raw"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class RawFileMissing(Exception):
    """A raw file named by the database is not in the raw store."""


class Archive:
    """One archive directory. Writers call `store_raw` before anything parses the bytes."""

    def __init__(self, data_dir: str | os.PathLike[str]):
        self.data_dir = Path(data_dir)
        self.raw_dir = self.data_dir / RAW_DIR
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / DB_NAME
        self.db = open_database(self.db_path)

    def close(self) -> None:
        self.db.close()

    # -- raw files -------------------------------------------------------------------------
    def raw_path(self, sha256: str) -> Path:
        return self.raw_dir / sha256[:2] / sha256

    def store_raw(self, body: bytes) -> str:
        """Write the bytes once under their sha256; a reader never sees a half-written file."""
        digest = sha256_hex(body)
        path = self.raw_path(digest)
        if path.exists() and path.stat().st_size == len(body):
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def read_raw(self, sha256: str) -> bytes:
        path = self.raw_path(sha256)
        if not path.exists():
            raise RawFileMissing(f"raw file {sha256} is not in {self.raw_dir}")
        return path.read_bytes()

    # -- crawls and fetches ----------------------------------------------------------------
    def begin_crawl(self, spider: str, args: dict[str, Any]) -> int:
        table = self.db["crawls"]
        table.insert(
            {
                "started_at": utc_now(),
                "spider": spider,
                "args": json.dumps(args, ensure_ascii=False, sort_keys=True),
                "status": "running",
            }
        )
        return int(table.last_pk)

    def end_crawl(self, crawl_id: int, status: str, stats: dict[str, Any]) -> None:
        self.db["crawls"].update(
            crawl_id,
            {
                "finished_at": utc_now(),
                "status": status,
                "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str),
            },
        )

    def record_fetch(self, fetch: dict[str, Any]) -> int:
        """Append one row to the fetch log (never updated afterwards)."""
        row = {"fetched_at": utc_now(), "method": "GET", **fetch}
        table = self.db["fetches"]
        table.insert(row)
        return int(table.last_pk)

    def last_good_fetch(self, url: str) -> dict[str, Any] | None:
        """The newest fetch of URL that brought (or confirmed) a body: for conditional requests."""
        rows = self.db.execute(
            "select sha256, etag, last_modified, content_type from fetches "
            "where url = ? and status in (200, 304) and sha256 is not null "
            "order by id desc limit 1",
            [url],
        ).fetchall()
        if not rows:
            return None
        return dict(zip(("sha256", "etag", "last_modified", "content_type"), rows[0], strict=True))

    def upsert_schools(self, rows: Iterable[dict[str, Any]]) -> int:
        rows = list(rows)
        self.db["schools"].upsert_all(rows, pk="code", alter=False)
        return len(rows)


def open_database(path: str | os.PathLike[str]) -> Database:
    """Open (creating if needed), migrate, re-apply the shape; WAL: readers share with a crawl."""
    db = Database(path)
    db.execute("PRAGMA busy_timeout=30000")  # first: the pragmas below may wait for a writer
    # Several processes may open a new archive at once (scale-out workers): one migrates.
    lock_path = os.devnull if str(path) == ":memory:" else f"{path}.migrate-lock"
    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: no fsync per commit (one fetch row per response), still never corrupt;
        # a power cut may lose the last commits, which the next crawl fetches again.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        register_functions(db)  # the search index's triggers call them on every write
        migrations.apply(db)
        ensure_db_shape(db)
    return db
