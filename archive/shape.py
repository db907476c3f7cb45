"""The archive's views, full-text tables and triggers, declared once and re-applied on every open.

Tables belong to the frozen migrations (archive/migrations.py); everything derived from them
lives here as data, so an archive created years ago and a new one have the same views: on
every open `ensure_db_shape` replaces any view or trigger whose SQL differs from the one
declared here, and creates the full-text tables (and fills them) when they are missing
(github-to-sqlite's `ensure_db_shape`).
"""

from __future__ import annotations

from sqlite_utils import Database

from archive.search import SEARCH_TABLES, TOKENIZE, rebuild_search_index, register_functions

# Reports are due by 31 October of their year: the one place that rule is written.
DUE_MONTH, DUE_DAY = 10, 31
DUE_MONTH_DAY = f"-{DUE_MONTH:02d}-{DUE_DAY:02d}"

# The school × year grid over every year from the first report to the last.
# state: present | late (published after `due`) | undated (no publication date) | missing |
# parse_error (a report exists but its file could not be parsed or gave no text).
COVERAGE_VIEW = f"""
WITH RECURSIVE years(year) AS (
    SELECT min(year) FROM reports WHERE year IS NOT NULL
    UNION ALL
    SELECT year + 1 FROM years WHERE year < (SELECT max(year) FROM reports)
),
grid AS (
    SELECT
        s.code AS school_code,
        s.name AS school_name,
        s.province AS province,
        y.year AS year,
        r.id AS report_id,
        nullif(r.published, '') AS published,
        y.year || '{DUE_MONTH_DAY}' AS due,
        r.status AS status,
        r.text AS text
    FROM schools s
    CROSS JOIN years y
    LEFT JOIN reports r ON r.school_code = s.code AND r.year = y.year
    WHERE y.year IS NOT NULL
),
dated AS (
    SELECT *,
           max(0, CAST(julianday(substr(published, 1, 10)) - julianday(due) AS INTEGER))
               AS days_late
    FROM grid
)
SELECT school_code, school_name, province, year, report_id, published, due, days_late,
    CASE
        WHEN report_id IS NULL THEN 'missing'
        WHEN status = 'parse_error' OR text IS NULL OR trim(text) = '' THEN 'parse_error'
        WHEN published IS NULL OR days_late IS NULL THEN 'undated'
        WHEN days_late > 0 THEN 'late'
        ELSE 'present'
    END AS state
FROM dated
"""

CHANGED_REPORTS_VIEW = """
SELECT r.id AS report_id, r.school_code, r.school_name, r.year, r.title,
       count(v.id) AS versions, min(v.first_seen) AS first_seen, max(v.first_seen) AS changed_at,
       r.sha256 AS current_sha256
FROM reports r JOIN file_versions v ON v.report_id = r.id
GROUP BY r.id HAVING count(v.id) > 1
"""

REMOVED_REPORTS_VIEW = """
SELECT id AS report_id, school_code, school_name, year, title, page_url, removed_at,
       removal_reason, sha256
FROM reports WHERE removed_at IS NOT NULL
"""

# The newest health row of each school, where that row asks for attention.
ATTENTION_VIEW = """
SELECT h.school_code, s.name AS school_name, s.portal_url, h.crawl_id, h.checked_at,
       h.home_status, h.column_found, h.latest_year, h.due_year, h.reasons
FROM portal_health h
JOIN schools s ON s.code = h.school_code
WHERE h.id = (SELECT max(id) FROM portal_health WHERE school_code = h.school_code)
  AND h.needs_attention = 1
"""

# Every distinct file a report has had; `current` is the one the report row holds now.
REPORT_VERSIONS_VIEW = """
SELECT v.id, v.report_id, v.sha256, v.page_url, v.file_url, v.format, v.published,
       v.first_seen, v.last_seen, (v.sha256 IS r.sha256) AS current
FROM file_versions v JOIN reports r ON r.id = v.report_id
"""

