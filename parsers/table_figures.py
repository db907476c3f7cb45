"""Figures from the standard statistics tables of a 政府信息公开 annual report.

The 2019 government format (the template every report copies, and the university reports that
follow it) prints the 依申请公开 figures in two tables, recognised here by their row and column
labels, not by their position or caption:

- table 三 (收到和处理政府信息公开申请情况): one row per outcome (本年新收, 上年结转, (一)予以公开
  … (七)总计, 结转下年度继续办理), label cells on the left, one column per kind of applicant
  and a 总计 column. The 总计 column (else the last number column) gives the figure.
- table 四 (行政复议、行政诉讼情况): columns labelled 行政复议 / 行政诉讼 (未经复议直接起诉,
  复议后起诉) over 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计, one row of numbers.

Each figure points at its cell: `table` (index in the document's tables), `row` (the row's
label cells, merged cells carried down, joined by " / ") and `column` (the column's header
cells joined the same way); `evidence` says the same in words. Names: `FIGURES` below and the
README's figure list.
"""

from __future__ import annotations

import re

from parsers.document import Figure, Table
from parsers.tables import is_number

_RECEIVED = r"本年(?:度)?新收|^(?:[一二三四五六七八九十]+、)?(?:收到|受理)[^/]{0,8}申请"
# Row figures of table 三, matched on the row's label path (outer labels first); the first
# pattern that matches wins. Group rows (不予公开, 无法提供, 不予处理, 其他处理) are the sum of
# their reason rows when the table lists reasons.
_ROWS: tuple[tuple[str, str], ...] = (
    ("requests_received", _RECEIVED),
    ("requests_carried_over", r"上年(?:度)?结转"),
    ("requests_carried_forward", r"结转下年度|转入下年度"),
    ("requests_handled", r"总计|合计"),
    ("requests_granted", r"予以公开"),
    ("requests_partially_granted", r"部分公开"),
    ("requests_denied_state_secret", r"不予公开.*国家秘密"),
    ("requests_denied_law", r"不予公开.*法律行政法规禁止"),
    ("requests_denied_security", r"不予公开.*三安全一稳定"),
    ("requests_denied_third_party", r"不予公开.*第三方合法权益"),
    ("requests_denied_internal", r"不予公开.*内部事务"),
    ("requests_denied_process", r"不予公开.*过程性信息"),
    ("requests_denied_enforcement", r"不予公开.*行政执法案卷"),
    ("requests_denied_query", r"不予公开.*行政查询"),
    ("requests_denied", r"不予公开"),
    ("requests_not_exist", r"无法提供.*(?:不掌握|信息不存在)|^[^/]*信息不存在"),
    ("requests_needs_creation", r"无法提供.*另行制作"),
    ("requests_unclear", r"无法提供.*(?:仍不明确|不明确)"),
    ("requests_unavailable", r"无法提供"),
    ("requests_not_school", r"不属于本(?:校|单位|机关)"),
    ("requests_not_processed_complaint", r"不予处理.*信访|不予处理.*举报投诉"),
    ("requests_not_processed_repeated", r"不予处理.*重复申请"),
    ("requests_not_processed_publication", r"不予处理.*公开出版物"),
    ("requests_not_processed_excessive", r"不予处理.*大量反复"),
    ("requests_not_processed_confirmation", r"不予处理.*确认或重新出具"),
    ("requests_not_processed", r"不予处理"),
    ("requests_other_uncorrected", r"其他处理.*不补正"),
    ("requests_other_unpaid", r"其他处理.*缴纳费用"),
    ("requests_other_other", r"其他处理.*其他$"),
    ("requests_other", r"其他处理"),
)
# Group rows whose value is the sum of their reasons when only reasons carry numbers.
_GROUPS = {
    "requests_denied": "requests_denied_",
    "requests_unavailable": ("requests_not_exist", "requests_needs_creation", "requests_unclear"),
    "requests_not_processed": "requests_not_processed_",
    "requests_other": "requests_other_",
}
_OUTCOMES = (
    ("upheld", r"维持"),
    ("corrected", r"纠正"),
    ("other", r"其他"),
    ("pending", r"尚未审结|未审结"),
    ("total", r"总计|合计"),
)
FIGURES = (
    tuple(name for name, _ in _ROWS)
    + tuple(
        f"{prefix}_{outcome}" if outcome != "total" else prefix
        for prefix in ("reconsiderations", "lawsuits_direct", "lawsuits_after_review")
        for outcome, _ in _OUTCOMES
    )
    + ("lawsuits",)
)

