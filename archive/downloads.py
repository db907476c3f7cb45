"""Serving raw files safely: the real name and type, byte-exact, never rendered on our origin.

Datasette's `.blob` download loses the file's name and type, so `/-/raw/<sha256>` looks both up
in the database rows that name the file (report, attachment, fetch) and answers with headers
that make any browser download the bytes rather than display them.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from parsers.filenames import disposition_name, url_name
from parsers.formats import mime_of_name

SHA256_RE = re.compile(r"[0-9a-f]{64}")
_TOKEN = r"[a-z0-9!#$&^_.+-]+"
_MIME_RE = re.compile(rf"{_TOKEN}/{_TOKEN}")
_CHARSET_RE = re.compile(r"charset=\"?([A-Za-z0-9_.:-]{1,40})\"?", re.I)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]')
MAX_NAME = 150
# The bytes are someone else's: a sandboxed, resource-less document if anything renders them.
RAW_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"

# Rows naming a file, best first: the report's own name, then attachments, then fetch logs.
NAMES_SQL = """
select 1 as rank, file_name, null as content_type, null as content_disposition,
       coalesce(file_url, page_url) as url
  from reports where sha256 = :sha
union all
select 2, file_name, content_type, null, url from attachments where sha256 = :sha
union all
select 3, file_name, content_type, content_disposition, coalesce(final_url, url)
  from fetches where sha256 = :sha
order by rank
"""


class BadDigest(Exception):
    """The download address does not carry a sha256 in lowercase hex."""


class UnknownFile(Exception):
    """No report, attachment or fetch in the archive names this sha256."""


@dataclass
class RawDownload:
    sha256: str
    path: Path
    file_name: str
    content_type: str


def check_digest(value: str) -> str:
    digest = value.lower()
    if not SHA256_RE.fullmatch(digest):
        raise BadDigest(f"{value!r} is not a sha256 hex digest")
    return digest


def clean_content_type(value: str | None) -> str | None:
    """A server's Content-Type reduced to `type/subtype[; charset=x]`, or None if malformed."""
    if not value:
        return None
    main, _, params = value.partition(";")
    main = main.strip().lower()
    if not _MIME_RE.fullmatch(main):
        return None
    charset = _CHARSET_RE.search(params)
    return f"{main}; charset={charset.group(1)}" if charset and main.startswith("text/") else main


def _guess_type(name: str) -> str | None:
    return mime_of_name(name) or mimetypes.guess_type(name)[0]


def sanitize_file_name(name: str | None, sha256: str, content_type: str | None = None) -> str:
    """A bare file name: no directories, no control or shell-special characters, no dot-files."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]  # drop any path a server or URL put in front
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = name, ""
    if not suffix and content_type:
        guessed = mimetypes.guess_extension(content_type.split(";")[0]) or ""
        suffix = guessed.lstrip(".")
    stem = stem[: MAX_NAME - len(suffix) - 1].strip(" .") or sha256[:16]
    return f"{stem}.{suffix}" if suffix else stem


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name per RFC 5987/6266."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", ascii_name)
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot:
        stem, suffix = ascii_name, ""
    if not stem.strip("_"):
        stem = "download"
    fallback = f"{stem}.{suffix}" if suffix else stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def choose_download(sha256: str, rows: list[dict[str, Any]], raw_dir: Path) -> RawDownload:
    """Pick the name and type for a raw file from the rows naming it (NAMES_SQL order)."""
    if not rows:
        raise UnknownFile(f"no row of the archive names {sha256}")
    names = [r["file_name"] for r in rows] + [
        disposition_name(r["content_disposition"]) for r in rows
    ]
    url_names = [url_name(r["url"]) for r in rows]
    # The type the server sent (fetch log) beats the one a crawler noted on an attachment.
    types = [clean_content_type(r["content_type"]) for r in sorted(rows, key=lambda r: -r["rank"])]
    content_type = next((t for t in types if t), None)
    raw_name = next((n for n in names if n), None) or next((n for n in url_names if n), None)
    if content_type is None or content_type == "application/octet-stream":
        content_type = _guess_type(raw_name or "") or content_type or "application/octet-stream"
    file_name = sanitize_file_name(raw_name, sha256, content_type)
    return RawDownload(sha256, raw_dir / sha256[:2] / sha256, file_name, content_type)


def download_headers(download: RawDownload) -> dict[str, str]:
    digest = base64.b64encode(bytes.fromhex(download.sha256)).decode()
    return {
        "content-disposition": content_disposition(download.file_name),
        "x-content-type-options": "nosniff",
        "content-security-policy": RAW_CSP,
        "referrer-policy": "no-referrer",
        "cross-origin-resource-policy": "same-origin",
        # Content-addressed: the bytes behind this address can never change.
        "cache-control": "public, max-age=31536000, immutable",
        "etag": f'"{download.sha256}"',
        "repr-digest": f"sha-256=:{digest}:",
    }
