"""Bounded decoding of PDF stream filter chains, to measure what a decoder will produce.

Each filter is a generator from input pieces to output pieces of at most CHUNK bytes, so a
chain (`/Filter [/ASCIIHexDecode /FlateDecode]`, Flate inside Flate, LZW ...) runs lazily:
the consumer counts the bytes and stops past its limit, and no stage ever holds more than a
few chunks, whatever the stream claims or expands to. Image filters (DCT, JPX, CCITT, JBIG2)
end the chain: text extraction never decodes them, so their input is what is counted.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Callable, Iterator

CHUNK = 2**20
IMAGE_FILTERS = {"DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode"}
_ABBREVIATIONS = {
    "Fl": "FlateDecode",
    "AHx": "ASCIIHexDecode",
    "A85": "ASCII85Decode",
    "LZW": "LZWDecode",
    "RL": "RunLengthDecode",
}
_SPACE = re.compile(rb"\s+")

Pieces = Iterator[bytes]


class UnknownFilter(Exception):
    """A filter name no decoder here knows; the chain's size cannot be measured past it."""


def _flate(source: Pieces, params: dict) -> Pieces:
    inflater = zlib.decompressobj()
    try:
        for piece in source:
            while piece:
                out = inflater.decompress(piece, CHUNK)
                piece = inflater.unconsumed_tail
                if out:
                    yield out
                if inflater.eof:
                    return
    except zlib.error:  # decoders keep what came out before the damage
        return


def _lzw(source: Pieces, params: dict) -> Pieces:
    """LZW as PDF uses it: 9-12 bit codes, 256 clear, 257 end, EarlyChange 1 by default.
    When the table is full, codes go on being read without new entries (as pdfium does)."""
    early = 1 if params.get("EarlyChange", 1) else 0
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, value, previous = 9, 0, 0, b""
    out: list[bytes] = []
    pending = 0
    for piece in source:
        for byte in piece:
            value = (value << 8) | byte
            bits += 8
            while bits >= width:
                bits -= width
                code = (value >> bits) & ((1 << width) - 1)
                value &= (1 << bits) - 1
                if code == 256:
                    del table[258:]
                    width, previous = 9, b""
                    continue
                if code == 257:
                    if out:
                        yield b"".join(out)
                    return
                if code < len(table):
                    entry = table[code]
                elif code == len(table) and previous:
                    entry = previous + previous[:1]
                else:
                    if out:
                        yield b"".join(out)
                    return  # a broken code: the decoder stops here
                if previous and len(table) < 4096:
                    table.append(previous + entry[:1])
                previous = entry
                out.append(entry)
                pending += len(entry)
                if pending >= CHUNK:
                    yield b"".join(out)
                    out, pending = [], 0
                size = len(table) + early
                width = 12 if size >= 2048 else 11 if size >= 1024 else 10 if size >= 512 else 9
    if out:
        yield b"".join(out)


def _ascii_hex(source: Pieces, params: dict) -> Pieces:
    carry = b""
    for piece in source:
        piece = _SPACE.sub(b"", piece)
        end = piece.find(b">")
        data = carry + (piece[:end] if end >= 0 else piece)
        even = len(data) // 2 * 2
        carry = data[even:]
        try:
            if even:
                yield binascii.unhexlify(data[:even])
        except binascii.Error:
            return
        if end >= 0:
            break
    if carry:
        yield binascii.unhexlify(carry + b"0")


def _ascii85(source: Pieces, params: dict) -> Pieces:
    carry = b""
    first = True
    for piece in source:
        piece = _SPACE.sub(b"", piece)
        if first:
            piece, first = piece.removeprefix(b"<~"), False
        end = piece.find(b"~")
        data = carry + (piece[:end] if end >= 0 else piece)
        data = data.replace(b"z", b"!!!!!")
        whole = len(data) // 5 * 5
        carry = data[whole:]
        try:
            for start in range(0, whole, CHUNK):
                yield base64.a85decode(data[start : min(whole, start + CHUNK)])
        except ValueError:
            return
        if end >= 0:
            break
    if carry:
        try:
            yield base64.a85decode(carry)
        except ValueError:
            return


def _run_length(source: Pieces, params: dict) -> Pieces:
    buffer = b""
    for piece in source:
        buffer += piece
        out: list[bytes] = []
        i = 0
        while i < len(buffer):
            n = buffer[i]
            if n == 128:
                yield b"".join(out)
                return
            if n < 128:
                if i + 1 + n + 1 > len(buffer):
                    break
                out.append(buffer[i + 1 : i + n + 2])
                i += n + 2
            else:
                if i + 1 >= len(buffer):
                    break
                out.append(buffer[i + 1 : i + 2] * (257 - n))
                i += 2
            if len(out) > 4096:
                yield b"".join(out)
                out = []
        buffer = buffer[i:]
        if out:
            yield b"".join(out)


DECODERS: dict[str, Callable[[Pieces, dict], Pieces]] = {
    "FlateDecode": _flate,
    "LZWDecode": _lzw,
    "ASCIIHexDecode": _ascii_hex,
    "ASCII85Decode": _ascii85,
    "RunLengthDecode": _run_length,
}


def chain(data: bytes, filters: list[str], params: list[dict]) -> Pieces:
    """The decoded pieces of a stream's data through its filters, lazily."""
    stream: Pieces = iter([data])
    for index, name in enumerate(filters):
        name = _ABBREVIATIONS.get(name, name)
        if name in IMAGE_FILTERS:
            break
        decoder = DECODERS.get(name)
        if decoder is None:
            raise UnknownFilter(name)
        stream = decoder(stream, params[index] if index < len(params) else {})
    return stream


def decoded_size(
    data: bytes,
    filters: list[str],
    params: list[dict],
    limit: int,
    keep: int = 0,
) -> tuple[int, bytes]:
    """(bytes the chain decodes to, stopping once past `limit`; the first `keep` of them).

    Memory stays at a few CHUNKs plus `keep`."""
    size = 0
    kept: list[bytes] = []
    held = 0
    for piece in chain(data, filters, params):
        size += len(piece)
        if held < keep:
            kept.append(piece[: keep - held])
            held += len(kept[-1])
        if size > limit:
            break
    return size, b"".join(kept)
