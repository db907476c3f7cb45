""".zip (and .rar) attachments that hold the report: members picked, limits checked first.

Portals post the report zipped, often with its annex (`附件1 …统计表.xls`, a second PDF).
The member that is the report is parsed like a downloaded file; the other documents in the
archive are parsed as annexes and contribute their tables. Sizes and ratios come from the
archive's directory and are checked *before* any member is read (`open_zip`: the one place
that decompresses, so zip-bomb hardening has one function to guard).

RAR has no pure-Python reader: `rarfile` shells out to unrar/unar/bsdtar, and no RAR file can
be made here to test such a route (creating RAR needs the non-free `rar`), so a .rar is a
named error (`UnsupportedArchive`) until one is added with a real sample to test it on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from parsers.errors import DocumentTooLarge, UnsupportedArchive
from parsers.formats import format_of_name

# Members worth parsing, by the format their name gives (parsers.formats), report kinds first.
_RANKED_FORMATS = ("pdf", "docx", "doc", "wps", "html", "text")
MAX_MEMBERS = 200  # a report zip holds a handful of files
MAX_MEMBER_SIZE = 100 * 2**20  # the crawler's download cap, per member
MAX_TOTAL_SIZE = 200 * 2**20
MAX_RATIO = 200  # a PDF or .docx compresses 1.1-10x; a bomb 1000x
MAX_DOCUMENTS = 5  # documents parsed out of one archive
_REPORT_NAME = re.compile(r"信息公开.{0,12}(?:报告|年报)|年度报告|年报")
_ANNEX_NAME = re.compile(r"附件|附表|统计表")
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
            0 if _REPORT_NAME.search(name) and not _ANNEX_NAME.search(name) else 1,
            1 if _ANNEX_NAME.search(name) else 0,
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


def open_rar(body: bytes) -> list[Member]:
    raise UnsupportedArchive(
        "a RAR archive: RAR attachments are not read (no RAR reader is installed); "
        "unpack it by hand and parse the report inside"
    )
