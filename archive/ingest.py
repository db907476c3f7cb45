"""Parsing of stored raw files, runnable in a worker process (plain arguments, plain results)."""

from __future__ import annotations

from pathlib import Path

from archive.reports import SourceFile
from parsers import parse
from parsers.document import ParsedDocument
from parsers.errors import ParseError, ParserCrashed
from parsers.filenames import is_annex_name
from parsers.formats import DOCUMENT_FORMATS, format_of_mime


def is_annex(source: SourceFile, report_sha256: str | None) -> bool:
    """A report's 附件 posted as a file of its own (正文 + 附件 are one report whose tables
    include the annexes'): a document file named as an annex, other than the report's source."""
    return (
        source.role != "article"
        and source.sha256 != report_sha256
        and format_of_mime(source.content_type) in DOCUMENT_FORMATS
        and is_annex_name(source.file_name)
    )


def annexes_of(source: SourceFile, files: list[SourceFile]) -> list[SourceFile]:
    return [f for f in files if is_annex(f, source.sha256)]


def parse_stored(
    raw_path: str,
    content_type: str | None,
    url: str | None,
    file_name: str | None,
    annexes: tuple[tuple[str, str | None], ...] = (),
) -> tuple[ParsedDocument | None, str | None]:
    """Parse one raw file, with the stored annexes posted beside it (`(raw path, file name)`);
    a failure comes back as its named reason, never as an exception."""
    try:
        body = Path(raw_path).read_bytes()
        annex_bodies = [
            (name or Path(path).name, Path(path).read_bytes()) for path, name in annexes
        ]
    except OSError as exc:
        return None, f"RawFileMissing: {exc}"
    try:
        return parse(body, content_type, url=url, filename=file_name, annexes=annex_bodies), None
    except ParseError as exc:
        return None, str(exc)
    except MemoryError:
        raise  # the isolated worker names it against its memory cap, then is replaced
    except Exception as exc:  # a parser bug must not lose the report: record it with its type
        return None, str(ParserCrashed(f"{type(exc).__name__}: {exc}"))
