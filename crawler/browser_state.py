"""What the browser path did in a crawl, per school, for portal health; and the two columns
it needs (`fetches.via`, `portal_health.browser`) until the schema carries them.

Kept apart from `crawler.browser_path` (a Scrapy middleware) so that the session, which
writes portal health, can read it without importing the middleware chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.crawler import Crawler


@dataclass
class BrowserState:
    """What the browser did in this crawl, per school: read by portal health."""

    mode: str
    hosts: set[str] = field(default_factory=set)  # always rendered (registry / setting)
    cookies: dict[str, str] = field(default_factory=dict)  # host -> Cookie the browser earned
    challenged: set[str] = field(default_factory=set)  # hosts whose challenge plain retries lose
    needed: dict[str, dict[str, int]] = field(default_factory=dict)  # school -> why -> pages
    defeated: dict[str, str] = field(default_factory=dict)  # school -> ChallengeDefeatsBrowser
    unavailable: dict[str, str] = field(default_factory=dict)  # school -> BrowserUnavailable

    def note(self, school: str | None, why: str) -> None:
        if school:
            reasons = self.needed.setdefault(school, {})
            reasons[why] = reasons.get(why, 0) + 1

    def summary(self, school: str) -> str | None:
        """For portal_health.browser: why the portal needed the browser, and how it went."""
        parts = [
            f"{why} ({n} page{'s' * (n > 1)})" for why, n in self.needed.get(school, {}).items()
        ]
        if school in self.defeated:
            parts.append(self.defeated[school])
        if school in self.unavailable:
            parts.append(self.unavailable[school])
        return "; ".join(parts) or None


def browser_state(crawler: Crawler) -> BrowserState | None:
    """The browser path's state, owned by its middleware (None with --browser never)."""
    from crawler.browser_path import BrowserPathMiddleware  # it imports this module

    middleware = crawler.get_downloader_middleware(BrowserPathMiddleware)
    return middleware.state if middleware is not None else None
