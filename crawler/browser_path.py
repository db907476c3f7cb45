"""When a request goes through the browser (`XXGK_BROWSER` = auto | always | never).

auto (the default) sends a request to the browser only when a plain client cannot do the job:
- a challenge page that the plain retries did not lift; the cookie the browser then earned is
  sent with that host's plain requests until the gateway challenges again, when the browser
  earns a fresh one;
- a list page with no report items whose inline script loads them (XHR, fetch, $.ajax);
- a portal marked `render=browser` in the registry, or a host in XXGK_BROWSER_HOSTS.
always sends every page (not files) of every portal; never sends none, and a challenge that
plain retries do not lift stays `ChallengeNotLifted:` as before.

A challenge the browser does not lift either ends as `ChallengeDefeatsBrowser:`. Which portals
needed the browser and why is kept on the crawler (`crawler.browser_state`) for portal health.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from crawler import fetch_errors as fe
from crawler.browser_state import BrowserState
from crawler.documents import is_html_page
from crawler.listing import read_listing
from crawler.middlewares import FETCH_ERROR, GaveUp, record_outcome
from crawler.responses import challenge_reason

MODES = ("auto", "always", "never")
# Pages, not files: attachments and robots.txt never go through the browser.
RENDER_KINDS = {"home", "hub", "list", "article"}
LOADER = re.compile(
    r"XMLHttpRequest|\bfetch\s*\(|\$\.(?:ajax|get|getJSON|post)\s*\(|\.load\s*\(|\baxios\b"
)
CHALLENGE, SCRIPTED, MARKED, ALWAYS = "challenge", "scripted list", "render=browser", "always"


class InvalidBrowserMode(ValueError):
    """XXGK_BROWSER is not one of auto, always, never."""


def browser_mode(value: str) -> str:
    mode = (value or "auto").strip().lower()
    if mode not in MODES:
        raise InvalidBrowserMode(f"XXGK_BROWSER={value!r}: expected one of {', '.join(MODES)}")
    return mode


def scripted_list_reason(response: Response) -> str | None:
    """A list page with no report items and an inline script that loads them."""
    if not isinstance(response, TextResponse) or not is_html_page(response):
        return None
    scripts = response.css("script:not([src])::text").getall()
    if not any(LOADER.search(script) for script in scripts):
        return None
    if read_listing(response.url, response.text).reports:
        return None
    return "a list page with no report items whose script loads them"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class BrowserPathMiddleware:
    """Decides, per request, plain HTTP or the browser (see the module docstring)."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        mode = browser_mode(settings.get("XXGK_BROWSER", "auto"))
        if mode == "never":
            raise NotConfigured("XXGK_BROWSER=never")
        self.crawler = crawler
        self.max_tries = settings.getint("XXGK_CHALLENGE_RETRIES")
        self.state = BrowserState(mode, {h.lower() for h in settings.getlist("XXGK_BROWSER_HOSTS")})

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserPathMiddleware:
        return cls(crawler)

    def _marked(self, host: str) -> bool:
        if host in self.state.hosts:
            return True
        schools = getattr(self.crawler.spider, "schools", [])
        return any(
            getattr(s, "render", "") == "browser" and s.owns(f"http://{host}/") for s in schools
        )

    def process_request(self, request: Request) -> None:
        meta = request.meta
        if meta.get("playwright"):
            return None
        host = _host(request.url)
        if meta.get("xxgk_kind", "page") in RENDER_KINDS and request.method == "GET":
            why = ALWAYS if self.state.mode == "always" else MARKED if self._marked(host) else None
            if why:
                self._to_browser(request, why)
                return None
        cookie = self.state.cookies.get(host)
        if cookie and b"Cookie" not in request.headers:
            request.headers[b"Cookie"] = cookie
            meta["xxgk_earned_cookie"] = cookie
        return None

    def _to_browser(self, request: Request, why: str) -> None:
        request.meta.update(playwright=True, xxgk_via="browser", xxgk_browser_why=why)
        self.state.note(request.meta.get("xxgk_school"), why)

    def _escalate(self, request: Request, why: str) -> Request:
        self.crawler.stats.inc_value(f"xxgk/browser/escalated/{why}")
        retry = request.replace(dont_filter=True)
        retry.headers.pop(b"Cookie", None)
        retry.meta.pop("retry_times", None)
        self._to_browser(retry, why)
        return retry

    def process_response(self, request: Request, response: Response):
        reason = challenge_reason(response)
        school = request.meta.get("xxgk_school")
        host = _host(request.url)
        if request.meta.get("playwright"):
            if reason is None:
                cookie = request.meta.get("xxgk_browser_cookie")
                if cookie and host in self.state.challenged:
                    # The cookie the cleared page was sent with: plain requests reuse it.
                    self.state.cookies[host] = cookie
                    self.crawler.stats.inc_value("xxgk/browser/cookies_earned")
                return response
            loads = request.meta.get("xxgk_browser_loads", 0)
            given_up = fe.ChallengeDefeatsBrowser(
                f"{reason} still there after the browser ran the page's script ({loads} page loads)"
            ).row()
            if school:
                self.state.defeated[school] = given_up
            self.crawler.stats.inc_value("xxgk/browser/challenge_defeated")
            record_outcome(self.crawler, request, given_up, final_url=response.url)
            request.meta[FETCH_ERROR] = given_up  # the errback's reason (a home page's health)
            raise GaveUp(given_up)
        if reason is not None:
            used = request.meta.get("xxgk_earned_cookie")
            if used:
                fresh = self.state.cookies.get(host)
                if fresh and fresh != used:  # another page earned a newer one meanwhile
                    retry = request.replace(dont_filter=True)
                    retry.headers.pop(b"Cookie", None)
                    return retry
                self.state.cookies.pop(host, None)  # it stopped working: earn a new one
                self.crawler.stats.inc_value("xxgk/browser/cookies_expired")
                return self._escalate(request, CHALLENGE)
            if (
                request.meta.get("retry_times", 0) >= self.max_tries
                or host in self.state.challenged
            ):
                # Plain retries did not lift it (here, or on this host before): the browser.
                self.state.challenged.add(host)
                return self._escalate(request, CHALLENGE)
            return response  # ChallengeMiddleware retries it first
        if request.meta.get("xxgk_kind") == "list" and request.method == "GET":
            if scripted_list_reason(response):
                return self._escalate(request, SCRIPTED)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if request.meta.get("playwright") and isinstance(exception, fe.BrowserUnavailable):
            school = request.meta.get("xxgk_school")
            if school:
                self.state.unavailable[school] = exception.row()
        return None
