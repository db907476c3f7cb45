"""The browser path's pieces without a browser: the fixture challenge against a plain client,
when a list needs a script run, the script pagers, and the address policy of page requests."""

from __future__ import annotations

import asyncio
import http.cookiejar
import urllib.error
import urllib.request

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.addresses import AddressPolicy
from crawler.browser_fetch import BrowserRequestRefused, FetchLimits, GuardedFetcher
from crawler.browser_path import browser_mode, scripted_list_reason
from crawler.browser_state import BrowserState
from crawler.pagers import postback_pages, postback_request
from crawler.paging import trs_pages
from fixtureworld.scripted import (
    CLEARANCE_COOKIE,
    asp_list_page,
    build_scripted_world,
    clearance_token,
    cph_list_page,
    dom_list_page,
    pages_of,
    plain_list_page,
    xhr_list_page,
)
from fixtureworld.scripted_server import serve_scripted

BASE = "http://xxgk.example.edu.cn/ndbg/"


@pytest.fixture(scope="module")
def server():
    with serve_scripted() as running:
        yield running


def _opener(server, jar: http.cookiejar.CookieJar | None = None):
    """A plain client that reaches the fixture hosts on 127.0.0.1 (Host header kept)."""
    handlers = [urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{server.port}"})]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def _status(opener, url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_plain_client_cannot_pass_the_script_challenge(server):
    home = server.portal("xxgk.jsc.edu.cn")
    jar = http.cookiejar.CookieJar()
    opener = _opener(server, jar)
    # Cookies of the 412 kept and replayed, as often as a plain client likes: still refused.
    assert [_status(opener, home) for _ in range(4)] == [412] * 4
    assert {c.name for c in jar} == {"__xxgk_sid"}
    # Only the value the page's script computes opens the gate.
    nonce = next(c.value for c in jar)
    forged = {"Cookie": f"{CLEARANCE_COOKIE}={nonce}.12345"}
    assert _status(_opener(server), home, forged) == 412
    solved = {"Cookie": f"{CLEARANCE_COOKIE}={clearance_token(nonce)}"}
    assert _status(_opener(server), home, solved) == 200


def _page(body: bytes, url: str = BASE + "list.htm") -> HtmlResponse:
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def test_only_an_empty_list_with_a_loading_script_needs_the_browser():
    items = build_scripted_world().lists["xxgk.xhr.edu.cn"]
    assert scripted_list_reason(_page(xhr_list_page("http://127.0.0.2:9/", 80))) == (
        "a list page with no report items whose script loads them"
    )
    assert scripted_list_reason(_page(plain_list_page(items[:2], 1, 2))) is None
    # Items written from inline data: nothing to spot, hence the registry's render=browser.
    assert scripted_list_reason(_page(dom_list_page(items))) is None


def test_create_page_html_pages_are_read_from_the_call():
    items = build_scripted_world().lists["xxgk.cph.edu.cn"]
    first = _page(cph_list_page(items[:2], 3, 0), BASE + "index.html")
    assert trs_pages(first.url, first.text) == [BASE + "index_1.html", BASE + "index_2.html"]
    last = _page(cph_list_page(items[4:], 3, 2), BASE + "index_2.html")
    assert trs_pages(last.url, last.text) == [BASE + "index.html", BASE + "index_1.html"]


def test_postback_pages_replay_the_form_the_server_accepts(server):
    world = server.world
    host = world.school("asp").host
    url = f"http://{host}:{server.port}/ndbg/List.aspx"
    pages = pages_of(world.lists[host])
    response = _page(asp_list_page(pages[0], 1, len(pages)), url)
    found = postback_pages(response)
    assert [(p.target, p.argument, p.page, p.form_action) for p in found] == [
        ("ctl00$Main$GridView1", "Page$2", 2, url),
        ("ctl00$Main$GridView1", "Page$3", 3, url),
    ]
    request = postback_request(response, found[0])
    assert request.method == "POST" and request.url == url
    posted = urllib.request.Request(
        url, data=request.body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with _opener(server).open(posted, timeout=10) as answer:
        body = answer.read().decode()
    assert [t for t, _u, _d in pages[1]] and all(t in body for t, _u, _d in pages[1])
    assert not any(t in body for t, _u, _d in pages[0])


def _fetcher(**policy) -> GuardedFetcher:
    table = AddressPolicy()
    table.configure(
        policy.get("resolve", []),
        policy.get("allow_private", False),
        policy.get("resolve_only", True),
        policy.get("allowed", []),
    )
    return GuardedFetcher(table, FetchLimits())


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/x", "PrivateAddressRefused: 10.1.2.3 is an internal address"),
        (
            "http://169.254.169.254/latest/",
            "PrivateAddressRefused: 169.254.169.254 is an internal address",
        ),
        ("http://[::1]:8080/", "PrivateAddressRefused: ::1 is an internal address"),
        ("ftp://a.edu.cn/x.pdf", "UnsupportedScheme: ftp:// is not fetched"),
        ("http://nowhere.edu.cn/", "NotResolved: nowhere.edu.cn:80 has no --resolve entry"),
        (
            "http://evil.edu.cn:81/",
            "PrivateAddressRefused: evil.edu.cn resolves to internal address 10.0.0.1",
        ),
    ],
)
def test_page_requests_are_refused_by_the_crawlers_policy(url: str, reason: str):
    fetcher = _fetcher(
        resolve=["evil.edu.cn:81:10.0.0.1", "ok.edu.cn:80:127.0.0.1"], allowed=["127.0.0.0/8"]
    )
    with pytest.raises(BrowserRequestRefused) as refused:
        asyncio.run(fetcher.admitted_address(url))
    assert str(refused.value) == reason


def test_page_requests_go_to_the_admitted_address():
    fetcher = _fetcher(resolve=["ok.edu.cn:80:127.0.0.1"], allowed=["127.0.0.0/8"])
    assert asyncio.run(fetcher.admitted_address("http://ok.edu.cn/list.htm")) == "127.0.0.1"
    assert asyncio.run(fetcher.admitted_address("http://127.0.0.5:9/")) == "127.0.0.5"


def test_browser_modes_and_the_health_summary():
    assert [browser_mode(m) for m in ("", "AUTO", "always", "never")] == [
        "auto",
        "auto",
        "always",
        "never",
    ]
    with pytest.raises(ValueError, match="XXGK_BROWSER='sometimes'"):
        browser_mode("sometimes")
    state = BrowserState("auto")
    for why in ("challenge", "challenge", "scripted list"):
        state.note("93001", why)
    state.defeated["93001"] = "ChallengeDefeatsBrowser: ..."
    assert state.summary("93001") == (
        "challenge (2 pages); scripted list (1 page); ChallengeDefeatsBrowser: ..."
    )
    assert state.summary("93002") is None
