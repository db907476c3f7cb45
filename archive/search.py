"""Chinese full-text search: FTS5 over CJK bigrams, so 1- and 2-character words are found.

FTS5's `trigram` tokenizer cannot find queries under three characters, and `unicode61` treats a
whole run of Chinese as one token. Python's sqlite3 cannot register a custom tokenizer, so the
text is rewritten before indexing instead: every CJK character starts one token made of itself
and the next character of the run (the run's last character stands alone), and the rewritten
text is indexed by plain `unicode61`. `信息公开` becomes `信息 息公 公开 开`.

A query rewritten the same way is an FTS5 phrase of adjacent tokens, which finds exactly the
substrings a `LIKE '%…%'` scan finds:
- 2+ characters: the phrase of its bigrams (`信息公开` → `"信息 息公 公开"`);
- 1 character: a prefix query (`学` → `"学" *`, any token starting with 学).
Latin words and numbers are matched as whole words (unicode61), as in any word search.

The index tables are contentless (`content=''`): storing the rewritten text again would more
than double the database. Their rowid is the report's (section's) id. Rows are added by
`index_report`, which `save_report` and `reparse` call; SQL triggers remove a row's tokens when
the row changes or goes, by rewriting its old values with the SQL function `xxgk_index_text`
(a contentless delete must name exactly the tokens indexed). `open_database` registers that
function; a connection without it cannot change an indexed row, which fails loudly rather
than corrupting the index. The tables and triggers are declared in archive/shape.py; if the
rewriting ever changes, a new migration drops the FTS tables and the next open rebuilds them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from sqlite_utils import Database

# Han (with extensions and compatibility ideographs), kana and hangul: scripts written
# without spaces between words.
_CJK = (
    "\u3005\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_RUN = re.compile(f"[{_CJK}]+")
_BIGRAM_START = re.compile(f"([{_CJK}])(?=([{_CJK}]))")
_PIECE = re.compile(f"([{_CJK}]+)|([^{_CJK}]+)")

TOKENIZE = "unicode61 remove_diacritics 2"
SEARCH_TABLES = {
    "reports_fts": ("reports", ("school_name", "title", "text")),
    "sections_fts": ("sections", ("heading", "text")),
}


class SearchQueryEmpty(Exception):
    """The query has no letter, digit or CJK character to search for."""


def index_text(text: str | None) -> str:
    """Rewrite text for the index: each CJK run becomes its bigrams plus its last character."""
    if not text:
        return ""
    spaced = _RUN.sub(r" \g<0> ", text)  # a run never glues onto a Latin word or number
    return _BIGRAM_START.sub(r"\1\2 ", spaced)


def _quote(tokens: Iterable[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _term_phrase(term: str) -> str | None:
    pieces = [m.group() for m in _PIECE.finditer(term)]
    tokens: list[str] = []
    prefix = False
    for i, piece in enumerate(pieces):
        if not _RUN.fullmatch(piece):
            tokens.append(piece)  # unicode61 splits it inside the quoted string
            continue
        last = i == len(pieces) - 1
        if last and len(piece) == 1:
            tokens.append(piece)
            prefix = True  # the character may be followed by anything in the text
        elif last:
            tokens.extend(piece[j : j + 2] for j in range(len(piece) - 1))
        else:
            # Something non-CJK follows, so the run ends here in the text too.
            tokens.extend(piece[j : j + 2] for j in range(len(piece)))
    if not any(ch.isalnum() for ch in term):
        return None
    return _quote(tokens) + (" *" if prefix else "")


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; whitespace-separated terms must all occur."""
    phrases = [p for p in (_term_phrase(t) for t in query.split()) if p]
    if not phrases:
        raise SearchQueryEmpty(f"nothing to search for in {query!r}")
    return " AND ".join(phrases)


def sql_match(query: str | None) -> str:
    """SQL function `xxgk_match(q)` for canned queries; an empty query matches nothing."""
    try:
        return match_expression(query or "")
    except SearchQueryEmpty:
        return '""'


def register_functions(db: Database) -> None:
    """SQL functions the index triggers and canned queries use; idempotent."""
    try:
        db.execute("SELECT xxgk_index_text(''), xxgk_match('')")
        return  # SQLite refuses to redefine a function while a statement is active
    except sqlite3.OperationalError:
        pass
    db.conn.create_function("xxgk_index_text", 1, index_text, deterministic=True)
    db.conn.create_function("xxgk_match", 1, sql_match, deterministic=True)


def _index_rows(db: Database, fts: str, where: str, params: list) -> int:
    source, columns = SEARCH_TABLES[fts]
    cols = ", ".join(f"[{c}]" for c in columns)
    rows = db.execute(f"SELECT id, {cols} FROM [{source}] WHERE {where}", params).fetchall()
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    indexed = [(r[0], *(index_text(v) for v in r[1:])) for r in rows]
    present = {
        r[0]
        for r in db.execute(
            f"SELECT rowid FROM [{fts}] WHERE rowid IN (SELECT id FROM [{source}] WHERE {where})",
            params,
        ).fetchall()
    }
    # Rows still indexed hold their current values (the triggers unindex any change).
    db.conn.executemany(
        f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', {marks})",
        [row for row in indexed if row[0] in present],
    )
    db.conn.executemany(f"INSERT INTO [{fts}] (rowid, {cols}) VALUES ({marks})", indexed)
    return len(rows)


def index_report(db: Database, report_id: int) -> None:
    """(Re)index one report and its sections; call after its rows were written."""
    register_functions(db)
    _index_rows(db, "reports_fts", "id = ?", [report_id])
    _index_rows(db, "sections_fts", "report_id = ?", [report_id])


def rebuild_search_index(db: Database, batch: int = 2000) -> int:
    """Empty and refill both indexes from the tables; returns the number of reports indexed."""
    register_functions(db)
    count = 0
    for fts, (source, _) in SEARCH_TABLES.items():
        db.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('delete-all')")
        last = -1
        while True:  # in id ranges, so memory stays flat however large the archive is
            ids = [
                r[0]
                for r in db.execute(
                    f"SELECT id FROM [{source}] WHERE id > ? ORDER BY id LIMIT ?", [last, batch]
                ).fetchall()
            ]
            if not ids:
                break
            indexed = _index_rows(db, fts, "id BETWEEN ? AND ?", [ids[0], ids[-1]])
            count += indexed if fts == "reports_fts" else 0
            last = ids[-1]
        db.execute(f"INSERT INTO [{fts}]([{fts}]) VALUES ('optimize')")
    return count


def search_reports(db: Database, query: str, limit: int | None = None) -> list[int]:
    """Ids of reports whose school name, title or text contain every term of the query."""
    sql = "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? ORDER BY rowid"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [r[0] for r in db.execute(sql, [match_expression(query)]).fetchall()]
