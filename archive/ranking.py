"""Relevance of search hits: BM25 over a window of hits, from the index's counts and the
stored text.

FTS5's own `bm25()` is exact but walks every hit of each phrase to count its documents before
it scores one row, whatever the LIMIT: 18–26 ms for a phrase in most of 100,000 reports
(`bench/bench_search.py`), the whole budget of a search page. Here the same formula (Robertson
BM25 as FTS5 and Lucene write it, k1 = 1.2, b = 0.75, the title weighing 4, school name and
text 1) is computed for the window of hits the page ranks:
- a term's frequency in a report is its number of occurrences (case-insensitive for Latin
  letters, as LIKE and the index are), summed over the columns by weight;
- the report's length is its characters (the bigram index holds one token per character), and
  the average length is the window's;
- a term's document frequency is its hit count in the index (capped as the page's count is);
  phrases are the user's terms, so a multi-term query weighs a rare term above a common one.
For a single term the document frequency scales every score alike, so the order is BM25's
order exactly; within the window it is exact for any query.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

K1 = 1.2
B = 0.75
COLUMN_WEIGHTS = (1.0, 4.0, 1.0)  # school_name, title, text


def idf(total_docs: int, docs_with_term: int) -> float:
    """FTS5's idf: ln((N - n + 0.5) / (n + 0.5)), floored just above zero so that a term in
    more than half of the reports still counts."""
    value = math.log((total_docs - docs_with_term + 0.5) / (docs_with_term + 0.5))
    return value if value > 0 else 1e-6


def _folds(term: str) -> bool:
    return any(ch.isascii() and ch.isalpha() for ch in term)


def occurrences(value: str | None, term: str) -> int:
    if not value:
        return 0
    return value.lower().count(term.lower()) if _folds(term) else value.count(term)


def bm25_scores(
    rows: Iterable[Sequence],
    terms: Sequence[str],
    weights: Sequence[float],
) -> dict[int, float]:
    """{id: score} for rows of (id, school_name, title, text); `weights` are the terms' idf."""
    # Case folding only where a term has Latin letters (the usual Chinese term needs none).
    folded = [(term.lower(), True) if _folds(term) else (term, False) for term in terms]
    folding = any(fold for _, fold in folded)
    w_name, w_title, w_text = COLUMN_WEIGHTS
    stats = []
    for row in rows:
        name, title, text = row[1] or "", row[2] or "", row[3] or ""
        low = (name.lower(), title.lower(), text.lower()) if folding else (name, title, text)
        frequencies = []
        for term, fold in folded:
            n, t, x = low if fold else (name, title, text)
            frequencies.append(
                w_name * n.count(term) + w_title * t.count(term) + w_text * x.count(term)
            )
        stats.append((row[0], len(name) + len(title) + len(text), frequencies))
    if not stats:
        return {}
    average = sum(length for _, length, _ in stats) / len(stats) or 1.0
    scores = {}
    for report_id, length, frequencies in stats:
        norm = K1 * (1 - B + B * length / average)
        scores[report_id] = sum(
            weight * tf * (K1 + 1) / (tf + norm)
            for weight, tf in zip(weights, frequencies, strict=True)
        )
    return scores
