"""A researcher's path in a real browser: search a Chinese word, open a report, get its PDF;
then every page of the research site on a 390 px phone screen, timed and photographed.

Headless Debian `chromium` driven by Playwright (python) against `xxgk serve` on an archive
made by `xxgk crawl` of the fixture world. Point it at another archive with
XXGK_BROWSER_DATA=DIR; screenshots go to $XXGK_SCREENSHOTS (default: the test's tmp dir).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archive.store import open_database
from tests.conftest import crawl_args, run_xxgk, write_family_registry

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make system-deps)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _target(data_dir: Path) -> dict:
    """A PDF report to look for, and a two-character word of its school's name to search."""
    db = open_database(data_dir / "xxgk.db")
    row = next(
        db.query(
            "select id, school_name, sha256 from reports"
            " where format = 'pdf' and sha256 is not null order by id limit 1"
        )
    )
    db.close()
    word = re.findall(r"[\u4e00-\u9fff]", row["school_name"])[:2]
    body = (data_dir / "raw" / row["sha256"][:2] / row["sha256"]).read_bytes()
    return {**row, "query": "".join(word), "body": body, "data_dir": str(data_dir)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, world, world_server):
    if os.environ.get("XXGK_BROWSER_DATA"):
        data_dir = Path(os.environ["XXGK_BROWSER_DATA"])
    else:
        data_dir = tmp_path_factory.mktemp("browser")
        registry = write_family_registry(world, world_server, data_dir / "registry.csv")
        run_xxgk(*crawl_args(world_server, data_dir, "--registry", str(registry)))
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from xxgk.cli import main; main()",
            "serve",
            "--data",
            str(data_dir),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"xxgk serve exited: {server.stdout.read().decode()}")
                time.sleep(0.1)
        else:
            pytest.fail("xxgk serve did not start within 60 s")
        yield base, _target(data_dir)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_search_open_report_and_download_pdf(site, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, target = site
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(accept_downloads=True)
        # Nothing leaves 127.0.0.1: any other request fails the test.
        outside: list[str] = []
        context.route(
            re.compile(r"^(?!http://127\.0\.0\.1:).*"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{base}/xxgk/reports")
        page.fill("#_search", target["query"])
        page.press("#_search", "Enter")
        page.wait_for_load_state()
        assert "_search=" in page.url
        assert f'search matches "{target["query"]}"' in page.content()

        page.click(f'td.col-id a[href$="/xxgk/reports/{target["id"]}"]')
        page.wait_for_url(re.compile(rf"/xxgk/reports/{target['id']}$"))
        with page.expect_download() as info:
            page.click(f'a.xxgk-raw[href="/-/raw/{target["sha256"]}"]')
        download = info.value
        saved = tmp_path / "download.bin"
        download.save_as(saved)
        assert saved.read_bytes() == target["body"]
        assert download.suggested_filename.endswith(".pdf")

        page.goto(f"{base}/-/charts")
        assert page.locator("figure.xxgk-chart svg").count() == 3
        browser.close()
    assert not outside
    assert not errors


PHONE = {"width": 390, "height": 844}
PAGE_BUDGET_MS = 300


def _pages(data_dir: Path) -> dict:
    """What to open: a parse failure's school, a report with sections, figures and a table."""
    db = open_database(data_dir / "xxgk.db")
    failed = next(db.query("select school_code from reports where status = 'parse_error'"))
    full = next(
        db.query(
            """select r.id from reports r
                where exists (select 1 from sections s where s.report_id = r.id)
                  and exists (select 1 from figures f where f.report_id = r.id)
                  and exists (select 1 from tables t where t.report_id = r.id)
                order by r.id limit 1"""
        )
    )
    db.close()
    return {"failed_school": failed["school_code"], "report": full["id"]}


def _shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("XXGK_SCREENSHOTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_research_site_on_a_phone(site, tmp_path_factory: pytest.TempPathFactory) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, target = site
    which = _pages(Path(target["data_dir"]))
    shots = _shots_dir(tmp_path_factory)
    pages = [
        ("home", "/", "发布情况"),
        ("search", "/-/search?q=招生", "份报告含「招生」"),
        ("school", f"/-/schools/{which['failed_school']}", "历年报告"),
        ("report", f"/xxgk/reports/{which['report']}", "报告中的数字"),
        ("compare", "/-/compare?figure=requests_received", "学校对比"),
        ("coverage", "/-/coverage", "发布情况：学校 × 年度"),
        ("charts", "/-/charts", "每年报告发布情况"),
        ("not-found", "/no/such/page", "未找到"),
    ]
    timings: dict[str, float] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport=PHONE, accept_downloads=True)
        outside: list[str] = []
        context.route(
            re.compile(r"^(?!http://127\.0\.0\.1:).*"),
            lambda route: (outside.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        for name, path, label in pages:
            page.goto(base + path)  # warm: the first request compiles templates
            page.goto(base + path)
            # Request sent to the last byte of the page received: the site's own time (the
            # browser's layout and screenshots are not the site's budget).
            timings[name] = page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.responseEnd - n.requestStart; })()"
            )
            assert label in page.content(), (name, label)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (name, width)  # wide tables scroll in their box
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
            if name == "search":
                assert page.locator(".xxgk-hit .snippet mark").count() > 0
                assert page.locator(".xxgk-hit .where a").count() > 0
            elif name == "school":
                assert page.locator("td", has_text="解析失败：").count() == 1
            elif name == "report":
                assert page.locator(".xxgk-doc h2.sec").count() >= 5
                assert page.locator(".xxgk-outline li").count() >= 5
                assert page.locator("[id^=figure-]").count() > 0
                assert page.locator("h2[id^=table-] + .xxgk-scroll table td").count() > 0
            elif name == "compare":
                assert page.locator("table.xxgk-compare tbody tr").count() == 10
                with page.expect_download() as info:
                    page.click("text=CSV")
                saved = Path(info.value.path())
                assert saved.read_bytes().startswith("\ufeffschool_code,".encode("utf-8"))
            elif name == "coverage":
                failed = page.locator('td[data-state="parse_error"]')
                assert failed.count() == 1 and failed.inner_text() == "解析失败"
        browser.close()
    print("screenshots:", ", ".join(str(shots / f"{n}.png") for n, _, _ in pages))
    print("timings (ms):", {k: round(v) for k, v in timings.items()})
    slow = {k: round(v) for k, v in timings.items() if v > PAGE_BUDGET_MS}
    assert not slow, slow
    assert not outside
    assert not errors
