"""Every figure name (`figures.name`) with the words a reader of the reports knows it by.

The names are the parsers' (`parsers.figures.FIGURE_NAMES` from the text,
`parsers.table_figures.FIGURES` from the statistics tables); the labels follow the wording of the
政府信息公开 template's tables, so the site, the CSV exports and the README say the same thing.
"""

from __future__ import annotations

_OUTCOMES = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
}
_APPEALS = {
    "reconsiderations": "行政复议",
    "lawsuits_direct": "行政诉讼（未经复议直接起诉）",
    "lawsuits_after_review": "行政诉讼（复议后起诉）",
}

LABELS: dict[str, str] = {
    "requests_received": "依申请公开：收到申请",
    "requests_carried_over": "依申请公开：上年结转",
    "requests_handled": "依申请公开：办理总计",
    "requests_carried_forward": "依申请公开：结转下年度继续办理",
    "requests_granted": "依申请公开：予以公开",
    "requests_partially_granted": "依申请公开：部分公开",
    "requests_denied": "依申请公开：不予公开",
    "requests_denied_state_secret": "不予公开：属于国家秘密",
    "requests_denied_law": "不予公开：其他法律行政法规禁止公开",
    "requests_denied_security": "不予公开：危及“三安全一稳定”",
    "requests_denied_third_party": "不予公开：保护第三方合法权益",
    "requests_denied_internal": "不予公开：属于三类内部事务信息",
    "requests_denied_process": "不予公开：属于四类过程性信息",
    "requests_denied_enforcement": "不予公开：属于行政执法案卷",
    "requests_denied_query": "不予公开：属于行政查询事项",
    "requests_unavailable": "依申请公开：无法提供",
    "requests_not_exist": "依申请公开：信息不存在（本机关不掌握）",
    "requests_needs_creation": "无法提供：没有现成信息需要另行制作",
    "requests_unclear": "无法提供：补正后申请内容仍不明确",
    "requests_not_school": "依申请公开：不属于本校公开范围",
    "requests_not_processed": "依申请公开：不予处理",
    "requests_not_processed_complaint": "不予处理：信访举报投诉类申请",
    "requests_not_processed_repeated": "不予处理：重复申请",
    "requests_not_processed_publication": "不予处理：要求提供公开出版物",
    "requests_not_processed_excessive": "不予处理：无正当理由大量反复申请",
    "requests_not_processed_confirmation": "不予处理：要求确认或重新出具已获取信息",
    "requests_other": "依申请公开：其他处理",
    "requests_other_uncorrected": "其他处理：逾期不补正、不再处理",
    "requests_other_unpaid": "其他处理：逾期未缴纳信息处理费",
    "requests_other_other": "其他处理：其他",
    "complaints": "举报/投诉",
    "reconsiderations": "行政复议：总计",
    "lawsuits_direct": "行政诉讼（未经复议直接起诉）：总计",
    "lawsuits_after_review": "行政诉讼（复议后起诉）：总计",
    "lawsuits": "行政诉讼：总计",
    **{
        f"{appeal}_{outcome}": f"{appeal_label}：{outcome_label}"
        for appeal, appeal_label in _APPEALS.items()
        for outcome, outcome_label in _OUTCOMES.items()
    },
    "proactive_rules_issued": "主动公开：规章本年制发件数",
    "proactive_rules_repealed": "主动公开：规章本年废止件数",
    "proactive_rules_in_force": "主动公开：现行有效规章件数",
    "proactive_normative_issued": "主动公开：规范性文件本年制发件数",
    "proactive_normative_repealed": "主动公开：规范性文件本年废止件数",
    "proactive_normative_in_force": "主动公开：现行有效规范性文件件数",
    "proactive_licences": "主动公开：行政许可处理决定数量",
    "proactive_penalties": "主动公开：行政处罚处理决定数量",
    "proactive_enforcement": "主动公开：行政强制处理决定数量",
    "proactive_fees_yuan": "主动公开：行政事业性收费金额（元）",
}


def figure_label(name: str) -> str:
    """The Chinese label of a figure name (the name itself for one the parsers never make)."""
    return LABELS.get(name, name)
