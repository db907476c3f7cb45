"""Scrapy's own conventions keep working: `scrapy list` and `scrapy crawl` from the project root."""

from __future__ import annotations

import subprocess
import sys

from archive import Archive
from tests.conftest import FAST_SETTINGS, ROOT


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_scrapy_list_names_every_spider():
    assert scrapy("list").stdout.split() == ["discover", "generic", "vsb", "webplus"]


def test_scrapy_crawl_does_the_same_job_for_one_portal(world, world_server, tmp_path):
    school = next(s for s in world.schools if s.code == "4122010186")  # 长春理工大学, custom CMS
    portal = f"http://{school.host}:{world_server.port}{school.portal_path}"
    settings = [
        f"XXGK_DATA_DIR={tmp_path}",
        "XXGK_RESOLVE=" + ",".join(world_server.resolve_args()),
        "XXGK_ALLOW_PRIVATE_ADDRESSES=1",
        *FAST_SETTINGS,
    ]
    args = ["crawl", "generic", "-a", f"portal={portal}"]
    for setting in settings:
        args += ["-s", setting]
    scrapy(*args)
    archive = Archive(tmp_path)
    found = sorted(
        (r["school_code"], r["year"], r["sha256"])
        for r in archive.db.query("select * from reports")
    )
    expected = sorted(
        (e.school_code, e.year, e.sha256)
        for e in world.expected_reports()
        if e.school_code == school.code
    )
    assert found == expected
    assert [r["spider"] for r in archive.db.query("select spider from crawls")] == ["generic"]
