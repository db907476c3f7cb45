"""The nasty world: portals that serve every kind of bad input and fault, on 127.0.0.1.

Kept apart from the realistic world (`fixtureworld.world`) so that its ground truth stays clean.
Each school's portal is generic (home → 信息公开年度报告 column → articles → attachments) and each
case is one report year. `NastyWorld.cases` says where each case lives and the named outcome the
archive must record for it: a `fetches.error` prefix (`fetch`) or a `reports.error` prefix with
`status = 'parse_error'` (`parse`).

Resources are `Route`s, served by `fixtureworld.nasty_server` (`serve_nasty`): static bytes,
redirects, streamed bodies, a request never answered, a reset, 503 bursts, a 412 challenge that
never lifts, endless generated list pages.
"""

from __future__ import annotations

import html
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from fixtureworld import handmade
from fixtureworld.documents import render_pdf
from fixtureworld.model import PORT_TOKEN
from fixtureworld.reports import compose_report

HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
BIG = 100 * 1024 * 1024 + 4096  # just over Scrapy's default DOWNLOAD_MAXSIZE (100 MB)
PAGE_10MB = 10 * 1024 * 1024
REBIND_HOST = "rebind.traps.edu.cn"
MIRROR = "xxgk.good-edu.com"  # a spam mirror cloning a school's portal on another domain


@dataclass(frozen=True)
class Route:
    kind: str = "static"  # static|redirect|stream|hang|reset|burst|challenge|endless
    body: bytes = b""
    content_type: str = HTML
    status: int = 200
    location: str = ""
    size: int = 0  # stream: bytes to send
    content_length: bool = True  # stream: send Content-Length (else close-delimited)
    failures: int = 0  # burst: this many 503s first
    pages: Callable[[int], bytes] | None = None  # endless: page number -> body
    headers: tuple[tuple[str, str], ...] = ()  # extra response headers (Content-Encoding...)


@dataclass(frozen=True)
class Case:
    name: str
    host: str
    year: int
    fetch: str | None = None  # expected fetches.error prefix
    parse: str | None = None  # expected reports.error prefix (status parse_error)
    archived: bool = False  # the report's file must be archived, byte-exact
    where: str = ""  # a piece of the recorded fetch's URL (fetch cases)


@dataclass
class NastyWorld:
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    schools: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, host
    cases: list[Case] = field(default_factory=list)
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # good report files
    extra_resolve: list[tuple[str, str]] = field(default_factory=list)  # host, address

    @property
    def hosts(self) -> list[str]:
        return sorted({host for host, _ in self.routes})

    def case(self, name: str) -> Case:
        return next(c for c in self.cases if c.name == name)

    def find(self, host: str, target: str) -> Route | None:
        path = target.split("?", 1)[0]
        found = self.routes.get((host, path))
        if found is None and path.endswith(".htm") and "/ndbg/list" in path:
            found = self.routes.get((host, "/ndbg/list*"))
        return found


# -- documents ------------------------------------------------------------------------------


def title_of(school: str, year: int) -> str:
    return f"{school}{year - 1}-{year}学年信息公开年度报告"


@cache
def report_pdf(school: str, year: int) -> bytes:
    text = compose_report(
        school,
        year,
        title_of(school, year),
        "http://xxgk.example.edu.cn/",
        date(year, 10, 30),
        seed="nasty",
    )
    return render_pdf(text)


@cache
def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    secret = pdfencrypt.StandardEncryption("user-secret", "owner-secret", canPrint=0)
    pdf = canvas.Canvas(buf, encrypt=secret, invariant=1)
    pdf.drawString(72, 720, "Annual information disclosure report " * 3)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