# Table 二 (主动公开政府信息情况): sections of rows, each opened by a 信息内容 row that labels
# its columns. Row label -> figure prefix; column label -> suffix.
_PROACTIVE_ROWS = (
    ("proactive_rules", r"^规章"),
    ("proactive_normative", r"规范性文件"),
    ("proactive_licences", r"^行政许可"),
    ("proactive_penalties", r"^行政处罚"),
    ("proactive_enforcement", r"^行政强制"),
    ("proactive_fees_yuan", r"行政事业性收费"),
)
_PROACTIVE_COLUMNS = (
    ("_issued", r"制发|新制定"),
    ("_repealed", r"废止"),
    ("_in_force", r"现行有效"),
    ("", r"处理决定|决定数量|收费金额"),
)
FIGURES += tuple(
    row + col
    for row, _ in _PROACTIVE_ROWS
    for col, _ in _PROACTIVE_COLUMNS
    if (col == "") == (row not in ("proactive_rules", "proactive_normative"))
)
_REQUEST_TABLE = re.compile(r"新收")
_REVIEW_TABLE = re.compile(r"行政复议")


def _header_paths(table: Table) -> list[str]:
    """Each column's label: its header cells top to bottom. An empty header cell belongs to
    the merged cell on its left when the header row below has a label (or a merged label)
    there: 行政诉讼 over 未经复议直接起诉 over 结果维持."""
    head = [list(r) for r in table.rows[: table.header_rows]]
    width = max((len(r) for r in table.rows), default=0)
    for row in head:
        row += [""] * (width - len(row))
    filled = [[bool(c) for c in row] for row in head]
    for i in range(len(head) - 2, -1, -1):  # bottom-up: what a merged cell spans
        owner = False
        for j in range(width):
            if head[i][j]:
                owner = True
            elif owner and filled[i + 1][j]:
                filled[i][j] = True
            else:
                owner = False
    paths: list[list[str]] = [[] for _ in range(width)]
    for i, row in enumerate(head):
        owner = ""
        for j in range(width):
            if row[j]:
                owner = row[j]
                paths[j].append(owner)
            elif filled[i][j] and owner:
                paths[j].append(owner)
            else:
                owner = ""
    return [" / ".join(p) for p in paths]


def _label_columns(table: Table) -> int:
    """Leading columns that never hold a number in the body: the row labels."""
    body = table.rows[table.header_rows :]
    width = max((len(r) for r in body), default=0)
    for j in range(width):
        if any(j < len(r) and is_number(r[j]) for r in body):
            return j
    return width


def _row_paths(table: Table, labels: int) -> list[tuple[int, str]]:
    """(row index, label path) of body rows: an empty label cell left of the row's own label
    belongs to the merged cell above it (三、本年度办理结果 over its outcome rows)."""
    out: list[tuple[int, str]] = []
    above: list[str] = [""] * labels
    for i in range(table.header_rows, len(table.rows)):
        row = table.rows[i]
        cells = [row[j] if j < len(row) else "" for j in range(labels)]
        first = next((j for j, c in enumerate(cells) if c), None)
        if first is None:
            continue
        path = []
        for j in range(labels):
            if cells[j]:
                above[j] = cells[j]
                path.append(cells[j])
            elif j < first and above[j]:
                path.append(above[j])
            elif j >= first:
                above[j] = ""
        for j in range(first + 1, labels):  # a new label resets the labels to its right
            if not cells[j]:
                above[j] = ""
        out.append((i, " / ".join(path)))
    return out


def _value(text: str) -> int | None:
    text = text.replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() else None


def _request_figures(index: int, table: Table) -> list[Figure]:
    labels = _label_columns(table)
    columns = _header_paths(table)
    total = next((j for j, c in enumerate(columns) if re.search(r"总计|合计", c)), None)
    if total is None:  # university variants: one number column, or the last one
        numeric = [j for j in range(labels, len(columns))]
        total = numeric[-1] if numeric else None
    if total is None:
        return []
    figures: dict[str, Figure] = {}
    for i, path in _row_paths(table, labels):
        row = table.rows[i]
        value = _value(row[total]) if total < len(row) else None
        if value is None:
            continue
        name = next((n for n, pattern in _ROWS if re.search(pattern, path)), None)
        if name is None or name in figures:
            continue
        figures[name] = Figure(
            name=name,
            value=value,
            evidence=f"table {index + 1}, row 「{path}」, column 「{columns[total] or total + 1}」",
            table=index,
            row=path,
            column=columns[total],
        )
    for group, members in _GROUPS.items():
        if group in figures:
            continue
        parts = [
            f
            for n, f in figures.items()
            if (n.startswith(members) if isinstance(members, str) else n in members)
        ]
        # Only rows printed under the group's own label (（三）不予公开 / 1.属于国家秘密) add
        # up to it; a lone 信息不存在 row of a university table is not 无法提供's total.
        if parts and parts[0].row and " / " in parts[0].row:
            row = parts[0].row.rsplit(" / ", 1)[0]
            figures[group] = Figure(
                name=group,
                value=sum(f.value for f in parts),
                evidence=f"table {index + 1}: sum of the {len(parts)} rows under 「{row}」",
                table=index,
                row=row,
                column=parts[0].column,
            )
    return [figures[n] for n, _ in _ROWS if n in figures]


