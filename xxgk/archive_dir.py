"""Which archive a command works on: `--data DIR`, else the one `xxgk run` built.

`xxgk run` builds `DIR/xxgk.db` when it crawls the real portals and `DIR/demo/xxgk.db` when it
falls back to the offline demo; commands run afterwards with the default `--data` find either,
say which one they use, and never create an empty archive where none is.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from archive.store import DB_NAME

DEMO_SUBDIR = "demo"


def data_was_given(ctx: click.Context, name: str = "data_dir") -> bool:
    return ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)


def find_archive(data_dir: Path, explicit: bool) -> Path:
    """The archive directory to use; ClickException when there is none (nothing is created)."""
    if (data_dir / DB_NAME).exists():
        return data_dir
    demo = data_dir / DEMO_SUBDIR
    if not explicit and (demo / DB_NAME).exists():
        click.echo(
            f"using the demo archive {demo} (built by `xxgk run` offline; --data DIR to choose)",
            err=True,
        )
        return demo
    where = f"{data_dir / DB_NAME}" + ("" if explicit else f" nor {demo / DB_NAME}")
    raise click.ClickException(
        f"no archive at {where}; build one with `xxgk run` or `xxgk crawl --data DIR`, "
        "or pass --data DIR"
    )


def current_archive(ctx: click.Context, data_dir: Path) -> Path:
    return find_archive(data_dir, data_was_given(ctx))
