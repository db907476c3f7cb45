"""Report metadata from text: label and year, report-or-not for titles, school, period, date.

Pure functions on strings. The crawler uses `is_annual_disclosure_report` / `classify_title`
to pick the report out of a list of look-alike titles, so those must stay cheap and import
nothing heavy.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from parsers.dates import date_in, iso_date
from parsers.folding import despace, fold
from parsers.numerals import cn_number

# --- label and year -------------------------------------------------------------------------

# `2022-2023学年`, `2022—2023学年`, `2022至2023学年`, `2022-23学年`; spaces as PDFs leave them.
_YEAR_PAIR = r"(20\d{2})\s*(?:[-—–－~～/]+|至|到)\s*((?:20)?\d{2})"
_ACADEMIC = re.compile(_YEAR_PAIR + r"\s*学年(?:度)?")
_YEARLY = re.compile(r"(20\d{2})\s*年度")
# A bare `2023年` counts only when no month follows (`2023年9月1日` is a date, not a label).
_YEAR = re.compile(r"(20\d{2})\s*年(?!\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月|度)")
# `信息公开年度报告（2023-2024）`: a bracketed pair of consecutive years is an academic year.
_BRACKETED_PAIR = re.compile(r"[（(]\s*" + _YEAR_PAIR + r"\s*[)）]")
_CN_YEAR = "[〇○零O一二三四五六七八九]{4}"
# `二〇二三年`, `二零二三年度`: a year written in Chinese digits.
_CN_DIGIT_YEAR = re.compile(rf"({_CN_YEAR})(?=\s*年)")


def label_and_year(text: str) -> tuple[str | None, int | None]:
    """The period label as written (spaces dropped) and the year the statistics period ends.

    `2022-2023学年` -> ("2022-2023学年", 2023); `2024年度` -> ("2024年度", 2024);
    `XX大学2023年信息公开工作报告` -> ("2023年", 2023). An academic-year label wins over a
    calendar one anywhere in `text`; give it a title or the first lines, not a whole report.
    """
    text = _CN_DIGIT_YEAR.sub(lambda m: str(cn_number(m.group(1))), text)
    found = _ACADEMIC.search(text) or _BRACKETED_PAIR.search(text)
    if found:
        end = found.group(2)
        year = int(end) if len(end) == 4 else int(found.group(1)[:2] + end)
        if year == int(found.group(1)) + 1:
            return despace(found.group(0)), year
    for pattern in (_YEARLY, _YEAR):
        found = pattern.search(text)
        if found:
            return despace(found.group(0)), int(found.group(1))
    return None, None


# --- is this title the annual report? ---------------------------------------------------------

_REPORT = re.compile(r"信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
_ENGLISH = re.compile(
    r"annual\s+report\s+(?:on|of|for)\s+(?:the\s+)?(?:government\s+)?"
    r"information\s+(?:disclosure|openness)"
    r"|information\s+(?:disclosure|openness)\s+(?:work\s+)?annual\s+report",
    re.IGNORECASE,
)
_ENGLISH_SCHOOL = re.compile(r"universit|college|institute|school", re.IGNORECASE)
# Checked in this order; the first hit is the reason a title is not the report.
_NOT_REPORT = (
    (
        re.compile(r"做好|编制|报送|填报|撰写|征集|部署|准备|报备|提交"),
        "a notice about preparing or submitting the report",
    ),
    (re.compile(r"解读|图解|答记者问"), "an interpretation of the report, not the report"),
    (
        re.compile(r"附属[^\s]{0,6}(?:医院|中学|小学|幼儿园)|医院"),
        "the report of an affiliated hospital or school, not of the university",
    ),
    (
        re.compile(r"教学质量|就业质量|质量报告|预算|决算|财务|审计|社会责任报告"),
        "another kind of report (teaching quality, employment, budget ...)",
    ),
)
_NOTICE = re.compile(r"通知$|通知[(（]|的函$")
_PUBLISHING = re.compile(r"公布|发布|公开.{0,30}报告.{0,4}(?:通知|公告)$")
_SCHOOL_WORD = re.compile(r"大学|学院|学校|高校|专科")
_BODY = re.compile(r"教育厅|教育局|教育委员会|教委|教育部|人民政府|政府办公|委员会|厅|局(?!限)")


def classify_title(title: str) -> tuple[bool, str]:
    """Whether `title` names a school's annual information-disclosure report, and why (not).

    Decisions on edge titles (see the tests for the full table):
    - `政府信息公开工作年度报告`: the report only when a school issues it (some schools use the
      government format); a bureau's (`广东省教育厅2023年…`) is not.
    - 附属医院 / 附属中学 reports: not the school's report (the hospital is its own discloser).
    - notices about preparing, compiling or submitting the report: not the report; a notice
      *publishing* it (`关于公布…信息公开年度报告的通知`) is accepted.
    - `…年度报告` without 信息公开 (e.g. `2023年度报告`): not accepted from the title alone;
      the crawler may accept it by the column it sits in.
    """
    folded = fold(title)
    if not folded:
        return False, "empty title"
    english = _ENGLISH.search(title or "")
    if not english and not _REPORT.search(folded):
        return False, "no 信息公开…报告/年报 phrase"
    for pattern, reason in _NOT_REPORT:
        if pattern.search(folded):
            return False, reason
    if _NOTICE.search(folded) and not _PUBLISHING.search(folded):
        return False, "a notice, not the report"
    if english:
        if re.search(r"government", title, re.IGNORECASE) and not _ENGLISH_SCHOOL.search(title):
            return False, "a government body's report, not a school's"
        return True, "English title of the annual report on information disclosure"
    has_school = bool(school_name(folded)) or bool(_SCHOOL_WORD.search(folded))
    if "政府信息公开" in folded and not has_school:
        return False, "a government body's 政府信息公开 report, not a school's"
    if _BODY.search(folded.split("信息公开")[0]) and not has_school:
        return False, "issued by a government body, not a school"
    return True, "信息公开年度报告 of a school"


def is_annual_disclosure_report(title: str) -> bool:
    """True when `title` names a school's annual information-disclosure report."""
    return classify_title(title)[0]


