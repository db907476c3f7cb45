"""Checks on a PDF's bytes before pdfium sees them: empty, not a PDF, truncated, and
decompression bombs.

A Flate stream can inflate a thousandfold: 300 KB in the file, 300 MB in memory once pdfium
decodes the page's content stream (or a font or object stream it needs). Each such stream is
inflated here in bounded chunks, the output counted and thrown away, so memory stays at a
chunk whatever the file holds. Image streams are skipped: text extraction never decodes them.
"""

from __future__ import annotations

import base64
import re
import zlib
from collections.abc import Iterator
from itertools import chain

from parsers.errors import BrokenDocument, DocumentTooLarge

# Truncated downloads lose the end of the file; a complete PDF ends with %%EOF (allowing for
# some trailing junk that servers or tools append).
EOF_WINDOW = 4096
# Decompressed size limits. Real report pages inflate to tens of KB, embedded font subsets to
# a few MB; whole reports stay far below the total.
MAX_STREAM = 64 * 2**20
MAX_TOTAL = 256 * 2**20
CHUNK = 2**20
MAX_LAYERS = 3  # /Filter [/FlateDecode /FlateDecode ...]: a bomb inside a bomb

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_DICT_WINDOW = 4096


def check_bytes(body: bytes) -> None:
    """Refuse what is not a whole PDF before any parser runs (BrokenDocument)."""
    if not body:
        raise BrokenDocument("zero bytes: empty download")
    if b"%PDF-" not in body[:1024]:
        raise BrokenDocument("no %PDF- header in the first 1 KB: not a PDF")
    if b"%%EOF" not in body[-EOF_WINDOW:]:
        raise BrokenDocument("no %%EOF marker at the end: truncated download")


def _is_zlib(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _layer(source: Iterator[bytes], sizes: list[int], index: int, limit: int) -> Iterator[bytes]:
    """Inflate the zlib stream made of `source`'s pieces, CHUNK bytes of output at a time,
    counting the output in `sizes[index]`; stops past `limit`, at the end of the zlib
    stream, or at broken data."""
    inflater = zlib.decompressobj()
    try:
        for piece in source:
            while piece:
                out = inflater.decompress(piece, CHUNK)
                piece = inflater.unconsumed_tail
                if out:
                    sizes[index] += len(out)
                    yield out
                if sizes[index] > limit or inflater.eof:
                    return
    except zlib.error:
        return


def inflated_size(data: bytes, limit: int) -> int:
    """Bytes that `data` inflates to through up to MAX_LAYERS nested zlib layers (the largest
    layer counts), stopping past `limit`. Memory stays at a few CHUNKs."""
    sizes = [0] * MAX_LAYERS
    layers = [_layer(iter([data]), sizes, 0, limit)]
    stream: Iterator[bytes] = layers[0]
    for depth in range(1, MAX_LAYERS):
        first = next(stream, b"")
        stream = chain([first], stream)
        if not _is_zlib(first):
            break
        layers.append(_layer(stream, sizes, depth, limit))
        stream = layers[-1]
    for _ in stream:
        pass
    for layer in reversed(layers):  # an inner layer that broke off leaves outer output
        for _ in layer:
            pass
    return max(sizes)


def _ascii85(data: bytes) -> bytes:
    """ASCII85 text (reportlab wraps Flate in it) decoded; what cannot be decoded gives b""."""
    data = data.strip()
    data = data.removeprefix(b"<~")
    end = data.find(b"~>")
    try:
        return base64.a85decode(data[:end] if end >= 0 else data, ignorechars=b" \t\r\n")
    except ValueError:
        return b""


def check_streams(body: bytes, max_stream: int = MAX_STREAM, max_total: int = MAX_TOTAL) -> None:
    """DocumentTooLarge when a non-image Flate stream inflates past `max_stream`, or all of
    them together past `max_total`."""
    total = 0
    for match in _STREAM.finditer(body):
        start = match.end()
        head = body[max(0, match.start() - _DICT_WINDOW) : match.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        ascii85 = b"/ASCII85Decode" in head or b"/A85" in head
        if not (ascii85 or _is_zlib(body[start : start + 2])) or b"/Image" in head:
            continue
        length = _LENGTH.search(head)
        end = start + int(length.group(1)) if length else body.find(b"endstream", start)
        if end <= start:
            end = len(body)
        data = _ascii85(body[start:end]) if ascii85 else body[start:end]
        if not _is_zlib(data[:2]):
            continue
        size = inflated_size(data, max_stream)
        if size > max_stream:
            raise DocumentTooLarge(
                f"a stream at byte {start} inflates to over {max_stream // 2**20} MB "
                "(decompression bomb?)"
            )
        total += size
        if total > max_total:
            raise DocumentTooLarge(
                f"streams inflate to over {max_total // 2**20} MB in all (decompression bomb?)"
            )
