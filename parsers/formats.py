"""The formats the parsers tell apart and their MIME types and file extensions: one table.

The crawler records a fetched file's type as the canonical MIME of its sniffed format, the
archive serves raw files with it, and the sniffer reads labels (Content-Type, extension)
through the same table.
"""

from __future__ import annotations

# format -> the canonical MIME type recorded and served for it.
FORMAT_MIME: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/vnd.ms-works",
    "html": "text/html",
    "text": "text/plain",
}
# Other MIME types servers send for the same formats.
MIME_ALIASES: dict[str, str] = {
    "application/kswps": "wps",
    "application/wps-office.wps": "wps",
    "application/wps-office.doc": "doc",
    "application/wps-office.docx": "docx",
    "application/xhtml+xml": "html",
}
# Extensions that name a format. Not .jsp/.php/.asp: download scripts serve any format.
EXTENSION_FORMAT: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".txt": "text",
}
# Formats whose file is the report itself (not a page that may link it).
DOCUMENT_FORMATS = ("pdf", "docx", "doc", "wps")


def mime_of(fmt: str | None) -> str | None:
    return FORMAT_MIME.get(fmt or "")


# Servers send error and challenge messages as text/plain: only a .txt name claims "text".
_NOT_CLAIMED_BY_MIME = ("text",)


def format_of_mime(content_type: str | None) -> str | None:
    """The format a Content-Type names (parameters and case ignored), None if none."""
    kind = (content_type or "").split(";")[0].strip().lower()
    found = next((f for f, m in FORMAT_MIME.items() if m == kind), None)
    if found in _NOT_CLAIMED_BY_MIME:
        return None
    return found or MIME_ALIASES.get(kind)


def format_of_name(name: str | None) -> str | None:
    """The format a file name or URL path names by its extension."""
    lowered = (name or "").lower().strip()
    return next((f for ext, f in EXTENSION_FORMAT.items() if lowered.endswith(ext)), None)


def mime_of_name(name: str | None) -> str | None:
    """The canonical MIME type of a file name's format, None for other extensions."""
    return mime_of(format_of_name(name))
