"""Parsing of stored raw files, runnable in a worker process (plain arguments, plain results)."""

from __future__ import annotations

from pathlib import Path

from parsers import parse
from parsers.document import ParsedDocument
from parsers.errors import ParseError, ParserCrashed


def parse_stored(
    raw_path: str, content_type: str | None, url: str | None, file_name: str | None
) -> tuple[ParsedDocument | None, str | None]:
    """Parse one raw file; a failure comes back as its named reason, never as an exception."""
    try:
        body = Path(raw_path).read_bytes()
    except OSError as exc:
        return None, f"RawFileMissing: {exc}"
    try:
        return parse(body, content_type, url=url, filename=file_name), None
    except ParseError as exc:
        return None, str(exc)
    except MemoryError:
        raise  # the isolated worker names it against its memory cap, then is replaced
    except Exception as exc:  # a parser bug must not lose the report: record it with its type
        return None, str(ParserCrashed(f"{type(exc).__name__}: {exc}"))
