"""Seeded portal worlds: each seed composes one portal from independent knobs.

    world = generate_world(range(20))          # 20 portals, one per seed, in one World
    with serve_generated(world) as server: ... # registry rows, --resolve args, request log
    world.truth                                # {(school_code, year): ExpectedReport}

A knob is a name in `KNOBS` with its values; a portal takes one value of each (and any subset
of `HAZARDS`), chosen from its seed alone, so a failing seed is rebuilt exactly by
`choose(seed)`. The markup of each value lives in `fixtureworld.genpages`. Adding a variant:
add its value to `KNOBS` (or its name to `HAZARDS`) and its markup to the matching table there
(or a branch in `_build`), and the property test crawls it from then on.
"""

from __future__ import annotations

import html
import io
import random
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta

from fixtureworld import genpages as gp
from fixtureworld.documents import simple_pdf
from fixtureworld.model import PORT_TOKEN, ExpectedReport, SchoolSite, World, sha256

KNOBS: dict[str, tuple] = {
    "family": ("vsb", "webplus", "trs", "dede", "drupal", "plain"),
    "placement": ("nav", "homebox", "catalogue", "image", "frameset", "refresh", "sitemap"),
    "paging": (
        "countdown",
        "listN",
        "page_query",
        "pageindex",
        "pagenum",
        "dede",
        "index_n",
        "trs_script",
    ),
    "pager": ("next", "numbers", "both"),
    "next_word": (
        "下一页",
        "下页",
        "后页",
        "下一页 ›",
        "[下一页]",
        "下一页>>",
        "»",
        "›",
        ">",
        "Next",
        "image",  # an image button whose alt says 下一页
    ),
    "list_markup": tuple(gp.LIST_MARKUP),
    "per_page": (2, 3, 5),
    "encoding": ("utf-8", "gbk"),
    "column_label": (
        "信息公开年度报告",
        "年度报告",
        "信息公开年报",
        "年报",
        "信息公开工作年度报告",
    ),
    "title_style": ("year", "academic", "work", "bracketed", "cn_digits"),
}
# Per report, independently.
DELIVERIES = (
    "pdf_link",
    "download_jsp",
    "viewer",
    "docx",
    "html",
    "html_pages",
    "direct",
    "onclick",  # `<a href="javascript:;" onclick="openFile('/upload/…pdf')">`
)
# Each hazard is on for a portal with probability 1/4.
HAZARDS = (
    "lookalikes",  # 本科教学质量报告, budgets, notices about preparing the report in the column
    "english",  # an English article carrying the same file
    "repost",  # the same report posted again later
    "intranet",  # a report-titled article that only shows an intranet-only error
    "login",  # a report-titled article that redirects to a CAS login page
    "notfound200",  # a report-titled link whose page is a 404 page served with 200
    "layout_table",  # the report body of an HTML report inside a one-cell layout table
    "moved",  # the registry host answers 301 to another host of the same registered domain
    "https_registry",  # the registry says https:// but the host speaks HTTP only
    "robots",  # robots.txt disallows the report column
    "retry_after",  # the column's first page answers 429 with Retry-After once
)
_SYLLABLES = "东南西北华江海山河湖云岭桂闽赣湘滨川渝黔陇燕齐鲁吴越楚秦晋"
_KINDS = ("大学", "理工大学", "师范大学", "农业大学", "学院", "职业技术学院", "医科大学")
_ENGLISH = ("Eastern", "Southern", "Western", "Northern", "Central", "Coastal", "Highland")
_LOOKALIKES = (
    "{y}年本科教学质量报告",
    "{y}届毕业生就业质量年度报告",
    "{y}年部门预算",
    "关于做好{y}年信息公开年度报告编制工作的通知",
    "省教育厅{y}年政府信息公开工作年度报告",
    "{school}信息公开目录（{y}年修订）",
    "关于{y}年校园开放日安排的通知",
)


@dataclass(frozen=True)
class Portal:
    """One generated portal: its knobs and what it holds."""

    seed: int
    code: str
    name: str
    english_name: str
    domain: str  # the registered domain: every host of the school is under it
    knobs: dict
    hazards: frozenset[str]
    years: tuple[int, ...]
    deliveries: tuple[str, ...]  # per year

    @property
    def host(self) -> str:
        return f"xxgkw.{self.domain}" if "moved" in self.hazards else f"xxgk.{self.domain}"

    @property
    def registry_host(self) -> str:
        return f"xxgk.{self.domain}"

    def knob(self, name: str):
        return self.knobs[name]


