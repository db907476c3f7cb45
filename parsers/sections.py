"""Split report text into the ministry's standard sections (reports.md), keyed by meaning.

Top-level headings are `一、` ... `十、`, `第一部分`, and the `附件：…清单…` line; a few
unnumbered headings that read exactly like a standard title are accepted too. Each heading
is mapped to a key in `parsers.document.SECTION_KEYS` by the words in it, or to `EXTRA_KEY`.

Rules worth knowing:
- A heading that names two standard topics (`对信息公开的评议和举报情况`) takes the key of
  the topic it names first; a warning lists what else it covers.
- 依申请公开 (and 评议 / 举报) nested as `（二）` under another section (`二、信息公开具体情况`)
  becomes its own section when no top-level heading has that key: reports put it there.
- Numbering may jump (四 → 六) or restart; a restarting `一、` inside a section is a list
  item, unless its heading maps to a standard key not seen yet.
- The preamble before the first heading (title, legal basis) is not a section; the sign-off
  (school name and date) is cut from the last section. No section is ever invented.
"""

from __future__ import annotations

import re

from parsers.document import Section
from parsers.folding import fold, half_width
from parsers.metadata import is_sign_off, school_name
from parsers.numerals import cn_number

# Key for top-level sections with no standard meaning (重点领域信息公开情况, 专项信息公开情况):
# calling them "other" would claim the ministry's 其他需要报告的事项 is present.
EXTRA_KEY = "extra"

_NUM = "一二三四五六七八九十"
_TOP = re.compile(rf"^(?:([{_NUM}]{{1,3}})\s*[、.，,]|第([{_NUM}]{{1,3}})部分[、.:：\s]?)\s*(.*)$")
_SUB = re.compile(rf"^[(]([{_NUM}]{{1,3}})[)]\s*(.*)$")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*(.*)$")
MAX_HEADING = 60

# Topic words per key. A heading's key is the key whose words occur earliest in it; the order
# here breaks ties at one position. Extras come first so that 重点领域信息主动公开情况 is an
# extra, not a second proactive section.
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (EXTRA_KEY, re.compile(r"重点领域|专项|特色")),
    ("checklist", re.compile(r"清单")),
    ("on_request", re.compile(r"依申请")),
    ("review", re.compile(r"评议")),
    ("complaints", re.compile(r"举报|复议|诉讼")),
    (
        "improvements",
        re.compile(
            r"新做法|新举措|主要经验|经验|存在的?(?:主要)?问题|问题和|改进|不足|下一步|努力方向|工作计划"
        ),
    ),
    ("other", re.compile(r"其他需要报告|其他事项|其它需要报告|^其[他它]$")),
    ("overview", re.compile(r"概述|概况|总体情况|基本情况|总体工作")),
    ("proactive", re.compile(r"主动公开|信息公开(?:具体|基本|工作)?情况|公开内容")),
)
# Nested headings that may stand for a missing top-level section.
_PROMOTABLE = ("on_request", "review", "complaints")
# Unnumbered lines accepted as headings: the standard titles themselves, nothing looser.
_BARE = re.compile(
    r"^(?:一?[、.]?)?(?:概述|工作概述|主动公开情况|依申请公开和不予公开情况|对信息公开的评议情况"
    r"|因学校信息公开工作受到举报、复议、诉讼的情况|其他需要报告的事项)$"
)


def heading_key(heading: str) -> tuple[str, list[str]]:
    """Key for a heading (marker stripped or not) and the other standard keys it names."""
    hits = []
    for order, (key, pattern) in enumerate(_TOPICS):
        found = pattern.search(heading)
        if found:
            hits.append((found.start(), order, key))
    if not hits:
        return EXTRA_KEY, []
    hits.sort()
    key = hits[0][2]
    if key == EXTRA_KEY:
        return key, []  # 重点领域信息主动公开情况 is about a field, not a merged section
    also = [k for _, _, k in hits[1:] if k not in (key, EXTRA_KEY)]
    return key, list(dict.fromkeys(also))


def _looks_like_heading(line: str) -> bool:
    return len(line) <= MAX_HEADING and not line.endswith(("。", "；", ";", "：", ":"))


def _top_heading(line: str) -> tuple[int | None, str] | None:
    """(number, title) for a top-level heading line, None otherwise."""
    folded = half_width(line)
    found = _TOP.match(folded)
    if found and _looks_like_heading(line):
        return cn_number(found.group(1) or found.group(2)), found.group(3)
    found = _ATTACHMENT.match(folded)
    if found and "清单" in found.group(1) and len(line) <= MAX_HEADING:
        return None, found.group(1)
    if _BARE.match(fold(line)):
        return None, line
    return None


def _strip_sign_off(lines: list[str]) -> list[str]:
    """Drop the closing date line and the school-name line before it."""
    lines = list(lines)
    if lines and is_sign_off(lines[-1]):
        lines.pop()
        if lines and len(lines[-1]) <= 30 and school_name(lines[-1]) == lines[-1].strip():
            lines.pop()
    return lines


def split_sections(text: str) -> tuple[list[Section], list[str]]:
    """Sections of a report in document order, and warnings about its structure."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    warnings: list[str] = []
    # (line index, key, heading as written, top-level?)
    starts: list[tuple[int, str, str, bool]] = []
    seen: set[str] = set()
    last_number = 0
    for index, line in enumerate(lines):
        top = _top_heading(line)
        if top is None:
            continue
        number, title = top
        key, also = heading_key(title)
        if number is not None:
            if number <= last_number and (key in seen or key == EXTRA_KEY):
                continue  # a restarting list inside a section, not a heading
            if last_number and number > last_number + 1:
                warnings.append(f"section numbering jumps from {last_number} to {number}: {line}")
            last_number = max(last_number, number)
        if also:
            warnings.append(f"heading {line!r} also covers: {', '.join(also)}")
        starts.append((index, key, line, True))
        seen.add(key)
    _promote_nested(lines, starts, seen)
    starts.sort()
    sections = []
    for n, (index, key, heading, _top) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body = lines[index + 1 : end]
        if n + 1 == len(starts):
            body = _strip_sign_off(body)
        sections.append(Section(key=key, heading=heading, text="\n".join(body)))
    counts: dict[str, int] = {}
    for section in sections:
        counts[section.key] = counts.get(section.key, 0) + 1
    for key, count in counts.items():
        if count > 1 and key != EXTRA_KEY:
            warnings.append(f"{count} sections map to {key}")
    return sections, warnings


def _promote_nested(lines: list[str], starts: list, seen: set[str]) -> None:
    """Add `（二）依申请公开…情况` and the like as sections when no top-level one exists."""
    for index, line in enumerate(lines):
        found = _SUB.match(half_width(line))
        if not found or not _looks_like_heading(line) or not found.group(2).endswith("情况"):
            continue
        key, _also = heading_key(found.group(2))
        if key in _PROMOTABLE and key not in seen:
            starts.append((index, key, line, False))
            seen.add(key)