def _review_figures(index: int, table: Table) -> list[Figure]:
    columns = _header_paths(table)
    body = [r for r in table.rows[table.header_rows :] if any(is_number(c) for c in r)]
    if not body:
        return []
    row = body[0]
    out: dict[str, Figure] = {}
    for j, path in enumerate(columns):
        value = _value(row[j]) if j < len(row) else None
        if value is None:
            continue
        if "行政复议" in path and "复议后" not in path:
            prefix = "reconsiderations"
        elif "诉讼" in path or "起诉" in path:
            prefix = "lawsuits_after_review" if "复议后" in path else "lawsuits_direct"
        else:
            continue
        outcome = next((o for o, pattern in _OUTCOMES if re.search(pattern, path)), None)
        if outcome is None:
            continue
        name = prefix if outcome == "total" else f"{prefix}_{outcome}"
        out.setdefault(
            name,
            Figure(
                name=name,
                value=value,
                evidence=f"table {index + 1}, column 「{path}」",
                table=index,
                row="",
                column=path,
            ),
        )
    totals = [out[n] for n in ("lawsuits_direct", "lawsuits_after_review") if n in out]
    if totals:
        joined = "」 + 「".join(f.column or "" for f in totals)
        out["lawsuits"] = Figure(
            name="lawsuits",
            value=sum(f.value for f in totals),
            evidence=f"table {index + 1}: sum of 「{joined}」",
            table=index,
            row="",
            column=" + ".join(f.column or "" for f in totals),
        )
    order = list(FIGURES)
    return sorted(out.values(), key=lambda f: order.index(f.name))


def _amount(text: str, column: str) -> int | None:
    """A count, or a fee in 万元 as whole yuan (96171.6 万元 -> 961716000)."""
    text = text.replace(",", "").replace(" ", "")
    if text.isdigit():
        value = int(text)
        return value * 10000 if "万元" in column else value
    if "万元" in column and re.fullmatch(r"\d+\.\d{1,4}", text):
        whole, frac = text.split(".")
        return int(whole) * 10000 + int(frac.ljust(4, "0"))
    return None


def _proactive_figures(index: int, table: Table) -> list[Figure]:
    out: list[Figure] = []
    columns: list[str] = []
    section = ""
    for row in table.rows:
        filled = [c for c in row if c]
        if not filled:
            continue
        if row[0].startswith("信息内容"):
            columns = list(row)
            continue
        if len(filled) == 1 and not any(is_number(c) for c in row):
            section = row[0]
            continue
        prefix = next((n for n, p in _PROACTIVE_ROWS if re.search(p, row[0])), None)
        if prefix is None:
            continue
        for j in range(1, min(len(row), len(columns))):
            suffix = next((n for n, p in _PROACTIVE_COLUMNS if re.search(p, columns[j])), None)
            value = _amount(row[j], columns[j]) if suffix is not None else None
            if value is None or (prefix + suffix) not in FIGURES:
                continue
            out.append(
                Figure(
                    name=prefix + suffix,
                    value=value,
                    evidence=f"table {index + 1}, {section} row 「{row[0]}」, column "
                    f"「{columns[j]}」",
                    table=index,
                    row=f"{section} / {row[0]}" if section else row[0],
                    column=columns[j],
                )
            )
    return out


def _outcome_rows(table: Table) -> int:
    """How many body rows carry a table-三 label (university variants: 收到申请, 予以公开,
    不属于本校 ... without the government template's 本年新收 row)."""
    labels = [r[0] for r in table.rows[table.header_rows :] if r and r[0]]
    return len({n for label in labels for n, p in _ROWS if re.search(p, label)})


def table_figures(tables: list[Table]) -> list[Figure]:
    """Figures of the statistics tables among `tables` (others are ignored)."""
    figures: list[Figure] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        if not table.rows or not table.header_rows:
            continue
        flat = " ".join(c for r in table.rows for c in r)
        head = " ".join(c for r in table.rows[: table.header_rows] for c in r)
        if _REQUEST_TABLE.search(flat) or _outcome_rows(table) >= 3:
            found = _request_figures(index, table)
        elif _REVIEW_TABLE.search(head):
            found = _review_figures(index, table)
        elif any(r and r[0].startswith("信息内容") for r in table.rows):
            found = _proactive_figures(index, table)
        else:
            continue
        for figure in found:
            if figure.name not in seen:  # the first statistics table of a kind wins
                seen.add(figure.name)
                figures.append(figure)
    return figures
