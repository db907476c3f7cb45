"""Ranked search with snippets and facets, over the bigram index of `archive/search.py`.

The hit set is exactly the index's (= the LIKE scan's for Chinese queries). What makes a page
cheap on a large archive:
- the count is the index's alone, capped at COUNT_CAP ("10,000+": a 1-character query may match
  every report); the facets by year, province and school are computed on the hit set (its
  first FACET_CAP hits, said so on the page when there are more), never on the whole table;
- rank: BM25 (`archive/ranking.py`) from the stored text and the index's hit counts, within
  windows of RANK_WINDOW hits in index order: exact relevance order whenever there are fewer
  hits; beyond that the pages give the first window's hits most relevant first, then the
  next window's, so paging shows every hit once (FTS5's `bm25()` walks every hit of a phrase
  before scoring one, and a phrase in most of 100,000 reports cannot be counted in a page's
  time budget). Title matches weigh more than the school name and the text;
- section and snippet only for the page shown: the sections of those reports are read and the
  one holding the most occurrences of the terms is the hit's section (sections are short and
  few, so Python counts them faster than 150 FTS lookups, and with the LIKE scan's semantics);
  the index tables are contentless (FTS5's snippet() needs content), so the snippet is cut from
  the stored text around the first occurrence, HTML-escaped, each occurrence in <mark>. On each
  page, hits found inside a section come before hits found only in the title or school name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from markupsafe import escape

from archive.ranking import bm25_scores, idf, occurrences
from archive.search import SearchQueryEmpty, match_expression

COUNT_CAP = 10_000
RANK_WINDOW = 200
FACET_CAP = RANK_WINDOW  # the facets count the first ranking window's reports
SNIPPET_RADIUS = 40


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
    score: float  # BM25 (archive/ranking.py): higher is more relevant

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    total: int
    capped: bool  # total is COUNT_CAP and there are more
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, str, int]]] = field(default_factory=dict)
    facets_sampled: bool = False  # facets count the first FACET_CAP hits only


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
        longest = max(len(t) for t in terms)
        for m in pattern.finditer(text, first.end(), min(len(text), end + longest - 1)):
            if m.start() < end:
                end = max(end, m.end())  # never cut an occurrence in two
    window = text[start:end].replace("\n", " ")
    parts, last = [], 0
    for m in pattern.finditer(window):
        parts.append(str(escape(window[last : m.start()])))
        parts.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    parts.append(str(escape(window[last:])))
    return ("…" if start else "") + "".join(parts) + ("…" if end < len(text) else "")


def _occurrences(text: str | None, terms: list[str]) -> tuple[int, int]:
    """(terms present, occurrences), case-insensitive as LIKE is for Latin letters."""
    counts = [occurrences(text, t) for t in terms]
    return sum(1 for c in counts if c), sum(counts)


def _best_sections(db: Any, report_ids: list[int], terms: list[str]) -> dict[int, dict]:
    """The section of each report holding the most of the terms (all terms first)."""
    if not report_ids:
        return {}
    marks = ", ".join("?" for _ in report_ids)
    best: dict[int, tuple[tuple[int, int], dict]] = {}
    for report_id, key, heading, text in db.execute(
        f"select report_id, key, heading, text from sections where report_id in ({marks}) "
        "order by report_id, ordinal",
        report_ids,
    ).fetchall():
        score = _occurrences(f"{heading or ''}\n{text or ''}", terms)
        if score[0] and (report_id not in best or score > best[report_id][0]):
            best[report_id] = (score, {"key": key, "heading": heading, "text": text})
    return {rid: sec for rid, (_, sec) in best.items()}


def _facets(hit_rows: list[tuple]) -> dict[str, list[tuple[Any, str, int]]]:
    """Facets of rows as `_report_rows` gives them."""
    years = Counter(row[5] for row in hit_rows)
    provinces = Counter(row[6] for row in hit_rows if row[6])
    schools = Counter(row[4] for row in hit_rows)
    names = {row[4]: row[1] for row in hit_rows}
    return {
        "year": [(y, str(y), n) for y, n in sorted(years.items(), key=lambda i: -(i[0] or 0))],
        "province": [(p, p, n) for p, n in sorted(provinces.items(), key=lambda i: (-i[1], i[0]))],
        "school": [
            (c, names[c] or c, n) for c, n in sorted(schools.items(), key=lambda i: (-i[1], i[0]))
        ][:30],
    }


def _report_rows(db: Any, hits_sql: str, params: dict) -> dict[int, tuple]:
    """(id, school_name, title, text, school_code, year, province) of the hits `hits_sql`
    selects, by id."""
    return {
        r[0]: r
        for r in db.execute(
            "select r.id, r.school_name, r.title, r.text, r.school_code, r.year, s.province "
            f"from ({hits_sql}) h join reports r on r.id = h.rowid "
            "left join schools s on s.code = r.school_code",
            params,
        ).fetchall()
    }


def _term_weights(db: Any, terms: list[str], total: int, extra: str, params: dict) -> list:
    """Each term's idf; one term's hit count is the page's count (same cap), more terms are
    counted one by one (a multi-term query is the rarer kind)."""
    reports = db.execute("select count(*) from reports").fetchone()[0]
    if len(terms) == 1:
        return [idf(reports, total)]
    weights = []
    for term in terms:
        counted = db.execute(
            f"select count(*) from (select 1 from reports_fts where reports_fts match :q{extra} "
            f"limit {COUNT_CAP + 1})",
            {**params, "q": match_expression(term)},
        ).fetchone()[0]
        weights.append(idf(reports, counted))
    return weights


def search(
    db: Any,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    year: int | None = None,
    province: str | None = None,
    school: str | None = None,
) -> SearchResult:
    """One page of ranked hits, the (capped) number of hits and facets over the hit set.

    `db` is a sqlite3 connection (or sqlite_utils Database). Raises SearchQueryEmpty for a
    query with nothing to search for.
    """
    expression = match_expression(query)
    extra, params = _filters(year, province, school)
    params["q"] = expression
    base = f"from reports_fts where reports_fts match :q{extra}"
    total = db.execute(
        f"select count(*) from (select 1 {base} limit {COUNT_CAP + 1})", params
    ).fetchone()[0]
    # The first window's reports: the facet sample and the first ranking window at once.
    first_rows = _report_rows(db, f"select rowid {base} limit {RANK_WINDOW}", params)
    terms = terms_of(query)
    weights = _term_weights(db, terms, total, extra, params)
    ranked: list[tuple[int, float]] = []
    rows: dict[int, tuple] = {}
    first, last = offset // RANK_WINDOW, (offset + limit - 1) // RANK_WINDOW
    for block in range(first, last + 1):
        block_rows = (
            first_rows
            if block == 0
            else _report_rows(
                db, f"select rowid {base} limit {RANK_WINDOW} offset {block * RANK_WINDOW}", params
            )
        )
        rows.update(block_rows)
        scores = bm25_scores(block_rows.values(), terms, weights)
        ranked += sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    start = offset - first * RANK_WINDOW
    ranked = ranked[start : start + limit]
    ids = [report_id for report_id, _ in ranked]
    sections = _best_sections(db, ids, terms)
    hits = []
    for report_id, score in ranked:
        _, name, title, text, code, year_, _ = rows[report_id]
        sec = sections.get(report_id)
        if sec is not None:
            inside = sec["text"] if _occurrences(sec["text"], terms)[0] else sec["heading"]
            cut = snippet(inside or "", terms)
        else:
            source = text if text and _occurrences(text, terms)[0] else (title or name or "")
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
                score=round(score, 6),
            )
        )
    hits.sort(key=lambda h: h.section is None)  # stable: bm25 order kept within each group
    facets = _facets(list(first_rows.values()))
    result = SearchResult(query, min(total, COUNT_CAP), total > COUNT_CAP, hits, facets)
    result.facets_sampled = total > FACET_CAP
    return result


__all__ = ["COUNT_CAP", "Hit", "SearchQueryEmpty", "SearchResult", "search", "snippet"]
