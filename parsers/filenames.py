"""A fetched file's name: from Content-Disposition, the link text, or the URL.

Portals send names as RFC 5987 `filename*=UTF-8''…`, as raw GBK/GB18030 or UTF-8 bytes, or
percent-encoded; many serve every file from one script (VSB `download.jsp?wbfileid=…`), whose
name is not the file's.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, unquote, urlsplit

# Link texts and names that end like a document (what a person would download).
DOCUMENT_EXTENSIONS = (
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".xls",
    ".xlsx",
    ".et",
    ".zip",
    ".rar",
    ".ofd",
)
# The name of a script or page, never of the file it serves.
SCRIPT_EXTENSIONS = (".jsp", ".asp", ".aspx", ".php", ".do", ".action", ".cgi", ".htm", ".html")
# Query parameters download scripts name the file with.
NAME_PARAMETERS = ("filename", "fileName", "file", "name", "fname")
MAX_NAME = 200

_EXTENDED = re.compile(r"filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[^']*'([^;]+)", re.IGNORECASE)
_PLAIN = re.compile(r"(?<![*\w])filename\s*=\s*(\"[^\"]*\"|[^;]+)", re.IGNORECASE)


def _decode_raw(raw: bytes) -> str | None:
    # UTF-8 first: GB18030 decodes almost any bytes, UTF-8 rarely decodes GBK by accident.
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def disposition_name(value: bytes | str | None) -> str | None:
    """The file name of a Content-Disposition header (RFC 6266/5987, raw GBK or UTF-8 bytes)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    extended = _EXTENDED.search(text)
    if extended:
        charset, encoded = extended.groups()
        try:
            return unquote(encoded.strip().strip('"'), encoding=charset, errors="strict") or None
        except (LookupError, UnicodeDecodeError):
            pass
    plain = _PLAIN.search(text)
    if not plain:
        return None
    quoted = plain.group(1).strip().strip('"')
    try:
        raw = unquote(quoted, encoding="latin-1").encode("latin-1")
    except UnicodeEncodeError:  # a str header that already holds decoded characters
        return unquote(quoted) or None
    return _decode_raw(raw) or None


def url_name(url: str | None) -> str | None:
    """The file name a URL gives: a name parameter, else the path's last segment with an
    extension that is not a script's (`download.jsp?id=1` has none)."""
    if not url:
        return None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for key in NAME_PARAMETERS:
        if query.get(key):
            name = unquote(query[key][0]).replace("\\", "/").rsplit("/", 1)[-1]
            if name and not name.lower().endswith(SCRIPT_EXTENSIONS):
                return name
    name = unquote(parts.path.rsplit("/", 1)[-1])
    if "." not in name.strip(".") or name.lower().endswith(SCRIPT_EXTENSIONS):
        return None
    return name


def link_name(text: str | None) -> str | None:
    """Link text that is itself a document's name (`2023年度报告.pdf`), else None."""
    text = (text or "").strip()
    return text if text.lower().endswith(DOCUMENT_EXTENSIONS) else None


def clean_name(name: str | None) -> str | None:
    """A bare file name: no directories, no control characters, no leading dots."""
    if not name:
        return None
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:MAX_NAME] or None


def file_name(
    *, disposition: bytes | str | None = None, url: str | None = None, link_text: str | None = None
) -> str | None:
    """The file's name: the link text when it is a document name (what the school called it),
    then the server's Content-Disposition, then the URL; cleaned, None when nothing names it."""
    return clean_name(link_name(link_text) or disposition_name(disposition) or url_name(url))
