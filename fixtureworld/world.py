"""The world's schools as data: who they are, which CMS, which reports, which hazards.

Codes and names are real (MoE list of 2025); hosts use the schools' real domains. Each edge
case lives at one named school so a failing crawler test points at one portal.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from urllib.parse import urljoin, urlsplit

from fixtureworld.content import Item, Plan, notice_items, record, report_items
from fixtureworld.custom import CustomSite, build_custom
from fixtureworld.model import PORT_TOKEN, SchoolSite, World
from fixtureworld.vsb import VsbSite, build_vsb
from fixtureworld.webplus import WebPlusSite, build_webplus

MIRROR_HOST = "xxgk.gdou.edu.cn.jxmirror.cn"  # spam mirror: registrable domain jxmirror.cn
GDOU_DEAD = "/info/1100/9999.htm"  # listed in gdou's report column, never served
DEAD_LINKS = (("xxgk.gdou.edu.cn", GDOU_DEAD),)
D = date


def _academic(school: str, y: int, dash: str = "-") -> str:
    return f"{school}{y - 1}{dash}{y}学年信息公开年度报告"


GDOU = "广东海洋大学"
GDOU_PLANS = [
    Plan(2019, f"{GDOU}2019年度信息公开年度报告", D(2019, 10, 28), fmt="html"),
    Plan(
        2020,
        f"{GDOU}2020年度信息公开年度报告",
        D(2020, 10, 30),
        file_name="2020年度信息公开报告.pdf",
        footer="dash",
    ),
    Plan(2021, f"{GDOU}2021年度信息公开年度报告", D(2021, 11, 1), delivery="embed"),
    Plan(
        2022,
        f"{GDOU}2022年度信息公开年度报告",
        D(2022, 10, 31),
        delivery="long",
        file_name="2022年度信息公开报告.pdf",
        footer="chinese",
        header=True,
    ),
    Plan(
        2023,
        f"{GDOU}2023年度信息公开年度报告",
        D(2023, 10, 30),
        challenge=412,
        file_name="2023年度信息公开报告.pdf",
    ),
    Plan(
        2024,
        f"{GDOU}2024年度信息公开年度报告",
        D(2024, 10, 29),
        file_name="2024年度信息公开报告.pdf",
        footer="chinese",
    ),
    Plan(
        2025,
        f"{GDOU}2025年度信息公开年度报告",
        D(2025, 10, 30),
        file_name="2025年度信息公开报告.pdf",
    ),
    # Published after the 31 October deadline: the coverage grid shows it as late.
    Plan(
        2026,
        f"{GDOU}2026年度信息公开年度报告",
        D(2026, 11, 3),
        file_name="2026年度信息公开报告.pdf",
        footer="dash",
    ),
]
CTBU = "重庆工商大学"
CTBU_PLANS = [
    Plan(2020, _academic(CTBU, 2020), D(2020, 10, 27), fmt="docx"),
    Plan(2021, _academic(CTBU, 2021), D(2021, 10, 29), broken=True),
    Plan(2022, _academic(CTBU, 2022), D(2022, 10, 28), twice=True, footer="dash"),
    Plan(2023, _academic(CTBU, 2023), D(2023, 10, 31), challenge=500, header=True),
    Plan(2024, _academic(CTBU, 2024), D(2024, 10, 30), delivery="embed", footer="chinese"),
]
JLAU = "吉林农业大学"
JLAU_PLANS = [
    Plan(2021, _academic(JLAU, 2021, "—"), D(2021, 10, 26), fmt="html"),
    Plan(2022, _academic(JLAU, 2022, "—"), D(2022, 11, 4), period="october"),
    Plan(2023, f"{JLAU}2023年信息公开工作报告", D(2023, 10, 27), challenge=202, footer="dash"),
    Plan(2024, f"{JLAU}2024年信息公开工作报告", D(2024, 10, 25), delivery="embed"),
]
HFUT = "合肥工业大学"
HFUT_PLANS = [
    Plan(2019, _academic(HFUT, 2019), D(2019, 10, 31), delivery="div"),
    Plan(
        2020,
        f"{HFUT}2020年度信息公开工作报告",
        D(2020, 10, 30),
        delivery="div",
        file_name="2020年度报告.pdf",
    ),
    Plan(2021, f"{HFUT}2021年度信息公开工作报告", D(2021, 10, 29), delivery="iframe"),
    Plan(
        2022,
        f"{HFUT}2022年度信息公开工作报告",
        D(2022, 10, 31),
        delivery="div",
        footer="chinese",
        header=True,
    ),
    Plan(
        2023,
        f"{HFUT}2023年度信息公开工作报告",
        D(2023, 10, 30),
        delivery="div",
        file_name="2023年度报告.pdf",
    ),
    Plan(2024, f"{HFUT}2024年度信息公开工作报告", D(2024, 10, 30), delivery="div", footer="dash"),
    Plan(2025, f"{HFUT}2025年度信息公开工作报告", D(2025, 10, 29), delivery="iframe"),
    Plan(2026, f"{HFUT}2026年度信息公开工作报告", D(2026, 10, 28), delivery="div"),
]
SCUT = "华南理工大学"
SCUT_PLANS = [
    Plan(
        y,
        _academic(SCUT, y),
        D(y, 10, 20 + y % 9),
        delivery="iframe",
        footer=("slash", "dash", "chinese")[y % 3],
    )
    for y in range(2021, 2027)
]
FZU = "福州大学"
FZU_PLANS = [
    Plan(
        y,
        _academic(FZU, y, "—"),
        D(y, 10, 25 + y % 5),
        delivery="div" if y % 2 else "iframe",
        header=y % 2 == 0,
    )
    for y in range(2020, 2027)
]
FZU_PLANS[4] = replace(
    FZU_PLANS[4],
    english="Annual Report on Information Disclosure of "
    "Fuzhou University (2023-2024 Academic Year)",
)
KMUST = "昆明理工大学"
KMUST_PLANS = [
    Plan(
        y,
        f"{y - 1}-{y}学年{KMUST}信息公开年度报告",
        D(y, 10, 30),
        fmt="docx" if y == 2022 else "pdf",
        footer="chinese",
    )
    for y in range(2021, 2025)
]
CUST = "长春理工大学"
CUST_PLANS = [
    Plan(
        y,
        f"{CUST}{y}年信息公开工作报告",
        D(y, 11, 5 + y % 4) if y < 2023 else D(y, 10, 27),
        period="jan_oct" if y < 2023 else "academic",
        footer=("dash", "slash")[y % 2],
    )
    for y in range(2021, 2025)
]
HBNU = "湖北师范大学"
HBNU_PLANS = [
    Plan(2022, _academic(HBNU, 2022), D(2022, 10, 28), fmt="html"),
    Plan(2023, f"{HBNU}2023年度信息公开年度报告", D(2023, 10, 31)),
    Plan(2024, f"{HBNU}2024年度信息公开年度报告", D(2024, 10, 31), footer="dash"),
]
JHUN = "江汉大学"
JHUN_PLANS = [
    Plan(y, f"{JHUN}{y}年信息公开工作报告", D(y, 10, 29), footer="chinese")
    for y in range(2022, 2025)
]

VSB_SITES = [
    (
        "4144010566",
        VsbSite(
            GDOU,
            "xxgk.gdou.edu.cn",
            "xxgknb",
            1100,
            "信息公开年报",
            first_article=8201,
            friend_links=(
                ("广东海洋大学信息公开网（备用）", f"http://{MIRROR_HOST}:{PORT_TOKEN}/"),
            ),
            search_link=True,
            disposition="percent",
        ),
        GDOU_PLANS,
        22,
    ),
    (
        "4150011799",
        VsbSite(
            CTBU,
            "xxgk.ctbu.edu.cn",
            "xxgknb",
            1010,
            "信息公开年度报告",
            pager="old",
            per_page=6,
            first_article=5120,
            disposition="gbk",
        ),
        CTBU_PLANS,
        14,
    ),
    (
        "4122010193",
        VsbSite(
            JLAU,
            "xxgk.jlau.edu.cn",
            "xxgkndbg",
            1021,
            "信息公开年度报告",
            per_page=5,
            first_article=3310,
            via_basic=True,
            split_dates=True,
        ),
        JLAU_PLANS,
        7,
    ),
]
WEBPLUS_SITES = [
    (
        "4134010359",
        WebPlusSite(
            HFUT,
            "xxgk.hfut.edu.cn",
            "2657",
            2657,
            "信息公开年度报告",
            201,
            search_link=True,
            intranet="2023年信息公开工作自查报告（校内）",
        ),
        HFUT_PLANS,
        9,
    ),
    (
        "4144010561",
        WebPlusSite(
            SCUT,
            "xxgk.scut.edu.cn",
            "tzgg",
            17621,
            "通知公告",
            1007,
            prefix="/_t1007",
            hex_paths=True,
            per_page=8,
        ),
        SCUT_PLANS,
        16,
    ),
    (
        "4135010386",
        WebPlusSite(FZU, "xwgk.fzu.edu.cn", "ndbg", 3310, "年度报告", 88, per_page=5),
        FZU_PLANS,
        6,
    ),
]
CUSTOM_SITES = [
    ("4153010674", CustomSite(KMUST, "www.kmust.edu.cn", "xxgk1", "年度报告"), KMUST_PLANS, 4),
    ("4122010186", CustomSite(CUST, "xxgk.cust.edu.cn", "docs", "信息公开年报"), CUST_PLANS, 4),
    ("4142010513", CustomSite(HBNU, "xxgk.hbnu.edu.cn", "jsp", "年报", per_page=4), HBNU_PLANS, 6),
    (
        "4142011072",
        CustomSite(
            JHUN, "www.jhun.edu.cn", "dede", "信息公开年报", per_page=4, misdeclared_year=2023
        ),
        JHUN_PLANS,
        5,
    ),
]


def build_world() -> World:
    """Build every portal. Deterministic: two calls give byte-identical resources."""
    world = World()
    mirror_article = _mirror(world)
    for code, site, plans, notices in VSB_SITES:
        items = _items(site.name, site.host, plans, notices)
        if site.host == "xxgk.gdou.edu.cn":
            items += _gdou_extras(mirror_article)
        build_vsb(world, site, items)
        _finish(world, code, site.name, site.host, "/", "vsb", items)
    for code, site, plans, notices in WEBPLUS_SITES:
        items = _items(site.name, site.host, plans, notices)
        if site.intranet:
            items.append(Item(site.intranet, D(2023, 9, 20), kind="lookalike"))
        build_webplus(world, site, items)
        portal = f"{site.prefix}/main.htm" if site.prefix else "/"
        _finish(world, code, site.name, site.host, portal, "webplus", items)
    for code, site, plans, notices in CUSTOM_SITES:
        items = _items(site.name, site.host, plans, notices, files=site.style != "docs")
        if site.style == "docs":
            # A look-alike PDF linked straight from the same column.
            items += [
                it
                for it in notice_items(site.name, range(2022, 2024), 2, "docs")
                if it.data is not None
            ]
        portal = build_custom(world, site, items)
        _finish(world, code, site.name, site.host, portal, "", items)
    _fill_nav(world)
    return world


def _fill_nav(world: World) -> None:
    """Serve a plain column page for every same-host `<a href>` nobody built (nav entries such
    as 招生考试), so that the only dead links are the deliberate ones (gdou's 404 item)."""
    dead = set(DEAD_LINKS)
    for (host, path), res in list(world.resources.items()):
        if not res.content_type.startswith("text/html"):
            continue
        # Trust the page's own meta over the header: one GBK page is misdeclared on purpose.
        encoding = "gbk" if b'charset="gbk"' in res.body[:300] else "utf-8"
        text = res.body.decode(encoding)
        for href in re.findall(r'<a\s[^>]*?href="([^"#]+)"', text):
            target = urljoin(f"http://{host}{path}", html.unescape(href))
            parts = urlsplit(target)
            if parts.scheme != "http" or parts.hostname != host:
                continue
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            if (host, key) in dead or world.find(host, key) is not None:
                continue
            world.add_page(
                host, key, STUB.replace("utf-8", encoding), encoding=encoding, any_query=True
            )


STUB = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>栏目</title></head>'
    '<body><div class="list"><p>暂无内容</p></div></body></html>'
)


