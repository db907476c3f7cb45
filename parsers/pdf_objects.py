"""A small, forgiving reader of a PDF's objects for the guards: dictionaries, arrays and
references by scanning the bytes (no xref needed, so damaged files are read as pdfium would),
streams with their actual extents, and objects packed in object streams.

It never decodes more than the guard's limits allow (`parsers.pdf_filters`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parsers.pdf_filters import UnknownFilter, decoded_size

_OBJ = re.compile(rb"(?<![\d])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_STREAM = re.compile(rb"stream\r?\n|stream\r")
_ENDSTREAM = re.compile(rb"\r?\n?endstream")
_DELIMITERS = b"()<>[]{}/%"
_WHITESPACE = b" \t\r\n\f\x00"
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_REF = re.compile(rb"\s+(\d{1,5})\s+R(?![^\s" + re.escape(_DELIMITERS) + rb"])")
MAX_DEPTH = 64  # nested arrays/dicts in one object; deeper is not a report
OBJSTM_LIMIT = 64 * 2**20


@dataclass(frozen=True)
class Ref:
    num: int
    gen: int = 0


class Name(str):
    """A PDF name, without its slash."""


@dataclass
class Stream:
    num: int
    attrs: dict
    start: int
    end: int


@dataclass
class Objects:
    values: dict[int, Any] = field(default_factory=dict)
    streams: dict[int, Stream] = field(default_factory=dict)

    def resolve(self, value: Any, hops: int = 8) -> Any:
        while isinstance(value, Ref) and hops:
            stream = self.streams.get(value.num)
            value = stream.attrs if stream else self.values.get(value.num)
            hops -= 1
        return value


class _Parser:
    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def skip(self) -> None:
        data, n = self.data, len(self.data)
        while self.pos < n:
            c = data[self.pos]
            if c in _WHITESPACE:
                self.pos += 1
            elif c == 0x25:  # % comment to end of line
                end = data.find(b"\n", self.pos)
                self.pos = n if end < 0 else end + 1
            else:
                return

    def value(self, depth: int = 0) -> Any:
        self.skip()
        data, pos = self.data, self.pos
        if pos >= len(data) or depth > MAX_DEPTH:
            raise ValueError("end of data")
        c = data[pos : pos + 1]
        if data.startswith(b"<<", pos):
            self.pos += 2
            result: dict = {}
            while True:
                self.skip()
                if self.data.startswith(b">>", self.pos):
                    self.pos += 2
                    return result
                key = self.value(depth + 1)
                if not isinstance(key, Name):
                    raise ValueError("dictionary key is not a name")
                result[str(key)] = self.value(depth + 1)
        if c == b"[":
            self.pos += 1
            items = []
            while True:
                self.skip()
                if self.data.startswith(b"]", self.pos):
                    self.pos += 1
                    return items
                items.append(self.value(depth + 1))
        if c == b"/":
            end = pos + 1
            while end < len(data) and data[end] not in _WHITESPACE and data[end] not in _DELIMITERS:
                end += 1
            self.pos = end
            return Name(data[pos + 1 : end].decode("latin-1"))
        if c == b"(":
            return self.string()
        if c == b"<":
            end = data.find(b">", pos)
            if end < 0:
                raise ValueError("unterminated hex string")
            self.pos = end + 1
            return data[pos + 1 : end]
        number = _NUMBER.match(data, pos)
        if number:
            self.pos = number.end()
            text = number.group()
            if b"." not in text:
                ref = _REF.match(data, self.pos)
                if ref:
                    self.pos = ref.end()
                    return Ref(int(text), int(ref.group(1)))
                return int(text)
            return float(text)
        for word, meaning in ((b"true", True), (b"false", False), (b"null", None)):
            if data.startswith(word, pos):
                self.pos += len(word)
                return meaning
        raise ValueError(f"unexpected byte {c!r}")

    def string(self) -> bytes:
        data, pos, level = self.data, self.pos + 1, 1
        while pos < len(data):
            c = data[pos]
            if c == 0x5C:  # backslash escapes the next byte
                pos += 2
                continue
            if c == 0x28:
                level += 1
            elif c == 0x29:
                level -= 1
                if level == 0:
                    text = data[self.pos + 1 : pos]
                    self.pos = pos + 1
                    return text
            pos += 1
        raise ValueError("unterminated string")


def filters_of(attrs: dict, objects: Objects) -> tuple[list[str], list[dict]]:
    names = objects.resolve(attrs.get("Filter"))
    params = objects.resolve(attrs.get("DecodeParms", attrs.get("DP")))
    names = [names] if isinstance(names, str) else list(names or [])
    params = params if isinstance(params, list) else [params]
    return (
        [str(objects.resolve(n)) for n in names],
        [p if isinstance(p, dict) else {} for p in (objects.resolve(x) for x in params)],
    )


def _stream_end(body: bytes, start: int, attrs: dict) -> int:
    """Where the data ends: /Length when `endstream` really follows it, else the next
    `endstream` (a wrong /Length must not hide data a decoder reads)."""
    length = attrs.get("Length")
    if isinstance(length, int) and 0 <= length <= len(body) - start:
        after = body[start + length : start + length + 12].lstrip(b"\r\n \t")
        if after.startswith(b"endstream"):
            return start + length
    found = _ENDSTREAM.search(body, start)
    return found.start() if found else len(body)


def _object_stream(body: bytes, stream: Stream, objects: Objects, found: dict) -> None:
    try:
        filters, params = filters_of(stream.attrs, objects)
        _, data = decoded_size(
            body[stream.start : stream.end], filters, params, OBJSTM_LIMIT, OBJSTM_LIMIT
        )
    except (UnknownFilter, ValueError):
        return
    count, first = stream.attrs.get("N"), stream.attrs.get("First")
    if not isinstance(count, int) or not isinstance(first, int):
        return
    header = _Parser(data[:first])
    pairs = []
    try:
        for _ in range(min(count, 1_000_000)):
            pairs.append((header.value(), header.value()))
    except ValueError:
        pass
    for num, offset in pairs:
        if isinstance(num, int) and isinstance(offset, int) and num not in found:
            try:
                found[num] = _Parser(data, first + offset).value()
            except ValueError:
                continue


def read_objects(body: bytes) -> Objects:
    """Every object the bytes define (the last definition wins, like an incremental update)."""
    objects = Objects()
    position = 0
    while match := _OBJ.search(body, position):
        position = match.end()
        num = int(match.group(1))
        parser = _Parser(body, match.end())
        try:
            value = parser.value()
        except ValueError:
            continue
        parser.skip()
        position = parser.pos
        stream = _STREAM.match(body, parser.pos) if isinstance(value, dict) else None
        if stream:
            start = stream.end()
            objects.streams[num] = Stream(num, value, start, _stream_end(body, start, value))
            objects.values.pop(num, None)
            position = objects.streams[num].end  # "1 0 obj" inside stream data is data
        else:
            objects.values[num] = value
            objects.streams.pop(num, None)
    packed: dict[int, Any] = {}
    for stream in list(objects.streams.values()):
        if stream.attrs.get("Type") == "ObjStm":
            _object_stream(body, stream, objects, packed)
    for num, value in packed.items():
        if num not in objects.values and num not in objects.streams:
            objects.values[num] = value
    return objects
