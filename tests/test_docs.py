"""The README is the code: every command (help with an example) and every named error."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from crawler import fetch_errors
from parsers import errors as parse_errors
from xxgk.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def _error_table(header: str) -> list[tuple[str, str]]:
    """The (name, meaning) rows of a README table of named errors, in README order."""
    assert header in README, f"README.md lost the table headed {header!r}"
    body = README.split(header + "\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert body[0] == "|---|---|"
    rows = []
    for line in body[1:]:
        match = re.fullmatch(r"\| `(\w+):` \| (.+) \|", line)
        assert match, f"not a `Name:` | meaning row: {line!r}"
        rows.append((match[1], match[2]))
    return rows


def test_readme_fetch_error_table_is_the_code():
    documented = _error_table("| `fetches.error` starts with | when |")
    assert documented == [(cls.__name__, cls.__doc__) for cls in fetch_errors.FETCH_ERRORS]
    # Both ways: a FetchError class left out of FETCH_ERRORS (so out of the README) fails too.
    defined = [
        value
        for value in vars(fetch_errors).values()
        if isinstance(value, type)
        and issubclass(value, fetch_errors.FetchError)
        and value is not fetch_errors.FetchError
    ]
    assert defined == list(fetch_errors.FETCH_ERRORS)


def test_readme_parse_error_table_is_the_code():
    documented = _error_table("| `reports.error` starts with | when |")
    defined = [
        value
        for value in vars(parse_errors).values()
        if isinstance(value, type)
        and issubclass(value, parse_errors.ParseError)
        and value is not parse_errors.ParseError
    ]
    assert documented == [(cls.__name__, cls.__doc__) for cls in defined]


def _literal_prefixes(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def test_fetch_error_strings_come_from_the_classes():
    """No `Name: ...` literal in the crawler: every stored reason is built by its class."""
    names = "|".join(cls.__name__ for cls in fetch_errors.FETCH_ERRORS)
    literal = re.compile(rf"^({names}): ")
    found = [
        f"{path.relative_to(ROOT)}:{lineno}: {text[:60]!r}"
        for path in sorted((ROOT / "crawler").rglob("*.py"))
        for lineno, text in _literal_prefixes(ast.parse(path.read_text(encoding="utf-8")))
        if literal.match(text)
    ]
    assert found == []
