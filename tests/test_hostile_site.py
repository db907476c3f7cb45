"""The site under abuse: work inside functions is bounded, huge values are refused, bad SQL
and bad parameters answer 400 with one log line, and a load with abusive clients keeps the
normal requests' p95 within 2x of the same load without them."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from urllib.parse import quote

import pytest

from archive.sample import build_sample_archive
from archive.serve import build_datasette, prepare
from archive.site.guard import MAX_VALUE, guard_connection
from fixtureworld.nasty_load import run_load, served


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_archive(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def get(sample):
    datasette = build_datasette(prepare(sample.data_dir))
    loop = asyncio.new_event_loop()
    yield lambda path: loop.run_until_complete(datasette.client.get(path))
    loop.close()


def sql(query: str) -> str:
    return "/xxgk?sql=" + quote(query)


BAD = [
    (sql("select length(xxgk_match(replace(hex(zeroblob(1000000)), '00', 'ab ')))"), 400),
    (sql("select length(hex(randomblob(450000000)))"), 400),
    (sql("select length(zeroblob(450000000))"), 400),
    (sql("select printf('%.*c', 400000000, 'x')"), 400),
    (sql("select instr(hex(zeroblob(4000000)), hex(zeroblob(1000000)) || 'x')"), 200),
    (sql("selec broken"), 400),
    (sql("select * from nowhere"), 400),
    ("/xxgk/reports?_sort=nonexistent", 400),
    ("/xxgk/reports?_sort_desc=nonexistent", 400),
    ("/xxgk/reports?_size=99999999999999", 400),
    ("/-/coverage?page=99999999999999999999999", 200),  # clamped to the last page
    ("/-/raw/a/b", 400),
    ("/xxgk/no_such_table", 404),
]


@pytest.mark.parametrize(("path", "status"), BAD, ids=[p[:60] for p, _ in BAD])
def test_abuse_answers_fast_with_one_log_line(get, path, status, caplog, capsys):
    caplog.set_level(logging.WARNING, logger="xxgk.site")
    started = time.monotonic()
    response = get(path)
    took = time.monotonic() - started
    lines = [r.getMessage() for r in caplog.records] + capsys.readouterr().err.splitlines()
    assert response.status_code == status
    assert took < 3.0  # the SQL time limit, and no single call outlasts it
    assert len(lines) <= 1 and all(len(line) < 2000 for line in lines)
    if status != 200:
        assert len(lines) == 1


def test_normal_requests_still_work(get):
    assert get("/xxgk/reports.json?_search=" + quote("报告")).status_code == 200
    query = "select printf('%05.1f|%s', 3.14159, 'a') as p, replace('aXb', 'X', '-') as r"
    response = get("/xxgk.json?_shape=array&sql=" + quote(query))
    assert response.json() == [{"p": "003.1|a", "r": "a-b"}]


def test_function_caps_on_a_bare_connection():
    conn = sqlite3.connect(":memory:")
    guard_connection(conn)
    assert conn.execute("select length(zeroblob(1000)), instr('abc', 'c')").fetchone() == (1000, 3)
    for query in (
        f"select zeroblob({MAX_VALUE + 1})",
        "select randomblob(450000000)",
        "select printf('%.*c', 400000000, 'x')",
        "select xxgk_match(replace(hex(zeroblob(2000)), '00', 'ab '))",
    ):
        with pytest.raises(sqlite3.OperationalError):
            conn.execute(query).fetchone()
    with pytest.raises(sqlite3.DataError):  # SQLITE_LIMIT_LENGTH: "string or blob too big"
        conn.execute(f"select hex(zeroblob({MAX_VALUE // 2 + 1}))").fetchone()


def test_bad_sql_clients_do_not_slow_the_others_down(sample, tmp_path):
    log = tmp_path / "serve.log"
    with served(sample.data_dir, log) as server:
        port = server.port
        run_load(port, 5, 0, 2, think=0.2)  # warm up
        calm = run_load(port, 50, 0, 8, think=2.0)
        abused = run_load(port, 50, 10, 8, think=2.0)
    assert set(calm.statuses) == {200} and set(abused.statuses) == {200}
    assert set(abused.abusive_statuses) <= {400}
    assert abused.p95() <= 2 * max(calm.p95(), 0.05), (calm.p95(), abused.p95())
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    assert max(len(line) for line in lines) < 2000
    assert not [line for line in lines if "Traceback" in line or "locals" in line]
