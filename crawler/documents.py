"""Which fetched file carries the report, what it is called and what type it really is."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from scrapy.http import Response, TextResponse

from archive import SourceFile
from crawler.extract import file_name_from_url
from parsers.dispatch import sniff
from parsers.errors import ParseError
from parsers.metadata import is_annual_disclosure_report

# The formats the parsers tell apart, as the content types the archive records.
FORMAT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/vnd.ms-works",
    "html": "text/html",
}
REPORT_TYPES = {FORMAT_TYPES[f] for f in ("pdf", "docx", "doc", "wps")}


def sniff_format(body: bytes) -> str | None:
    """The real type from the bytes (portal URLs and headers often say nothing useful)."""
    try:
        return FORMAT_TYPES.get(sniff(body))
    except ParseError:
        return None


def format_of(content_type: str | None) -> str:
    """The archive's `format` for a content type recorded by `real_content_type`."""
    kind = (content_type or "").split(";")[0].strip()
    return next((f for f, t in FORMAT_TYPES.items() if t == kind), "other")


def is_html_page(response: Response) -> bool:
    """A page to read links from. Scrapy makes PDFs TextResponses too, so the bytes decide."""
    if not isinstance(response, TextResponse):
        return False
    sniffed = sniff_format(response.body)
    if sniffed is not None:
        return sniffed == "text/html"
    header = response.headers.get(b"Content-Type") or b""
    return header.split(b";")[0].strip().lower() in (b"text/html", b"application/xhtml+xml")


def real_content_type(response: Response) -> str | None:
    sniffed = sniff_format(response.body)
    header = response.headers.get(b"Content-Type")
    declared = header.decode("latin-1").split(";")[0].strip().lower() if header else None
    return sniffed or declared


def sanitise_file_name(name: str | None) -> str | None:
    """A bare file name: no directories, no control characters, no leading dots."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:200] or None


def disposition_file_name(value: bytes | None) -> str | None:
    """The file name of a Content-Disposition header (RFC 6266 / 5987, or raw GBK/UTF-8 bytes)."""
    if not value:
        return None
    text = value.decode("latin-1")
    extended = re.search(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", text, re.IGNORECASE)
    if extended:
        charset, encoded = extended.groups()
        try:
            return unquote(encoded.strip().strip('"'), encoding=charset, errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    plain = re.search(r"filename\s*=\s*(\"[^\"]*\"|[^;]+)", text, re.IGNORECASE)
    if not plain:
        return None
    raw = unquote(plain.group(1).strip().strip('"'), encoding="latin-1").encode("latin-1")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def file_name_for(response: Response, url: str, link_name: str | None) -> str | None:
    name = (
        link_name
        or disposition_file_name(response.headers.get(b"Content-Disposition"))
        or file_name_from_url(url)
    )
    return sanitise_file_name(name)


def _is_report_file(source: SourceFile) -> bool:
    return (source.content_type or "").split(";")[0] in REPORT_TYPES


def choose_source(
    article: SourceFile, files: list[SourceFile]
) -> tuple[SourceFile, list[SourceFile]]:
    """The report's own file if the article carries one, else the article page itself."""
    documents = [f for f in files if _is_report_file(f)]
    named = [f for f in documents if f.file_name and is_annual_disclosure_report(f.file_name)]
    chosen = (named or documents or [article])[0]
    others = [f for f in [article, *files] if f is not chosen]
    return chosen, others
