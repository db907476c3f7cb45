"""Report prose: realistic annual information-disclosure report text for one school and year.

The text follows the ministry's standard sections (reports.md) with the variation seen on real
reports: heading wording, merged or missing sections, request counts that are often zero, and
different statistics periods. Everything is drawn from a `random.Random` seeded with the school
and year, so the same inputs always give the same text (the world must be byte-deterministic).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

# Heading variants per standard section key; the first is the ministry's wording.
HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": ("概述", "工作概述", "信息公开工作概述", "总体情况"),
    "proactive": ("主动公开情况", "信息主动公开情况", "主动公开信息情况", "信息公开具体情况"),
    "on_request": ("依申请公开和不予公开情况", "依申请公开情况", "依申请公开和不予公开的情况"),
    "review": ("对信息公开的评议情况", "信息公开评议情况", "对信息公开工作的评议情况"),
    "complaints": (
        "因学校信息公开工作受到举报、复议、诉讼的情况",
        "因学校信息公开工作收到举报、复议、诉讼的情况",
        "因学校信息公开工作遭到举报、复议、诉讼的情况",
    ),
    "improvements": (
        "信息公开工作的新做法新举措、主要经验、问题和改进措施",
        "本年度信息公开工作的新做法新举措、主要经验、问题和下一步改进措施",
        "主要经验、存在问题及改进措施",
    ),
    "other": ("其他需要报告的事项", "其他"),
}

NUMERALS = "一二三四五六七八九十"

OVERVIEW = (
    "{period_label}，学校坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，"
    "认真落实《高等学校信息公开办法》和《高等学校信息公开事项清单》要求，坚持“公开为常态、"
    "不公开为例外”的原则，不断健全信息公开制度，规范主动公开和依申请公开工作。",
    "学校信息公开工作领导小组统筹协调全校信息公开工作，{office}作为日常工作机构，负责推进、"
    "指导、协调、监督学校信息公开工作。各职能部门明确一名信息公开联络员，形成了学校统一领导、"
    "{office}牵头、校属各单位各负其责、师生广泛参与的工作格局。",
    "学校修订完善了《{school}信息公开实施细则》，进一步明确信息公开的范围、程序、方式和保密审查"
    "要求，坚持“先审查、后公开”和“一事一审”，全年未发生因信息公开引发的泄密事件。",
    "学校对照教育部《高等学校信息公开事项清单》十大类{items}条事项，全面梳理需公开的信息，逐项"
    "明确责任单位和公开时限，清单事项公开率达到100%。",
)

PROACTIVE = (
    "学校通过信息公开网（{portal}）、学校门户网站、校报、微信公众号、微博、视频号等渠道主动公开"
    "信息。统计期内，信息公开网更新信息{n1}条，门户网站发布新闻{n2}条、通知公告{n3}条。",
    "在官方微信公众号发布推文{n4}篇，官方微博发布信息{n5}条，出版校报{n6}期，制作电视新闻和"
    "专题节目{n7}期，在校外主流媒体发布新闻稿件{n8}篇。",
    "招生考试信息方面，学校及时公开招生章程、分省分专业招生计划、录取标准及录取结果，研究生招生"
    "公开复试方案、拟录取名单和调剂信息，接受考生和社会监督。",
    "财务资产信息方面，学校按规定公开年度部门预算和决算、收费项目及标准、大宗物资采购和基建工程"
    "招投标信息，受捐赠财产的使用与管理情况在规定时限内向社会公开。",
    "人事师资信息方面，公开校级领导干部分工、干部任免、岗位设置与人员招聘、职称评审等信息，"
    "全年发布招聘公告{n9}则、干部任前公示{n10}批次。",
    "教学质量和学生管理信息方面，学校按时发布《本科教学质量报告》和《毕业生就业质量年度报告》，"
    "公开学生奖助学金评定、学籍管理、学位授予、学生申诉处理等相关制度和结果。",
    "学校召开教职工代表大会、情况通报会和座谈会{n11}场，通报学校改革发展重大事项，广泛听取师生"
    "员工意见建议，保障师生员工的知情权、参与权、表达权和监督权。",
)

REQUESTS_NONE = (
    "统计期内，学校未收到信息公开申请，未发生不予公开的情况，未收取任何费用。",
    "本年度学校未接到依申请公开信息的申请，也未出现不予公开的情况。",
)
REQUESTS_SOME = (
    "统计期内，学校共收到信息公开申请{req}件，其中通过信函方式提出{mail}件，通过电子邮件及网络"
    "平台提出{net}件。已按规定时限全部答复，其中予以公开{yes}件，部分公开{part}件，信息不存在"
    "{none}件，不属于本校公开范围{notours}件，未收取任何费用。",
)

REVIEW = (
    "学校通过信息公开意见箱、校长信箱、教代会提案和问卷调查等方式收集师生和社会公众对信息公开"
    "工作的意见。统计期内共收到意见建议{opinions}条，均已转交相关部门处理并及时反馈。",
    "在上级主管部门组织的高校信息公开工作评议中，学校信息公开工作获得较好评价，师生员工对信息"
    "公开工作的满意度较高。",
)

COMPLAINTS = (
    "统计期内，学校未收到有关信息公开工作的举报，未发生因信息公开工作引起的行政复议和行政诉讼。",
    "{period_label}，学校信息公开工作未发生举报、复议、诉讼的情况。",
    "本年度学校未收到举报，未发生行政复议、行政诉讼。",
)

IMPROVEMENTS = (
    "（一）新做法新举措。一是完成信息公开网改版升级，优化栏目设置，实现与门户网站数据联动；"
    "二是建立信息公开月度检查制度，对二级单位网站内容进行常态化巡查。",
    "（二）存在的问题。部分单位对信息公开工作的重视程度仍有差距，信息更新不够及时；公开内容的"
    "可读性和解读性有待提升，政策解读材料偏少。",
    "（三）改进措施。下一步，学校将加强信息公开工作队伍建设，定期开展业务培训；完善考核评价"
    "机制，将信息公开工作纳入部门年度考核；加强对重点领域信息的解读和回应，提升公开实效。",
)

OTHER = (
    "无其他需要报告的事项。",
    "本报告电子版可在学校信息公开网下载。如对本报告有疑问，请与学校{office}联系，联系电话："
    "{phone}。",
)

# A subset of the 50 清单 items: (category, item); enough rows to fill the last page's table.
CHECKLIST: tuple[tuple[str, str], ...] = (
    ("基本信息", "办学规模、校级领导等基本情况"),
    ("基本信息", "学校章程及制定的各项规章制度"),
    ("基本信息", "信息公开年度报告"),
    ("招生考试信息", "招生章程及特殊类型招生办法"),
    ("招生考试信息", "分批次、分科类招生计划"),
    ("招生考试信息", "研究生招生简章、招生专业目录"),
    ("财务资产及收费信息", "财务、资产管理制度"),
    ("财务资产及收费信息", "年度部门预决算"),
    ("财务资产及收费信息", "收费项目、收费依据、收费标准"),
    ("人事师资信息", "校级领导干部社会兼职情况"),
    ("人事师资信息", "岗位设置管理与聘用办法"),
    ("教学质量信息", "本科生占全日制在校生总数的比例"),
    ("教学质量信息", "本科教学质量报告"),
    ("学生管理服务信息", "学籍管理办法"),
    ("学风建设信息", "学术不端行为查处机制"),
    ("学位、学科信息", "授予博士、硕士学位的基本程序"),
    ("对外交流与合作信息", "中外合作办学情况"),
    ("其他", "巡视组反馈意见，落实反馈意见整改情况"),
)


@dataclass(frozen=True)
class Block:
    """One paragraph of report text: `kind` is title, heading, para or closing."""

    kind: str
    text: str


@dataclass(frozen=True)
class ReportText:
    title: str
    school: str
    blocks: tuple[Block, ...]
    table_header: tuple[str, ...]
    table_rows: tuple[tuple[str, ...], ...]
    closing_date: str
    requests: int

    def paragraphs(self, with_title: bool) -> list[str]:
        """The paragraphs a correct parser returns, in reading order: the title (when it is
        part of the document, not a page heading around it), every block, and the table's
        caption; the table itself is kept out of the text, as rows."""
        head = [self.title] if with_title else []
        return head + [b.text for b in self.blocks] + [TABLE_CAPTION]


# The caption over the 清单 table, in every rendering (PDF, .docx, article HTML).
TABLE_CAPTION = "附件：清单事项公开情况表"


def period_dates(year: int, style: str) -> tuple[date, date]:
    """The statistics period a report of `year` covers, per reports.md's variants."""
    if style == "jan_oct":
        return date(year, 1, 1), date(year, 10, 31)
    if style == "october":
        return date(year - 1, 11, 1), date(year, 10, 31)
    return date(year - 1, 9, 1), date(year, 8, 31)


