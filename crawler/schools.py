"""The ministry's school list (全国普通高等学校名单) as archive rows and portal guesses."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.registry import RegistryError, School, registrable_domain

MINISTRY_COLUMNS = ("code", "name", "authority", "province", "city", "level")
# Optional registry columns the crawl copies into `schools` (facets and filters use them).
ATTRIBUTE_COLUMNS = ("province", "city", "authority", "level")
PORTAL_PREFIXES = ("xxgk", "xwgk", "dzxxgk")


@dataclass(frozen=True)
class MinistrySchool:
    code: str
    name: str
    authority: str
    province: str
    city: str
    level: str
    website: str

    @property
    def domain(self) -> str:
        return registrable_domain(self.website) if self.website else ""

    def portal_candidates(self) -> list[str]:
        """Where a disclosure portal usually is: xxgk.<domain> and its variants (portals.md)."""
        if not self.domain:
            return []
        scheme = urlsplit(self.website).scheme or "http"
        port = urlsplit(self.website).port
        suffix = f":{port}" if port else ""
        return [f"{scheme}://{prefix}.{self.domain}{suffix}/" for prefix in PORTAL_PREFIXES]

    def as_row(self) -> dict[str, str]:
        return {
            "code": self.code,
            "name": self.name,
            "authority": self.authority,
            "province": self.province,
            "city": self.city,
            "level": self.level,
            "website": self.website,
            "domain": self.domain,
        }


def read_ministry_list(path: str | Path) -> list[MinistrySchool]:
    """Read the list's CSV (the format of institutions_2025.csv); `website` may be empty."""
    try:
        handle = Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise RegistryError(f"cannot read school list {path}: {exc.strerror}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in MINISTRY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise RegistryError(f"{path}: missing column(s) {', '.join(missing)}")
        schools = []
        for line, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip()
            if not (code.isdigit() and len(code) == 10):
                raise RegistryError(f"{path}:{line}: code {code!r} is not a 10-digit 学校标识码")
            website = (row.get("website") or "").strip()
            if website and "//" not in website:
                website = "http://" + website
            schools.append(
                MinistrySchool(
                    code=code,
                    name=row["name"].strip(),
                    authority=(row.get("authority") or "").strip(),
                    province=(row.get("province") or "").strip(),
                    city=(row.get("city") or "").strip(),
                    level=(row.get("level") or "").strip(),
                    website=website,
                )
            )
    return schools


def write_registry(path: str | Path, rows: list[dict[str, str]]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "name", "portal_url"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in ("code", "name", "portal_url")})


def registry_attributes(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """School code -> the attribute columns a registry CSV fills (the bundled one by default).

    Only non-empty values: a registry without the columns never blanks what `xxgk schools
    import` stored.
    """
    try:
        if path is None:
            text = resources.files("crawler").joinpath("data/registry.csv").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8-sig")
    except OSError:
        return {}  # load_registry already reported an unreadable registry
    found: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(text.lstrip("\ufeff").splitlines()):
        values = {c: (row.get(c) or "").strip() for c in ATTRIBUTE_COLUMNS}
        values = {c: v for c, v in values.items() if v}
        if values and (row.get("code") or "").strip():
            found[row["code"].strip()] = values
    return found


def upsert_registry_schools(archive: Any, schools: Iterable[School], registry: str | None) -> None:
    """The crawl's schools into `schools`, with the registry's attributes where it has them."""
    attributes = registry_attributes(registry or None)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for s in schools:
        row = {
            "code": s.code,
            "name": s.name,
            "portal_url": s.portal_url,
            "domain": " ".join(sorted(s.domains)),
            **attributes.get(s.code, {}),
        }
        groups.setdefault(tuple(sorted(row)), []).append(row)
    # One upsert per column set: sqlite-utils would write NULL into a column a row lacks.
    for rows in groups.values():
        archive.upsert_schools(rows)
