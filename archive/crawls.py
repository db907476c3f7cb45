"""Crawl rows left `running` by a crawl that never reached its end (killed, timed out, the
machine lost power) are marked `interrupted` when the next crawl of the archive starts."""

from __future__ import annotations

from sqlite_utils import Database

INTERRUPTED = "interrupted"


def mark_interrupted(db: Database) -> list[int]:
    """Mark every `running` crawl `interrupted`; returns their ids. Call only while holding the
    archive's crawl lock: then no crawl of this archive can really be running."""
    ids = [row[0] for row in db.execute("select id from crawls where status = 'running'")]
    if ids:
        marks = ",".join("?" * len(ids))
        with db.conn:
            db.execute(f"update crawls set status = ? where id in ({marks})", [INTERRUPTED, *ids])
    return ids
