"""Ranked search with snippets and facets, over the bigram index of `archive/search.py`.

The hit set is exactly the index's (= the LIKE scan's for Chinese queries); only the page shown
is ranked into order, given its section and snippet:
- rank: `bm25()` in SQL with `ORDER BY ... LIMIT`, so SQLite keeps a top-k heap, never a sorted
  copy of every hit; title matches weigh more than the school name and the text;
- section: for the reports of the page only, the best-ranked matching section (sections_fts
  looked up by rowid, so the cost does not grow with the archive); a hit inside a section is
  shown as "term in <heading> of <school> <year>", and on each page hits with a section come
  before hits found only in the title or outside any section;
- snippet: the index tables are contentless (FTS5's snippet() needs content), so it is cut from
  the stored text around the first occurrence, HTML-escaped, each occurrence wrapped in <mark>;
- counts are capped (COUNT_CAP): a 1-character query may match every report, and "10,000+"
  says as much as the exact number at a fraction of the cost; facets are computed on the hit
  set (up to the cap) with one grouped query each.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from markupsafe import escape

from archive.search import SearchQueryEmpty, match_expression

COUNT_CAP = 10_000
SNIPPET_RADIUS = 40
# bm25 weights per reports_fts column: school_name, title, text.
WEIGHTS = "1.0, 4.0, 1.0"


@dataclass
class Hit:
    report_id: int
    school_code: str
    school_name: str
    year: int | None
    title: str
    section: str | None  # heading as written, when the match is inside a section
    section_key: str | None
    snippet: str  # HTML: escaped text with <mark> around each occurrence
    score: float  # -bm25: higher is more relevant

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    total: int
    capped: bool  # total is COUNT_CAP and there are more
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, str, int]]] = field(default_factory=dict)


def _filters(year: int | None, province: str | None, school: str | None) -> tuple[str, dict]:
    conditions, params = [], {}
    if year is not None:
        conditions.append("r.year = :year")
        params["year"] = year
    if province:
        conditions.append("r.school_code in (select code from schools where province = :prov)")
        params["prov"] = province
    if school:
        conditions.append("r.school_code = :school")
        params["school"] = school
    if not conditions:
        return "", params
    where = " and ".join(conditions)
    return f" and reports_fts.rowid in (select r.id from reports r where {where})", params


def terms_of(query: str) -> list[str]:
    return [t for t in query.split() if any(ch.isalnum() for ch in t)]


def snippet(text: str, terms: list[str], radius: int = SNIPPET_RADIUS) -> str:
    """Escaped text around the first occurrence of any term, every occurrence in <mark>."""
    if not text:
        return ""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    if first is None:
        start, end = 0, min(len(text), 2 * radius)
    else:
        start = max(0, first.start() - radius)
        end = min(len(text), first.end() + radius)
    window = text[start:end].replace("\n", " ")
    parts, last = [], 0
    for m in pattern.finditer(window):
        parts.append(str(escape(window[last : m.start()])))
        parts.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    parts.append(str(escape(window[last:])))
    return ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")


def _best_sections(db: Any, expression: str, report_ids: list[int]) -> dict[int, dict]:
    """The best-ranked matching section of each report of the page."""
    if not report_ids:
        return {}
    marks = ", ".join("?" for _ in report_ids)
    section_ids = [
        r[0]
        for r in db.execute(
            f"select id from sections where report_id in ({marks})", report_ids
        ).fetchall()
    ]
    best: dict[int, dict] = {}
    # One rowid lookup per section: FTS5 tests the phrase on that row only.
    for sid in section_ids:
        row = db.execute(
            "select bm25(sections_fts) from sections_fts where sections_fts match ? and rowid = ?",
            [expression, sid],
        ).fetchone()
        if row is None:
            continue
        sec = db.execute(
            "select report_id, key, heading, text from sections where id = ?", [sid]
        ).fetchone()
        if sec[0] not in best or row[0] < best[sec[0]]["rank"]:
            best[sec[0]] = {"rank": row[0], "key": sec[1], "heading": sec[2], "text": sec[3]}
    return best


def search(
    db: Any,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    year: int | None = None,
    province: str | None = None,
    school: str | None = None,
    facets: bool = True,
) -> SearchResult:
    """One page of ranked hits, the (capped) number of hits and facets over the hit set.

    `db` is a sqlite3 connection (or sqlite_utils Database). Raises SearchQueryEmpty for a
    query with nothing to search for.
    """
    expression = match_expression(query)
    extra, params = _filters(year, province, school)
    params["q"] = expression
    base = f"from reports_fts where reports_fts match :q{extra}"
    ranked = db.execute(
        f"select rowid, bm25(reports_fts, {WEIGHTS}) as rank {base} "
        "order by rank limit :limit offset :offset",
        {**params, "limit": limit, "offset": offset},
    ).fetchall()
    total = db.execute(
        f"select count(*) from (select 1 {base} limit {COUNT_CAP + 1})", params
    ).fetchone()[0]
    ids = [r[0] for r in ranked]
    marks = ", ".join("?" for _ in ids)
    rows = {
        r[0]: r
        for r in db.execute(
            f"select id, school_code, school_name, year, title, text from reports "
            f"where id in ({marks})",
            ids,
        ).fetchall()
    }
    sections = _best_sections(db, expression, ids)
    terms = terms_of(query)
    hits = []
    for report_id, rank in ranked:
        _, code, name, year_, title, text = rows[report_id]
        sec = sections.get(report_id)
        if sec is not None:
            cut = snippet(sec["text"] or sec["heading"] or "", terms)
        else:
            source = text if text and _contains(text, terms) else (title or name or "")
            cut = snippet(source, terms)
        hits.append(
            Hit(
                report_id=report_id,
                school_code=code,
                school_name=name or "",
                year=year_,
                title=title or "",
                section=sec["heading"] if sec else None,
                section_key=sec["key"] if sec else None,
                snippet=cut,
                score=round(-rank, 4),
            )
        )
    hits.sort(key=lambda h: h.section is None)  # stable: bm25 order kept within each group
    result = SearchResult(query, min(total, COUNT_CAP), total > COUNT_CAP, hits)
    if facets:
        result.facets = hit_facets(db, base, params)
    return result


def _contains(text: str, terms: list[str]) -> bool:
    lowered = text.lower()
    return any(t.lower() in lowered for t in terms)


FACET_SQL = {
    "year": "select r.year, r.year, count(*) from hits join reports r on r.id = hits.id "
    "group by r.year order by r.year desc",
    "province": "select s.province, s.province, count(*) from hits join reports r on "
    "r.id = hits.id join schools s on s.code = r.school_code where s.province is not null "
    "and s.province != '' group by s.province order by count(*) desc, s.province",
    "school": "select r.school_code, max(r.school_name), count(*) from hits join reports r "
    "on r.id = hits.id group by r.school_code order by count(*) desc, r.school_code limit 30",
}


def hit_facets(db: Any, base: str, params: dict) -> dict[str, list[tuple[Any, str, int]]]:
    """Counts by year, province and school over the hits (the first COUNT_CAP of them)."""
    hits = f"with hits(id) as (select rowid {base} limit {COUNT_CAP}) "
    return {
        name: [(r[0], r[1], r[2]) for r in db.execute(hits + sql, params).fetchall()]
        for name, sql in FACET_SQL.items()
    }


__all__ = ["COUNT_CAP", "Hit", "SearchQueryEmpty", "SearchResult", "search", "snippet"]
