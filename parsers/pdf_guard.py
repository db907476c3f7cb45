"""Checks on a PDF's bytes before pdfium sees them: empty, not a PDF, truncated, and
decompression bombs, measured by what the decoder will do rather than what headers say.

A Flate stream can inflate a thousandfold, LZW a few thousandfold, and filters nest
(`[/ASCIIHexDecode /FlateDecode]`): 300 KB in the file, gigabytes in memory once pdfium decodes
a page. Every stream is decoded here through its whole filter chain in bounded chunks
(`pdf_filters`), from its actual extent (a wrong /Length hides nothing), the output counted and
thrown away. Pages are then measured as pdfium loads them: the content streams listed in
/Contents (one stream listed 100 times costs 100 times) plus every form XObject they draw,
nested forms multiplied out, with a nesting-depth limit. Image streams (by their own
/Subtype) are skipped unless a page uses them as content: text extraction never decodes images.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from parsers.errors import BrokenDocument, DocumentTooLarge, UnmappedGlyphs
from parsers.pdf_filters import UnknownFilter, decoded_size
from parsers.pdf_objects import Objects, Ref, filters_of, read_objects

# Truncated downloads lose the end of the file; a complete PDF ends with %%EOF (allowing for
# some trailing junk that servers or tools append).
EOF_WINDOW = 4096
# Decompressed size limits. Real report pages inflate to tens of KB, embedded font subsets to
# a few MB; whole reports stay far below the total.
MAX_STREAM = 64 * 2**20
MAX_TOTAL = 256 * 2**20
# What one page's content streams and the forms they draw expand to, every use counted.
MAX_PAGE = 256 * 2**20
# Real reports nest forms two or three deep (a watermark inside a template).
MAX_FORM_DEPTH = 12
# Content bytes kept to find the forms a stream draws (`/Fm1 Do`); real pages are far smaller.
SCAN_KEEP = 16 * 2**20
_DRAW = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z])")
_CID = re.compile(r"\(cid:\d+\)")


def check_bytes(body: bytes) -> None:
    """Refuse what is not a whole PDF before any parser runs (BrokenDocument)."""
    if not body:
        raise BrokenDocument("zero bytes: empty download")
    if b"%PDF-" not in body[:1024]:
        raise BrokenDocument("no %PDF- header in the first 1 KB: not a PDF")
    if b"%%EOF" not in body[-EOF_WINDOW:]:
        raise BrokenDocument("no %%EOF marker at the end: truncated download")


class _Measure:
    """Decoded sizes of a document's streams, each decoded once, and page expansion."""

    def __init__(self, body: bytes, objects: Objects, max_stream: int, max_page: int) -> None:
        self.body, self.objects, self.max_stream = body, objects, max_stream
        self.max_page = max_page
        self.sizes: dict[int, tuple[int, Counter]] = {}
        self.expanded: dict[tuple[int, int], int] = {}

    def stream(self, num: int, scan: bool) -> tuple[int, Counter]:
        if num in self.sizes:
            return self.sizes[num]
        stream = self.objects.streams[num]
        data = self.body[stream.start : stream.end]
        try:
            filters, params = filters_of(stream.attrs, self.objects)
            size, kept = decoded_size(
                data, filters, params, self.max_stream, SCAN_KEEP if scan else 0
            )
        except UnknownFilter:  # not measurable: count the bytes as they stand
            size, kept = len(data), data[:SCAN_KEEP] if scan else b""
        if size > self.max_stream:
            names = "+".join(filters) or "no filter"
            raise DocumentTooLarge(
                f"object {num} ({names}) decodes to over {self.max_stream // 2**20} MB "
                "(decompression bomb?)"
            )
        draws = Counter(m.group(1).decode("latin-1") for m in _DRAW.finditer(kept))
        self.sizes[num] = (size, draws)
        return size, draws

    def form(self, resources: Any, name: str) -> tuple[int, dict] | None:
        xobjects = self.objects.resolve((self.objects.resolve(resources) or {}).get("XObject"))
        ref = xobjects.get(name) if isinstance(xobjects, dict) else None
        stream = self.objects.streams.get(ref.num) if isinstance(ref, Ref) else None
        if stream is None or stream.attrs.get("Subtype") != "Form":
            return None
        return ref.num, stream.attrs

    def expand(self, num: int, resources: Any, chain: tuple[int, ...]) -> int:
        """Bytes pdfium goes through to load stream `num`: its own and the forms it draws."""
        key = (num, id(resources))
        if key in self.expanded:
            return self.expanded[key]
        total, draws = self.stream(num, scan=True)
        for name, count in draws.items():
            found = self.form(resources, name)
            if found is None:
                continue
            child, attrs = found
            if child in chain:
                raise DocumentTooLarge(f"form XObject {child} draws itself (a cycle of forms)")
            if len(chain) >= MAX_FORM_DEPTH:
                raise DocumentTooLarge(f"form XObjects nest deeper than {MAX_FORM_DEPTH} levels")
            child_resources = self.objects.resolve(attrs.get("Resources")) or resources
            total += count * self.expand(child, child_resources, (*chain, child))
            if total > self.max_page:
                break
        self.expanded[key] = total
        return total