def choose(
    seed: int,
    hazards: frozenset[str] | None = None,
    deliveries: tuple[str, ...] | None = None,
    **knobs: object,
) -> Portal:
    """The portal of a seed: every knob drawn from `random.Random(seed)` alone; knobs or
    hazards given are taken as given (saved-page tests pin the variant they test)."""
    rng = random.Random(f"portal|{seed}")
    drawn = {name: rng.choice(values) for name, values in KNOBS.items()}
    unknown = set(knobs) - set(drawn)
    if unknown:
        raise ValueError(f"no such knob: {sorted(unknown)}")
    knobs = {**drawn, **knobs}
    drawn_hazards = frozenset(h for h in HAZARDS if rng.random() < 0.25)
    hazards = drawn_hazards if hazards is None else frozenset(hazards)
    first = rng.randint(2016, 2020)
    years = tuple(range(first, first + rng.randint(2, 6)))
    drawn_deliveries = tuple(rng.choice(DELIVERIES) for _ in years)
    if deliveries is not None:  # cycled over the years
        deliveries = tuple(deliveries[i % len(deliveries)] for i in range(len(years)))
    name = "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(_KINDS)
    english = f"{rng.choice(_ENGLISH)} {name[:1].upper()}{seed} University"
    return Portal(
        seed=seed,
        code=f"99{seed:08d}",
        name=name,
        english_name=english,
        domain=f"g{seed}.edu.cn",
        knobs=knobs,
        hazards=hazards,
        years=years,
        deliveries=deliveries or drawn_deliveries,
    )


@dataclass
class GeneratedWorld(World):
    portals: list[Portal] = field(default_factory=list)
    # (school code, year) -> the report, with the sha256 of the file that must be its source
    truth: dict[tuple[str, int], ExpectedReport] = field(default_factory=dict)
    # (school code, year) of report-titled pages that are no report (error, login, 404)
    traps: set[tuple[str, int]] = field(default_factory=set)
    # hosts whose registry row is https:// (they speak HTTP only), and 429 answers to give
    https_hosts: set[str] = field(default_factory=set)
    retry_after: dict[tuple[str, str], int] = field(default_factory=dict)
    redirects: dict[tuple[str, str], str] = field(default_factory=dict)
    marks: dict[tuple[str, int], str] = field(default_factory=dict)  # text only the last page has
    # (host, list page path) -> its items (href, title, date), every page of each column
    listed: dict[tuple[str, str], list] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)  # school code -> list pages

    def portal_url(self, portal: Portal) -> str:
        scheme = "https" if portal.registry_host in self.https_hosts else "http"
        return f"{scheme}://{portal.registry_host}:{PORT_TOKEN}/"


def generate_world(seeds, portals: list[Portal] | None = None) -> GeneratedWorld:
    """One world holding the portal of each seed (or the `portals` given)."""
    world = GeneratedWorld()
    for portal in portals if portals is not None else [choose(seed) for seed in seeds]:
        world.portals.append(portal)
        _build(world, portal)
    return world


# -- building one portal ---------------------------------------------------------------------
@dataclass
class _Entry:
    title: str
    day: date
    kind: str  # report | english | repost | noise | intranet | login | notfound200
    year: int | None = None
    delivery: str = "pdf_link"
    href: str = ""
    data: bytes | None = None
    file_name: str | None = None
    content_type: str = "application/pdf"
    file_path: str | None = None


def _title(portal: Portal, year: int) -> str:
    style = portal.knob("title_style")
    if style == "academic":
        return f"{portal.name}{year - 1}-{year}学年信息公开年度报告"
    if style == "work":
        return f"{portal.name}{year}年度信息公开工作报告"
    if style == "bracketed":  # the academic year after the words, in brackets, no 学年
        return f"{portal.name}信息公开年度报告（{year - 1}-{year}）"
    if style == "cn_digits":  # the year in Chinese digits
        digits = str(year).translate(str.maketrans("0123456789", "〇一二三四五六七八九"))
        return f"{portal.name}{digits}年信息公开工作年度报告"
    return f"{portal.name}{year}年信息公开年度报告"


