"""Chinese search: 1- to 4-character queries give exactly the LIKE scan's hits."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from archive import Archive, ReportCandidate, SourceFile, save_report
from archive.search import (
    SearchQueryEmpty,
    index_text,
    match_expression,
    rebuild_search_index,
    search_reports,
)
from archive.search_hits import FACET_CAP, snippet
from archive.search_hits import search as ranked_search
from parsers.document import ParsedDocument, Section

PHRASES = (
    "信息公开 年度报告 招生 财务 北京 上海 依申请公开 主动公开 学年 学校 举报 复议 诉讼 收费 "
    "预决算 奖学金 图书馆 研究生 就业质量 招生考试 财务资产 2023年 第3页 一 二 三 本年度 未收到 "
    "师生 满意度 清单 事项 网站 微信 微博 ABC公司 e机器人"
).split()
SEPARATORS = ["", "", "", "，", "。", " ", "\n", "、"]
CJK = re.compile(r"[\u4e00-\u9fff]+")


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(PHRASES) + rng.choice(SEPARATORS) for _ in range(words))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    rng = random.Random(20241031)
    archive = Archive(tmp_path_factory.mktemp("search"))
    archive.upsert_schools({"code": f"s{i}", "name": f"学校{i}"} for i in range(40))
    for i in range(300):
        school, year = f"s{i % 40}", 2010 + i // 40
        parsed = ParsedDocument(
            text=_text(rng, rng.randint(0, 60)),
            format="pdf",
            parser="t",
            parser_version="1",
            sections=[Section("on_request", "三、依申请公开", _text(rng, 8))],
        )
        candidate = ReportCandidate(
            school_code=school,
            school_name=f"学校{i % 40}",
            title=_text(rng, 3),
            page_url=f"https://x/{i}",
            year=year,
            source=SourceFile(
                url=f"https://x/{i}.pdf",
                sha256=f"{i:064x}",
                role="attachment",
                page_url=f"https://x/{i}",
            ),
        )
        save_report(archive.db, candidate, parsed, None, "pdf")
    yield archive
    archive.close()


def _oracle(archive: Archive, query: str) -> list[int]:
    like = f"%{query}%"
    sql = (
        "select id from reports where school_name like ? or title like ? or text like ? order by id"
    )
    return [r[0] for r in archive.db.execute(sql, [like] * 3).fetchall()]


def _queries(archive: Archive, length: int, count: int, seed: int) -> list[str]:
    """Substrings of the corpus's Chinese runs (so most hit), plus a few that never occur."""
    rng = random.Random(seed)
    runs = [
        run
        for (text,) in archive.db.execute("select text from reports").fetchall()
        for run in CJK.findall(text or "")
        if len(run) >= length
    ]
    picked = set()
    while len(picked) < count:
        run = rng.choice(runs)
        start = rng.randrange(len(run) - length + 1)
        picked.add(run[start : start + length])
    return sorted(picked) + ["龘", "龘龘", "人工智", "人工智能"][length - 1 : length]


@pytest.mark.parametrize("length", [1, 2, 3, 4])
def test_same_hits_as_like_scan(corpus: Archive, length: int) -> None:
    queries = _queries(corpus, length, count=40, seed=length)
    for query in queries:
        assert search_reports(corpus.db, query) == _oracle(corpus, query), query
    hits = [len(_oracle(corpus, q)) for q in queries]
    assert any(0 < h < 300 for h in hits)  # the test corpus discriminates


@pytest.mark.parametrize("query", ["招生", "财务", "北京", "学年", "信息公开", "2023年", "第3页"])
def test_named_words(corpus: Archive, query: str) -> None:
    assert search_reports(corpus.db, query) == _oracle(corpus, query)
    assert search_reports(corpus.db, query)


def test_terms_are_anded(corpus: Archive) -> None:
    both = set(_oracle(corpus, "招生")) & set(_oracle(corpus, "复议"))
    assert set(search_reports(corpus.db, "招生 复议")) == both


def test_rebuild_gives_same_hits(corpus: Archive) -> None:
    before = {q: search_reports(corpus.db, q) for q in ("招", "财务", "依申请公开")}
    rebuild_search_index(corpus.db)
    assert {q: search_reports(corpus.db, q) for q in before} == before


