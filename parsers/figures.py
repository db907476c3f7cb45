"""Counts analysts pull from a report, each with the sentence it came from.

Figure names (fixed, in this order):
- requests_received: 依申请公开 requests received (未收到/未接到信息公开申请 -> 0)
- requests_granted: answered 予以公开 / 同意公开
- requests_partially_granted: answered 部分公开
- requests_denied: answered 不予公开
- requests_not_exist: answered 信息不存在
- requests_not_school: answered 不属于本校 (公开范围 / 职责范围)
- complaints: 举报 about the school's disclosure work (投诉 is not counted)
- reconsiderations: 行政复议
- lawsuits: 行政诉讼
A sentence counts when it sits in the section about the topic, or names 信息公开 or 依申请
itself (so 招生 complaints elsewhere in the report do not count). `未发生`, `未收到`, `没有`,
`无` before the topic word, or `为0`/`为零` after it, give 0. When sentences disagree the
figure is left out and a warning says why; a figure never comes without its evidence.

Figures read from the statistics tables (`parsers.table_figures`) are added by `combine`:
a table figure wins over the same figure in the text when both agree; when they disagree
both are kept (the text's one second) and a warning names both values.
"""

from __future__ import annotations

import re

from parsers.document import Figure, Section

FIGURE_NAMES = (
    "requests_received",
    "requests_granted",
    "requests_partially_granted",
    "requests_denied",
    "requests_not_exist",
    "requests_not_school",
    "complaints",
    "reconsiderations",
    "lawsuits",
)

_CN_NUM = "零〇一二两三四五六七八九十百"
_N = rf"(\d+|[{_CN_NUM}]+)"
_UNIT = r"\s*(?:件|项|条|次|份|个|起|宗|例|人次)"
_CLAUSE_CUT = re.compile(r"[，,：:]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")

# Negations that put a topic word at zero when they come before it in the same clause.
_NEGATION = re.compile(
    r"未发生|未收到|未接到|未出现|未产生|未受到|未遭到|未有|没有|无(?![论法需须])|不存在"
)
_ZERO_AFTER = re.compile(r"^[^，。；\d]{0,8}?(?:均|都)?(?:为|是)\s*(?:0|零)")

_RECEIVED = re.compile(
    rf"(?:收到|接到|受理)(?P<mid>[^。；;，,]{{0,30}}?)(?:共|共计|计)?{_N}{_UNIT}"
)
_RECEIVED_ZERO = re.compile(
    r"(?:未|没有)(?:收到|接到|受理)(?:过|到)?[^，。；]{0,20}?申请|无[^，。；]{0,6}申请"
)
_OF = r"(?:的)?(?:申请)?(?:有|为|共)?"  # 不予公开的申请有2件
_ANSWERS = (
    ("requests_partially_granted", re.compile(rf"部分公开{_OF}{_N}{_UNIT}")),
    ("requests_denied", re.compile(rf"不予(?:以)?公开{_OF}{_N}{_UNIT}")),
    ("requests_granted", re.compile(rf"(?<![不分])(?:予以|同意|全部)公开{_OF}{_N}{_UNIT}")),
    ("requests_not_exist", re.compile(rf"信息不存在{_OF}{_N}{_UNIT}")),
    (
        "requests_not_school",
        re.compile(
            rf"不属于(?:本校|学校|本单位)[^，。；\d]{{0,10}}?(?:的)?(?:有|为|共)?{_N}{_UNIT}"
        ),
    ),
)
_COUNTED = (
    ("complaints", "举报"),
    ("reconsiderations", "复议"),
    ("lawsuits", "诉讼"),
)
_REQUEST_TOPIC = re.compile(r"依申请|信息公开申请|公开申请")
_OWN_TOPIC = re.compile(r"信息公开|依申请")
_TOPIC_SECTIONS = {
    "requests": ("on_request",),
    "complaints": ("complaints", "review"),
}


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if token in ("十", "百"):
        return {"十": 10, "百": 100}[token]
    if set(token) <= set(digits) and len(token) == 1:
        return digits[token]
    tens, sep, ones = token.partition("十")
    if sep and set(tens + ones) <= set(digits) and len(tens) <= 1 and len(ones) <= 1:
        return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    return None  # larger Chinese numerals are too rare here to risk misreading