def period_sentence(year: int, style: str) -> tuple[str, str]:
    """The statistics-period sentence and the label used in prose, per reports.md's variants."""
    start, end = period_dates(year, style)
    if style == "jan_oct":
        return f"本报告统计期限为{_cn(start)}至{_cn(end)}。", f"{year}年"
    if style == "october":
        return f"本报告统计期限为{_cn(start)}至{_cn(end)}。", f"{year}年度"
    return f"本报告统计期限为{_cn(start)}到{_cn(end)}。", f"{year - 1}-{year}学年"


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def compose_report(
    school: str,
    year: int,
    title: str,
    portal: str,
    published: date,
    period_style: str = "academic",
    seed: str = "",
) -> ReportText:
    """Compose the report text; `portal` is the disclosure site URL quoted in the prose."""
    rng = random.Random(f"{school}|{year}|{seed}")
    office = rng.choice(("党政办公室", "学校办公室", "校长办公室", "党委办公室（校长办公室）"))
    period, label = period_sentence(year, period_style)
    numbers = {f"n{i}": rng.randint(12, 900) for i in range(1, 12)}
    numbers["n6"] = rng.randint(8, 24)
    numbers["n11"] = rng.randint(3, 15)
    fmt = dict(
        school=school,
        office=office,
        period_label=label,
        portal=portal,
        items=rng.choice((45, 50)),
        opinions=rng.randint(0, 40),
        phone=f"0{rng.randint(10, 999)}-{rng.randint(2000000, 8999999)}",
        **numbers,
    )
    requests = rng.choice((0, 0, 0, rng.randint(1, 12)))
    blocks: list[Block] = [
        Block("para", _intro(school, label, period, rng)),
    ]
    # Some schools merge 评议 into 举报 or drop 其他 (reports.md: sections missing or merged).
    keys = ["overview", "proactive", "on_request", "review", "complaints", "improvements"]
    if rng.random() < 0.25:
        keys.remove("review")
    if rng.random() < 0.8:
        keys.append("other")
    for number, key in enumerate(keys):
        heading = rng.choice(HEADINGS[key])
        blocks.append(Block("heading", f"{NUMERALS[number]}、{heading}"))
        for text in _section(key, rng, requests):
            blocks.append(Block("para", text.format(**fmt)))
    closing = f"{published.year}年{published.month}月{published.day}日"
    blocks.append(Block("closing", school))
    blocks.append(Block("closing", closing))
    rows = tuple(
        (str(i), cat, item, _item_link(portal, i, rng))
        for i, (cat, item) in enumerate(CHECKLIST, 1)
    )
    return ReportText(
        title=title,
        school=school,
        blocks=tuple(blocks),
        table_header=("序号", "类别", "清单事项", "公开网址或说明"),
        table_rows=rows,
        closing_date=closing,
        requests=requests,
    )


