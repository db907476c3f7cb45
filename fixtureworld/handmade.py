"""Hand-written PDFs for the nasty cases no generator makes: fonts without a Unicode map and
decompression bombs. Each is a valid PDF (objects, xref, trailer) built byte by byte; the
parser tests and the nasty portal world both use them."""

from __future__ import annotations

import base64
import zlib


def assemble(objects: list[bytes]) -> bytes:
    """A PDF file from numbered objects (1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page(content: bytes, font: bytes, *more: bytes) -> bytes:
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            content,
            font,
            *more,
        ]
    )


def cid_font_pdf(glyphs: int = 40) -> bytes:
    """A page of text in a CID font (Identity-H) with neither ToUnicode nor a known
    ordering: pdfplumber prints `(cid:17)(cid:34)...`, pdfium hands back the CIDs as if
    they were code points (`\\x11"3D`)."""
    cids = b"".join(b"%04X" % (17 + 17 * (i % 4)) for i in range(glyphs))
    content = stream(b"BT /F1 12 Tf 72 720 Td <" + cids + b"> Tj ET")
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Custom /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>"
    )
    cid_font = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Custom /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        b"/FontDescriptor 7 0 R >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /Custom /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -100 /CapHeight 700 /StemV 80 >>"
    )
    return _page(content, font, cid_font, descriptor)


def type3_font_pdf() -> bytes:
    """Text in a Type3 font whose glyph names (`/g1`) mean nothing and no ToUnicode."""
    content = stream(b"BT /F1 12 Tf 72 720 Td (" + b"ABCABCABCA" * 3 + b") Tj ET")
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] "
        b"/FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /g1 6 0 R /g2 6 0 R /g3 6 0 R >> "
        b"/Encoding << /Type /Encoding /Differences [65 /g1 /g2 /g3] >> "
        b"/FirstChar 65 /LastChar 67 /Widths [500 500 500] /Resources << >> >>"
    )
    return _page(content, font, stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f"))


def bomb_pdf(megabytes: int = 300, layers: int = 1, ascii85: bool = False) -> bytes:
    """One page whose content stream inflates to `megabytes` MB of spaces after a line of
    real text; `layers` > 1 wraps it in more Flate layers (a bomb inside a bomb)."""
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    data = packer.compress(b"BT /F1 12 Tf 72 720 Td (Annual report) Tj ET\n")
    data += b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    filters = b"/FlateDecode"
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
        filters += b" /FlateDecode"
    if ascii85:  # as reportlab writes its streams: [/ASCII85Decode /FlateDecode]
        data = base64.a85encode(data, wrapcol=72) + b"~>"
        filters = b"/ASCII85Decode " + filters
    content = stream(data, b"/Filter [%s] " % filters)
    return _page(content, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
