"""The world's data model: served resources, ground truth, and the World container."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlsplit

# Absolute links to another host need the server's port, known only when serving; pages carry
# this token and the server substitutes the port (documents never contain it).
PORT_TOKEN = "__FW_PORT__"


@dataclass(frozen=True)
class Flaky:
    """The first `times` requests of a resource get this answer instead of the real one."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    times: int = 1


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    modified: date = date(2024, 11, 1)
    flaky: Flaky | None = None
    # viewer.html and the like answer whatever query string they are given.
    any_query: bool = False

    @property
    def last_modified(self) -> datetime:
        return datetime(self.modified.year, self.modified.month, self.modified.day, 8, tzinfo=UTC)


@dataclass(frozen=True)
class ExpectedReport:
    """Ground truth for one school × year: the whole `reports` row a correct crawl stores.

    `page_url_path` is the first-published article; when the same report was posted again (or
    an English copy carries the same bytes), the other articles are in `alt_page_url_paths` and
    finding the report through any of them is correct. For a PDF linked straight from a column
    page (no article) `page_url_path` is that column page.
    """

    school_code: str
    school_name: str
    year: int
    title: str
    page_url_path: str
    host: str
    file_path: str | None
    file_name: str | None
    format: str
    sha256: str | None  # of the file; None when the article page itself is the report
    published: date
    label: str  # the statistics period as the title names it: 2023年度, 2022-2023学年
    period_start: date
    period_end: date
    pages: int | None  # PDF pages; None for .docx, HTML and a broken file
    # The exact text a correct parser returns (`ReportText.paragraphs`, one per line), None
    # for a broken file: nothing can be read from it.
    text: str | None
    broken: bool = False
    alt_page_url_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchoolSite:
    code: str
    name: str
    host: str
    portal_path: str
    family: str


def query_key(path_and_query: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Normalise a request target so that `?a=1&b=2` and `?b=2&a=1` reach the same page."""
    parts = urlsplit(path_and_query)
    return parts.path or "/", tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


@dataclass
class World:
    """Everything the fixture portals serve, keyed by (host, path?query)."""

    resources: dict[tuple[str, str], Resource] = field(default_factory=dict)
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    schools: list[SchoolSite] = field(default_factory=list)
    mirrors: list[str] = field(default_factory=list)  # spam-mirror hosts, not schools
    reports: list[ExpectedReport] = field(default_factory=list)
    lookalikes: list[str] = field(default_factory=list)
    disallowed: list[tuple[str, str]] = field(default_factory=list)

    def add_page(
        self,
        host: str,
        path: str,
        html: str,
        *,
        encoding: str = "utf-8",
        charset: str | None = None,
        modified: date = date(2024, 11, 1),
        flaky: Flaky | None = None,
        status: int = 200,
        any_query: bool = False,
    ) -> None:
        """An HTML page; `charset` is what the header declares (defaults to the real one)."""
        ctype = f"text/html; charset={charset or encoding}"
        self._put(
            host,
            path,
            Resource(html.encode(encoding), ctype, status, (), modified, flaky, any_query),
        )

    def add_file(
        self,
        host: str,
        path: str,
        data: bytes,
        content_type: str,
        *,
        disposition: str | None = None,
        modified: date = date(2024, 11, 1),
        flaky: Flaky | None = None,
    ) -> None:
        headers = (("Content-Disposition", disposition),) if disposition else ()
        self._put(host, path, Resource(data, content_type, 200, headers, modified, flaky))
        self.files[(host, path)] = data

    def add_text(self, host: str, path: str, text: str) -> None:
        self._put(host, path, Resource(text.encode(), "text/plain; charset=utf-8"))

    def _put(self, host: str, path: str, resource: Resource) -> None:
        if (host, path) in self.resources:
            raise ValueError(f"duplicate resource {host}{path}")
        self.resources[(host, path)] = resource

    @property
    def hosts(self) -> list[str]:
        return sorted({host for host, _ in self.resources})

    def expected_reports(self) -> list[ExpectedReport]:
        return list(self.reports)

    def mirror_hosts(self) -> list[str]:
        """Hosts cloning a school's portal on an unrelated domain: nothing there is a report."""
        return list(self.mirrors)

    def lookalike_titles(self) -> list[str]:
        return list(self.lookalikes)

    def disallowed_paths(self) -> list[tuple[str, str]]:
        return list(self.disallowed)

    def lookup(self, host: str, target: str) -> Resource | None:
        found = self.find(host, target)
        return found[1] if found else None

    def find(self, host: str, target: str) -> tuple[tuple[str, str], Resource] | None:
        """The key and resource for a request target, matching query parameters in any order."""
        found = self.resources.get((host, target))
        if found is not None:
            return (host, target), found
        wanted = query_key(target)
        for (h, path), resource in self.resources.items():
            if h != host:
                continue
            key = query_key(path)
            if key == wanted or (resource.any_query and key[0] == wanted[0]):
                return (h, path), resource
        return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
