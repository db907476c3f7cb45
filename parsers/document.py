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
    # Figures read from a table point at the cell: the table's index in `tables`, the row's
    # label (its label cells joined by " / ") and the column's label.
    table: int | None = None
    row: str | None = None
    column: str | None = None


@dataclass
class Table:
    """A printed table: merged cells are one cell in their first position, the positions they
    cover hold "". `page` is the first page, `pages` every page it runs over; the first
    `header_rows` rows are column headings, the rest the body."""

    rows: list[list[str]]
    page: int | None = None
    pages: list[int] = field(default_factory=list)
    header_rows: int = 0

    def __post_init__(self) -> None:
        if not self.pages and self.page is not None:
            self.pages = [self.page]


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
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text OCR read


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
    published_source: str | None = None  # "page", "signature", "signature block" or None
    pages: int | None = None
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
