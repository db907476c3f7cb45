"""The browser path: scrapy-playwright driving the system's chromium, bounded and fenced in.

Plain HTTP stays the default; a request carries `meta["playwright"] = True` only when
`crawler.browser_path` decided the page needs its script run. This download handler then:
- starts Playwright and chromium only for the first such request (a crawl that needs no browser
  starts none), with the system executable (no browser download), one context, at most
  `XXGK_BROWSER_PAGES` pages at a time and `XXGK_BROWSER_PAGE_TIMEOUT` seconds per page;
- answers every request the page makes itself (`crawler.browser_fetch`): the address policy
  applies to each, each one is stored in the raw store and logged in `fetches` with
  `via = 'browser'`; images, fonts, media, stylesheets and downloads are routed away;
- waits until the page settles: a challenge that reloads is followed up to
  `XXGK_BROWSER_MAX_LOADS` loads, script-built lists get their XHR answers;
- hands back the rendered DOM with the status of the page's last document.
Chromium dies with the crawl, even a killed one: it runs under `setpriv --pdeathsig KILL`
(its parent, Playwright's driver, exits when the crawler's pipe closes).
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import logging
import time
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.headers import Headers
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler import fetch_errors as fe
from crawler.addresses import AddressPolicy
from crawler.browser_fetch import (
    BrowserFetchFailed,
    BrowserRequestRefused,
    Fetched,
    FetchLimits,
    GuardedFetcher,
    challenge_text,
    file_response,
    is_challenge,
    joined,
)
from crawler.browser_launch import LAUNCH_ARGS, dying_with_parent, find_chromium
from crawler.session import session_of

# What a page needs to build its list: its document, scripts and data calls. Nothing else.
ALLOWED_RESOURCES = {"document", "script", "xhr", "fetch"}
HTML_TYPES = ("text/html", "application/xhtml", "text/plain")
QUIET_SECONDS = 0.4  # no request in flight for this long: the page's scripts are done

_current: contextvars.ContextVar[Request] = contextvars.ContextVar("xxgk_browser_request")


class _RoutedAway(logging.Filter):
    """scrapy-playwright warns, with a traceback, about every navigation we route away on
    purpose (a page that turned out to be a file); those are handled, not failures."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "ERR_BLOCKED_BY_CLIENT" not in str(record.args)


logging.getLogger("scrapy-playwright").addFilter(_RoutedAway())


_SLOTS: list[asyncio.Semaphore] = []


def _page_slots(pages: int) -> asyncio.Semaphore:
    """Browser pages at a time for the whole process: `xxgk crawl` runs one crawler per
    family spider in one process, each with its own handler (and browser, if it needs one)."""
    if not _SLOTS:
        _SLOTS.append(asyncio.Semaphore(pages))
    return _SLOTS[0]