def _items(name: str, host: str, plans: list[Plan], notices: int, files: bool = True) -> list[Item]:
    years = range(min(p.year for p in plans), max(p.year for p in plans) + 1)
    return report_items(name, f"http://{host}/", plans) + notice_items(
        name, years, notices, host, files
    )


def _gdou_extras(mirror_article: str) -> list[Item]:
    """A dead link and an absolute link into the spam mirror, both in the report list."""
    dead = Item(f"{GDOU}2018年度信息公开年度报告", D(2018, 10, 30), kind="missing", href=GDOU_DEAD)
    mirror = Item(
        f"{GDOU}2023年度信息公开年度报告（镜像转载）",
        D(2023, 11, 2),
        kind="external",
        href=f"http://{MIRROR_HOST}:{PORT_TOKEN}{mirror_article}",
    )
    return [dead, mirror]


# province, city, authority (主管部门), level, as the ministry's 2025 list gives them.
ATTRIBUTES = {
    "4122010186": ("吉林省", "长春市", "吉林省", "本科"),
    "4122010193": ("吉林省", "长春市", "吉林省", "本科"),
    "4134010359": ("安徽省", "合肥市", "教育部", "本科"),
    "4135010386": ("福建省", "福州市", "福建省", "本科"),
    "4142010513": ("湖北省", "黄石市", "湖北省", "本科"),
    "4142011072": ("湖北省", "武汉市", "湖北省", "本科"),
    "4144010561": ("广东省", "广州市", "教育部", "本科"),
    "4144010566": ("广东省", "湛江市", "广东省", "本科"),
    "4150011799": ("重庆市", "重庆市", "重庆市", "本科"),
    "4153010674": ("云南省", "昆明市", "云南省", "本科"),
}


def _finish(
    world: World, code: str, name: str, host: str, portal: str, family: str, items: list[Item]
) -> None:
    record(world, code, name, host, items)
    for item in items:
        if item.kind in ("missing", "external"):
            world.lookalikes.append(item.title)
    world.schools.append(SchoolSite(code, name, host, portal, family, *ATTRIBUTES[code]))


def _mirror(world: World) -> str:
    """A clone of the gdou portal on an unrelated registrable domain, with its own copies of the
    two newest reports (different bytes): nothing served here may be archived."""
    site = VsbSite(GDOU, MIRROR_HOST, "xxgknb", 1100, "信息公开年报", first_article=8830)
    items = report_items(
        GDOU,
        f"http://{MIRROR_HOST}/",
        [replace(p, challenge=None) for p in GDOU_PLANS[4:6]],
        seed="mirror",
    )
    items += notice_items(GDOU, range(2023, 2025), 3, "mirror")
    scratch = World()
    build_vsb(scratch, site, items)
    world.resources.update(scratch.resources)
    world.files.update(scratch.files)
    world.disallowed += scratch.disallowed
    world.mirrors.append(MIRROR_HOST)
    return next(it.page_path for it in items if it.plan and it.plan.year == 2023)
