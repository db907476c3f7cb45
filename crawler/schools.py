"""The ministry's school list (全国普通高等学校名单) as archive rows and portal guesses."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.registry import RegistryError, registrable_domain

MINISTRY_COLUMNS = ("code", "name", "authority", "province", "city", "level")
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
