"""Hostile documents get the guard's named error, measured from what the decoder would do;
nothing is dropped silently. The fixtures are built by `fixtureworld.nasty_files`."""

from __future__ import annotations

import io
import zipfile

import pytest

from fixtureworld import nasty_files as nasty
from parsers import parse
from parsers.errors import DocumentTooLarge, ParseError
from parsers.pdf_filters import decoded_size
from parsers.word import check_zip

PDF = "application/pdf"
BOMB = "decodes to over 64 MB (decompression bomb?)"


def error_of(body: bytes, content_type: str | None = PDF, **kwargs) -> str | None:
    try:
        parse(body, content_type, **kwargs)
    except ParseError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (nasty.lzw_bomb, f"DocumentTooLarge: object 4 (LZWDecode) {BOMB}"),
        (nasty.hex_flate_bomb, f"DocumentTooLarge: object 4 (ASCIIHexDecode+FlateDecode) {BOMB}"),
        (nasty.image_dict_bomb, f"DocumentTooLarge: object 4 (FlateDecode) {BOMB}"),
        (nasty.wrong_length_bomb, f"DocumentTooLarge: object 4 (FlateDecode) {BOMB}"),
        (
            nasty.reused_contents,
            "DocumentTooLarge: page object 3 (1 of 1): its content streams and forms expand to "
            "over 256 MB (a stream or form used many times?)",
        ),
        (
            nasty.nested_forms,
            "DocumentTooLarge: page object 3 (1 of 1): its content streams and forms expand to "
            "over 256 MB (a stream or form used many times?)",
        ),
        (nasty.form_cycle, "DocumentTooLarge: form XObject 10 draws itself (a cycle of forms)"),
        (nasty.deep_forms, "DocumentTooLarge: form XObjects nest deeper than 12 levels"),
        (
            nasty.cid_text,
            "UnmappedGlyphs: the text reads 63 (cid:NN) glyph codes instead of characters "
            "(fonts without a Unicode map; OCR needed)",
        ),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_pdf_bombs_are_measured_and_named(build, error):
    body = build()
    assert len(body) < 200 * 1024  # small files; the harm is in the decoding
    assert error_of(body) == error


def test_an_honest_pdf_with_reused_forms_parses():
    parsed = parse(nasty.honest_pdf(), PDF)
    # The form drawn twice over itself reads once; the paragraph rebuild joins the lines.
    assert parsed.text == "Annual report 2023, page furniture Annual report 2023"


@pytest.mark.parametrize(
    ("filters", "data", "size"),
    [
        (["LZWDecode"], nasty.lzw_spaces(10 * nasty.MB), 10 * nasty.MB),
        (["RunLengthDecode"], bytes([129, 65]) * 1000 + b"\x80", 128 * 1000),
        (["ASCII85Decode"], b"<~" + b"z" * 1000 + b"~>", 4000),
        (
            ["ASCIIHexDecode", "FlateDecode"],
            nasty.zeros_flate(3 * nasty.MB).hex().encode(),
            3 * nasty.MB,
        ),
        (
            ["FlateDecode", "FlateDecode"],
            __import__("zlib").compress(nasty.zeros_flate(5 * nasty.MB)),
            5 * nasty.MB,
        ),
    ],
)
def test_every_filter_chain_is_measured(filters, data, size):
    measured, _ = decoded_size(data, filters, [], 64 * nasty.MB)
    assert size <= measured < size + 3839  # LZW overshoots by less than one table string


def test_decoding_stops_at_the_limit():
    measured, _ = decoded_size(nasty.lzw_spaces(200 * nasty.MB), ["LZWDecode"], [], nasty.MB)
    assert nasty.MB < measured < 3 * nasty.MB


def test_a_docx_zip_bomb_is_refused_before_reading():
    assert error_of(nasty.docx_bomb(80 * nasty.MB), None, filename="report.docx") == (
        "DocumentTooLarge: zip member word/document.xml inflates to over 64 MB (zip bomb?)"
    )


def _zip(members: dict[str, bytes], lie: int | None = None) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = out.getvalue()
    if lie is not None:  # rewrite the declared size in the central directory
        archive = zipfile.ZipFile(io.BytesIO(raw))
        info = archive.infolist()[0]
        central = raw.rfind(b"PK\x01\x02")
        raw = raw[: central + 24] + lie.to_bytes(4, "little") + raw[central + 28 :]
        assert info.file_size != lie
    return zipfile.ZipFile(io.BytesIO(raw))


def test_check_zip_measures_instead_of_trusting_headers():
    check_zip(_zip({"a.xml": b"<a/>" * 1000, "b.png": bytes(range(256)) * 100}))
    with pytest.raises(DocumentTooLarge, match=r"inflates past the 100 bytes it declares"):
        check_zip(_zip({"a.xml": b"x" * 5000}, lie=100))
    with pytest.raises(DocumentTooLarge, match=r"inflates \d+:1 \(over 200:1; zip bomb\?\)"):
        check_zip(_zip({"a.xml": b" " * (4 * nasty.MB)}))
    with pytest.raises(DocumentTooLarge, match="holds 30 members, over 20"):
        check_zip(_zip({f"m{i}": b"" for i in range(30)}), max_members=20)
    with pytest.raises(DocumentTooLarge, match="inflate to over 1 MB in all"):
        check_zip(_zip({f"m{i}": bytes(range(256)) * 1024 for i in range(5)}), max_total=nasty.MB)


def test_a_10m_character_text_node_keeps_the_date_after_it():
    parsed = parse(nasty.html_huge_text_node(), "text/html; charset=utf-8")
    assert parsed.published == "2023-10-20"
    assert parsed.text.splitlines()[-2:] == ["一、总体情况", "本年度主动公开信息120条。"]
    assert parsed.warnings == []


def test_content_nested_400_deep_is_kept():
    parsed = parse(nasty.html_deep(400), "text/html; charset=utf-8")
    assert parsed.text.splitlines() == [nasty.TEXT, "一、总体情况", "本年度主动公开信息120条。"]
    assert parsed.published == "2023-10-20"


def test_nesting_past_the_parsers_limit_is_a_named_warning_and_still_read():
    parsed = parse(nasty.html_deep(3000), "text/html; charset=utf-8")
    assert parsed.text.splitlines()[-2:] == ["一、总体情况", "本年度主动公开信息120条。"]
    assert parsed.warnings[0].startswith("HtmlTooDeep: the page nests deeper than the parser")
    assert parsed.published == "2023-10-20"
