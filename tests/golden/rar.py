"""RAR 4 archives with stored (uncompressed) members, for tests: no RAR writer can be installed
here (`rar` is non-free), and the stored method is the part of the format that needs no
compressor. The layout follows RARLAB's technote (marker block, archive header, one file header
per member with its data, end of archive); libarchive, which the parser reads RAR with, is the
judge that these are valid RAR. Compressed RAR 5 archives come from rarfile's test suite
(tests/files/rar/, ISC licence).
"""

from __future__ import annotations

import struct
import zlib

MARKER = b"Rar!\x1a\x07\x00"
_LONG_BLOCK = 0x8000
_DOS_TIME_2024 = ((2024 - 1980) << 25) | (10 << 21) | (30 << 16)


def _block(kind: int, flags: int, body: bytes) -> bytes:
    header = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(header) & 0xFFFF) + header


def stored_rar(members: list[tuple[str, bytes]], *, gbk_names: bool = False) -> bytes:
    """A RAR 4 archive of the members, stored. Names as UTF-8 bytes (RAR for Unix), or as the
    GBK bytes Chinese Windows WinRAR writes for its OEM code page (`gbk_names`)."""
    out = [MARKER, _block(0x73, 0, b"\0" * 6)]
    for name, data in members:
        raw, flags = name.encode("gb18030" if gbk_names else "utf-8"), _LONG_BLOCK
        fields = struct.pack(
            "<IIBIIBBHI",
            len(data),  # packed size
            len(data),  # unpacked size
            2,  # host OS: Windows
            zlib.crc32(data),
            _DOS_TIME_2024,
            20,  # version needed: 2.0
            0x30,  # method: store
            len(raw),
            0x20,  # attributes: archive
        )
        out += [_block(0x74, flags, fields + raw), data]
    out.append(_block(0x7B, 0x4000, b""))
    return b"".join(out)
