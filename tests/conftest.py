"""Shared fixtures: the fixture portal world, served on loopback, and crawls run against it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Crawls against our own loopback server: no politeness delays, quick retries.
FAST_SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=0",
    "XXGK_RETRY_BACKOFF_BASE=0.05",
    "DOWNLOAD_TIMEOUT=20",
    "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    "XXGK_RESOLVE_ONLY=1",
    "LOG_LEVEL=WARNING",
)


def run_xxgk(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the installed CLI as a user would, in a fresh process (Scrapy's reactor runs once)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "xxgk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"xxgk {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result


def crawl_args(server, data_dir: Path, *extra: str, allow_private: bool = True) -> list[str]:
    args = ["crawl", "--data", str(data_dir)]
    for entry in server.resolve_args():
        args += ["--resolve", entry]
    for setting in FAST_SETTINGS:
        args += ["--set", setting]
    if allow_private:
        args.append("--allow-private-addresses")
    return [*args, *extra]


def write_family_registry(world, server, path: Path) -> Path:
    """The world's registry with each school's CMS family, as the bundled registry has it."""
    return server.write_registry(path, families=True)


@pytest.fixture(scope="session")
def world():
    from fixtureworld import build_world

    return build_world()


@pytest.fixture(scope="session")
def world_server(world):
    from fixtureworld import serve_world

    with serve_world(world) as server:
        yield server
