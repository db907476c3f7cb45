"""What the portals list: report plans turned into documents, and the notices around them.

Family modules (vsb, webplus, custom) only lay these items out in their own markup; the items,
their documents and the ground truth are built here so every family carries the same hazards.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from fixtureworld.documents import pdf_page_count, render_docx, render_pdf, simple_pdf
from fixtureworld.model import ExpectedReport, Flaky, World, sha256
from fixtureworld.reports import TABLE_CAPTION, ReportText, compose_report, period_dates

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Plan:
    """One report a school published: how it is titled, delivered and what goes wrong."""

    year: int
    title: str
    published: date
    fmt: str = "pdf"  # pdf | docx | html (text in the article body, no file)
    delivery: str = "attach"  # family-specific: attach, embed, long, div, iframe, direct
    file_name: str | None = None
    challenge: int | None = None  # 412 / 202 challenge or 500 once on the article page
    broken: bool = False  # the served file is cut in half
    twice: bool = False  # posted again five days later with the same file
    english: str | None = None  # title of an English article carrying the same file
    period: str = "academic"
    footer: str = "slash"
    header: bool = False


@dataclass
class Item:
    """A list entry. `href`, `page_path` and `file_path` are filled in by the family module."""

    title: str
    published: date
    plan: Plan | None = None
    text: ReportText | None = None
    data: bytes | None = None
    file_name: str | None = None
    content_type: str = PDF
    body: str = ""
    kind: str = "report"  # report | notice | missing | external
    href: str = ""
    page_path: str = ""
    file_path: str | None = None
    alt_paths: list[str] = field(default_factory=list)


def report_items(school: str, portal: str, plans: list[Plan], seed: str = "") -> list[Item]:
    """Items for every planned report (plus the repeat posts and English copies)."""
    items = []
    for plan in plans:
        text = compose_report(
            school, plan.year, plan.title, portal, plan.published, plan.period, seed
        )
        item = Item(plan.title, plan.published, plan, text)
        if plan.fmt == "pdf":
            item.data = render_pdf(text, plan.footer, plan.header)
            item.file_name = plan.file_name or f"{plan.title}.pdf"
        elif plan.fmt == "docx":
            item.data, item.content_type = render_docx(text), DOCX
            item.file_name = plan.file_name or f"{plan.title}.docx"
        else:
            item.body = report_html(text)
        if plan.broken and item.data:
            item.data = item.data[: len(item.data) // 2]
        items.append(item)
        if plan.twice:
            again = Item(
                plan.title,
                plan.published + timedelta(days=5),
                plan,
                text,
                item.data,
                item.file_name,
                item.content_type,
                item.body,
                kind="repeat",
            )
            items.append(again)
        if plan.english:
            items.append(
                Item(
                    plan.english,
                    plan.published + timedelta(days=1),
                    plan,
                    text,
                    item.data,
                    item.file_name,
                    item.content_type,
                    kind="english",
                )
            )
    return items


def report_html(text: ReportText) -> str:
    """The report pasted into the article body, Word-style paragraphs and a table."""
    parts = []
    for block in text.blocks:
        escaped = html.escape(block.text)
        if block.kind == "heading":
            parts.append(f'<p style="text-indent:2em"><strong>{escaped}</strong></p>')
        elif block.kind == "closing":
            parts.append(f'<p style="text-align:right">{escaped}</p>')
        else:
            parts.append(f'<p style="text-indent:2em;line-height:1.75">{escaped}</p>')
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in (text.table_header, *text.table_rows)
    )
    parts.append(f"<p><strong>{TABLE_CAPTION}</strong></p>")
    parts.append(f'<table border="1" cellspacing="0" cellpadding="4">{rows}</table>')
    return "\n".join(parts)


def split_dates(body: str) -> str:
    """Wrap 年/月 of dates in inline spans, as Word pastes do; careless extraction drops them."""
    for word, digit in (("年", "9"), ("年", "8"), ("月", "1"), ("月", "3")):
        body = body.replace(f"{word}{digit}", f'<span lang="EN-US">{word}</span>{digit}')
    return body


# Non-report titles seen in the same columns: {y} is a year. The first group are look-alikes
# a keyword matcher would take for the report; the rest are ordinary notices.
LOOKALIKES = (
    "{y}年本科教学质量报告",
    "{y}届毕业生就业质量年度报告",
    "{y}年部门预算",
    "{p}年度财务决算",
    "关于做好{y}年信息公开年度报告编制工作的通知",
    "{province}{y}年政府信息公开工作年度报告",
)
NOTICES = (
    "{school}信息公开目录（{y}年修订）",
    "{school}信息公开指南",
    "关于公布{y}年校级教学成果奖评审结果的通知",
    "{y}年硕士研究生招生章程",
    "{y}年收费项目及收费标准公示",
    "校领导分工调整的通知（{y}年）",
    "{school}章程（{y}年修订）",
    "{y}年大宗物资采购结果公示",
    "{y}年学生申诉处理办法（修订）",
    "关于{y}年校园开放日安排的通知",
    "{y}年专业技术职务评审结果公示",
    "{y}年度“三重一大”事项决策情况",
)
PROVINCES = ("广东省教育厅", "重庆市教育委员会", "吉林省教育厅", "安徽省教育厅", "福建省教育厅")


def notice_items(
    school: str, years: range, count: int, seed: str, with_files: bool = True
) -> list[Item]:
    """`count` notices over the years, look-alikes first; some carry a PDF attachment."""
    rng = random.Random(f"notices|{school}|{seed}")
    province = rng.choice(PROVINCES)
    items = []
    pool = [(t, True) for t in LOOKALIKES] + [(t, False) for t in NOTICES]
    for i in range(count):
        template, lookalike = pool[i % len(pool)]
        year = years[(i + i // len(pool)) % len(years)]  # no repeated title
        title = template.format(y=year, p=year - 1, school=school, province=province)
        day = date(year, rng.randint(1, 12), rng.randint(1, 28))
        body = "".join(
            f'<p style="text-indent:2em">{html.escape(line)}</p>'
            for line in _notice_lines(school, title, rng)
        )
        item = Item(title, day, body=body, kind="lookalike" if lookalike else "notice")
        if with_files and lookalike and "通知" not in title:
            item.data = simple_pdf(title, _notice_lines(school, title, rng))
            item.file_name = f"{title}.pdf"
        items.append(item)
    return items


def _notice_lines(school: str, title: str, rng: random.Random) -> list[str]:
    return [
        f"{title}已经学校研究通过，现予以公布。",
        f"各单位要高度重视，认真组织实施。联系人：{rng.choice('王李张刘陈杨')}老师。",
        f"{school}",
    ]


def challenge_flaky(status: int) -> Flaky:
    """Anti-bot gateway answers: a JS challenge (412/202) or a transient server error (500)."""
    if status == 500:
        body = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
        return Flaky(500, body)
    script = (
        "<script>var _0x4e2a=['cookie','__jsl_clearance_s=1717000000.123|0|"
        "W6Xn%2FeM%3D','reload'];document[_0x4e2a[0]]=_0x4e2a[1]+';max-age=3600;path=/';"
        "location[_0x4e2a[2]]();</script>"
    )
    note = "请开启JavaScript并刷新该页" if status == 412 else "正在进行安全检测，请稍候……"
    body = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title></title>'
        f"{script}</head><body><noscript>{note}</noscript></body></html>"
    )
    return Flaky(status, body.encode())


def record(world: World, code: str, school: str, host: str, items: list[Item]) -> None:
    """Record ground truth and look-alike titles once the family module has placed the items
    (files are served by the family module, which knows its download URLs and headers)."""
    originals = {it.plan.year: it for it in items if it.plan and it.kind == "report"}
    for item in items:
        if item.plan and item.kind in ("repeat", "english"):
            originals[item.plan.year].alt_paths.append(item.page_path)
    for item in items:
        if item.kind in ("lookalike", "notice"):
            world.lookalikes.append(item.title)
        plan = item.plan
        if plan is None or item.kind != "report":
            continue
        start, end = period_dates(plan.year, plan.period)
        readable = item.text is not None and not plan.broken
        world.reports.append(
            ExpectedReport(
                school_code=code,
                school_name=school,
                year=plan.year,
                title=item.title,
                page_url_path=item.page_path,
                host=host,
                file_path=item.file_path,
                file_name=item.file_name,
                format=plan.fmt,
                sha256=sha256(item.data) if item.data is not None else None,
                published=item.published,
                label=title_label(item.title),
                period_start=start,
                period_end=end,
                pages=pdf_page_count(item.text) if readable and plan.fmt == "pdf" else None,
                text="\n".join(item.text.paragraphs(plan.fmt != "html")) if readable else None,
                broken=plan.broken,
                alt_page_url_paths=tuple(item.alt_paths),
            )
        )


# The period forms the plans' titles use (world.py): 2022-2023学年, 2022—2023学年, 2023年度, 2023年.
_TITLE_LABEL = re.compile(r"\d{4}[-—]\d{4}学年|\d{4}年度|\d{4}年")


def title_label(title: str) -> str:
    """The statistics period a plan's title names, as it is written there."""
    found = _TITLE_LABEL.search(title)
    if found is None:
        raise ValueError(f"a report title without its period: {title}")
    return found[0]
