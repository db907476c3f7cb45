"""The standard 政府信息公开 statistics tables, as data: labels, merges and made-up numbers.

`request_table(values)` and `review_table(values)` give the printed grid (merged cells in
their first position, "" where they span) and the spans; `figures(values)` the figure names
and values a parser must read from them. The labels are the 2019 government template's
(tpl_gov_annual_report_template.docx); the numbers are random per seed, so no fixture can be
passed by remembering numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# (figure name, label path as printed: col 0 / col 1 / col 2)
OUTCOMES = [
    ("requests_granted", "（一）予以公开", ""),
    ("requests_partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("requests_denied_state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("requests_denied_law", "", "2.其他法律行政法规禁止公开"),
    ("requests_denied_security", "", "3.危及“三安全一稳定”"),
    ("requests_denied_third_party", "", "4.保护第三方合法权益"),
    ("requests_denied_internal", "", "5.属于三类内部事务信息"),
    ("requests_denied_process", "", "6.属于四类过程性信息"),
    ("requests_denied_enforcement", "", "7.属于行政执法案卷"),
    ("requests_denied_query", "", "8.属于行政查询事项"),
    ("requests_not_exist", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("requests_needs_creation", "", "2.没有现成信息需要另行制作"),
    ("requests_unclear", "", "3.补正后申请内容仍不明确"),
    ("requests_not_processed_complaint", "（五）不予处理", "1.信访举报投诉类申请"),
    ("requests_not_processed_repeated", "", "2.重复申请"),
    ("requests_not_processed_publication", "", "3.要求提供公开出版物"),
    ("requests_not_processed_excessive", "", "4.无正当理由大量反复申请"),
    ("requests_not_processed_confirmation", "", "5.要求行政机关确认或重新出具已获取信息"),
    (
        "requests_other_uncorrected",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "requests_other_unpaid",
        "",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("requests_other_other", "", "3.其他"),
]
GROUPS = {
    "requests_denied": "（三）不予公开",
    "requests_unavailable": "（四）无法提供",
    "requests_not_processed": "（五）不予处理",
    "requests_other": "（六）其他处理",
}
REVIEW_OUTCOMES = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
                   ("pending", "尚未审结"), ("total", "总计")]  # fmt: skip


@dataclass
class Grid:
    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (rows, cols)
    header_rows: int = 0


def _row_values(rng: random.Random, big: bool) -> list[int]:
    counts = [rng.randint(0, 400 if big else 30)] + [rng.randint(0, 9) for _ in range(5)]
    return [*counts, sum(counts)]


def request_values(seed: int) -> dict[str, list[int]]:
    rng = random.Random(seed)
    values = {"requests_received": _row_values(rng, True),
              "requests_carried_over": _row_values(rng, False)}  # fmt: skip
    for name, _, _ in OUTCOMES:
        values[name] = _row_values(rng, name in ("requests_granted", "requests_not_exist"))
    handled = [sum(values[n][k] for n, _, _ in OUTCOMES) for k in range(7)]
    values["requests_handled"] = handled
    values["requests_carried_forward"] = _row_values(rng, False)
    return values


def request_table(values: dict[str, list[int]]) -> Grid:
    rows: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "",
         "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]  # fmt: skip
    spans = {(0, 0): (3, 3), (0, 3): (1, 7), (1, 3): (2, 1), (1, 4): (1, 5), (1, 9): (2, 1)}

    def numbers(name: str) -> list[str]:
        return [str(v) for v in values[name]]

    rows.append(["一、本年新收政府信息公开申请数量", "", "", *numbers("requests_received")])
    spans[(3, 0)] = (1, 3)
    rows.append(["二、上年结转政府信息公开申请数量", "", "", *numbers("requests_carried_over")])
    spans[(4, 0)] = (1, 3)
    first = len(rows)
    group_start = None
    for k, (name, group, reason) in enumerate(OUTCOMES):
        i = len(rows)
        rows.append(["三、本年度办理结果" if k == 0 else "", group, reason, *numbers(name)])
        if group and not reason:
            spans[(i, 1)] = (1, 2)
        if group and reason:
            group_start = i
        if reason and (k + 1 == len(OUTCOMES) or OUTCOMES[k + 1][1]):
            assert group_start is not None
            spans[(group_start, 1)] = (i - group_start + 1, 1)
    i = len(rows)
    rows.append(["", "（七）总计", "", *numbers("requests_handled")])
    spans[(i, 1)] = (1, 2)
    spans[(first, 0)] = (i - first + 1, 1)
    rows.append(["四、结转下年度继续办理", "", "", *numbers("requests_carried_forward")])
    spans[(len(rows) - 1, 0)] = (1, 3)
    return Grid(rows=rows, spans=spans, header_rows=3)


def review_values(seed: int) -> dict[str, int]:
    rng = random.Random(seed + 1)
    out: dict[str, int] = {}
    for prefix in ("reconsiderations", "lawsuits_direct", "lawsuits_after_review"):
        parts = [rng.randint(0, 60) for _ in range(4)]
        for (key, _), v in zip(REVIEW_OUTCOMES, [*parts, sum(parts)], strict=True):
            out[prefix if key == "total" else f"{prefix}_{key}"] = v
    out["lawsuits"] = out["lawsuits_direct"] + out["lawsuits_after_review"]
    return out


def review_table(values: dict[str, int]) -> Grid:
    labels = [label for _, label in REVIEW_OUTCOMES]
    rows = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*labels, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [*[""] * 5, *labels, *labels],
    ]
    spans = {(0, 0): (1, 5), (0, 5): (1, 10), (1, 5): (1, 5), (1, 10): (1, 5)}
    for j in range(5):
        spans[(1, j)] = (2, 1)
    numbers = []
    for prefix in ("reconsiderations", "lawsuits_direct", "lawsuits_after_review"):
        for key, _ in REVIEW_OUTCOMES:
            numbers.append(str(values[prefix if key == "total" else f"{prefix}_{key}"]))
    rows.append(numbers)
    return Grid(rows=rows, spans=spans, header_rows=3)


def figures(requests: dict[str, list[int]], reviews: dict[str, int]) -> dict[str, int]:
    """Every figure the two tables give, by name (totals column for table 三)."""
    out = {name: row[-1] for name, row in requests.items()}
    prefixes = {
        "requests_denied": "requests_denied_",
        "requests_not_processed": "requests_not_processed_",
        "requests_other": "requests_other_",
    }
    for group, prefix in prefixes.items():
        out[group] = sum(v[-1] for n, v in requests.items() if n.startswith(prefix))
    out["requests_unavailable"] = sum(
        requests[n][-1]
        for n in ("requests_not_exist", "requests_needs_creation", "requests_unclear")
    )
    return {**out, **reviews}
