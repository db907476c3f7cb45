"""Export the fetch log with its raw bytes as a standard WARC file (ISO 28500, via warcio).

Each fetch with a body becomes a `response` record carrying the headers the server sent (as far
as the log kept them) and the bytes exactly as stored. A body already written once is written
again only as a `revisit` record (identical-payload-digest profile), as web archives do.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.store import Archive

HEADER_COLUMNS = {
    "Content-Type": "content_type",
    "ETag": "etag",
    "Last-Modified": "last_modified",
    "Content-Disposition": "content_disposition",
}


@dataclass
class WarcStats:
    responses: int = 0
    revisits: int = 0
    missing: int = 0


def _status_line(status: int | None) -> str:
    status = status or 200
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _http_headers(row: dict, length: int) -> StatusAndHeaders:
    headers = [(name, row[col]) for name, col in HEADER_COLUMNS.items() if row.get(col)]
    headers.append(("Content-Length", str(length)))
    return StatusAndHeaders(_status_line(row["status"]), headers, protocol="HTTP/1.1")


def _warc_date(value: str | None) -> str | None:
    # The log keeps "YYYY-MM-DDTHH:MM:SSZ", which is already WARC-Date's form.
    return value if value and value.endswith("Z") else None


def export_warc(
    archive: Archive,
    output: str | os.PathLike[str],
    crawl_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> WarcStats:
    """Write every fetch that has stored bytes (of one crawl, or all) to a gzipped WARC."""
    where = "sha256 is not null" + (" and crawl_id = :crawl" if crawl_id is not None else "")
    sql = f"select * from fetches where {where} order by id"
    rows = list(archive.db.query(sql, {"crawl": crawl_id}))
    stats = WarcStats()
    first_seen: dict[str, tuple[str, str, str]] = {}  # sha256 -> (uri, date, payload digest)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        info = {
            "software": "xxgk-archive (warcio)",
            "format": "WARC File Format 1.1",
            "description": "Raw fetches of Chinese universities' information-disclosure reports",
        }
        writer.write_record(writer.create_warcinfo_record(Path(output).name, info))
        for done, row in enumerate(rows, start=1):
            uri = row["final_url"] or row["url"]
            warc_headers = {}
            if _warc_date(row["fetched_at"]):
                warc_headers["WARC-Date"] = row["fetched_at"]
            if row["ip_address"]:
                warc_headers["WARC-IP-Address"] = row["ip_address"]
            sha = row["sha256"]
            if sha in first_seen:
                ref_uri, ref_date, digest = first_seen[sha]
                size = row["size"] or 0
                record = writer.create_revisit_record(
                    uri,
                    digest,
                    ref_uri,
                    ref_date,
                    http_headers=_http_headers(row, size),
                    warc_headers_dict=warc_headers,
                )
                writer.write_record(record)
                stats.revisits += 1
            else:
                path = archive.raw_path(sha)
                if not path.exists():
                    stats.missing += 1
                    continue
                body = path.read_bytes()
                record = writer.create_warc_record(
                    uri,
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=_http_headers(row, len(body)),
                    warc_headers_dict=warc_headers,
                )
                writer.write_record(record)
                first_seen[sha] = (
                    uri,
                    record.rec_headers.get_header("WARC-Date"),
                    record.rec_headers.get_header("WARC-Payload-Digest"),
                )
                stats.responses += 1
            if progress:
                progress(done, len(rows))
    return stats
