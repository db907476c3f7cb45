"""BM25 of search hits (archive/ranking.py): the formula's properties on made rows, and the
order it gives against FTS5's own bm25() on an archive small enough to rank whole."""

from __future__ import annotations

import random

import pytest

from archive import Archive
from archive.ranking import bm25_scores, idf, occurrences
from archive.search import match_expression, rebuild_search_index
from archive.search_hits import search

FILLER = "学校按照条例要求做好各项工作。"


def _row(report_id: int, text: str, title: str = "年度报告", school: str = "某大学") -> tuple:
    return (report_id, school, title, text)


def test_more_occurrences_rank_higher_and_saturate() -> None:
    rows = [_row(1, FILLER * 4 + "招生" * 1), _row(2, FILLER * 4 + "招生" * 3)]
    rows.append(_row(3, FILLER * 4 + "招生" * 30))
    scores = bm25_scores(rows, ["招生"], [1.0])
    assert scores[1] < scores[2] < scores[3]
    # k1 saturation: thirty occurrences are worth far less than ten times three.
    assert scores[3] - scores[2] < 3 * (scores[2] - scores[1])


def test_title_weighs_four_times_and_short_reports_win_ties() -> None:
    in_title = _row(1, FILLER * 5, title="招生工作年度报告")
    in_text = _row(2, FILLER * 5 + "招生")
    short = _row(3, FILLER + "招生")
    scores = bm25_scores([in_title, in_text, short], ["招生"], [1.0])
    assert scores[1] > scores[2]
    assert scores[3] > scores[2]  # same count, fewer characters


def test_rare_terms_weigh_more_and_idf_never_goes_negative() -> None:
    rows = [_row(1, FILLER + "财务" * 3 + "审计"), _row(2, FILLER + "财务" + "审计" * 3)]
    scores = bm25_scores(rows, ["财务", "审计"], [idf(1000, 900), idf(1000, 10)])
    assert scores[2] > scores[1]
    assert idf(1000, 999) == pytest.approx(1e-6)
    assert idf(1000, 10) > idf(1000, 100) > 0


def test_latin_letters_fold_case_as_like_does() -> None:
    assert occurrences("WeChat 与 wechat", "wechat") == 2
    assert occurrences("招生招生", "招生") == 2
    assert occurrences(None, "招生") == 0


def test_the_order_agrees_with_fts5_bm25_on_a_small_archive(tmp_path) -> None:
    rng = random.Random(5)
    archive = Archive(tmp_path)
    rows = []
    for i in range(1, 61):
        words = rng.choices(
            ["招生", "财务", "学校", "工作", "情况", "公开"], k=rng.randint(20, 200)
        )
        title = "招生工作报告" if i % 7 == 0 else "年度报告"
        rows.append((i, f"{i:05d}", "某大学", title, 2020 + i % 5, "，".join(words)))
    archive.db["schools"].insert_all({"code": r[1], "name": "某大学"} for r in rows)
    with archive.db.conn:
        archive.db.conn.executemany(
            "insert into reports (id, school_code, school_name, title, year, text) "
            "values (?, ?, ?, ?, ?, ?)",
            rows,
        )
    rebuild_search_index(archive.db)
    fts = [
        r[0]
        for r in archive.db.execute(
            "select rowid from reports_fts where reports_fts match ? "
            "order by bm25(reports_fts, 1.0, 4.0, 1.0), rowid",
            [match_expression("招生")],
        ).fetchall()
    ]
    ours = [h.report_id for h in search(archive.db.conn, "招生", limit=len(fts)).hits]
    assert sorted(ours) == sorted(fts)
    # The same formula; the lengths differ a little (characters here, tokens there).
    assert ours[:3] == fts[:3]
    assert len(set(ours[:10]) & set(fts[:10])) >= 8
    archive.close()