def _sentences(text: str, key: str | None) -> list[tuple[str, str | None]]:
    return [(s.strip(), key) for s in _SENTENCE.findall(text) if s.strip()]


def _request_values(sentence: str) -> list[tuple[str, int]]:
    values = []
    for clause in _CLAUSE_CUT.split(sentence):
        if _RECEIVED_ZERO.search(clause) and _REQUEST_TOPIC.search(clause):
            values.append(("requests_received", 0))
            continue
        found = _RECEIVED.search(clause)
        if found and "申请" in found.group("mid") and "申请人" not in found.group("mid"):
            number = _number(found.group(2))
            if number is not None:
                values.append(("requests_received", number))
    for name, pattern in _ANSWERS:
        for found in pattern.finditer(sentence):
            number = _number(found.group(1))
            if number is not None:
                values.append((name, number))
    return values


def _complaint_values(sentence: str) -> list[tuple[str, int]]:
    values = []
    for clause in _CLAUSE_CUT.split(sentence):
        negation = _NEGATION.search(clause)
        for name, word in _COUNTED:
            at = clause.find(word)
            if at < 0:
                continue
            if negation and negation.start() < at:
                values.append((name, 0))
                continue
            after = clause[at + len(word) :]
            if _ZERO_AFTER.match(after):
                values.append((name, 0))
                continue
            count = re.match(rf"^[^，。；\d{_CN_NUM}]{{0,6}}?{_N}{_UNIT}", after)
            before = re.search(rf"{_N}{_UNIT}(?:行政)?(?:的)?$", clause[:at])
            found = count or before
            number = _number(found.group(1)) if found else None
            if number is not None:
                values.append((name, number))
    return values


def extract_figures(
    text: str, sections: list[Section] | None = None
) -> tuple[list[Figure], list[str]]:
    """Figures found in `text` (sections, when given, say which sentences are on topic)."""
    tagged: list[tuple[str, str | None]] = []
    if sections:
        for section in sections:
            tagged += _sentences(section.heading + "\n" + section.text, section.key)
    else:
        tagged = _sentences(text, None)
    found: dict[str, list[tuple[int, str, str | None]]] = {}
    for sentence, key in tagged:
        on_topic = _OWN_TOPIC.search(sentence)
        values = []
        if on_topic or key in _TOPIC_SECTIONS["requests"]:
            values += _request_values(sentence)
        if on_topic or key in _TOPIC_SECTIONS["complaints"]:
            values += _complaint_values(sentence)
        for name, value in dict.fromkeys(values):
            found.setdefault(name, []).append((value, sentence, key))
    figures, warnings = [], []
    for name in FIGURE_NAMES:
        hits = found.get(name)
        if not hits:
            continue
        values = {value for value, _, _ in hits}
        if len(values) > 1:
            shown = "; ".join(f"{v} from {s!r}" for v, s, _ in hits[:3])
            warnings.append(f"{name} left out: sentences disagree ({shown})")
            continue
        # Evidence from the section about the topic reads best; else the first sentence.
        home = "on_request" if name.startswith("requests") else "complaints"
        value, sentence, _ = next((h for h in hits if h[2] == home), hits[0])
        figures.append(Figure(name=name, value=value, evidence=sentence))
    return figures, warnings


def combine(
    text_figures: list[Figure], table_figures: list[Figure]
) -> tuple[list[Figure], list[str]]:
    """Table figures, then text figures the tables do not give; both when they disagree."""
    by_name = {f.name: f for f in table_figures}
    out = list(table_figures)
    warnings = []
    for figure in text_figures:
        table = by_name.get(figure.name)
        if table is None:
            out.append(figure)
        elif table.value != figure.value:
            out.append(figure)
            warnings.append(
                f"{figure.name}: the table says {table.value} ({table.evidence}), "
                f"the text says {figure.value} ({figure.evidence!r}); both kept"
            )
    return out, warnings
