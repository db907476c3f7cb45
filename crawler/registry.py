"""The registry: which schools to crawl and where their portals are (one CSV row per school)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import tldextract

from parsers import families

REQUIRED_COLUMNS = ("code", "name", "portal_url")
# A row names one of the spec's families, or none (the generic spider takes it).
FAMILIES = (*families.FAMILIES, "")

# The bundled public-suffix snapshot only: tldextract would otherwise fetch the list online.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class RegistryError(ValueError):
    """The registry file cannot be used as it is; the message says which row and why."""


def registrable_domain(url_or_host: str) -> str:
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    return _host_domain((host or "").lower().rstrip("."))


@lru_cache(maxsize=4096)
def _host_domain(host: str) -> str:
    # Asked once per link: a list page of 100,000 links has a handful of hosts.
    parts = _EXTRACT(host)
    domain = parts.top_domain_under_public_suffix
    return domain or host


@dataclass(frozen=True)
class School:
    code: str
    name: str
    portal_url: str
    family: str = ""
    extra_domains: tuple[str, ...] = field(default=())
    render: str = ""  # "browser": every page of this portal through the browser path

    @cached_property
    def domains(self) -> frozenset[str]:
        return frozenset({registrable_domain(self.portal_url), *self.extra_domains})

    def owns(self, url: str) -> bool:
        """True when the URL's host is tied to the school's registered domain(s)."""
        return registrable_domain(url) in self.domains


def parse_registry(text: str, source: str = "registry") -> list[School]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{source}: missing column(s) {', '.join(missing)}")
    schools = []
    for line, row in enumerate(reader, start=2):
        code, name, url = (row[c].strip() if row[c] else "" for c in REQUIRED_COLUMNS)
        if not (code and name and url):
            raise RegistryError(f"{source}:{line}: code, name and portal_url are all required")
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"{source}:{line}: portal_url {url!r} is not an http(s) URL")
        family = (row.get("family") or "").strip().lower()
        if family not in FAMILIES:
            raise RegistryError(f"{source}:{line}: unknown family {family!r}")
        extra = tuple(d.strip().lower() for d in (row.get("domains") or "").split() if d.strip())
        render = (row.get("render") or "").strip().lower()
        if render not in ("", "browser"):
            raise RegistryError(f"{source}:{line}: render {render!r} is not 'browser' or empty")
        schools.append(School(code, name, url, family, extra, render))
    return schools


def load_registry(path: str | Path | None = None) -> list[School]:
    """Read a registry CSV (header code,name,portal_url; optional family, domains)."""
    if path is None:
        text = resources.files("crawler").joinpath("data/registry.csv").read_text("utf-8")
        return parse_registry(text, "bundled registry")
    try:
        text = Path(path).read_text("utf-8-sig")
    except OSError as exc:
        raise RegistryError(f"cannot read registry {path}: {exc.strerror}") from exc
    return parse_registry(text, str(path))


def school_for_portal(url: str, registry: list[School]) -> School:
    """A registry row for an ad-hoc --portal URL: the known school, else one named by its host."""
    domain = registrable_domain(url)
    for school in registry:
        if domain in school.domains:
            return School(
                school.code, school.name, url, school.family, school.extra_domains, school.render
            )
    host = urlsplit(url).hostname or url
    return School(code=host, name=host, portal_url=url)
