"""The hostile world of issue 14, apart from `fixtureworld.nasty` so each can be crawled alone:
decompression tricks on the wire, an over-long URL, an attachment that redirects off the
school's domain, parse bombs as attachments, and a list page with 100,000 report-titled links
in front of the portal's real reports. Served by `fixtureworld.nasty_server.serve_nasty`.
"""

from __future__ import annotations

import zlib

from fixtureworld import nasty_files
from fixtureworld.model import PORT_TOKEN
from fixtureworld.nasty import (
    HTML,
    PDF,
    Case,
    NastyWorld,
    Route,
    _Builder,
    links,
    page,
    report_pdf,
)

BOMB_HOST = "xxgk.bombs.edu.cn"
FLOOD_HOST = "xxgk.flood.edu.cn"
OFFSITE_HOST = "files.elsewhere-cdn.com"
FLOOD_LINKS = 100_000
GZIP = (("Content-Encoding", "gzip"),)


def gzip_of(body: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(body) + packer.flush()


def gzip_spaces(size: int) -> bytes:
    """A gzip stream of `size` spaces, built piecewise (a ~1000:1 bomb)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b" " * 2**20
    parts = [packer.compress(block) for _ in range(size // 2**20)]
    return b"".join(parts) + packer.flush()


def _bombs(world: NastyWorld) -> None:
    site = _Builder(world, "91101", "炸弹大学", BOMB_HOST)
    good = report_pdf(site.name, 2016)
    site.file(2016, "/docs/2016.pdf", good)
    world.files[(site.host, "/docs/2016.pdf")] = good
    world.cases.append(Case("bombs_good_2016", site.host, 2016, archived=True))
    site.file(2017, "/docs/lzw.pdf", nasty_files.lzw_bomb(200 * 2**20))
    world.cases.append(Case("lzw_bomb", site.host, 2017, parse="DocumentTooLarge: "))
    site.file(2018, "/docs/forms.pdf", nasty_files.nested_forms())
    world.cases.append(Case("nested_forms", site.host, 2018, parse="DocumentTooLarge: "))
    site.report(2019, [], body=gzip_spaces(200 * 2**20), content_type=HTML, headers=GZIP)
    world.cases.append(
        Case("gzip_bomb_page", site.host, 2019, fetch="DecompressionBomb: ", where="/ndbg/2019")
    )
    twice = (("Content-Encoding", "gzip, gzip"),)
    site.file(2020, "/docs/twice.pdf", gzip_of(report_pdf(site.name, 2020)), headers=twice)
    world.cases.append(
        Case("gzip_gzip", site.host, 2020, fetch="ContentDecodingFailed: ", where="twice.pdf")
    )
    site.file(2021, "/docs/plain.pdf", report_pdf(site.name, 2021), headers=GZIP)
    world.cases.append(
        Case("not_gzip", site.host, 2021, fetch="ContentDecodingFailed: ", where="plain.pdf")
    )
    long_path = "/ndbg/2022.htm?" + "x" * 3000
    site.items.append((f"{site.name}2021-2022学年信息公开年度报告", long_path, "2022-10-30"))
    world.cases.append(
        Case("long_url", site.host, 2022, fetch="UrlTooLong: ", where="/ndbg/2022.htm?")
    )
    site.report(2023, [("/docs/2023.pdf", f"{site.name}2023年信息公开年度报告.pdf")])
    offsite = f"http://{OFFSITE_HOST}:{PORT_TOKEN}/2023.pdf"
    site.put("/docs/2023.pdf", kind="redirect", status=302, location=offsite)
    world.routes[(OFFSITE_HOST, "/2023.pdf")] = Route(
        body=report_pdf("别的大学", 2023), content_type=PDF
    )
    world.cases.append(
        Case("offsite_redirect", site.host, 2023, fetch="OffsiteSkipped: ", where="/docs/2023.pdf")
    )
    site.list_page()


def _flood(world: NastyWorld) -> None:
    site = _Builder(world, "91102", "洪水大学", FLOOD_HOST)
    real = []
    for year in (2021, 2022):
        pdf = report_pdf(site.name, year)
        site.file(year, f"/docs/{year}.pdf", pdf)
        world.files[(site.host, f"/docs/{year}.pdf")] = pdf
        world.cases.append(Case(f"flood_real_{year}", site.host, year, archived=True))
        real.append(site.items.pop())
    # One article linking 500 "attachments": only the capped number are fetched.
    site.report(2020, [(f"/att/{n}.pdf", f"附件{n}.pdf") for n in range(500)])
    real.append(site.items.pop())
    world.cases.append(
        Case("attachment_flood", site.host, 2020, fetch="ReportLinkCap: ", where="/att/")
    )
    title = f"{site.name}2022-2023学年信息公开年度报告"
    fakes = [(title, f"/fake/{n}.htm", "2023-10-30") for n in range(FLOOD_LINKS)]
    body = page("信息公开年度报告", links(fakes) + links(real)).encode()
    site.put("/ndbg/list.htm", body, content_type=HTML)


def build_hostile_world() -> NastyWorld:
    world = NastyWorld()
    _bombs(world)
    _flood(world)
    return world
