"""`xxgk run`, the main job: crawl, build the archive, serve it; offline, a demo world."""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive.store import DB_NAME
from crawler.registry import load_registry
from xxgk.cli_crawl import DATA_OPTION

# The demo crawls loopback portals: no politeness delays are needed against our own server.
DEMO_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "XXGK_RETRY_BACKOFF_BASE=0.2")


def portals_reachable(sample: int = 4, timeout: float = 3.0) -> bool:
    """True when any of a few registry portals accepts a TCP connection."""
    hosts = [urlsplit(s.portal_url) for s in load_registry()[:sample]]

    def probe(parts) -> bool:
        try:
            with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout):
                return True
        except OSError:
            return False

    with ThreadPoolExecutor(len(hosts)) as pool:
        return any(pool.map(probe, hosts))


# A fixed port when free, so the demo portals keep their URLs and a second run is incremental.
DEMO_PORT = 18765


def _demo_port() -> int:
    """DEMO_PORT when it is free, else 0 (any free port)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", DEMO_PORT))
        except OSError:
            return 0
    return DEMO_PORT


def _crawl(args: list[str], archive_dir: Path) -> None:
    # Scrapy's start-up dump (versions, settings, middlewares) and its INFO lines go to the
    # log file; the console gets the command line, the per-school summary and where things are.
    log_file = archive_dir / "logs" / "crawl.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    args = [*args, "--log-file", str(log_file)]
    command = [sys.executable, "-m", "xxgk", "crawl", *args]
    click.echo("$ xxgk crawl " + " ".join(args), err=True)
    subprocess.run(command, check=True)
    click.echo(f"archive: {(archive_dir / DB_NAME).resolve()} (crawl log: {log_file})", err=True)


@click.command()
@DATA_OPTION
@click.option(
    "--mode",
    type=click.Choice(["auto", "live", "demo"]),
    default="auto",
    show_default=True,
    help="live: crawl the registry; demo: crawl the bundled fixture portals on "
    "loopback; auto: live when a portal is reachable, else demo.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Datasette host.")
@click.option("--port", default=8001, show_default=True, help="Datasette port.")
@click.option("--no-serve", is_flag=True, help="Stop after the crawl.")
@click.pass_context
def run(
    ctx: click.Context, data_dir: Path, mode: str, host: str, port: int, no_serve: bool
) -> None:
    """Crawl, build the archive and serve it with Datasette.

    With no portal reachable (no internet), runs the offline demo: the bundled fixture portals
    are served on 127.0.0.1 and crawled through --resolve; the demo archive is DIR/demo.
    Prints the archive's path and the URL it serves; the crawl's log is DIR/logs/crawl.log
    (DIR/demo/logs/crawl.log for the demo). `xxgk status`, `serve`, `reparse` and `export`
    find this archive when run with the default --data.

    Example:

        xxgk run --data data
    """
    live = mode == "live" or (mode == "auto" and portals_reachable())
    if live:
        _crawl(["--data", str(data_dir)], data_dir)
        archive_dir = data_dir
    else:
        from fixtureworld import build_world, serve_world

        archive_dir = data_dir / "demo"
        archive_dir.mkdir(parents=True, exist_ok=True)
        click.echo("No portal reachable: crawling the bundled demo portals on loopback.", err=True)
        with serve_world(build_world(), port=_demo_port()) as server:
            registry = archive_dir / "registry.csv"
            server.write_registry(registry, families=True)
            args = [
                "--registry",
                str(registry),
                "--data",
                str(archive_dir),
                "--allow-private-addresses",
            ]
            for entry in server.resolve_args():
                args += ["--resolve", entry]
            for setting in DEMO_SETTINGS:
                args += ["--set", setting]
            _crawl(args, archive_dir)
    if no_serve:
        return
    from xxgk.cli_archive import serve

    ctx.invoke(serve, data_dir=archive_dir, host=host, port=port)


COMMANDS = [run]
