"""`xxgk crawl`, `xxgk schools import` and the main job, `xxgk run`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from archive import Archive
from crawler.addresses import InvalidResolveEntry
from crawler.lock import CrawlLocked
from crawler.registry import RegistryError
from crawler.run import SPIDER_NAMES, CrawlOptions, run_crawl

DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Archive directory: DIR/xxgk.db and the raw files beside it.",
)


def _parse_settings(values: tuple[str, ...]) -> dict[str, str]:
    settings = {}
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: expected NAME=VALUE", param_hint="--set")
        settings[key] = setting
    return settings


@click.command()
@click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with header code,name,portal_url (default: the bundled registry).",
)
@click.option(
    "--portal",
    "portals",
    multiple=True,
    metavar="URL",
    help="Crawl only this portal (repeatable); known schools keep their code.",
)
@DATA_OPTION
@click.option(
    "--resolve",
    multiple=True,
    metavar="HOST:PORT:ADDR",
    help="Send requests for HOST:PORT to ADDR, like curl's --resolve (repeatable).",
)
@click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Allow loopback and private addresses (local fixtures, mirrors).",
)
@click.option(
    "--insecure-tls",
    is_flag=True,
    help="Tolerate invalid TLS certificates (failures are recorded otherwise).",
)
@click.option(
    "--spider",
    "spiders",
    multiple=True,
    type=click.Choice(SPIDER_NAMES),
    help="Run only these spiders (default: every family with registry rows).",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting, e.g. --set DOWNLOAD_DELAY=0.",
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the crawl log here.")
@click.option(
    "--full",
    is_flag=True,
    help="Walk every list page and download everything again (no conditional "
    "requests); the default is incremental.",
)
@click.option(
    "--redis-url",
    metavar="URL",
    help="Share one frontier with other crawler processes through scrapy-redis, "
    "e.g. redis://127.0.0.1:6379/0 (see README: scale-out).",
)
def crawl(
    registry,
    portals,
    data_dir,
    resolve,
    allow_private_addresses,
    insecure_tls,
    spiders,
    settings,
    log_file,
    full,
    redis_url,
) -> None:
    """Crawl the portals and archive every annual report found.

    Runs the Scrapy spiders (one per CMS family, plus the generic fallback) over the registry's
    portals, stores every fetched body under DIR/raw/ and the reports in DIR/xxgk.db.

    Example:

        xxgk crawl --data data

        xxgk crawl --portal http://xxgk.gdou.edu.cn/ --data data
    """
    options = CrawlOptions(
        data_dir=data_dir,
        registry=registry,
        portals=list(portals),
        resolve=list(resolve),
        allow_private_addresses=allow_private_addresses,
        insecure_tls=insecure_tls,
        spiders=list(spiders),
        settings=_parse_settings(settings),
        log_file=log_file,
        redis_url=redis_url,
    )
    if full:
        options.settings["XXGK_FULL_CRAWL"] = True
    started = time.time()
    try:
        crawl_ids = run_crawl(options)
    except (RegistryError, InvalidResolveEntry) as exc:
        raise click.ClickException(str(exc)) from exc
    except CrawlLocked as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(75)  # EX_TEMPFAIL: the next scheduled run will try again
    print_summary(data_dir, crawl_ids, time.time() - started)


def print_summary(data_dir: Path, crawl_ids: list[int], seconds: float) -> None:
    archive = Archive(data_dir)
    db = archive.db
    marks = ",".join("?" * len(crawl_ids)) or "null"
    rows = db.execute(
        f"""select s.code, s.name,
              (select count(*) from reports r where r.school_code = s.code) as reports,
              (select count(*) from reports r where r.school_code = s.code
                 and r.status != 'ok') as failed,
              (select count(*) from fetches f where f.school_code = s.code
                 and f.crawl_id in ({marks})) as fetches,
              (select count(*) from fetches f where f.school_code = s.code
                 and f.crawl_id in ({marks}) and f.error is not null) as fetch_errors
            from schools s
            where s.code in (select school_code from fetches where crawl_id in ({marks}))
            order by s.code""",
        crawl_ids * 3,
    ).fetchall()
    table = Table(title=f"Crawl {', '.join(map(str, crawl_ids))} — {seconds:.1f} s")
    for column in ("code", "school", "reports", "parse failed", "fetches", "fetch errors"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(value) for value in row))
    Console(file=sys.stderr).print(table)
    archive.close()


COMMANDS = [crawl]