# --- school -----------------------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_SCHOOL = re.compile(
    rf"[{_CJK}]{{2,30}}?(?:大学|学院|学校)(?:[(（][{_CJK}]{{2,6}}[)）])?"
    rf"(?:大学|学院)?"  # 中国科学院大学, 中国社会科学院大学
)
# Words that precede a school name in titles and must not become part of it.
_LEADING = re.compile(r"^(?:关于|做好|公布|发布|印发|学年度|学年|年度|年|的)+")
_NOT_SCHOOL = ("科学院", "研究院", "党校")


def school_name(text: str) -> str | None:
    """The school named in a title or a short line (`XX大学`, `XX学院`, `XX职业技术学院` ...)."""
    for run in re.findall(rf"[{_CJK}（）()]+", text):
        run = _LEADING.sub("", run)
        found = _SCHOOL.search(run)
        if found and not found.group(0).endswith(_NOT_SCHOOL):
            return found.group(0)
    return None


# --- dates ------------------------------------------------------------------------------------

_RANGE = re.compile(
    r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?\s*(?:[-—–－~～]+|起?至|到)\s*"
    r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?"
)
# A range counts as the statistics period when the words before it say so ...
_PERIOD_CUE = re.compile(r"统计|期限|时间范围|时间段|时段|期间|周期|报告期|本报告|数据截至|年度为")
# ... or when it spans about one year (a bare `2022年9月1日—2023年8月31日` line).
_YEARLIKE_DAYS = (330, 400)


def _month_end(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date.resolution).day


def statistics_period(text: str) -> tuple[str | None, str | None]:
    """Start and end (ISO) of the statistics period when the report states it.

    A month-only range (`2022年9月至2023年8月`) runs from the first of its first month to the
    last day of its last month. Ranges without a cue word or a span of about a year (a news
    count `2023年1月1日至11月24日`) are not the period.
    """
    for found in _RANGE.finditer(text):
        y1, m1, d1, y2, m2, d2 = found.groups()
        y1, m1, y2, m2 = int(y1), int(m1), int(y2), int(m2)
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            continue
        start = iso_date(y1, m1, int(d1) if d1 else 1)
        end = iso_date(y2, m2, int(d2) if d2 else _month_end(y2, m2))
        if not start or not end or end <= start:
            continue
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
        cue = _PERIOD_CUE.search(text[max(0, found.start() - 30) : found.start()])
        if cue or _YEARLIKE_DAYS[0] <= days <= _YEARLIKE_DAYS[1]:
            return start, end
    return None, None


# A sign-off line: the date alone, or the school's name followed by the date.
_SIGN_OFF = re.compile(
    rf"^[{_CJK}（）()]{{0,30}}\s*(?:20\d{{2}}|{_CN_YEAR})\s*年[^。，；]{{0,12}}日$"
)


