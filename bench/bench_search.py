"""Search latency on a synthetic archive: the site's ranked search against a LIKE scan.

    .venv/bin/python bench/bench_search.py [--reports 100000] [--length 600] [--keep DIR]
                                           [--reuse DIR]

Builds a fresh archive (real schema and migrations) with N synthetic reports whose text is
sampled from a pool of Chinese words from real reports, indexes it the way `save_report` does
(`--reuse DIR` times an archive an earlier `--keep DIR` run built), then times per query:
- `page`: what `/-/search` does (archive/search_hits.py): a page of 20 hits ranked by bm25,
  with snippets, sections, the capped count and the facets by year, province and school;
- `ids`: the set of all matching ids from the index (the previous measure);
- `like`: a LIKE scan for the same ids, and checks the index's hit set equals the scan's and
  the page's count equals it (up to the cap).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.search import match_expression, rebuild_search_index  # noqa: E402
from archive.search_hits import COUNT_CAP, search  # noqa: E402
from archive.store import Archive  # noqa: E402

WORDS = (
    "学校 学院 大学 信息 公开 工作 年度 报告 情况 主动 依申请 不予 申请 办理 答复 评议 举报 复议 "
    "诉讼 招生 考试 财务 资产 收费 预算 决算 采购 基建 人事 师资 教学 质量 学生 管理 学位 学科 "
    "科研 对外 交流 合作 其他 事项 清单 网站 平台 微信 微博 新闻 发布 栏目 制度 建设 领导 小组 "
    "办公室 监督 检查 保密 审查 机制 规范 程序 渠道 群众 师生 满意 社会 关注 重点 领域 北京 上海 "
    "南京 武汉 广州 西安 成都 统计 时间 期间 本科 研究生 录取 分数 计划 章程 资助 奖学金 助学金 "
    "就业 毕业生 质量报告 图书馆 实验室 校园 安全 后勤 服务 医疗 卫生 疫情 防控 应急 突发 事件 "
    "党委 校长 会议 决策 民主 选举 教代会 工会 团委 纪委 巡视 整改 审计 资金 项目 经费 合同 "
    "改进 措施 问题 不足 下一步 加强 完善 推进 落实 提高 水平 能力 意识 培训 宣传 解读 回应 关切 "
    "条 件 项 次 人 万元 个 份 篇 年 月 日 第 一 二 三 四 五 六 七 八 九 十 百"
).split()
# Word frequencies fall off with rank as in real text (Zipf), so some words are rare.
_order = random.Random(7).sample(WORDS, len(WORDS))
WORDS = _order
ZIPF = [sum(1 / (r + 1) for r in range(k + 1)) for k in range(len(WORDS))]
PUNCT = ["，", "。", "、", "；", "：", "\n"]
QUERIES = {
    1: ["学", "招", "财", "京", "疫", "龘"],
    2: ["招生", "财务", "北京", "学位", "巡视", "质量", "上海", "南京", "审计", "科技"],
    3: ["依申请", "奖学金", "图书馆", "研究生", "教代会", "北京大"],
    4: ["信息公开", "主动公开", "招生考试", "财务资产", "突发事件", "人工智能"],
}


def synthetic_text(rng: random.Random, mean_words: int) -> str:
    n = max(5, int(rng.gauss(mean_words, mean_words / 3)))
    words = rng.choices(WORDS, cum_weights=ZIPF, k=n)
    marks = rng.choices(PUNCT, weights=[40, 15, 10, 4, 2, 3], k=n // 6 + 1)
    for i, mark in enumerate(marks):
        words.insert((i + 1) * 7 if (i + 1) * 7 < len(words) else len(words), mark)
    return "".join(words)


def build(data_dir: Path, count: int, length: int, seed: int = 1) -> tuple[Archive, float, int]:
    rng = random.Random(seed)
    mean_words = max(1, round(length / 2.1))  # words average ~2.1 characters
    archive = Archive(data_dir)
    db = archive.db
    db["schools"].insert_all(
        {"code": f"{i:05d}", "name": f"第{i}大学", "province": rng.choice(["北京", "江苏"])}
        for i in range(count // 10 + 1)
    )
    total_chars = 0
    started = time.perf_counter()
    batch = []
    for i in range(1, count + 1):
        text = synthetic_text(rng, mean_words)
        total_chars += len(text)
        school, year = f"{(i - 1) // 10:05d}", 2015 + (i - 1) % 10  # (school, year) is unique
        batch.append((i, school, f"第{school}大学", f"{year}年信息公开年度报告", year, text))
        if len(batch) == 10_000:
            _insert(db, batch)
            batch = []
    _insert(db, batch)
    generated = time.perf_counter()
    rebuild_search_index(db)
    db.conn.commit()
    print(
        f"generate + insert: {generated - started:.1f} s;"
        f" index: {time.perf_counter() - generated:.1f} s"
    )
    return archive, time.perf_counter() - started, total_chars


def _insert(db, rows: list[tuple]) -> None:
    with db.conn:
        db.conn.executemany(
            "insert into reports (id, school_code, school_name, title, year, text) "
            "values (?, ?, ?, ?, ?, ?)",
            rows,
        )


def timed(db, sql: str, params: list) -> tuple[float, set[int]]:
    start = time.perf_counter()
    ids = {r[0] for r in db.execute(sql, params).fetchall()}
    return (time.perf_counter() - start) * 1000, ids


FTS_SQL = "select rowid from reports_fts where reports_fts match ?"
MMAP_SIZE = 1 << 31


def timed_search(db, query: str) -> tuple[float, object]:
    start = time.perf_counter()
    result = search(db.conn, query, limit=20)
    return (time.perf_counter() - start) * 1000, result


LIKE_SQL = "select id from reports where school_name like ? or title like ? or text like ?"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--length", type=int, default=600, help="mean text length (chars)")
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep it")
    parser.add_argument("--reuse", type=Path, default=None, help="time an archive --keep built")
    args = parser.parse_args()
    data_dir = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    try:
        if args.reuse:
            archive = Archive(data_dir)
            args.reports = archive.db["reports"].count
            chars = archive.db.execute("select sum(length(text)) from reports").fetchone()[0]
            build_s = 0.0
        else:
            archive, build_s, chars = build(data_dir, args.reports, args.length)
        db = archive.db
        # As `xxgk serve` opens it (archive/site prepare_connection): the file memory-mapped.
        db.execute(f"pragma mmap_size={MMAP_SIZE}")
        page_size, pages, free = (
            db.execute(f"pragma {p}").fetchone()[0]
            for p in ("page_size", "page_count", "freelist_count")
        )
        size = page_size * (pages - free)  # without free pages: what VACUUM would leave
        fts_pages = (
            db.execute("select sum(pgsize) from dbstat where name like 'reports_fts%'").fetchone()[
                0
            ]
            if _has_dbstat(db)
            else None
        )
        print(f"reports: {args.reports:,}  mean text length: {chars / args.reports:.0f} chars")
        print(f"build + index: {build_s:.1f} s")
        print(
            f"database: {size / 1e6:.1f} MB = {size / args.reports / 1024:.2f} KiB per report"
            + (f" (search index {fts_pages / args.reports / 1024:.2f} KiB)" if fts_pages else "")
        )
        print(
            f"\n{'len':>3} {'query':<8} {'hits':>7} {'page ms':>8} {'ids ms':>8} {'like ms':>8}"
            "  same"
        )
        page_all, fts_all, like_all, mismatches = [], [], [], 0
        for length, queries in QUERIES.items():
            for q in queries:
                page_ms, result = min((timed_search(db, q) for _ in range(3)), key=lambda t: t[0])
                fts_ms, fts_ids = min(
                    (timed(db, FTS_SQL, [match_expression(q)]) for _ in range(3)),
                    key=lambda t: t[0],
                )
                like_ms, like_ids = timed(db, LIKE_SQL, [f"%{q}%"] * 3)
                same = (
                    fts_ids == like_ids
                    and result.total == min(len(like_ids), COUNT_CAP)
                    and {h.report_id for h in result.hits} <= like_ids
                    and all("<mark>" in h.snippet for h in result.hits)
                )
                mismatches += not same
                page_all.append(page_ms)
                fts_all.append(fts_ms)
                like_all.append(like_ms)
                print(
                    f"{length:>3} {q:<8} {len(fts_ids):>7} {page_ms:>8.1f} {fts_ms:>8.1f}"
                    f" {like_ms:>8.0f}  {same}"
                )
        print()
        for name, values in (("page", page_all), ("ids ", fts_all), ("LIKE", like_all)):
            print(
                f"{name} p50 {statistics.median(values):8.1f} ms"
                f"   p95 {percentile(values, 0.95):8.1f} ms"
            )
        like_p50 = statistics.median(like_all)
        print(
            f"speed-up at p50: page {like_p50 / statistics.median(page_all):.0f}x,"
            f" ids {like_p50 / statistics.median(fts_all):.0f}x;"
            f" hit sets identical for {len(fts_all) - mismatches}/{len(fts_all)} queries"
        )
        archive.close()
        return 1 if mismatches else 0
    finally:
        if args.keep is None and args.reuse is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def _has_dbstat(db) -> bool:
    try:
        db.execute("select 1 from dbstat limit 1")
        return True
    except Exception:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
