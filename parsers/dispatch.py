"""Which format a file really is, from its bytes first and its labels second.

Portals serve PDFs as `application/octet-stream`, HTML challenge pages as `application/pdf`,
and download URLs without extensions (VSB `download.jsp?...`), so the bytes decide; the
content type and file name only break ties the bytes leave open (.doc vs .wps, plain text).
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote, urlsplit

from parsers.archives import RAR_MAGIC, is_document_zip
from parsers.errors import BrokenDocument, UnsupportedFormat
from parsers.formats import FORMAT_MIME, format_of_mime, format_of_name

# zip/rar: attachments holding the report, told by their bytes only (parsers.archives).
FORMATS = (*FORMAT_MIME, "zip", "rar")  # pdf docx doc wps html text zip rar

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# OLE2 directory entries are UTF-16LE names; these tell a Word file from Excel/PowerPoint.
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_OTHER_OLE2 = {
    "Workbook".encode("utf-16-le"): "an Excel .xls workbook",
    "PowerPoint Document".encode("utf-16-le"): "a PowerPoint .ppt file",
}
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<meta|<title|<body|<div|<p[\s>]"
    rb"|<table|<script|<link|<style|<!--)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(rb"<(?:html|head|body|div|p|table|span|br)[\s/>]", re.IGNORECASE)


def claimed_format(content_type: str | None, filename: str | None, url: str | None) -> str | None:
    """What the labels claim: file name, then URL path, then content type."""
    for name in (filename, urlsplit(url).path if url else None):
        fmt = format_of_name(unquote(name)) if name else None
        if fmt:
            return fmt
    return format_of_mime(content_type)


def _zip_format(body: bytes, label: str | None) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if b"word/" in body or label == "docx":
            raise BrokenDocument(f"damaged or truncated .docx (zip): {exc}") from exc
        raise UnsupportedFormat("a damaged zip archive that is not recognisably a .docx") from exc
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat("an Excel .xlsx workbook, not a report document")
    if "OFD.xml" in names:
        raise UnsupportedFormat("an OFD document (GB/T 33190): OFD is not read yet")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormat("a PowerPoint .pptx file, not a report document")
    if is_document_zip(sorted(names)):
        return "zip"  # an attachment zipped, with the report inside (parsers.archives)
    raise UnsupportedFormat("a zip archive without word/document.xml (not a .docx)")


def _ole2_format(body: bytes, label: str | None) -> str:
    if _WORD_STREAM in body:
        return "wps" if label == "wps" else "doc"
    for marker, what in _OTHER_OLE2.items():
        if marker in body:
            raise UnsupportedFormat(f"{what}, not a report document")
    if label in ("doc", "wps"):
        return label  # old WPS files lack the WordDocument stream; LibreOffice may read them
    raise UnsupportedFormat("an OLE2 compound file that is not a Word document")


def _looks_like_text(body: bytes) -> bool:
    if b"\x00" in body[:4096]:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            body[:4096].decode(codec)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > 4090:  # a character cut at the sample's edge
                return True
    return False


def sniff(
    body: bytes,
    content_type: str | None = None,
    *,
    filename: str | None = None,
    url: str | None = None,
) -> str:
    """One of FORMATS; BrokenDocument for empty input, UnsupportedFormat for anything else."""
    if not body or not body.strip():
        raise BrokenDocument("zero bytes or only whitespace: empty download")
    label = claimed_format(content_type, filename, url)
    head = body[:1024]
    # Container magics first: a zip or rar that stores a PDF uncompressed holds `%PDF-` within
    # its first kilobyte too.
    if body.startswith(_ZIP):
        return _zip_format(body, label)
    if body.startswith(RAR_MAGIC):
        return "rar"
    if body.startswith(_OLE2):
        return _ole2_format(body, label)
    if b"%PDF-" in head:
        return "pdf"
    start = body[:4096].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(start) or (label == "html" and _HTML_TAGS.search(start)):
        return "html"
    if label == "text" and _looks_like_text(body):
        return "text"
    if label == "pdf":
        raise BrokenDocument("labelled PDF but no %PDF- header: damaged or not a PDF")
    if label in ("docx", "doc", "wps"):
        raise BrokenDocument(f"labelled .{label} but the bytes are not a Word file")
    claimed = f" (labelled {label})" if label else ""
    raise UnsupportedFormat(f"unrecognised bytes{claimed}: starts with {head[:16]!r}")
