"""The shape every parser returns: one ParsedDocument per file, plain data, JSON-ready."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Stable keys of the ministry's standard sections (reports.md), in report order.
SECTION_KEYS = (
    "overview",
    "proactive",
    "on_request",
    "review",
    "complaints",
    "improvements",
    "other",
    "checklist",
)


@dataclass
class Section:
    key: str
    heading: str
    text: str


@dataclass
class Figure:
    name: str
    value: int
    evidence: str


@dataclass
class Table:
    rows: list[list[str]]
    page: int | None = None


@dataclass
class Extracted:
    """What a format extractor hands to the report analysis: clean text and layout facts."""

    text: str
    format: str
    pages: int | None = None
    title: str | None = None
    published: str | None = None
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractor: str = ""


@dataclass
class ParsedDocument:
    text: str
    format: str
    parser: str
    parser_version: str
    title: str | None = None
    school: str | None = None
    label: str | None = None
    year: int | None = None
    period_start: str | None = None
    period_end: str | None = None
    published: str | None = None
    pages: int | None = None
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
