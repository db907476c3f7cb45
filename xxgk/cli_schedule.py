"""`xxgk schedule`: the nightly crawl as a cron line or a systemd timer, locked against overlap."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click

from xxgk.archive_dir import data_was_given
from xxgk.cli_crawl import DATA_OPTION

MARK = "# xxgk nightly crawl"


def crawl_command(data_dir: Path, registry: str | None) -> list[str]:
    running = Path(sys.argv[0])
    if running.name == "xxgk":
        executable = [str(running.resolve())]
    elif shutil.which("xxgk"):
        executable = [shutil.which("xxgk")]
    else:
        executable = [sys.executable, "-m", "xxgk"]
    command = [
        *executable,
        "crawl",
        "--data",
        str(data_dir.resolve()),
        "--log-file",
        str((data_dir / "logs" / "crawl.log").resolve()),
    ]
    if registry:
        command += ["--registry", str(Path(registry).resolve())]
    return command


def cron_line(data_dir: Path, registry: str | None, hour: int, minute: int) -> str:
    command = shlex.join(crawl_command(data_dir, registry))
    return f"{minute} {hour} * * * {command} >/dev/null 2>&1 {MARK}"


def systemd_units(data_dir: Path, registry: str | None, hour: int, minute: int) -> dict[str, str]:
    service = (
        "[Unit]\nDescription=xxgk archive: nightly crawl of the disclosure portals\n"
        "After=network-online.target\nWants=network-online.target\n\n"
        "[Service]\nType=oneshot\n"
        f"ExecStart={shlex.join(crawl_command(data_dir, registry))}\n"
        "Nice=10\n"
    )
    timer = (
        "[Unit]\nDescription=xxgk archive: run the crawl every night\n\n"
        f"[Timer]\nOnCalendar=*-*-* {hour:02d}:{minute:02d}:00\nPersistent=true\n"
        "RandomizedDelaySec=600\n\n[Install]\nWantedBy=timers.target\n"
    )
    return {"xxgk-crawl.service": service, "xxgk-crawl.timer": timer}


def _parse_time(value: str) -> tuple[int, int]:
    hour, sep, minute = value.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise click.BadParameter(f"{value!r}: expected HH:MM", param_hint="--at")
    return int(hour), int(minute)


@click.command()
@DATA_OPTION
@click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False),
    help="Registry CSV for the scheduled crawl (default: the bundled one).",
)
@click.option("--at", "at", default="02:30", show_default=True, help="Time of day, HH:MM.")
@click.option("--systemd", is_flag=True, help="A systemd service and timer instead of cron.")
@click.option(
    "--install",
    is_flag=True,
    help="Install it: add the line to the crontab, or write the units to "
    "~/.config/systemd/user/ (then enable xxgk-crawl.timer).",
)
@click.pass_context
def schedule(
    ctx: click.Context, data_dir: Path, registry: str | None, at: str, systemd: bool, install: bool
) -> None:
    """Print (or install) the nightly crawl for cron or systemd.

    Two crawls never overlap: the crawl takes an exclusive lock on DIR/.crawl.lock, so a run
    that finds it taken exits at once with code 75 (EX_TEMPFAIL) and leaves the archive alone.
    The crawl logs to DIR/logs/crawl.log and records its stats in the crawls table.

    Example:

        xxgk schedule --data /srv/xxgk/data --at 02:30

        xxgk schedule --data /srv/xxgk/data --systemd --install
    """
    hour, minute = _parse_time(at)
    if not data_was_given(ctx):
        # The nightly crawl goes to the live archive `xxgk run` builds, never into the demo.
        click.echo(f"scheduling crawls into {data_dir.resolve()} (--data DIR to choose)", err=True)
    (data_dir / "logs").mkdir(parents=True, exist_ok=True)
    if systemd:
        units = systemd_units(data_dir, registry, hour, minute)
        if not install:
            for name, text in units.items():
                click.echo(f"# {name}\n{text}")
            return
        target = Path.home() / ".config" / "systemd" / "user"
        target.mkdir(parents=True, exist_ok=True)
        for name, text in units.items():
            (target / name).write_text(text, encoding="utf-8")
        click.echo(
            f"written to {target}; enable with: systemctl --user enable --now xxgk-crawl.timer",
            err=True,
        )
        return
    line = cron_line(data_dir, registry, hour, minute)
    if not install:
        click.echo(line)
        return
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    kept = [row for row in current.stdout.splitlines() if not row.endswith(MARK)]
    subprocess.run(["crontab", "-"], input="\n".join([*kept, line]) + "\n", text=True, check=True)
    click.echo("installed in the crontab:\n" + line, err=True)


COMMANDS = [schedule]
