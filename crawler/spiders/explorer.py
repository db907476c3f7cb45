"""How a portal spider finds the reports of a portal it was never tuned on.

`ExplorerMixin` goes before `BasePortalSpider` (the plumbing) in the portal spiders' bases.
From the home page it explores breadth first (`crawler.explore`: scored links, frames and
redirects, bounded depth and budget), recognises a report column by its content
(`crawler.listing`), walks its pagination in every shape (`crawler.paging`), reads each
article whole and refuses pages that are no article (`crawler.article`). What it decides is
recorded as named reasons: pages that are no article, a moved portal, a scheme fallback, a
robots.txt refusal.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler import extract, pagers
from crawler import fetch_errors as fe
from crawler.article import continuation_pages, page_problem
from crawler.documents import is_html_page, real_content_type
from crawler.explore import Exploration, candidates
from crawler.extract import is_document_url
from crawler.fetch_errors import PortalMoved, RobotsDisallowed, SchemeFallback
from crawler.guards import report_link_key
from crawler.items import SourceFile
from crawler.listing import Listing, english_year, read_listing
from crawler.middlewares import FETCH_ERROR
from crawler.paging import next_pages

MAX_ARTICLE_PAGES = 30
_YEAR = re.compile(r"(19|20)\d\d|[〇○零一二三四五六七八九]{4}")
# TLS spoken to a plain-HTTP server fails in the handshake with these (a certificate that
# does not verify is a server that does speak TLS: no fallback then).
_NOT_TLS = ("wrong version number", "unknown protocol", "http request", "packet length too long")


def scheme_mismatch(url: str, exc: BaseException, recorded: str | None = None) -> str | None:
    """Why the portal's scheme seems not to be the one its host speaks, or None: https on an
    HTTP-only host (refused, or a handshake answered in plain HTTP), or http on an HTTPS-only
    port (refused, reset, or nginx's `400 The plain HTTP request was sent to HTTPS port`).
    `recorded` is the fetch log's reason when it has one (a refusal by the address policy is
    no scheme problem)."""
    from crawler.responses import exception_reason

    response = getattr(exc, "response", None)
    https = url.startswith("https:")
    if response is not None:
        said = response.body[:2000].lower()
        if not https and response.status in (400, 497) and b"https" in said:
            return f"HTTP {response.status} asking for HTTPS"
        return None
    reason = recorded or exception_reason(exc)
    name = reason.split(":")[0]
    if name == "ConnectionRefused":
        return name
    if https and name == "TLSError" and any(m in reason.lower() for m in _NOT_TLS):
        return "TLS handshake answered by a plain-HTTP server"
    if not https and name == "ConnectionReset":
        return name
    return None


def _other_scheme(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="http" if parts.scheme == "https" else "https"))


def report_items(listing: Listing):
    """Report links of a page: report titles that name a year (a bare `信息公开年度报告` link
    is the column, not a report)."""
    return [
        item for item in listing.reports if _YEAR.search(item.title) or english_year(item.title)
    ]


class ExplorerMixin:
    """Exploration, general lists and pagination, whole articles (see the module docstring)."""

    def _exploration(self, school) -> Exploration:
        explorations = self.__dict__.setdefault("_explorations", {})
        if school.code not in explorations:
            explorations[school.code] = Exploration(
                budget=self.settings.getint("XXGK_EXPLORE_BUDGET"),
                max_depth=self.settings.getint("XXGK_EXPLORE_DEPTH"),
            )
        return explorations[school.code]

    def _skip(self, url: str, school, kind: str, reason: str):
        """A named reason in the fetch log (the base class records it or yields the item)."""
        return self._note(url, school, kind, reason) or ()

    def _portal_event(self, url: str, school, kind: str, reason: str):
        """A fact about the portal itself: in the fetch log and in its health row's notes."""
        self.observed[school.code].note(reason)
        return self._skip(url, school, kind, reason)

    # -- exploration -------------------------------------------------------------------------
    def parse_home(self, response: Response, school, depth: int, column: bool = False):
        if not is_html_page(response):
            return
        if not school.owns(response.url):
            yield from self._offsite(response.url, school, "home") or ()
            return
        seen = self.observed[school.code]
        if depth == 0 and response.meta.get("xxgk_kind", "home") == "home":
            seen.home_status, seen.home_error = response.status, None  # (after a fallback)
            yield from self._portal_moved(response, school)
        explore = self._exploration(school)
        explore.start(response.url)
        listing = read_listing(response.url, response.text)
        reports = report_items(listing)
        yield from self._report_requests(response, school, reports)
        # A report column: report titles among its dated items, or the page a column link
        # led to (its first page may hold only notices: the reports are further on).
        if (reports and (listing.is_list or listing.is_report_column)) or (
            column and (listing.dated or reports)  # an undated column still lists reports
        ):
            seen.column_found = True
            if depth > 0:  # a home page's box is no list to page through
                yield from self._list_pages(response, school, response.url)
        for candidate, next_depth in explore.next_fetches(
            depth, candidates(response.url, response.text), school.owns
        ):
            seen.column_found = seen.column_found or candidate.why == "column"
            yield self._request(
                school,
                candidate.url,
                self.parse_home,
                "list" if candidate.why == "column" else "hub",
                depth=next_depth,
                column=candidate.why == "column",
            )

    def parse_list(self, response: Response, school, column: str, follow_pages: bool = True):
        """A further page of a list: its reports and its own further pages."""
        if not is_html_page(response) or not school.owns(response.url):
            return
        listing = read_listing(response.url, response.text)
        yield from self._report_requests(response, school, report_items(listing))
        if follow_pages:
            yield from self._list_pages(response, school, column)

    def _report_requests(self, response: Response, school, reports):
        seen = self.observed[school.code]
        known = self.known.get(school.code, set())
        met_known = False
        # ReportCapMiddleware refuses (and records) links past the cap per report; more than
        # one past it on a page would be refused unseen, so they are not built at all (a
        # flood page's 100,000 requests cost the reactor seconds).
        cap = self.settings.getint("XXGK_MAX_LINKS_PER_REPORT")
        per_report: Counter = Counter()
        for item in reports:
            met_known = met_known or item.url in known
            if cap:
                key = report_link_key(item.title)
                per_report[key] += 1
                if per_report[key] > cap + 1:
                    continue
            if not school.owns(item.url):
                yield from self._offsite(item.url, school, "article") or ()
                continue
            self.crawler.stats.inc_value("xxgk/report_links")
            seen.report_links += 1
            if is_document_url(item.url):
                yield self._request(
                    school,
                    item.url,
                    self.parse_direct_file,
                    "attachment",
                    title=item.title,
                    page_url=response.url,
                    published=item.date,
                )
            else:
                yield self._request(
                    school,
                    item.url,
                    self.parse_article,
                    "article",
                    title=item.title,
                    published=item.date,
                )
        response.meta["xxgk_met_known"] = met_known

    def _list_pages(self, response: Response, school, column: str):
        seen = self.observed[school.code]
        seen.list_pages += 1
        if response.meta.get("xxgk_met_known") and school.code in self.stop_at_known:
            # Lists run newest first: past a known report, every older page is known too.
            self.crawler.stats.inc_value("xxgk/incremental/list_walk_stopped")
            return
        family = self.markup_for(response)
        cap = self.settings.getint("XXGK_MAX_LIST_PAGES")
        for url in next_pages(response.url, response.text, family.next_page):
            if not school.owns(url):
                continue
            count = self.list_pages.get(school.code, 0)
            if count >= cap:
                yield from self._list_page_cap(school, url, cap) or ()
                break
            self.list_pages[school.code] = count + 1
            yield self._request(school, url, self.parse_list, "list", column=column)
        yield from self._postbacks(response, school, column, cap)

    def _postbacks(self, response: Response, school, column: str, cap: int):
        """ASP.NET pagers: the form post replayed (crawler.pagers says why not a browser)."""
        current = response.meta.get("xxgk_postback_page", 1)
        for postback in pagers.postback_pages(response):
            key = ("postback", school.code, *postback.key)
            if (
                postback.page <= current
                or key in self.skipped
                or not school.owns(postback.form_action)
            ):
                continue
            count = self.list_pages.get(school.code, 0)
            if count >= cap:
                yield from self._list_page_cap(school, postback.form_action, cap) or ()
                break
            self.skipped.add(key)
            self.list_pages[school.code] = count + 1
            yield pagers.postback_request(
                response,
                postback,
                callback=self.parse_list,
                errback=self.on_error,
                meta={
                    "xxgk_school": school.code,
                    "xxgk_kind": "list",
                    "xxgk_postback_page": postback.page,
                },
                cb_kwargs={"school": school, "column": column},
            )

    # -- portal-level events -----------------------------------------------------------------
    def _portal_moved(self, response: Response, school):
        asked = (response.meta.get("redirect_urls") or [response.url])[0]
        before, after = urlsplit(asked), urlsplit(response.url)
        if (before.hostname, before.port) != (after.hostname, after.port):
            self.crawler.stats.inc_value("xxgk/portal_moved")
            yield from self._portal_event(
                asked,
                school,
                "home",
                str(
                    PortalMoved(f"{before.netloc} now answers from {after.scheme}://{after.netloc}")
                ),
            )

    def on_error(self, failure):
        yield from super().on_error(failure) or ()
        request = failure.request
        school = request.cb_kwargs.get("school")
        if school is None:
            return
        reason = str(failure.value)
        if isinstance(failure.value, IgnoreRequest) and "robots.txt" in reason:
            self.crawler.stats.inc_value("xxgk/robots_disallowed")
            kind = request.meta.get("xxgk_kind", "")
            yield from self._portal_event(
                request.url,
                school,
                kind,
                str(
                    RobotsDisallowed(
                        f"robots.txt of {urlsplit(request.url).netloc} forbids this "
                        f"{kind or 'page'}"
                    )
                ),
            )
            return
        if request.meta.get("xxgk_kind") != "home" or request.meta.get("xxgk_scheme_tried"):
            return
        failed = scheme_mismatch(request.url, failure.value, request.meta.get(FETCH_ERROR))
        if failed is None:
            return
        other = _other_scheme(request.url)
        self.crawler.stats.inc_value("xxgk/scheme_fallback")
        yield from self._portal_event(
            other,
            school,
            "home",
            str(SchemeFallback(f"{request.url} failed ({failed}), trying {other}")),
        )
        retry = request.replace(url=other, dont_filter=True)
        retry.meta["xxgk_scheme_tried"] = True
        yield retry

    # -- articles ----------------------------------------------------------------------------
    async def parse_article(self, response: Response, school, title: str, published):
        if is_html_page(response) and school.owns(response.url):
            problem = page_problem(response.url, response.text, response.status)
            if problem is not None:
                self.crawler.stats.inc_value(f"xxgk/not_an_article/{problem.split(':')[0]}")
                for note in self._skip(response.url, school, "article", problem):
                    yield note
                return
        async for item in super().parse_article(response, school, title, published):
            yield item

    async def _article_pages(self, response: Response, school) -> list[Response]:
        """The article's pages in order: the first, then each continuation page it (or a
        later page) links, each fetched once."""
        pages, queued = [response], continuation_pages(response.url, response.text)
        had = {response.url}
        while queued and len(pages) < MAX_ARTICLE_PAGES:
            url = queued.pop(0)
            if url in had or not school.owns(url):
                continue
            had.add(url)
            page = await self._fetch(school, url, "article")
            if page is None or not is_html_page(page) or page.status != 200:
                continue
            if page_problem(page.url, page.text, page.status) is not None:
                continue
            pages.append(page)
            queued += [u for u in continuation_pages(page.url, page.text) if u not in had]
        return pages

    async def _article_files(self, response: Response, school, *notes) -> list[SourceFile]:
        """Every page of the article (as `continuation` files, in order, after the first),
        then every attachment any of them links."""
        pages = await self._article_pages(response, school)
        files = [
            SourceFile(
                url=page.url,
                sha256=page.meta["xxgk_sha256"],
                role="continuation",
                page_url=response.url,
                content_type=real_content_type(page),
            )
            for page in pages[1:]
        ]
        cap = self.settings.getint("XXGK_MAX_LINKS_PER_REPORT")
        fetches = 0
        for page in pages:
            for link in extract.attachments(page):
                if not school.owns(link.url):
                    skipped = list(self._offsite(link.url, school, "attachment") or ())
                    if notes:
                        notes[0].extend(skipped)
                    continue
                if cap and fetches >= cap:  # an article linking thousands of "attachments"
                    reason = fe.ReportLinkCap(
                        f"{response.url[:200]} links more than {cap} attachments "
                        "(XXGK_MAX_LINKS_PER_REPORT); the rest are not fetched"
                    ).row()
                    skipped = list(self._note(link.url, school, "attachment", reason) or ())
                    if notes:
                        notes[0].extend(skipped)
                    return files
                fetches += 1
                fetched = await self._fetch(school, link.url, "attachment")
                if fetched is not None and fetched.status == 200:
                    files.append(
                        self._source(fetched, link.url, response.url, link.role, link.name)
                    )
        return files

    def _candidate(self, school, title, page_url, source, others, published):
        candidate = super()._candidate(school, title, page_url, source, others, published)
        if candidate.year is None and english_year(title):
            # An English version joins the report of its year (its file is the same report).
            candidate = dataclasses.replace(candidate, year=english_year(title))
        return candidate


__all__ = ["ExplorerMixin", "report_items"]
