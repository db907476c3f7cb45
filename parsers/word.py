"""Report text from Word files: .docx with python-docx; .doc and .wps through LibreOffice.

Paragraphs come out in document order, one per line (headings are paragraphs, so they stand
on their own lines); tables go to `tables`, kept out of the running text like the PDF path.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib

from parsers.document import Extracted, Table
from parsers.errors import BrokenDocument, ConverterMissing, DocumentTooLarge
from parsers.textnorm import fix_spacing

# A report converts in 2-5 s; a stuck soffice (a dialog, a damaged file) must not hang a crawl.
CONVERT_TIMEOUT = 120
CONVERTER_PACKAGE = "libreoffice-writer-nogui"
# Zip limits, measured by inflating each member (headers can lie, and zipfile's read() inflates
# a member's whole input in one call whatever size the header declares). A report's
# document.xml inflates to a few MB at 5-20:1; embedded images barely compress.
ZIP_MAX_MEMBER = 64 * 2**20
ZIP_MAX_TOTAL = 256 * 2**20
ZIP_MAX_RATIO = 200  # for members over ZIP_RATIO_FLOOR; small members may compress better
ZIP_RATIO_FLOOR = 2**20
ZIP_MAX_MEMBERS = 10_000
_CHUNK = 2**20


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """Bytes the member really inflates to, counted in bounded chunks, stopping past `limit`."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise DocumentTooLarge(f"zip member {info.filename} uses compression {info.compress_type}")
    handle = archive.fp
    if handle is None:
        raise BrokenDocument("the zip archive is closed")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise BrokenDocument(f"zip member {info.filename}: no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    inflater = zlib.decompressobj(-15)
    left, size = info.compress_size, 0
    try:
        while left > 0 and not inflater.eof:
            piece = handle.read(min(_CHUNK, left))
            if not piece:
                break
            left -= len(piece)
            while piece:
                size += len(inflater.decompress(piece, _CHUNK))
                piece = inflater.unconsumed_tail
                if size > limit or inflater.eof:
                    return size
    except zlib.error as exc:
        raise BrokenDocument(f"zip member {info.filename} is damaged: {exc}") from exc
    return size


def check_zip(
    archive: zipfile.ZipFile,
    *,
    max_member: int = ZIP_MAX_MEMBER,
    max_total: int = ZIP_MAX_TOTAL,
    max_ratio: int = ZIP_MAX_RATIO,
    max_members: int = ZIP_MAX_MEMBERS,
) -> None:
    """DocumentTooLarge (with the member and the measure) before anything reads a zip bomb:
    too many members, a member inflating past `max_member` or past `max_ratio` times its
    compressed size, or all members past `max_total`. Sizes are measured, not taken from the
    headers; a member inflating past its declared size is refused too."""
    members = archive.infolist()
    if len(members) > max_members:
        raise DocumentTooLarge(f"the zip holds {len(members)} members, over {max_members}")
    total = 0
    for info in members:
        size = _inflated_size(archive, info, max_member)
        name = info.filename[:200]
        if size > max_member:
            raise DocumentTooLarge(
                f"zip member {name} inflates to over {max_member // 2**20} MB (zip bomb?)"
            )
        if size > ZIP_RATIO_FLOOR and size > max_ratio * max(info.compress_size, 1):
            raise DocumentTooLarge(
                f"zip member {name} inflates {size // max(info.compress_size, 1)}:1 "
                f"(over {max_ratio}:1; zip bomb?)"
            )
        if size > info.file_size:
            raise DocumentTooLarge(
                f"zip member {name} inflates past the {info.file_size} bytes it declares"
            )
        total += size
        if total > max_total:
            raise DocumentTooLarge(
                f"the zip's members inflate to over {max_total // 2**20} MB in all (zip bomb?)"
            )


def _paragraph_text(text: str) -> list[str]:
    # Soft line breaks (<w:br/>) come back as newlines: keep them as line ends.
    return [line for line in (fix_spacing(part) for part in text.splitlines()) if line]


def _table_rows(table) -> list[list[str]]:
    """The table's grid as printed: a merged cell (gridSpan across, vMerge down) is one cell
    in its first position and "" in the positions it covers, like the PDF tables."""
    from docx.table import _Cell

    rows = []
    for row in table.rows:
        cells: list[str] = []
        for _ in range(getattr(row, "grid_cols_before", 0) or 0):
            cells.append("")
        for tc in row._tr.tc_lst:
            span = tc.grid_span or 1
            # A cell's paragraphs are its lines (`商业` / `企业` in a narrow column): joined
            # the way wrapped lines of a PDF cell are, CJK tight, Latin with a space.
            text = "" if tc.vMerge == "continue" else _cell_text(_Cell(tc, table).text)
            cells += [text] + [""] * (span - 1)
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows if any(r)]