_CN_DAY = "[一二三四五六七八九十]{1,3}"
_CN_MONTH = re.compile(rf"({_CN_YEAR})年({_CN_DAY})月$")
_MONTH = re.compile(r"(20\d{2})\s*年\s*(\d{1,2})\s*月$")
_SIGN_OFF_MONTH = re.compile(
    rf"^[{_CJK}（）()]{{0,30}}\s*(?:20\d{{2}}\s*年\s*\d{{1,2}}|{_CN_YEAR}年{_CN_DAY})\s*月$"
)
# The issuer line above a date in a 公文's signing block (落款): a body's name, no sentence.
_ISSUER = re.compile(
    rf"^[{_CJK}（）()]{{2,40}}(?:大学|学院|学校|政府|办公室|办公厅|委员会|局|厅|处|部|中心|院)$"
)
# A 公文's imprint line (`…办公室2012年12月6日印发`) dates the printing, not the signing.
_PRINTED = re.compile(r"印发$|翻印$")


def _month_in(line: str) -> str | None:
    """`二〇二三年十月` / `2023年10月` closing a document: a month, written `2023-10`."""
    found = _CN_MONTH.search(line) or _MONTH.search(line)
    if not found:
        return None
    year, month = cn_number(found.group(1)), cn_number(found.group(2))
    if year is None or month is None or not (1 <= month <= 12 and 2000 <= year <= 2099):
        return None
    return f"{year:04d}-{month:02d}"


def _sign_off_date(line: str) -> str | None:
    if _PRINTED.search(line):
        return None
    if _SIGN_OFF.match(line):
        return date_in(line)
    if _SIGN_OFF_MONTH.match(line):
        return _month_in(line)
    return None


def signed_date_with_source(text: str, *, last_lines: int = 15) -> tuple[str | None, str | None]:
    """The date a document is signed with and where it was read.

    Read from the end: the last sign-off line (a date alone, or name + date) among the last
    `last_lines` lines -> ("2023-10-30", "signature"). A month-only sign-off
    (`二〇二三年十月`) gives "2023-10". Otherwise a 公文's signing block anywhere in the text,
    an issuer line followed by a date line (a notice whose 附件 runs on after it)
    -> (date, "signature block"). Imprint lines (`…印发`) are never the signing date.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-last_lines:]):
        found = _sign_off_date(line)
        if found:
            return found, "signature"
    for above, line in zip(lines, lines[1:], strict=False):
        if _ISSUER.match(above) and not _PRINTED.search(line):
            found = _sign_off_date(line)
            if found:
                return found, "signature block"
    return None, None


def signed_date(text: str, *, last_lines: int = 15) -> str | None:
    """The date the report is signed with (see `signed_date_with_source`)."""
    return signed_date_with_source(text, last_lines=last_lines)[0]


def is_sign_off(line: str) -> bool:
    """True for a closing date line (`2023年10月30日`, `二〇二三年十月三十日`)."""
    line = line.strip()
    return bool(_SIGN_OFF.match(line)) and date_in(line) is not None


# --- all together -----------------------------------------------------------------------------


@dataclass
class ReportMetadata:
    title: str | None = None
    school: str | None = None
    label: str | None = None
    year: int | None = None
    period_start: str | None = None
    period_end: str | None = None
    published: str | None = None
    # Where `published` came from: "page" (the article page or the file's own metadata),
    # "signature" / "signature block" (the document's printed signing date), or None.
    published_source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_TITLE_WORDS = re.compile(r"报告|年报|report", re.IGNORECASE)
MAX_TITLE = 80


def text_title(text: str) -> str | None:
    """The report's own title: its first line, when that line reads like one."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= MAX_TITLE and _TITLE_WORDS.search(line) else None
    return None


def extract_metadata(
    text: str, *, title: str | None = None, published: str | None = None
) -> ReportMetadata:
    """Metadata of a report from its text; `title` and `published` from the page win.

    The label and school come from the title, then the first lines, then (school only) the
    sign-off; the period from anywhere in the text; `published` falls back to the sign-off date.
    """
    own_title = text_title(text)
    title = title or own_title
    head = "\n".join(text.splitlines()[:3])
    label, year = (None, None)
    for source in (title, own_title, head):
        if source:
            label, year = label_and_year(source)
            if label:
                break
    school = None
    tail = [line.strip() for line in text.splitlines()[-6:] if line.strip()]
    for source in (title, own_title, *head.splitlines(), *tail):
        if source and len(source) <= MAX_TITLE:
            school = school_name(source)
            if school:
                break
    start, end = statistics_period(text)
    source = "page" if published else None
    if not published:
        published, source = signed_date_with_source(text)
    return ReportMetadata(
        title=title,
        school=school,
        label=label,
        year=year,
        period_start=start,
        period_end=end,
        published=published,
        published_source=source,
    )
