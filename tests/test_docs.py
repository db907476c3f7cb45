"""Every command has help with an example and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from xxgk.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "xxgk"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(main))


def test_every_command_is_listed():
    assert [path for path, _ in COMMANDS] == [
        "xxgk crawl",
        "xxgk export warc",
        "xxgk parse",
        "xxgk reparse",
        "xxgk run",
        "xxgk schedule",
        "xxgk schools import",
        "xxgk serve",
        "xxgk status",
    ]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_with_an_example_and_is_in_the_readme(path, command):
    assert command.help and "Example:" in command.help, f"{path} lacks help with an Example"
    assert f"`{path}" in README, f"{path} is not documented in README.md"
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{path} {parameter.opts[0]} has no help"