def _cell_text(text: str) -> str:
    from parsers.tables import clean_cell
    from parsers.textnorm import joiner

    out = ""
    for part in _paragraph_text(text):
        out += joiner(out, part) + part
    return clean_cell(out)


def _docx_table(rows: list[list[str]]) -> Table:
    from parsers.tables import header_rows

    return Table(rows=rows, header_rows=header_rows(rows))


def extract_docx(body: bytes, *, fmt: str = "docx") -> Extracted:
    """Paragraphs and tables of a .docx, in document order."""
    import docx  # python-docx; imported here so HTML-only users do not pay for it
    from docx.table import Table as DocxTable

    try:
        check_zip(zipfile.ZipFile(io.BytesIO(body)))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BrokenDocument(f"not a readable .docx: {exc}") from exc
    try:
        document = docx.Document(io.BytesIO(body))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BrokenDocument(f"not a readable .docx: {exc}") from exc
    except Exception as exc:  # python-docx raises bare lxml/opc errors on damaged parts
        raise BrokenDocument(f"not a readable .docx: {type(exc).__name__}: {exc}") from exc
    lines: list[str] = []
    tables: list[Table] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTable):
            rows = _table_rows(block)
            if rows and all(sum(1 for c in r if c) <= 1 for r in rows) and max(map(len, rows)) <= 1:
                # A one-cell-wide table is a text box drawn as a table: running text.
                lines.extend(line for r in rows for line in _paragraph_text(r[0]))
            elif rows:
                tables.append(_docx_table(rows))
        else:
            lines.extend(_paragraph_text(block.text))
    warnings = [] if lines else ["the document has no paragraph text"]
    return Extracted(
        text="\n".join(lines),
        format=fmt,
        # No title from core properties: templates leave "Word Document" or an old report's
        # title there; the report's first line is the better source (parsers.metadata).
        tables=tables,
        warnings=warnings,
        extractor="python-docx",
    )


def find_converter() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(body: bytes, suffix: str = ".doc") -> bytes:
    """Convert a legacy Word/WPS file to .docx with headless LibreOffice in a temp dir.

    Each call gets its own LibreOffice profile: concurrent conversions sharing the user
    profile fail or hang on its lock.
    """
    soffice = find_converter()
    if not soffice:
        raise ConverterMissing(
            f"{suffix} needs LibreOffice to convert it: install the Debian package "
            f"{CONVERTER_PACKAGE} (soffice not found on PATH)"
        )
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as tmp:
        source = os.path.join(tmp, "input" + suffix)
        with open(source, "wb") as handle:
            handle.write(body)
        profile = "file://" + os.path.join(tmp, "profile")
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            source,
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise BrokenDocument(f"LibreOffice did not finish in {CONVERT_TIMEOUT} s") from exc
        target = os.path.join(tmp, "input.docx")
        if not os.path.exists(target):
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            raise BrokenDocument(
                f"LibreOffice could not convert the {suffix} file: {detail[-300:] or 'no output'}"
            )
        with open(target, "rb") as handle:
            return handle.read()


def extract_legacy(body: bytes, *, fmt: str = "doc") -> Extracted:
    """A .doc or .wps file: converted to .docx, then read like one."""
    extracted = extract_docx(convert_to_docx(body, "." + fmt), fmt=fmt)
    extracted.extractor = "libreoffice+python-docx"
    return extracted