def _intro(school: str, label: str, period: str, rng: random.Random) -> str:
    basis = rng.choice(
        (
            "根据《高等学校信息公开办法》（教育部令第29号）和《教育部关于公布<高等学校信息公开事项"
            "清单>的通知》（教办函〔2014〕23号）要求，",
            "按照教育部办公厅《关于做好高校信息公开年度报告工作的通知》要求，",
        )
    )
    return (
        f"{basis}现公布{school}{label}信息公开年度报告。{period}报告包括概述，主动公开情况，"
        "依申请公开和不予公开情况，对信息公开的评议情况，因学校信息公开工作受到举报、复议、诉讼"
        "的情况，新做法新举措、主要经验、问题和改进措施，其他需要报告的事项，清单事项公开情况表。"
    )


def _section(key: str, rng: random.Random, requests: int) -> list[str]:
    if key == "overview":
        return _pick(OVERVIEW, rng, 3)
    if key == "proactive":
        return (
            ["（一）主动公开信息数量"]
            + _pick(PROACTIVE[:2], rng, 2)
            + ["（二）重点领域信息公开"]
            + _pick(PROACTIVE[2:], rng, 4)
        )
    if key == "on_request":
        if requests == 0:
            return [rng.choice(REQUESTS_NONE)]
        yes = rng.randint(0, requests)
        part = rng.randint(0, requests - yes)
        none = rng.randint(0, requests - yes - part)
        mail = rng.randint(0, requests)
        text = REQUESTS_SOME[0].format(
            req=requests,
            mail=mail,
            net=requests - mail,
            yes=yes,
            part=part,
            none=none,
            notours=requests - yes - part - none,
        )
        # Doubled braces survive the caller's second .format() pass untouched.
        return [text.replace("{", "{{").replace("}", "}}")]
    if key == "review":
        return _pick(REVIEW, rng, 2)
    if key == "complaints":
        return [rng.choice(COMPLAINTS)]
    if key == "improvements":
        return list(IMPROVEMENTS)
    return [rng.choice(OTHER)]


def _pick(pool: tuple[str, ...], rng: random.Random, k: int) -> list[str]:
    """k paragraphs from the pool, kept in pool order so the prose still reads in sequence."""
    chosen = sorted(rng.sample(range(len(pool)), min(k, len(pool))))
    return [pool[i] for i in chosen]


def _item_link(portal: str, index: int, rng: random.Random) -> str:
    if rng.random() < 0.15:
        return "本年度无此项内容"
    return f"{portal.rstrip('/')}/info/{1000 + index * 7}.htm"
