"""Fuzzing the parsers with hypothesis: mutated real PDFs, random bytes and random text.

The only exceptions allowed are the named ParseError subclasses of `parsers.errors`; whatever
comes back must be text that can be stored (valid Unicode, no lone surrogates). Bounded:
the whole file runs in well under a minute.
"""

from __future__ import annotations

from functools import cache

from golden.content import golden_docs
from golden.layout import render
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import parse
from parsers.errors import ParseError
from parsers.pdf import extract_pdf
from parsers.textnorm import Line, rebuild_paragraphs

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same inputs on every run: a failure reproduces
)


@cache
def seeds() -> tuple[bytes, ...]:
    docs = {d.name: d for d in golden_docs()}
    return (render(docs["dash"]), render(docs["emdash"]))


def _check_pdf(body: bytes) -> None:
    # The text path: a mutation that breaks a font's encoding would send its pages to OCR
    # (seconds each; OCR has its own tests, tests/test_parsers_ocr.py).
    try:
        result = extract_pdf(body, ocr_scans=False)
    except ParseError:
        return
    result.text.encode("utf-8")  # storable: no lone surrogates
    for table in result.tables:
        for row in table.rows:
            "".join(row).encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    body = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "splice", "insert", "delete"]))
        at = draw(st.integers(0, max(len(body) - 1, 0)))
        if kind == "truncate":
            body = body[:at]
        elif kind == "flip":
            for pos in draw(st.lists(st.integers(0, max(len(body) - 1, 0)), max_size=16)):
                if body:
                    body[pos] ^= draw(st.integers(1, 255))
        elif kind == "splice":
            other = draw(st.sampled_from(seeds()))
            start = draw(st.integers(0, len(other)))
            body = body[:at] + other[start : start + draw(st.integers(1, 4000))]
        elif kind == "insert":
            body[at:at] = draw(st.binary(min_size=1, max_size=200))
        else:
            del body[at : at + draw(st.integers(1, 500))]
    return bytes(body)


@FUZZ
@given(mutated())
def test_mutated_pdfs(body: bytes):
    _check_pdf(body)


@FUZZ
@given(mutated())
def test_mutated_pdfs_keep_the_trailer(body: bytes):
    # Mutations that keep the end of file get past the truncation check into pdfium.
    _check_pdf(body + b"\n%%EOF\n")


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes(body: bytes):
    _check_pdf(body)
    _check_pdf(b"%PDF-1.7\n" + body + b"\n%%EOF\n")


@settings(max_examples=200, deadline=1000, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from("信息公开第页共一二（）、. -—/0123456789 \t\u3000a")),
            st.booleans(),
            st.booleans(),
        )
    )
)
def test_random_lines_paragraphs(lines: list[tuple[str, bool, bool]]):
    out = rebuild_paragraphs([Line(t, starts_paragraph=s, ends_paragraph=e) for t, s, e in lines])
    assert all(p == p.strip() and p and "\n" not in p for p in out)


CONTENT_TYPES = [None, "application/pdf", "application/octet-stream", "text/html"]


def _parses_or_names_its_error(body: bytes, content_type: str | None) -> None:
    try:
        parsed = parse(body, content_type)
    except ParseError as exc:
        assert exc.reason and str(exc) == f"{type(exc).__name__}: {exc.reason}"
        return
    assert isinstance(parsed.text, str) and isinstance(parsed.parser_version, str)
    parsed.text.encode("utf-8")  # storable: no lone surrogates


# Through `parse`, a mutation that breaks a font's encoding is read by OCR (~2 s a page of
# the three): the deadline still catches a hang.
@settings(FUZZ, deadline=20_000)
@given(mutated(), st.sampled_from(CONTENT_TYPES))
def test_parse_mutated_pdfs(body: bytes, content_type: str | None):
    _parses_or_names_its_error(body, content_type)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(CONTENT_TYPES))
def test_parse_random_bytes(body: bytes, content_type: str | None):
    _parses_or_names_its_error(body, content_type)