def _entries(portal: Portal, rng: random.Random) -> list[_Entry]:
    entries: list[_Entry] = []
    for year, delivery in zip(portal.years, portal.deliveries, strict=True):
        day = date(year, 10, rng.randint(8, 31))
        entries.append(_Entry(_title(portal, year), day, "report", year, delivery))
        filed = delivery not in ("html", "html_pages", "direct")
        if "english" in portal.hazards and filed and year == portal.years[-1]:
            english = (
                f"Annual Report on Information Disclosure of {portal.english_name} "
                f"({year - 1}-{year} Academic Year)"
            )
            entries.append(_Entry(english, day + timedelta(days=2), "english", year, delivery))
        if "repost" in portal.hazards and filed and year == portal.years[0]:
            entries.append(
                _Entry(_title(portal, year), day + timedelta(days=6), "repost", year, delivery)
            )
    trap_year = portal.years[0] - 1
    for hazard in ("intranet", "login", "notfound200"):
        if hazard in portal.hazards:
            day = date(trap_year, 10, rng.randint(1, 28))
            entries.append(_Entry(_title(portal, trap_year), day, hazard, trap_year))
            trap_year -= 1
    if "lookalikes" in portal.hazards:
        for template in rng.sample(_LOOKALIKES, 4):
            year = rng.choice(portal.years)
            title = template.format(y=year, school=portal.name)
            entries.append(
                _Entry(title, date(year, rng.randint(1, 12), rng.randint(1, 28)), "noise")
            )
    return sorted(entries, key=lambda e: (e.day, e.title), reverse=True)


def _document(portal: Portal, entry: _Entry) -> None:
    """A small report file: discovery, not parsing, is under test here, and 500 seeds must
    build in seconds (reportlab and python-docx take a tenth of a second a file and more)."""
    lines = [
        f"根据《高等学校信息公开办法》，现公布{portal.name}{entry.year}年信息公开年度报告。",
        f"本报告统计期限为{entry.year - 1}年9月1日到{entry.year}年8月31日。",
        f"{portal.name}  {entry.day.year}年{entry.day.month}月{entry.day.day}日",
    ]
    if entry.delivery == "docx":
        entry.data = tiny_docx([entry.title, *lines])
        entry.content_type = DOCX
        entry.file_name = f"{entry.title}.docx"
    else:
        entry.data = simple_pdf(entry.title, lines)
        entry.file_name = f"{entry.year}年度信息公开报告.pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tiny_docx(paragraphs: list[str]) -> bytes:
    """The smallest .docx Word and python-docx open: three parts, fixed zip times."""
    body = "".join(f"<w:p><w:r><w:t>{html.escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}'
            "</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _build(world: GeneratedWorld, portal: Portal) -> None:
    from fixtureworld.genbuild import build_portal

    build_portal(world, portal, _entries(portal, random.Random(f"entries|{portal.seed}")))


def document_for(portal: Portal, entry: _Entry) -> None:
    """The report file of an entry (PDF or .docx), made once per report year."""
    _document(portal, entry)


def record_truth(world: GeneratedWorld, portal: Portal, entry: _Entry, page: str, sha: str) -> None:
    """The report of a school × year. Generated worlds check discovery — which rows, from
    which bytes, with a text — not the parsers' exact text, so `text` is left None here."""
    year, style = entry.year, portal.knob("title_style")
    label = {
        "academic": f"{year - 1}-{year}学年",
        "work": f"{year}年度",
        "bracketed": f"（{year - 1}-{year}）",
    }.get(style, f"{year}年")
    fmt = {"html": "html", "html_pages": "html", "docx": "docx"}.get(entry.delivery, "pdf")
    world.truth[(portal.code, year)] = ExpectedReport(
        school_code=portal.code,
        school_name=portal.name,
        year=year,
        title=entry.title,
        page_url_path=page,
        host=portal.host,
        file_path=entry.file_path,
        file_name=entry.file_name,
        format=fmt,
        sha256=sha,
        published=entry.day,
        label=label,
        # every generated report states the academic year as its statistics period
        period_start=date(year - 1, 9, 1),
        period_end=date(year, 8, 31),
        pages=1 if fmt == "pdf" else None,
        text=None,
    )


def school_site(portal: Portal) -> SchoolSite:
    return SchoolSite(portal.code, portal.name, portal.registry_host, "/", "")


__all__ = ["HAZARDS", "KNOBS", "GeneratedWorld", "Portal", "choose", "generate_world", "sha256"]
