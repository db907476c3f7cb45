"""Hostile documents, built small and on the fly: decompression bombs behind every filter
trick, forms that multiply, zip bombs, HTML that trips lxml's limits, glyph-code text.

Each builder returns the file's bytes; `HOSTILE` lists them with the named error the archive
must record (the tests and `bench/bench_hostile.py` both use it).
"""

from __future__ import annotations

import binascii
import io
import zipfile
import zlib
from collections.abc import Callable

MB = 2**20
TEXT = "2023年信息公开工作年度报告"


def _obj(num: int, body: bytes) -> bytes:
    return b"%d 0 obj\n" % num + body + b"\nendobj\n"


def stream(attrs: bytes, data: bytes, length: int | None = None) -> bytes:
    """A stream object body; `length` overrides the true /Length (a lie)."""
    size = len(data) if length is None else length
    return b"<< /Length %d %s >>\nstream\n" % (size, attrs) + data + b"\nendstream"


def build_pdf(objects: dict[int, bytes]) -> bytes:
    """A PDF with a correct xref of `objects` (1 is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = out.tell()
        out.write(_obj(num, objects[num]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        out.write(
            b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
        )
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _text_content(text: str = "Annual report 2023", y: int = 720) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (y, text.encode("latin-1"))


def one_page(
    contents: bytes, extra: dict[int, bytes] | None = None, xobjects: bytes = b""
) -> bytes:
    """Catalog 1, pages 2, page 3 with /Contents `contents` (e.g. b"4 0 R"), font 9."""
    resources = b"<< /Font << /F1 9 0 R >> /XObject << %s >> >>" % xobjects
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s "
        b"/Contents %s >>" % (resources, contents),
        9: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    objects.update(extra or {})
    return build_pdf(objects)


def zeros_flate(size: int, fill: bytes = b" ") -> bytes:
    """zlib of `size` bytes of `fill`, compressed piecewise (no `size`-byte buffer)."""
    packer = zlib.compressobj(9)
    block = fill * MB
    parts = [packer.compress(block) for _ in range(size // MB)]
    parts.append(packer.compress(fill * (size % MB)))
    return b"".join(parts) + packer.flush()


def lzw_spaces(size: int) -> bytes:
    """LZW codes that decode to about `size` spaces: the table grows to 3839-byte strings,
    then its last code is repeated (~2500:1)."""
    codes = [32] + list(range(258, 4096))
    produced = sum(c - 256 for c in codes[1:]) + 1
    codes += [4095] * max(0, (size - produced) // 3839 + 1)
    codes.append(257)
    bits, value, count, out = 0, 0, 258, bytearray()
    width = 9
    for index, code in enumerate(codes):
        value = (value << width) | code
        bits += width
        while bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
        value &= (1 << bits) - 1
        if index and count < 4096:
            count += 1
        size_now = count + 1  # EarlyChange 1
        width = 12 if size_now >= 2048 else 11 if size_now >= 1024 else 10 if size_now >= 512 else 9
    if bits:
        out.append((value << (8 - bits)) & 0xFF)
    return bytes(out)


def lzw_bomb(size: int = 200 * MB) -> bytes:
    return one_page(b"4 0 R", {4: stream(b"/Filter /LZWDecode", lzw_spaces(size))})


def hex_flate_bomb(size: int = 80 * MB) -> bytes:
    data = binascii.hexlify(zeros_flate(size)) + b">"
    return one_page(b"4 0 R", {4: stream(b"/Filter [/ASCIIHexDecode /FlateDecode]", data)})


def image_dict_bomb(size: int = 80 * MB) -> bytes:
    attrs = b"/Filter /FlateDecode /Subtype /Image /Width 1 /Height 1"
    return one_page(b"4 0 R", {4: stream(attrs, zeros_flate(size))})


def wrong_length_bomb(size: int = 80 * MB) -> bytes:
    return one_page(b"4 0 R", {4: stream(b"/Filter /FlateDecode", zeros_flate(size), length=10)})


def reused_contents(size: int = 3 * MB, times: int = 100) -> bytes:
    """One stream listed `times` times in /Contents: small file, `size * times` to load."""
    contents = b"[" + b" ".join([b"4 0 R"] * times) + b"]"
    return one_page(contents, {4: stream(b"/Filter /FlateDecode", zeros_flate(size))})


def _form(draws: bytes, resources: bytes) -> bytes:
    return stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources, draws
    )


def nested_forms(levels: int = 10, fan: int = 10) -> bytes:
    """Form k draws form k+1 `fan` times: a few KB that load fan**levels forms."""
    extra = {}
    for level in range(levels):
        num = 10 + level
        if level == levels - 1:
            extra[num] = _form(_text_content(), b"<< /Font << /F1 9 0 R >> >>")
        else:
            draws = b" ".join([b"q /X Do Q"] * fan)
            extra[num] = _form(draws, b"<< /XObject << /X %d 0 R >> >>" % (num + 1))
    extra[4] = stream(b"", b"q /X Do Q")
    return one_page(b"4 0 R", extra, xobjects=b"/X 10 0 R")


def form_cycle() -> bytes:
    extra = {
        10: _form(b"q /Y Do Q", b"<< /XObject << /Y 11 0 R >> >>"),
        11: _form(b"q /X Do Q", b"<< /XObject << /X 10 0 R >> >>"),
        4: stream(b"", b"q /X Do Q " + _text_content()),
    }
    return one_page(b"4 0 R", extra, xobjects=b"/X 10 0 R")


def deep_forms(levels: int = 20) -> bytes:
    return nested_forms(levels, fan=1)


def cid_text() -> bytes:
    glyphs = "".join(f"\\(cid:{n}\\)" for n in range(17, 80))
    return one_page(b"4 0 R", {4: stream(b"", _text_content(glyphs))})


def honest_pdf() -> bytes:
    """A small good PDF through the same writer, with a form drawn twice (no false alarm)."""
    extra = {
        10: _form(
            _text_content("Annual report 2023, page furniture"), b"<< /Font << /F1 9 0 R >> >>"
        ),
        4: stream(
            b"/Filter /FlateDecode", zlib.compress(b"q /X Do Q q /X Do Q " + _text_content(y=600))
        ),
    }
    return one_page(b"4 0 R", extra, xobjects=b"/X 10 0 R")


def docx_bomb(size: int = 400 * MB) -> bytes:
    """A .docx whose document.xml inflates to `size` bytes (~1000:1)."""
    import docx

    document = docx.Document()
    document.add_paragraph(TEXT)
    buffer = io.BytesIO()
    document.save(buffer)
    good = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info, good.read(info))
        with bomb.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>')
            block = b" " * MB
            for _ in range(size // MB):
                member.write(block)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def html_huge_text_node(size: int = 11 * 10**6) -> bytes:
    """A `data:` image over 10 M characters, then the 发布日期 line after it."""
    image = "data:image/png;base64," + "A" * size
    return (
        '<html><head><meta charset="utf-8"><title>2023年度信息公开工作报告</title></head><body>'
        f'<div class="v_news_content"><p>{TEXT}</p><p>{image}</p>'
        "<p>一、总体情况</p><p>本年度主动公开信息120条。</p></div>"
        '<div class="info">发布日期：2023-10-20</div></body></html>'
    ).encode()


def html_deep(depth: int = 400) -> bytes:
    """Report text nested `depth` elements deep."""
    inner = "<p>一、总体情况</p><p>本年度主动公开信息120条。</p>"
    nested = "<div>" * depth + inner + "</div>" * depth
    return (
        '<html><head><meta charset="utf-8"><title>2023年度信息公开工作报告</title></head><body>'
        f'<div class="v_news_content"><p>{TEXT}</p>{nested}</div>'
        '<div class="info">发布日期：2023-10-20</div></body></html>'
    ).encode()


# name -> (builder, content type, the named error expected; None: parsed fine)
HOSTILE: dict[str, tuple[Callable[[], bytes], str, str | None]] = {
    "lzw_bomb": (lzw_bomb, "application/pdf", "DocumentTooLarge"),
    "hex_flate_bomb": (hex_flate_bomb, "application/pdf", "DocumentTooLarge"),
    "image_dict_bomb": (image_dict_bomb, "application/pdf", "DocumentTooLarge"),
    "wrong_length_bomb": (wrong_length_bomb, "application/pdf", "DocumentTooLarge"),
    "reused_contents": (reused_contents, "application/pdf", "DocumentTooLarge"),
    "nested_forms": (nested_forms, "application/pdf", "DocumentTooLarge"),
    "form_cycle": (form_cycle, "application/pdf", "DocumentTooLarge"),
    "deep_forms": (deep_forms, "application/pdf", "DocumentTooLarge"),
    "cid_text": (cid_text, "application/pdf", "UnmappedGlyphs"),
    "docx_bomb": (
        docx_bomb,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "DocumentTooLarge",
    ),
    "html_huge_text_node": (html_huge_text_node, "text/html; charset=utf-8", None),
    "html_deep": (html_deep, "text/html; charset=utf-8", None),
    "honest_pdf": (honest_pdf, "application/pdf", None),
}
