"""The report page (`/xxgk/reports/<id>`) as a document: heading, outline, text, figures, tables."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from archive.site import pages
from archive.site.labels import ATTACHMENT_ROLES, FIGURES, FORMATS, section_label

SUBHEADING = re.compile(r"^\s*(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")


def section_anchor(key: str | None, ordinal: int | None) -> str:
    """Standard sections occur once per report; unknown ones (`extra`) by position."""
    return f"section-{key}" if key and key != "extra" else f"section-extra-{ordinal}"


def _raw(datasette: Any, sha256: str) -> str:
    return datasette.urls.path(f"/-/raw/{sha256}")


def _size(n: int | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n / 1024, 0.1):.1f} KB"


def _text_html(text: str, sections: list[dict]) -> str:
    """One paragraph per line; the lines that open a section become headings with anchors."""
    headings = {}
    for s in sections:
        if s["heading"]:
            headings.setdefault(s["heading"].strip(), s)
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        section = headings.pop(stripped, None)
        if section is not None:
            anchor = escape(section_anchor(section["key"], section["ordinal"]))
            out.append(f'<h2 class="sec" id="{anchor}">{escape(stripped)}</h2>')
        elif SUBHEADING.match(stripped) and len(stripped) <= 40:
            out.append(f'<h3 class="sub">{escape(stripped)}</h3>')
        else:
            out.append(f"<p>{escape(stripped)}</p>")
    return "".join(out)


def table_html(rows_json: str | None) -> str:
    try:
        rows = json.loads(rows_json or "[]")
    except ValueError:
        return f"<pre>{escape(rows_json or '')}</pre>"
    if not rows:
        return "<p>（空表）</p>"
    head, *body = rows
    th = "".join(f"<th>{escape(c if c is not None else '')}</th>" for c in head)
    trs = "".join(
        "<tr>"
        + "".join(f"<td class=wrap>{escape(c if c is not None else '')}</td>" for c in r)
        + "</tr>"
        for r in body
    )
    return (
        f'<div class="xxgk-scroll"><table><thead><tr>{th}</tr></thead>'
        f"<tbody>{trs}</tbody></table></div>"
    )


async def report_document(datasette: Any, report_id: int) -> Markup | None:
    found = await pages.rows(
        datasette,
        """select r.*, s.province, s.authority from reports r
             left join schools s on s.code = r.school_code where r.id = :id""",
        {"id": report_id},
    )
    if not found:
        return None
    r = found[0]
    q = {"id": report_id}
    sections = await pages.rows(
        datasette, "select * from sections where report_id = :id order by ordinal", q
    )
    figures = await pages.rows(
        datasette, "select * from figures where report_id = :id order by id", q
    )
    tables = await pages.rows(
        datasette, "select * from tables where report_id = :id order by ordinal", q
    )
    attachments = await pages.rows(
        datasette,
        """select a.*, (select max(f.size) from fetches f where f.sha256 = a.sha256) as size
             from attachments a where a.report_id = :id order by a.id""",
        q,
    )
    versions = await pages.rows(
        datasette, "select * from report_versions where report_id = :id order by first_seen", q
    )
    school = pages.link(pages.school_href(datasette, r["school_code"]), r["school_name"] or "")
    late = ""
    if r["published"] and r["year"] and r["published"][:10] > f"{r['year']}-10-31":
        late = '<span class="xxgk-state-late">（逾期：10月31日后发布）</span>'
    meta = [
        f"{school}",
        f"{r['year'] or '?'} 年度",
        f"统计期间 {escape(r['label'] or '')} {escape(r['period_start'] or '?')} 至 "
        f"{escape(r['period_end'] or '?')}",
        f"发布日期 {escape(r['published'] or '未注明')}{late}",
        f"{escape(FORMATS.get(r['format'] or '', r['format'] or ''))}"
        + (f"，{r['pages']} 页" if r["pages"] else ""),
    ]
    links = [pages.link(r["page_url"], "原文页面")] if r["page_url"] else []
    if r["sha256"]:
        raw = escape(_raw(datasette, r["sha256"]))
        links.append(
            Markup(f'<a class="xxgk-raw" href="{raw}" title="下载抓取到的原始文件">⤓ 原始文件</a>')
        )
    html = [
        f'<p class="xxgk-meta">{" · ".join(meta)}</p>',
        f"<p>{' · '.join(links)}</p>",
    ]
    if r["removed_at"]:
        html.append(
            f'<p class="xxgk-error">{escape(r["removed_at"])} 发现该报告已从门户撤下'
            f"（{escape(r['removal_reason'] or '')}），档案仍保存其文件。</p>"
        )
    if sections:
        items = "".join(
            f'<li><a href="#{escape(section_anchor(s["key"], s["ordinal"]))}">'
            f'{escape(s["heading"])}</a> <span class="xxgk-en">{escape(section_label(s["key"]))}'
            "</span></li>"
            for s in sections
        )
        html.append(f'<nav class="xxgk-outline"><h2>目录</h2><ol>{items}</ol></nav>')
    if figures:
        html.append("<h2>报告中的数字</h2>")
        html.append(
            pages.table_html(
                [("数字", "name"), ("值", "value"), ("原句", "evidence")],
                (
                    [
                        Markup(
                            f'<span id="figure-{f["id"]}">'
                            f"{escape(FIGURES.get(f['name'], f['name']))}"
                            f'</span><br><span class="xxgk-en">{escape(f["name"])}</span>'
                        ),
                        f["value"],
                        (f["evidence"] or "", "wrap"),
                    ]
                    for f in figures
                ),
                numeric=(1,),
                css="xxgk-figures",
            )
        )
    html.append("<h2>正文</h2>")
    if r["status"] == "parse_error" or not (r["text"] or "").strip():
        reason = r["error"] or "未能从文件中提取文字"
        html.append(f'<p class="xxgk-error">解析失败：{escape(reason)}</p>')
    else:
        html.append(f'<div class="xxgk-doc">{_text_html(r["text"], sections)}</div>')
    for t in tables:
        html.append(
            f'<h2 id="table-{t["id"]}">表格 {t["ordinal"]}'
            + (f"（第 {t['page']} 页）" if t["page"] else "")
            + f"</h2>{table_html(t['rows'])}"
        )
    if attachments:
        html.append("<h2>附件与文件</h2>")
        html.append(
            pages.table_html(
                [
                    ("类型", "role"),
                    ("文件", "file_name"),
                    ("内容类型", "content_type"),
                    ("大小", "size"),
                    ("存档", "sha256"),
                ],
                (
                    [
                        ATTACHMENT_ROLES.get(a["role"] or "", a["role"] or ""),
                        (pages.link(a["url"], a["file_name"] or a["url"]), "wrap"),
                        a["content_type"],
                        _size(a["size"]),
                        pages.link(_raw(datasette, a["sha256"]), "⤓ 下载") if a["sha256"] else "",
                    ]
                    for a in attachments
                ),
                numeric=(3,),
            )
        )
    if versions:
        html.append(f"<h2>版本（{len(versions)}）</h2>")
        html.append(
            pages.table_html(
                [
                    ("首次抓取", "first_seen"),
                    ("最近抓取", "last_seen"),
                    ("发布日期", "published"),
                    ("当前", "current"),
                    ("文件", "sha256"),
                ],
                (
                    [
                        v["first_seen"],
                        v["last_seen"],
                        v["published"],
                        "当前" if v["current"] else "",
                        pages.link(_raw(datasette, v["sha256"]), v["sha256"][:12] + "…")
                        if v["sha256"]
                        else "",
                    ]
                    for v in versions
                ),
            )
        )
    return Markup("".join(html))
