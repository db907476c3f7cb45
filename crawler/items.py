"""What spiders yield besides requests; pipelines and extensions write each to the archive.

A spider never writes: it yields these (or, for the observations, keeps them for the session
to record when it closes), so its decisions are tested by looking at what it yields.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.health import PortalObservation
from archive.reports import ReportCandidate, SourceFile

__all__ = [
    "KnownReport",
    "PortalFound",
    "PortalObservation",
    "RemovalNotice",
    "ReportCandidate",
    "SkippedLink",
    "SourceFile",
]


@dataclass(frozen=True)
class SkippedLink:
    """A link deliberately not fetched: a fetches row without status or body, with the reason."""

    url: str
    school: str
    kind: str
    reason: str


@dataclass(frozen=True)
class RemovalNotice:
    """A known report's page answered 404/410: the report is marked removed, not deleted."""

    url: str
    reason: str


@dataclass(frozen=True)
class PortalFound:
    """`xxgk schools import`: the disclosure portal found for a ministry-listed school."""

    school: str
    portal_url: str


@dataclass(frozen=True)
class KnownReport:
    """A report archived by an earlier crawl, re-checked at its own page."""

    page_url: str
    title: str
    published: str | None


@dataclass(frozen=True)
class PortalMemory:
    """What earlier crawls left of one portal, handed to the spider when it starts: empty for a
    full crawl or a portal never crawled."""

    # An earlier crawl of the portal ran to its end, so a list walk may stop at a known report.
    completed_before: bool = False
    # Every article and file URL that already carried a report of the school.
    report_urls: frozenset[str] = frozenset()
    report_pages: tuple[KnownReport, ...] = ()
