""".zip (and .rar) attachments that hold the report: members picked, limits checked first.

Portals post the report zipped, often with its annex (`附件1 …统计表.xls`, a second PDF).
The member that is the report is parsed like a downloaded file; the other documents in the
archive are parsed as annexes and contribute their tables. Sizes and ratios come from the
archive's directory and are checked *before* any member is read (`open_zip`: the one place
that decompresses, so zip-bomb hardening has one function to guard).

A .rar is read with libarchive (`libarchive-c` over the system's `libarchive13`, the library
bsdtar uses): RAR 5 (solid or not) and RAR 4 non-solid archives. RAR 4 solid and encrypted
archives, which libarchive cannot unpack, are `UnsupportedArchive` with libarchive's reason.
A RAR directory gives unpacked sizes but not per-member packed sizes, so the ratio check is on
the whole archive, and every member is read in blocks with the size cap applied as it grows.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from parsers.errors import DocumentTooLarge, UnsupportedArchive
from parsers.filenames import is_annex_name
from parsers.formats import format_of_name

# Members worth parsing, by the format their name gives (parsers.formats), report kinds first.
_RANKED_FORMATS = ("pdf", "docx", "doc", "wps", "html", "text")
MAX_MEMBERS = 200  # a report zip holds a handful of files
MAX_MEMBER_SIZE = 100 * 2**20  # the crawler's download cap, per member
MAX_TOTAL_SIZE = 200 * 2**20
MAX_RATIO = 200  # a PDF or .docx compresses 1.1-10x; a bomb 1000x
MAX_DOCUMENTS = 5  # documents parsed out of one archive
_REPORT_NAME = re.compile(r"信息公开.{0,12}(?:报告|年报)|年度报告|年报")
RAR_MAGIC = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")


@dataclass
class Member:
    name: str
    data: bytes


def _name(info: zipfile.ZipInfo) -> str:
    """Member names: Windows zips store GBK without the UTF-8 flag; zipfile reads them as
    cp437, so they are turned back into bytes and decoded as GB18030."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _order(names: list[str]) -> list[int]:
    """Indices with the report first: a report-like name, not an annex, PDFs before the rest."""

    def rank(i: int) -> tuple[int, int, int]:
        name = names[i].rsplit("/", 1)[-1]
        return (
            0 if _REPORT_NAME.search(name) and not is_annex_name(name) else 1,
            1 if is_annex_name(name) else 0,
            _RANKED_FORMATS.index(_format(name)),
        )

    return sorted(range(len(names)), key=rank)


def _format(name: str) -> str:
    return format_of_name(name) or ""


def is_document_zip(names: list[str]) -> bool:
    return any(_format(n) in _RANKED_FORMATS and not n.endswith("/") for n in names)


def open_zip(body: bytes) -> list[Member]:
    """The documents of a zip, the report first. Limits (members, sizes, ratio, total) are
    checked on the directory before a byte is inflated; DocumentTooLarge names the one hit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedArchive(f"a damaged zip archive: {exc}") from exc
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise DocumentTooLarge(f"the zip holds {len(infos)} files, over {MAX_MEMBERS}")
    docs = [i for i in infos if _format(_name(i)) in _RANKED_FORMATS]
    if not docs:
        names = ", ".join(_name(i) for i in infos[:5]) or "nothing"
        raise UnsupportedArchive(f"the zip holds no report document ({names})")
    total = 0
    for info in docs:
        name = _name(info)
        if info.file_size > MAX_MEMBER_SIZE:
            raise DocumentTooLarge(f"{name} inflates to {info.file_size} bytes in the zip")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise DocumentTooLarge(
                f"{name} inflates {info.file_size // info.compress_size}x (zip bomb?)"
            )
        total += info.file_size
    if total > MAX_TOTAL_SIZE:
        raise DocumentTooLarge(f"the zip's documents inflate to {total} bytes in all")
    names = [_name(i) for i in docs]
    members = []
    for index in _order(names)[:MAX_DOCUMENTS]:
        try:
            data = archive.read(docs[index])
        except (zipfile.BadZipFile, RuntimeError, OSError, ValueError) as exc:
            # RuntimeError: an encrypted member
            raise UnsupportedArchive(f"{names[index]} cannot be read from the zip: {exc}") from exc
        if len(data) > MAX_MEMBER_SIZE:  # the directory lied
            raise DocumentTooLarge(f"{names[index]} inflates past {MAX_MEMBER_SIZE} bytes")
        members.append(Member(names[index], data))
    return members


def _rar_name(value: str | bytes | None) -> str:
    """RAR 4 names are OEM bytes unless flagged Unicode: GBK from Chinese Windows WinRAR,
    UTF-8 from RAR for Unix; libarchive hands back the bytes it could not convert."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("gb18030", "replace")
    return value or ""


def open_rar(body: bytes) -> list[Member]:
    """The documents of a .rar, the report first (limits as for a zip, see the docstring)."""
    try:
        import libarchive  # libarchive-c: loads the system libarchive when first used
        from libarchive.exception import ArchiveError
    except (ImportError, OSError) as exc:  # no libarchive-c, or no libarchive13 to load
        raise UnsupportedArchive(
            f"a RAR archive: no RAR reader ({exc}); install the Debian package libarchive13"
        ) from exc
    members: list[Member] = []
    files = declared = 0
    try:
        with libarchive.memory_reader(
            body, format_name="rar" if body[6:7] == b"\x00" else "rar5"
        ) as rar:
            for entry in rar:
                if not entry.isfile:
                    continue
                files += 1
                if files > MAX_MEMBERS:
                    raise DocumentTooLarge(f"the rar holds over {MAX_MEMBERS} files")
                name = _rar_name(entry.pathname)
                if _format(name) not in _RANKED_FORMATS:
                    continue
                declared += entry.size or 0
                if (entry.size or 0) > MAX_MEMBER_SIZE:
                    raise DocumentTooLarge(f"{name} inflates to {entry.size} bytes in the rar")
                if declared > min(MAX_TOTAL_SIZE, MAX_RATIO * max(len(body), 1)):
                    raise DocumentTooLarge(
                        f"the rar's documents inflate to {declared} bytes from {len(body)} "
                        "(rar bomb?)"
                    )
                members.append(Member(name, _read_capped(entry.get_blocks(), name)))
    except ArchiveError as exc:
        reason = str(exc).split(" (errno=")[0]
        raise UnsupportedArchive(f"a RAR archive libarchive cannot read: {reason}") from exc
    if not members:
        raise UnsupportedArchive("the rar holds no report document")
    return [members[i] for i in _order([m.name for m in members])[:MAX_DOCUMENTS]]


def _read_capped(blocks, name: str) -> bytes:
    """A member's bytes, refused as soon as they pass the size cap (the header may lie)."""
    chunks, size = [], 0
    for block in blocks:
        size += len(block)
        if size > MAX_MEMBER_SIZE:
            raise DocumentTooLarge(f"{name} inflates past {MAX_MEMBER_SIZE} bytes")
        chunks.append(block)
    return b"".join(chunks)
