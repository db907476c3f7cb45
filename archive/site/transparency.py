"""Transparency measures per school × year, computed from the reports (one SQL query).

The measures are the ones the published university transparency evaluations (高校信息公开
评估) score by hand, each 1 when met, 0 when not, NULL when it cannot be judged:
- `on_time`: published on the school's site by 31 October of the report's year (NULL when no
  publication date was found);
- `sections_present`: how many of the seven standard sections of the ministry's outline
  (概述, 主动公开, 依申请公开, 社会评议, 举报/复议/诉讼, 问题与改进, 其他) the parser found, and
  `all_sections` = 1 when all seven are there;
- `checklist_present`: the 清单事项公开情况表 is there (a table in the file, or a section
  headed as the checklist);
- `on_request_stated`: at least one 依申请公开 figure (requests received, granted, ...) is stated;
- `period_stated`: the statistics period (start and end) is stated;
- `score`: the number of the five measures met (on_time, all_sections, checklist_present,
  on_request_stated, period_stated), 0–5.
A report that could not be parsed has no sections, tables or figures: it scores only on
publication date, and its `status` says why.

If this becomes a view, the SQL below is its definition (no parameters).
"""

from __future__ import annotations

from archive.site.labels import STANDARD_SECTIONS

_KEYS = ", ".join(f"'{k}'" for k in STANDARD_SECTIONS)

TRANSPARENCY_SQL = f"""
select r.id as report_id, r.school_code, coalesce(s.name, r.school_name) as school_name,
       s.province, s.authority, s.level, r.year, r.published, r.status,
       case when r.published is null or r.published = '' then null
            when substr(r.published, 1, 10) <= r.year || '-10-31' then 1 else 0 end as on_time,
       case when r.published is null or r.published = '' then null
            else max(0, cast(julianday(substr(r.published, 1, 10))
                             - julianday(r.year || '-10-31') as integer)) end as days_late,
       (select count(distinct x.key) from sections x
         where x.report_id = r.id and x.key in ({_KEYS})) as sections_present,
       (select count(distinct x.key) from sections x
         where x.report_id = r.id and x.key in ({_KEYS})) = {len(STANDARD_SECTIONS)}
         as all_sections,
       (exists (select 1 from tables t where t.report_id = r.id)
        or exists (select 1 from sections x where x.report_id = r.id and x.key = 'checklist'))
         as checklist_present,
       exists (select 1 from figures f where f.report_id = r.id
                and f.name like 'requests\\_%' escape '\\') as on_request_stated,
       (coalesce(r.period_start, '') != '' and coalesce(r.period_end, '') != '')
         as period_stated
  from reports r left join schools s on s.code = r.school_code
 where r.year is not null
"""

SCORED_SQL = f"""
select t.*, coalesce(t.on_time, 0) + t.all_sections + t.checklist_present
            + t.on_request_stated + t.period_stated as score
  from ({TRANSPARENCY_SQL}) t
"""

MEASURES = {
    "on_time": "按时发布（10月31日前）",
    "sections_present": "标准章节（共7项）",
    "checklist_present": "清单事项公开情况表",
    "on_request_stated": "依申请公开数字",
    "period_stated": "统计期间",
    "score": "得分（满分5）",
}

METHOD_HTML = (
    "<p>透明度五项指标，均由报告本身计算（方法见 <code>archive/site/transparency.py</code>）："
    "① 按时发布：网站发布日期不晚于当年10月31日；② 标准章节齐全：概述、主动公开、依申请公开、"
    "社会评议、举报/复议/诉讼、存在问题与改进、其他事项七项均有；③ 附有清单事项公开情况表；"
    "④ 载明依申请公开数字（收到、予以公开等）；⑤ 载明统计期间（起止日期）。每项满足得1分，"
    "满分5分；无发布日期的报告第①项不得分；解析失败的报告只按发布日期计分。</p>"
)
