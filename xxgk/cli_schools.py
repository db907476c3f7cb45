"""`xxgk schools import`: the ministry's school list into the archive, portals guessed."""

from __future__ import annotations

from pathlib import Path

import click

from archive import Archive
from crawler.registry import RegistryError
from crawler.run import CrawlOptions, run_crawl
from crawler.schools import read_ministry_list, write_registry
from xxgk.cli_crawl import DATA_OPTION, _parse_settings


@click.group()
def schools() -> None:
    """Manage the list of schools and their portals."""


@schools.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@DATA_OPTION
@click.option(
    "--guess/--no-guess",
    default=True,
    show_default=True,
    help="Look for each school's portal (xxgk.<domain>, a 信息公开 link on its site).",
)
@click.option(
    "--registry-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the registry CSV here (default: DIR/registry.csv).",
)
@click.option("--limit", type=int, help="Only the first N schools with a website.")
@click.option(
    "--resolve",
    multiple=True,
    metavar="HOST:PORT:ADDR",
    help="Send requests for HOST:PORT to ADDR, like curl's --resolve.",
)
@click.option(
    "--allow-private-addresses",
    is_flag=True,
    help="Allow loopback and private addresses (local fixtures, mirrors).",
)
@click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting."
)
def import_schools(
    file, data_dir, guess, registry_out, limit, resolve, allow_private_addresses, settings
) -> None:
    """Load the ministry's school list (code, name, province, ...) and find portals.

    FILE has the columns of the ministry list as published with this project's docs:
    code (10-digit 学校标识码), name, authority, province, city, level, and optionally website.
    Found portals are written to the schools table and to a registry CSV for `xxgk crawl`.

    Example:

        xxgk schools import institutions_2025.csv --data data

        xxgk crawl --registry data/registry.csv --data data
    """
    try:
        listed = read_ministry_list(file)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    archive = Archive(data_dir)
    archive.upsert_schools(school.as_row() for school in listed)
    archive.close()
    click.echo(f"{len(listed)} schools loaded into {data_dir / 'xxgk.db'}", err=True)
    if not guess:
        return
    run_crawl(
        CrawlOptions(
            data_dir=data_dir,
            resolve=list(resolve),
            spiders=["discover"],
            allow_private_addresses=allow_private_addresses,
            settings=_parse_settings(settings),
            spider_args={"schools_csv": str(file), "limit": limit},
        )
    )
    archive = Archive(data_dir)
    codes = {school.code for school in listed}
    rows = [
        r
        for r in archive.db["schools"].rows_where("portal_url is not null", order_by="code")
        if r["code"] in codes
    ]
    archive.close()
    target = registry_out or data_dir / "registry.csv"
    write_registry(target, rows)
    click.echo(f"{len(rows)} portals found; registry written to {target}", err=True)


COMMANDS = [schools]
