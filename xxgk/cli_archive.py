"""Commands that publish the archive: serve, reparse, export warc."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive directory (holds xxgk.db and raw/).",
)


def _progress(console: Console) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


@click.command()
@DATA_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--live",
    is_flag=True,
    help="Serve while a crawl still writes (no immutable mode; no database download).",
)
def serve(data_dir: Path, host: str, port: int, live: bool) -> None:
    """Publish the archive read-only with Datasette.

    Search, facets, canned queries, the coverage grid (/-/coverage), charts (/-/charts), raw
    file downloads (/-/raw/<sha256>) and the database file (/xxgk.db).

    Example:

        xxgk serve --data data --port 8001
    """
    from archive.serve import ArchiveNotFound
    from archive.serve import serve as run

    try:
        run(data_dir, host, port, live)
    except ArchiveNotFound as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@DATA_OPTION
@click.option("--workers", type=int, default=None, help="Parser processes (default: CPUs).")
def reparse(data_dir: Path, workers: int | None) -> None:
    """Re-run the current parsers over every report's stored file and update its rows.

    Example:

        xxgk reparse --data data --workers 2
    """
    from archive import Archive
    from archive.reparse import reparse as run

    console = Console(stderr=True)
    archive = Archive(data_dir)
    try:
        with _progress(console) as progress:
            task = progress.add_task("reparsing", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            stats = run(archive, workers=workers, progress=advance)
    finally:
        archive.close()
    console.print(
        f"{stats.reports} reports reparsed, {stats.changed} changed, {stats.failed} failed"
        + (f" ({stats.errors})" if stats.errors else ""),
        soft_wrap=True,
    )


@click.group()
def export() -> None:
    """Export the archive in standard formats."""


@export.command()
@DATA_OPTION
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="WARC file to write (default: DATA/export/xxgk.warc.gz).",
)
@click.option("--crawl", "crawl_id", type=int, default=None, help="Only this crawl's fetches.")
def warc(data_dir: Path, output: Path | None, crawl_id: int | None) -> None:
    """Write the raw fetches as a gzipped WARC file (response and revisit records).

    Example:

        xxgk export warc --data data -o xxgk.warc.gz
    """
    from archive import Archive
    from archive.warc import export_warc

    output = output or data_dir / "export" / "xxgk.warc.gz"
    console = Console(stderr=True)
    archive = Archive(data_dir)
    try:
        with _progress(console) as progress:
            task = progress.add_task("writing WARC", total=None)
            stats = export_warc(
                archive,
                output,
                crawl_id,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    finally:
        archive.close()
    console.print(
        f"{output}: {stats.responses} responses, {stats.revisits} revisits"
        + (f", {stats.missing} raw files missing" if stats.missing else ""),
        soft_wrap=True,
    )


COMMANDS: list[click.Command] = [serve, reparse, export]