# In the order they are listed to users (Datasette's table list, tests).
VIEWS: dict[str, str] = {
    "coverage": COVERAGE_VIEW,
    "changed_reports": CHANGED_REPORTS_VIEW,
    "removed_reports": REMOVED_REPORTS_VIEW,
    "portals_needing_attention": ATTENTION_VIEW,
    "report_versions": REPORT_VERSIONS_VIEW,
}


def _fts_table(fts: str, columns: tuple[str, ...]) -> str:
    return (
        f"CREATE VIRTUAL TABLE [{fts}] USING fts5("
        f"{', '.join(columns)}, content='', tokenize='{TOKENIZE}')"
    )


def _search_triggers() -> dict[str, str]:
    # A contentless FTS5 delete must name exactly the tokens indexed: the old values are
    # rewritten by `xxgk_index_text`, and only a row that is in the index is deleted from it.
    triggers = {}
    for fts, (source, columns) in SEARCH_TABLES.items():
        old_values = ", ".join(f"xxgk_index_text(old.[{c}])" for c in columns)
        unindex = (
            f"INSERT INTO [{fts}] ([{fts}], rowid, {', '.join(columns)}) "
            f"SELECT 'delete', old.id, {old_values} "
            f"WHERE EXISTS (SELECT 1 FROM [{fts}] WHERE rowid = old.id);"
        )
        triggers[f"{fts}_delete"] = (
            f"CREATE TRIGGER [{fts}_delete] AFTER DELETE ON [{source}] BEGIN {unindex} END"
        )
        # A changed row leaves the index until re-indexed: stale hits would be wrong hits.
        triggers[f"{fts}_stale"] = (
            f"CREATE TRIGGER [{fts}_stale] AFTER UPDATE OF {', '.join(columns)} "
            f"ON [{source}] BEGIN {unindex} END"
        )
    return triggers


# The fetch log is evidence of what was fetched when: rows are never changed or removed.
APPEND_ONLY_TRIGGERS = {
    f"fetches_append_only_{event.lower()}": (
        f"CREATE TRIGGER fetches_append_only_{event.lower()} BEFORE {event} ON fetches "
        "BEGIN SELECT RAISE(ABORT, 'fetches is an append-only log'); END"
    )
    for event in ("UPDATE", "DELETE")
}

TRIGGERS: dict[str, str] = {**_search_triggers(), **APPEND_ONLY_TRIGGERS}
FTS_TABLES: dict[str, str] = {
    fts: _fts_table(fts, columns) for fts, (_, columns) in SEARCH_TABLES.items()
}


def _existing(db: Database, kind: str) -> dict[str, str]:
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = ?", [kind]).fetchall()
    return {name: sql for name, sql in rows}


def ensure_db_shape(db: Database) -> list[str]:
    """Bring views, triggers and full-text tables to the declared shape; returns what changed.

    Idempotent: an archive already in shape is only read, so a read-only open stays cheap.
    """
    register_functions(db)  # the search triggers call it
    changed = []
    tables = set(db.table_names())
    missing_fts = [fts for fts in FTS_TABLES if fts not in tables]
    for fts in missing_fts:
        db.execute(FTS_TABLES[fts])
        changed.append(fts)
    views = _existing(db, "view")
    # Views may select from each other: drop every stale one before creating any.
    stale = [name for name, sql in VIEWS.items() if views.get(name) != _view_sql(name, sql)]
    for name in stale:
        db.execute(f"DROP VIEW IF EXISTS [{name}]")
    for name in stale:
        db.execute(_view_sql(name, VIEWS[name]))
        changed.append(name)
    triggers = _existing(db, "trigger")
    for name, sql in TRIGGERS.items():
        if triggers.get(name) != sql:
            db.execute(f"DROP TRIGGER IF EXISTS [{name}]")
            db.execute(sql)
            changed.append(name)
    if missing_fts:
        rebuild_search_index(db)  # a new index over existing rows: fill it
    return changed


def _view_sql(name: str, select: str) -> str:
    return f"CREATE VIEW [{name}] AS {select.strip()}"
