"""`xxgk parse`: run the parsers on one local file and print what they found."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from parsers import ParsedDocument, ParseError, parse

# Exit code for a file the parsers cannot read (click uses 2 for usage errors too: both mean
# "this input cannot be processed as given").
EXIT_UNREADABLE = 2


def document_json(doc: ParsedDocument) -> dict:
    """The JSON shape of a parsed document (plain data, dates as ISO strings)."""
    data = doc.to_dict()
    keys = (
        "text",
        "title",
        "school",
        "label",
        "year",
        "period_start",
        "period_end",
        "published",
        "sections",
        "figures",
        "tables",
        "warnings",
        "parser",
        "parser_version",
        "format",
        "pages",
    )
    out = {key: data[key] for key in keys}
    # A figure read from a table points at its cell; text figures carry no cell keys.
    out["figures"] = [
        {k: v for k, v in f.items() if v is not None or k not in ("table", "row", "column")}
        for f in out["figures"]
    ]
    return out


def _header(doc: ParsedDocument) -> str:
    period = f"{doc.period_start} – {doc.period_end}" if doc.period_start else "not stated"
    keys = ", ".join(s.key for s in doc.sections) or "none"
    figures = ", ".join(f"{f.name}={f.value}" for f in doc.figures) or "none"
    lines = [
        f"# {doc.title or '(no title)'}",
        f"# school: {doc.school or '?'} | label: {doc.label or '?'} | year: {doc.year or '?'}"
        f" | period: {period} | published: {doc.published or '?'}",
        f"# format: {doc.format} | sections: {keys}",
        f"# figures: {figures}",
        f"# parser: {doc.parser} | tables: {len(doc.tables)}",
        *(f"# warning: {w}" for w in doc.warnings),
    ]
    return "\n".join(lines)


def _tables(doc: ParsedDocument) -> str:
    """Each table after the text: its pages, then one line per row, cells between `|`; the
    header rows are set off by a rule."""
    out = []
    for k, table in enumerate(doc.tables, 1):
        pages = "–".join(dict.fromkeys(str(p) for p in table.pages[:1] + table.pages[-1:]))
        out.append(f"## table {k} (page {pages or '?'}, {len(table.rows)} rows)")
        for i, row in enumerate(table.rows):
            if i == table.header_rows and i:
                out.append("|" + "|".join("---" for _ in row) + "|")
            out.append("| " + " | ".join(row) + " |")
    return "\n".join(out)


@click.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
@click.option("--content-type", default=None, help="Content type the file was served with.")
def parse_command(file: Path, as_json: bool, content_type: str | None) -> None:
    """Parse FILE (PDF, Word, HTML page) and print its report text and findings.

    Plain mode prints a short header (title, school, period, parser, sections, figures,
    warnings: OCR'd pages are named there) and then the normalised text, then each table
    with its pages, one row per line (`| a | b |`, the header rows ruled off). --json
    prints one object with the keys text, title, school, label, year, period_start,
    period_end, published, sections, figures, tables, warnings, parser, parser_version (and
    format, pages).

    A file the parsers cannot read exits with status 2 and one line on stderr, e.g.
    `error: BrokenDocument: no %%EOF marker at the end: truncated download`.

    Example:

        xxgk parse 2023年度信息公开报告.pdf

        xxgk parse report.htm --json | jq .figures
    """
    try:
        doc = parse(file.read_bytes(), content_type, filename=file.name)
    except ParseError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    except OSError as exc:
        click.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if as_json:
        click.echo(json.dumps(document_json(doc), ensure_ascii=False, indent=2))
    else:
        click.echo(_header(doc))
        click.echo()
        click.echo(doc.text)
        if doc.tables:
            click.echo()
            click.echo(_tables(doc))


COMMANDS: list[click.Command] = [parse_command]