@cache
def scanned_pdf() -> bytes:
    """Pages that are only a picture (a scan): no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    rng = random.Random(7)
    for row in range(40, 540, 18):
        draw.rectangle((30, row, 30 + rng.randint(200, 340), row + 8), fill=40)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=1)
    for _ in range(2):
        pdf.drawImage(ImageReader(image), 40, 60, 515, 720)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


_bomb = cache(handmade.bomb_pdf)  # ~80 KB that inflates to 80 MB


def nasty_pdfs() -> dict[str, tuple[bytes, str]]:
    """Case name -> (bytes, the parser's named error)."""
    from parsers.ocr import engine as ocr_engine

    good = report_pdf("坏文件大学", 2013)
    garbage = random.Random(3).randbytes(20_000)
    return {
        "truncated_pdf": (good[: len(good) // 2], "BrokenDocument: "),
        "malformed_pdf": (b"%PDF-1.7\n" + garbage + b"\n%%EOF\n", "BrokenDocument: "),
        "zero_byte_pdf": (b"", "BrokenDocument: "),
        "encrypted_pdf": (encrypted_pdf(), "EncryptedDocument: "),
        "bomb_pdf": (_bomb(80), "DocumentTooLarge: "),
        # Bars, no glyphs: OCR reads nothing it trusts (or, without Tesseract, cannot run).
        "scanned_pdf": (scanned_pdf(), "UnreadableScan: " if ocr_engine() else "OcrUnavailable: "),
        "cid_pdf": (handmade.cid_font_pdf(), "UnmappedGlyphs: "),
    }


# -- pages ----------------------------------------------------------------------------------


def page(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">'
        f"<title>{html.escape(title)}</title></head><body>\n{body}\n</body></html>\n"
    )


def links(rows: list[tuple[str, str, str]]) -> str:
    return (
        '<ul class="newslist">\n'
        + "".join(
            f'<li><a href="{h}" title="{html.escape(t)}">{html.escape(t)}</a>'
            f'<span class="date">{d}</span></li>\n'
            for t, h, d in rows
        )
        + "</ul>"
    )


def article(title: str, year: int, attachments: list[tuple[str, str]]) -> str:
    text = compose_report(
        title[:6], year, title, "http://xxgk.example.edu.cn/", date(year, 10, 30), seed="article"
    )
    paras = "".join(f"<p>{html.escape(b.text)}</p>\n" for b in text.blocks)
    files = "".join(f'<p>附件：<a href="{h}">{html.escape(t)}</a></p>\n' for h, t in attachments)
    return page(
        title,
        f'<h1>{html.escape(title)}</h1>\n<div class="content">{paras}</div>\n'
        f"{files}<p>发布日期：{year}-10-30</p>",
    )


class _Builder:
    def __init__(self, world: NastyWorld, code: str, name: str, host: str) -> None:
        self.world, self.name, self.host = world, name, host
        self.items: list[tuple[str, str, str]] = []
        world.schools.append((code, name, host))
        world.routes[(host, "/robots.txt")] = Route(
            body=b"User-agent: *\nDisallow: /admin/\n", content_type="text/plain"
        )
        home = page(f"{name}信息公开网", '<a href="/ndbg/list.htm">信息公开年度报告</a>')
        self.put("/", home.encode())

    def put(self, path: str, body: bytes = b"", **kwargs) -> None:
        self.world.routes[(self.host, path)] = Route(body=body, **kwargs)

    def report(self, year: int, attachments: list[tuple[str, str]], **route) -> str:
        """An article for `year` linking `attachments` (href, text); returns its path."""
        path = f"/ndbg/{year}.htm"
        title = title_of(self.name, year)
        self.items.append((title, path, f"{year}-10-30"))
        if route:
            self.put(path, **route)
        else:
            self.put(path, article(title, year, attachments).encode())
        return path

    def file(self, year: int, path: str, body: bytes, **route) -> None:
        self.report(year, [(path, f"{self.name}{year}年信息公开年度报告.pdf")])
        self.put(path, body, content_type=PDF, **route)

    def list_page(self, extra: str = "", charset: str = "utf-8") -> None:
        body = page("信息公开年度报告", links(self.items) + extra, charset).encode(charset)
        self.put("/ndbg/list.htm", body, content_type=f"text/html; charset={charset}")


def _good(world: NastyWorld) -> None:
    site = _Builder(world, "91001", "良好大学", "xxgk.good.edu.cn")
    for year in (2022, 2023):
        pdf = report_pdf(site.name, year)
        site.file(year, f"/docs/{year}.pdf", pdf)
        world.files[(site.host, f"/docs/{year}.pdf")] = pdf
        world.cases.append(Case(f"good_{year}", site.host, year, archived=True))
    mirror = f"http://{MIRROR}:{PORT_TOKEN}/ndbg/2021.htm"
    site.items.append((title_of(site.name, 2021), mirror, "2021-10-30"))
    world.cases.append(Case("spam_mirror", site.host, 2021, fetch="OffsiteSkipped: ", where=MIRROR))
    world.routes[(MIRROR, "/ndbg/2021.htm")] = Route(body=b"<html>casino</html>")
    site.list_page()


def _pdfs(world: NastyWorld) -> None:
    site = _Builder(world, "91002", "坏文件大学", "xxgk.pdfs.edu.cn")
    for year, (name, (body, error)) in enumerate(nasty_pdfs().items(), 2014):
        site.file(year, f"/docs/{name}.pdf", body)
        world.cases.append(Case(name, site.host, year, parse=error))
    site.list_page()


def _limits(world: NastyWorld) -> None:
    """Size caps, charsets and a 10 MB list page with the report links buried in it."""
    site = _Builder(world, "91003", "极限大学", "xxgk.limits.edu.cn")
    site.file(2019, "/docs/huge.pdf", b"", kind="stream", size=BIG)
    world.cases.append(
        Case(
            "huge_with_length", site.host, 2019, fetch="DownloadTooLarge: ", where="/docs/huge.pdf"
        )
    )
    # GBK declared as UTF-8 (header and meta) and UTF-8 declared as GBK: HTML reports.
    for year, real, declared in ((2020, "gbk", "utf-8"), (2021, "utf-8", "gbk")):
        title = title_of(site.name, year)
        site.items.append((title, f"/ndbg/{year}.htm", f"{year}-10-30"))
        body = article(title, year, []).replace('charset="utf-8"', f'charset="{declared}"')
        site.put(
            f"/ndbg/{year}.htm", body.encode(real), content_type=f"text/html; charset={declared}"
        )
        world.cases.append(Case(f"{real}_declared_{declared}", site.host, year))
    pdf = report_pdf(site.name, 2022)
    site.file(2022, "/docs/2022.pdf", pdf)
    world.files[(site.host, "/docs/2022.pdf")] = pdf
    world.cases.append(Case("page_10mb", site.host, 2022, archived=True))
    filler = "<p>" + "学校信息公开工作稳步推进，" * 40 + "</p>\n"
    noise = "".join(f'<li><a href="/news/{i}.htm">校园新闻 {i}</a></li>' for i in range(2000))
    head, tail = site.items[:2], site.items[2:]
    padding = filler * ((PAGE_10MB // len(filler.encode())) // 2)
    body = page(
        "信息公开年度报告", links(head) + padding + f"<ul>{noise}</ul>" + padding + links(tail)
    )
    site.put("/ndbg/list.htm", body.encode())


def _endless(world: NastyWorld) -> None:
    site = _Builder(world, "91004", "无尽大学", "xxgk.endless.edu.cn")
    for year in (2022, 2023):
        pdf = report_pdf(site.name, year)
        site.report(year, [(f"/docs/{year}.pdf", f"{year}.pdf")])
        site.put(f"/docs/{year}.pdf", pdf, content_type=PDF)
        world.files[(site.host, f"/docs/{year}.pdf")] = pdf
        world.cases.append(Case(f"endless_{year}", site.host, year, archived=True))
    world.cases.append(
        Case("endless_pagination", site.host, 0, fetch="ListPageCap: ", where="/ndbg/list")
    )
    first, second = site.items

    def endless(number: int) -> bytes:
        rows = (
            [first]
            if number == 1
            else [second]
            if number == 3
            else [(f"校园新闻第{number}期", f"/news/{number}.htm", "2024-01-01")]
        )
        nav = f'<a class="next" href="/ndbg/list{number + 1}.htm">下一页</a>'
        return page(f"第{number}页", links(rows) + nav).encode()

    nav = '<a class="next" href="/ndbg/list2.htm">下一页</a>'
    site.put("/ndbg/list.htm", page("信息公开年度报告", links([first]) + nav).encode())
    world.routes[(site.host, "/ndbg/list*")] = Route(kind="endless", pages=endless)


def _traps(world: NastyWorld) -> None:
    """Redirect loops, internal addresses, other schemes and a challenge that never lifts."""
    site = _Builder(world, "91005", "陷阱大学", "xxgk.traps.edu.cn")
    traps: list[tuple[str, int, str, list[tuple[str, str]]]] = [
        ("redirect_cycle", 2014, "RedirectLoop: ", [("/loop/a.pdf", "2014.pdf")]),
        ("redirect_chain", 2015, "RedirectLoop: ", [("/chain/1.pdf", "2015.pdf")]),
        ("redirect_metadata", 2016, "PrivateAddressRefused: ", [("/go/meta.pdf", "2016.pdf")]),
        ("redirect_private", 2017, "PrivateAddressRefused: ", [("/go/ten.pdf", "2017.pdf")]),
        (
            "ftp_link",
            2018,
            "UnsupportedScheme: ",
            [(f"ftp://{site.host}/pub/2018.pdf", "2018年报.pdf")],
        ),
        ("file_link", 2019, "UnsupportedScheme: ", [("file:///etc/passwd", "2019年报.pdf")]),
        ("redirect_ftp", 2020, "UnsupportedScheme: ", [("/go/ftp.pdf", "2020.pdf")]),
        (
            "dns_rebinding",
            2021,
            "PrivateAddressRefused: ",
            [(f"http://{REBIND_HOST}:{PORT_TOKEN}/2021.pdf", "2021.pdf")],
        ),
    ]
    for name, year, reason, files in traps:
        site.report(year, files)
        where = REBIND_HOST if name == "dns_rebinding" else files[0][0]
        world.cases.append(Case(name, site.host, year, fetch=reason, where=where))
    site.put("/loop/a.pdf", kind="redirect", status=302, location="/loop/b.pdf")
    site.put("/loop/b.pdf", kind="redirect", status=302, location="/loop/a.pdf")
    for n in range(1, 40):
        site.put(f"/chain/{n}.pdf", kind="redirect", status=302, location=f"/chain/{n + 1}.pdf")
    site.put(
        "/go/meta.pdf",
        kind="redirect",
        status=302,
        location="http://169.254.169.254/latest/meta-data/",
    )
    site.put("/go/ten.pdf", kind="redirect", status=301, location="http://10.0.0.1/report.pdf")
    site.put("/go/ftp.pdf", kind="redirect", status=302, location="ftp://10.0.0.1/report.pdf")
    world.routes[(REBIND_HOST, "/2021.pdf")] = Route(body=b"%PDF-never-served", content_type=PDF)
    world.extra_resolve.append((REBIND_HOST, "10.0.0.1"))
    site.report(2022, [], kind="challenge", status=412)
    world.cases.append(
        Case("challenge_412", site.host, 2022, fetch="ChallengeNotLifted: ", where="/ndbg/2022.htm")
    )
    site.list_page()


def _faults(world: NastyWorld) -> None:
    site = _Builder(world, "91006", "故障大学", "xxgk.faults.edu.cn")
    site.file(2019, "/docs/hang.pdf", b"", kind="hang")
    world.cases.append(Case("timeout", site.host, 2019, fetch="Timeout: ", where="hang.pdf"))
    site.file(2020, "/docs/reset.pdf", b"", kind="reset")
    world.cases.append(
        Case("connection_reset", site.host, 2020, fetch="ConnectionReset: ", where="reset.pdf")
    )
    bursts = (
        (2021, 3, Case("burst_3x503", site.host, 2021, archived=True)),
        (
            2022,
            5,
            Case(
                "burst_5x503", site.host, 2022, fetch="RetriesExhausted: ", where="/docs/2022.pdf"
            ),
        ),
    )
    for year, failures, case in bursts:
        pdf = report_pdf(site.name, year)
        site.file(year, f"/docs/{year}.pdf", pdf, kind="burst", failures=failures)
        if case.archived:
            world.files[(site.host, f"/docs/{year}.pdf")] = pdf
        world.cases.append(case)
    site.list_page()
    # Crawled on its own: a 100 MB+ body with no Content-Length (close-delimited).
    stream = _Builder(world, "91007", "流式大学", "xxgk.stream.edu.cn")
    stream.file(2023, "/docs/stream.pdf", b"", kind="stream", size=BIG, content_length=False)
    world.cases.append(
        Case(
            "huge_no_length",
            stream.host,
            2023,
            fetch="DownloadTooLarge: ",
            where="/docs/stream.pdf",
        )
    )
    stream.list_page()
    # Crawled with a disk that fills up: six reports.
    disk = _Builder(world, "91008", "磁盘大学", "xxgk.disk.edu.cn")
    for year in range(2018, 2024):
        pdf = report_pdf(disk.name, year)
        disk.file(year, f"/docs/{year}.pdf", pdf)
        world.files[(disk.host, f"/docs/{year}.pdf")] = pdf
        world.cases.append(Case(f"disk_{year}", disk.host, year, archived=True))
    disk.list_page()


def build_nasty_world() -> NastyWorld:
    world = NastyWorld()
    for part in (_good, _pdfs, _limits, _endless, _traps, _faults):
        part(world)
    return world