def test_updated_report_is_reindexed(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.upsert_schools([{"code": "a", "name": "甲大学"}])

    def save(sha: str, fmt: str, text: str, published: str) -> tuple[int, str]:
        candidate = ReportCandidate(
            school_code="a",
            school_name="甲大学",
            title="年度报告",
            page_url="https://a/1",
            year=2024,
            published=published,
            source=SourceFile(
                url=f"https://a/{sha}", sha256=sha, role="attachment", page_url="https://a/1"
            ),
        )
        parsed = ParsedDocument(text=text, format=fmt, parser="t", parser_version="1")
        return save_report(archive.db, candidate, parsed, None, fmt)

    assert save("1" * 64, "html", "旧的文字招生", "2024-10-01")[1] == "inserted"
    assert search_reports(archive.db, "旧的") == [1]
    assert save("2" * 64, "pdf", "新的文字财务", "2024-10-02")[1] == "updated"
    assert search_reports(archive.db, "旧的") == []
    assert search_reports(archive.db, "财务") == [1]
    archive.db.execute("insert into reports_fts(reports_fts, rank) values('integrity-check', 0)")
    archive.close()


def test_query_rewriting() -> None:
    assert index_text("信息公开，2023年") == " 信息 息公 公开 开 ，2023 年 "
    assert match_expression("学") == '"学" *'
    assert match_expression("信息公开") == '"信息 息公 公开"'
    assert match_expression('招生 a"b') == '"招生" AND "a""b"'
    with pytest.raises(SearchQueryEmpty):
        match_expression(" ，。 ")


@pytest.mark.parametrize("length", [1, 2, 3])
def test_ranked_pages_give_exactly_the_like_hits(corpus: Archive, length: int) -> None:
    for query in _queries(corpus, length, count=8, seed=100 + length):
        oracle = _oracle(corpus, query)
        seen: list[int] = []
        offset = 0
        while True:
            result = ranked_search(corpus.db.conn, query, limit=40, offset=offset)
            assert result.total == len(oracle), query
            seen += [h.report_id for h in result.hits]
            if not result.hits:
                break
            offset += 40
        assert sorted(seen) == oracle, query  # every hit once, none more
        first = ranked_search(corpus.db.conn, query, limit=5)
        terms = query.lower()
        assert all(f"<mark>{terms}</mark>" in h.snippet.lower() for h in first.hits), query
        # Facets count the first ranking window's reports, and say so past it.
        assert sum(c for _, _, c in first.facets["year"]) == min(len(oracle), FACET_CAP)
        assert first.facets_sampled == (len(oracle) > FACET_CAP)


def test_ranking_puts_the_denser_report_first(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    archive.upsert_schools([{"code": "a", "name": "甲大学"}, {"code": "b", "name": "乙大学"}])
    texts = {"a": "招生" + "其他事项" * 40, "b": "招生工作。招生章程。招生计划。" + "其他" * 20}
    for code, text in texts.items():
        candidate = ReportCandidate(
            school_code=code,
            school_name=f"{code}大学",
            title="年度报告",
            page_url=f"https://{code}/1",
            year=2024,
            source=SourceFile(
                url=f"https://{code}/1.pdf",
                sha256=code * 64,
                role="attachment",
                page_url=f"https://{code}/1",
            ),
        )
        parsed = ParsedDocument(text=text, format="pdf", parser="t", parser_version="1")
        save_report(archive.db, candidate, parsed, None, "pdf")
    result = ranked_search(archive.db.conn, "招生")
    assert [h.school_code for h in result.hits] == ["b", "a"]
    assert result.hits[0].score > result.hits[1].score
    archive.close()


def test_snippet_escapes_and_marks() -> None:
    text = "前言" * 30 + "<b>招生</b>&招生" + "后记" * 30
    cut = snippet(text, ["招生"], radius=6)
    assert cut == "…言前言&lt;b&gt;<mark>招生</mark>&lt;/b&gt;&amp;<mark>招生</mark>…"
    assert snippet("abc ABC", ["abc"]) == "<mark>abc</mark> <mark>ABC</mark>"
