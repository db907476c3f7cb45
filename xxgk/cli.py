"""The `xxgk` command: a thin front over the crawler, the parsers and the archive."""

from __future__ import annotations

import click

from xxgk import (
    cli_archive,
    cli_crawl,
    cli_parse,
    cli_run,
    cli_schedule,
    cli_schools,
    cli_status,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk-archive")
def main() -> None:
    """Harvest, parse and publish Chinese universities' information-disclosure reports."""


for module in (cli_run, cli_crawl, cli_status, cli_schools, cli_parse, cli_archive, cli_schedule):
    for command in module.COMMANDS:
        main.add_command(command)