def _page_resources(page: dict, objects: Objects) -> Any:
    node: Any = page
    for _ in range(32):  # inherited from the page tree
        if not isinstance(node, dict):
            return None
        if "Resources" in node:
            return objects.resolve(node["Resources"])
        node = objects.resolve(node.get("Parent"))
    return None


def _contents(page: dict, objects: Objects) -> list[int]:
    contents = page.get("Contents")
    if isinstance(contents, Ref) and contents.num not in objects.streams:
        contents = objects.resolve(contents)  # a reference to an array of streams
    items = contents if isinstance(contents, list) else [contents]
    return [r.num for r in items if isinstance(r, Ref) and r.num in objects.streams]


def check_streams(
    body: bytes,
    max_stream: int = MAX_STREAM,
    max_total: int = MAX_TOTAL,
    max_page: int = MAX_PAGE,
) -> None:
    """DocumentTooLarge when any stream decodes past `max_stream`, all non-image streams
    together past `max_total`, or a page's content streams and forms past `max_page`."""
    objects = read_objects(body)
    measure = _Measure(body, objects, max_stream, max_page)
    pages = [
        (num, value)
        for num, value in objects.values.items()
        if isinstance(value, dict) and value.get("Type") == "Page"
    ]
    for number, (num, page) in enumerate(pages, start=1):
        resources = _page_resources(page, objects)
        total = 0
        for content in _contents(page, objects):
            total += measure.expand(content, resources, ())
            if total > max_page:
                raise DocumentTooLarge(
                    f"page object {num} ({number} of {len(pages)}): its content streams and "
                    f"forms expand to over {max_page // 2**20} MB (a stream or form used many "
                    "times?)"
                )
    total = 0
    for num, stream in objects.streams.items():
        if stream.attrs.get("Subtype") == "Image" and num not in measure.sizes:
            continue
        total += measure.stream(num, scan=False)[0]
        if total > max_total:
            raise DocumentTooLarge(
                f"streams decode to over {max_total // 2**20} MB in all (decompression bomb?)"
            )


def check_glyph_text(text: str, share: float = 0.10) -> None:
    """UnmappedGlyphs for a text layer that literally reads `(cid:17)(cid:18)...`: what
    pdfminer writes for glyphs without a Unicode map, copied into the document."""
    found = _CID.findall(text)
    if not found:
        return
    glyphs = len(found)
    rest = sum(1 for c in _CID.sub("", text) if not c.isspace())
    if glyphs / (glyphs + rest) > share:
        raise UnmappedGlyphs(
            f"the text reads {glyphs} (cid:NN) glyph codes instead of characters "
            "(fonts without a Unicode map; OCR needed)"
        )
