"""Run Datasette on an archive directory, read-only, with the archive's plugin and metadata."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from archive.store import DB_NAME, open_database

METADATA = Path(__file__).with_name("metadata.yml")
# Datasette 0.65 settings (`--setting NAME VALUE`); the reasons are in docs/archive.md.
SETTINGS = {
    "sql_time_limit_ms": "3000",  # a researcher's query may scan; a runaway one must not hang
    "facet_time_limit_ms": "400",
    "default_page_size": "50",
    "max_returned_rows": "2000",
    "truncate_cells_html": "400",  # report texts are long: the row page shows them whole
    "allow_download": "on",
    "default_cache_ttl": "300",
}


class ArchiveNotFound(Exception):
    """The data directory has no xxgk.db; crawl first or pass --data."""


def prepare(data_dir: str | os.PathLike[str], live: bool = False) -> Path:
    """Migrate the database (so search and views exist) and fold the WAL into the file.

    Immutable serving (the default) never reads the `-wal` file, so anything left there would
    be invisible; `live` serving reads it and suits an archive a crawl is still writing.
    """
    db_path = Path(data_dir) / DB_NAME
    if not db_path.exists():
        raise ArchiveNotFound(f"{db_path} does not exist; run a crawl or pass --data DIR")
    db = open_database(db_path)
    try:
        if not live:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return db_path


def datasette_args(db_path: Path, host: str, port: int, live: bool = False) -> list[str]:
    """The `datasette serve` command line for this archive."""
    args = ["serve", str(db_path)] if live else ["serve", "-i", str(db_path)]
    args += ["--metadata", str(METADATA), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    return args


def ensure_plugin() -> None:
    """Register `archive.site` with all its hooks, whether or not the `datasette` entry point
    already did: when `archive.site` is imported before `datasette.plugins`, its own import of
    Datasette makes the entry point register the half-imported module (hooks defined later,
    such as the SQL guards, would be missing), so it is registered again, whole."""
    from datasette.plugins import pm

    import archive.site

    for registered in (pm.get_plugin("xxgk"), archive.site):
        if registered is not None and pm.is_registered(registered):
            pm.unregister(registered)
    pm.register(archive.site, name="xxgk")


def serve(data_dir: str | os.PathLike[str], host: str, port: int, live: bool = False) -> None:
    """Start Datasette in this process (returns when the server stops)."""
    from datasette.cli import cli as datasette_cli

    db_path = prepare(data_dir, live)
    ensure_plugin()
    datasette_cli.main(args=datasette_args(db_path, host, port, live), prog_name="datasette")


def build_datasette(db_path: Path, live: bool = False) -> Any:
    """The same site as `serve`, as a Datasette object (for tests and embedding)."""
    import yaml
    from datasette.app import Datasette

    ensure_plugin()
    settings = {k: int(v) if v.isdigit() else v for k, v in SETTINGS.items()}
    settings["allow_download"] = True
    return Datasette(
        files=[str(db_path)] if live else [],
        immutables=[] if live else [str(db_path)],
        metadata=yaml.safe_load(METADATA.read_text(encoding="utf-8")),
        settings=settings,
    )