@dataclass
class Visit:
    """What one browser page did: its documents (loads), requests in flight, the cookie that
    the last document was sent with."""

    request: Request
    loads: list[tuple[int, bool]] = field(default_factory=list)  # (status, is a challenge)
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookie: str | None = None
    inflight: int = 0
    last_activity: float = field(default_factory=time.monotonic)
    file: Fetched | None = None  # the page turned out to be a file: handed over as it is
    ip_address: str | None = None

    @property
    def lifted(self) -> bool:
        """A challenge came first and a real page after it."""
        return len(self.loads) > 1 and self.loads[0][1] and not self.loads[-1][1]


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, started lazily and answering the page's requests itself."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.crawler = crawler
        self.executable = find_chromium(settings.get("XXGK_BROWSER_EXECUTABLE", ""))
        self.unavailable: str | None = None
        if self.executable is None:
            self.unavailable = (
                "no chromium executable (install Debian's chromium, or set XXGK_BROWSER_EXECUTABLE)"
            )
        else:
            self.config.launch_options = {
                "executable_path": dying_with_parent(self.executable),
                "args": list(LAUNCH_ARGS),
                "headless": True,
                "handle_sigint": False,
                "handle_sigterm": False,
            }
        self.page_timeout = settings.getfloat("XXGK_BROWSER_PAGE_TIMEOUT", 30.0)
        self.max_loads = settings.getint("XXGK_BROWSER_MAX_LOADS", 6)
        self.config.max_pages_per_context = settings.getint("XXGK_BROWSER_PAGES", 2)
        self.config.navigation_timeout_ms = self.page_timeout * 1000
        # The resolver's table, built from the same settings: the browser's requests are
        # refused exactly where plain ones are.
        policy = AddressPolicy()
        policy.configure(
            settings.getlist("XXGK_RESOLVE"),
            settings.getbool("XXGK_ALLOW_PRIVATE_ADDRESSES"),
            settings.getbool("XXGK_RESOLVE_ONLY"),
            settings.getlist("XXGK_ALLOWED_NETWORKS"),
        )
        self.fetcher = GuardedFetcher(
            policy,
            FetchLimits(
                timeout=settings.getfloat("DOWNLOAD_TIMEOUT"),
                maxsize=settings.getint("DOWNLOAD_MAXSIZE"),
                verify_tls=settings.getbool("DOWNLOAD_VERIFY_CERTIFICATES"),
            ),
        )
        self.user_agent = settings.get("USER_AGENT")
        self._start_lock = asyncio.Lock()
        self._started = False
        self._visits: dict[int, Visit] = {}
        self._robots: RobotsTxtMiddleware | bool | None = None

    async def _maybe_launch_in_thread(self) -> None:
        """Nothing at engine start: Playwright and chromium start with the first page."""

    async def _start(self) -> None:
        async with self._start_lock:
            if self._started or self.unavailable:
                return
            try:
                await self._launch()
                await self._maybe_launch_browser()
            except Exception as exc:  # a broken install: every browser page says why
                self.unavailable = f"{self.executable} did not start: {str(exc)[:300]}"
                return
            self._started = True
            self.stats.inc_value("xxgk/browser/started")

    async def _download_request(self, request: Request, spider=None) -> Response:
        await self._start()
        if self.unavailable:
            raise fe.BrowserUnavailable(self.unavailable)
        visit = self._visits[id(request)] = Visit(request)
        token = _current.set(request)
        self.stats.inc_value("xxgk/browser/pages")
        try:
            async with _page_slots(self.config.max_pages_per_context):
                return await asyncio.wait_for(
                    super()._download_request(request, spider), self.page_timeout * 2
                )
        except (PlaywrightError, TimeoutError) as exc:
            if visit.file is not None:
                return file_response(request, visit.file)
            if isinstance(exc, TimeoutError):
                raise fe.BrowserPageTimeout(
                    f"{request.url} did not load within {self.page_timeout * 2:.0f} s"
                ) from exc
            raise
        finally:
            _current.reset(token)
            self._visits.pop(id(request), None)
            request.meta["xxgk_browser_loads"] = len(visit.loads)
            request.meta["xxgk_browser_lifted"] = visit.lifted
            request.meta["xxgk_browser_cookie"] = visit.cookie

    async def _create_browser_context(self, name, context_kwargs, spider=None):
        kwargs = {
            **(context_kwargs or {}),
            "user_agent": self.user_agent,
            "accept_downloads": False,
            "service_workers": "block",
            "java_script_enabled": True,
        }
        return await super()._create_browser_context(name, kwargs, spider)

    async def _apply_page_methods(self, page, request: Request, spider) -> None:
        await self._settle(page, self._visits[id(request)])
        await super()._apply_page_methods(page, request, spider)

    async def _settle(self, page, visit: Visit) -> None:
        """Until the scripts are done: no request in flight for a moment, the last document is
        not a challenge that is about to reload (or the loads are used up), and it has loaded."""
        deadline = time.monotonic() + self.page_timeout
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            quiet = visit.inflight == 0 and time.monotonic() - visit.last_activity > QUIET_SECONDS
            reloading = bool(visit.loads) and visit.loads[-1][1]
            if quiet and (not reloading or len(visit.loads) >= self.max_loads):
                break
            if reloading and quiet and time.monotonic() - visit.last_activity > 3.0:
                break  # a challenge page that does not reload itself
        else:
            self.stats.inc_value("xxgk/browser/page_timeout")
        try:
            await page.wait_for_load_state("load", timeout=2000)
        except PlaywrightError:
            pass  # a page still busy: its DOM as it stands is what there is

    async def _download_request_with_page(self, request: Request, page, spider) -> Response:
        response = await super()._download_request_with_page(request, page, spider)
        visit = self._visits[id(request)]
        if visit.file is not None:  # e.g. a challenge first, then the PDF it guarded
            return file_response(request, visit.file)
        if not visit.loads:
            return response
        # scrapy-playwright reports the first document (the 412 of a challenge); the page that
        # was rendered is the last one.
        headers = Headers(joined(visit.headers))
        headers["Content-Type"] = "text/html; charset=utf-8"  # the DOM, serialised as UTF-8
        return response.replace(
            status=visit.loads[-1][0],
            headers=headers,
            body=response.text.encode("utf-8"),
            encoding="utf-8",
            ip_address=ipaddress.ip_address(visit.ip_address) if visit.ip_address else None,
        )

    def _make_request_handler(self, *args, **kwargs):
        """scrapy-playwright's route handler would let chromium fetch; this one fetches."""
        visit = self._visits[id(_current.get())]

        async def handle(route, pw_request) -> None:
            await self._route(route, pw_request, visit)

        return handle

    async def _route(self, route, pw_request, visit: Visit) -> None:
        kind = pw_request.resource_type
        main = pw_request.is_navigation_request() and pw_request.frame.parent_frame is None
        if kind not in ALLOWED_RESOURCES or (kind == "document" and not main):
            self.stats.inc_value(f"xxgk/browser/blocked/{kind}")
            await _quietly(route.abort("blockedbyclient"))
            return
        if main and len(visit.loads) >= self.max_loads:
            self.stats.inc_value("xxgk/browser/loads_exhausted")
            await _quietly(route.abort("blockedbyclient"))
            return
        visit.inflight += 1
        visit.last_activity = time.monotonic()
        try:
            if not main and not await self._robots_allow(pw_request.url):
                # As for plain requests: counted, not a fetch (nothing was asked of the server).
                self.stats.inc_value("xxgk/browser/robots_forbidden")
                await _quietly(route.abort("blockedbyclient"))
                return
            headers = await pw_request.all_headers()
            try:
                fetched = await self.fetcher.fetch(
                    pw_request.method, pw_request.url, headers, pw_request.post_data_buffer
                )
            except (BrowserRequestRefused, BrowserFetchFailed) as exc:
                refused = isinstance(exc, BrowserRequestRefused)
                self.stats.inc_value(f"xxgk/browser/{'refused' if refused else 'failed'}")
                self._record(visit, pw_request, None, str(exc))
                reason = "addressunreachable" if refused else "failed"
                await _quietly(route.abort(reason))
                return
            content_type = fetched.header("Content-Type") or ""
            self._record(visit, pw_request, fetched, None)
            if main:
                if not content_type.lower().startswith(HTML_TYPES) and fetched.status < 300:
                    visit.file = fetched  # a file, not a page: no download in the browser
                    await _quietly(route.abort("blockedbyclient"))
                    return
                if not 300 <= fetched.status < 400:
                    visit.loads.append((fetched.status, is_challenge(fetched)))
                    visit.headers = fetched.headers
                    visit.cookie = headers.get("cookie")
                    visit.ip_address = fetched.ip_address
            await _quietly(
                route.fulfill(
                    status=fetched.status,
                    headers=joined(fetched.headers),
                    body=fetched.body,
                )
            )
        finally:
            visit.inflight -= 1
            visit.last_activity = time.monotonic()

    async def _robots_allow(self, url: str) -> bool:
        """robots.txt for a page's own requests (its scripts, XHR), by Scrapy's middleware: the
        page itself went through it as a Scrapy request."""
        if not self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            return True
        if self._robots is None:
            middlewares = self.crawler.engine.downloader.middleware.middlewares
            found = [m for m in middlewares if isinstance(m, RobotsTxtMiddleware)]
            self._robots = found[0] if found else False
        if not self._robots:
            return True
        probe = Request(url, headers={"User-Agent": self.user_agent})
        try:
            await self._robots.process_request(probe)
        except IgnoreRequest:
            return False
        return True

    def _record(self, visit: Visit, pw_request, fetched: Fetched | None, error: str | None) -> None:
        """One fetches row per exchange the browser made; the bytes in the raw store."""
        session = session_of(self.crawler)
        row = {
            "url": pw_request.url,
            "school_code": visit.request.meta.get("xxgk_school"),
            "kind": f"resource:{pw_request.resource_type}",
            "method": pw_request.method,
            "crawl_id": session.crawl_id,
            "via": "browser",
            "error": error,
        }
        if fetched is not None:
            sha = session.archive.store_raw(fetched.body)
            row.update(
                final_url=fetched.url,
                status=fetched.status,
                content_type=fetched.header("Content-Type"),
                content_length=len(fetched.body),
                size=len(fetched.body),
                sha256=sha,
                ip_address=fetched.ip_address,
                etag=fetched.header("ETag"),
                last_modified=fetched.header("Last-Modified"),
                content_disposition=fetched.header("Content-Disposition"),
            )
            if pw_request.resource_type == "document":
                row["error"] = challenge_text(fetched)
        session.archive.record_fetch(row)
        self.stats.inc_value("xxgk/browser/requests")


async def _quietly(action) -> None:
    """A page closed meanwhile (timeout, crawl ending): its pending routes do not matter."""
    try:
        await action
    except PlaywrightError:
        pass
