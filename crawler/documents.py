"""Which fetched file carries the report, what it is called and what type it really is."""

from __future__ import annotations

from scrapy.http import Response, TextResponse

from archive import SourceFile
from parsers.dispatch import sniff
from parsers.errors import ParseError
from parsers.filenames import file_name
from parsers.formats import DOCUMENT_FORMATS, FORMAT_MIME, format_of_mime
from parsers.metadata import is_annual_disclosure_report

REPORT_TYPES = {FORMAT_MIME[f] for f in DOCUMENT_FORMATS}


def sniff_format(body: bytes) -> str | None:
    """The real type from the bytes (portal URLs and headers often say nothing useful)."""
    try:
        return FORMAT_MIME.get(sniff(body))
    except ParseError:
        return None


def format_of(content_type: str | None) -> str:
    """The archive's `format` for a content type recorded by `real_content_type`."""
    return format_of_mime(content_type) or "other"


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


def file_name_for(response: Response, url: str, link_name: str | None) -> str | None:
    """The fetched file's name (parsers.filenames decides; the link text first)."""
    return file_name(
        disposition=response.headers.get(b"Content-Disposition"), url=url, link_text=link_name
    )


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
