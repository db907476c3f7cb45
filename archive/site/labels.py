"""Chinese labels for the site: the English keys stay in SQL and JSON, readers see Chinese."""

from __future__ import annotations

import re

from parsers import figure_labels
from parsers.document import SECTION_KEYS

# Coverage states (the `coverage` view's `state` column).
STATES = {
    "present": "已发布",
    "late": "逾期",
    "undated": "未注明日期",
    "missing": "缺失",
    "parse_error": "解析失败",
}
STATE_HELP = {
    "present": "10月31日前发布",
    "late": "10月31日后发布",
    "undated": "未找到发布日期",
    "missing": "未找到该年度报告",
    "parse_error": "文件已保存，但未能解析出文字",
}

# Figure names (`figures.name`) as a reader of the reports knows them (parsers/figure_labels.py).
FIGURES = figure_labels.LABELS
SHORT_FIGURES = {
    "requests_received": "收到申请",
    "requests_granted": "予以公开",
    "requests_partially_granted": "部分公开",
    "requests_denied": "不予公开",
    "requests_not_exist": "信息不存在",
    "requests_not_school": "非本校信息",
    "complaints": "举报",
    "reconsiderations": "复议",
    "lawsuits": "诉讼",
}

# Standard sections (`sections.key`).
SECTIONS = {
    "overview": "概述",
    "proactive": "主动公开情况",
    "on_request": "依申请公开情况",
    "review": "社会评议情况",
    "complaints": "举报/复议/诉讼情况",
    "improvements": "存在问题与改进措施",
    "other": "其他需要报告的事项",
    "checklist": "清单事项公开情况",
    "extra": "其他章节",
}
# The report's own standard sections (the parsers' keys); the 清单 table is measured apart.
STANDARD_SECTIONS = tuple(key for key in SECTION_KEYS if key != "checklist")

FORMATS = {"pdf": "PDF", "docx": "Word", "doc": "Word (doc)", "wps": "WPS", "html": "网页"}
PARSE_STATUS = {"ok": "已解析", "parse_error": "解析失败"}

ATTACHMENT_ROLES = {
    "article": "文章页面",
    "attachment": "附件",
    "embedded": "嵌入文件",
    "alternate": "其他版本",
}


# archive/health.py's reasons (English in the database and `xxgk status`), for the school page.
_REASONS = [
    (re.compile(r"^home page failed: (.*)$"), "首页无法访问：{0}"),
    (re.compile(r"^report column not found$"), "未找到年报栏目"),
    (re.compile(r"^report column vanished since the last crawl$"), "年报栏目自上次抓取后消失"),
    (re.compile(r"^no report archived$"), "档案中没有报告"),
    (re.compile(r"^no report for (\d+) \(latest (.*)\)$"), "缺少 {0} 年度报告（最新为 {1}）"),
]


def reasons_label(reasons: str | None) -> str:
    """Each known reason in Chinese, the English kept in brackets; unknown ones as they are."""
    out = []
    for reason in (reasons or "").split("; "):
        for pattern, template in _REASONS:
            found = pattern.match(reason)
            if found:
                out.append(f"{template.format(*found.groups())}（{reason}）")
                break
        else:
            out.append(reason)
    return "；".join(r for r in out if r)


def state_label(state: str | None) -> str:
    return STATES.get(state or "", state or "")


def figure_label(name: str) -> str:
    return FIGURES.get(name, name)


def section_label(key: str | None) -> str:
    return SECTIONS.get(key or "", key or "")
