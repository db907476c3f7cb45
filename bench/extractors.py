"""The extractors the PDF benchmarks compare, and how they are timed (shared by bench_pdf.py
and bench_parse.py). Each extractor takes a PDF's bytes and returns its page count."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

import pdfplumber
import pypdfium2 as pdfium

from parsers.pdf import extract_pdf


def pipeline(body: bytes) -> int:
    return extract_pdf(body).pages or 0


def pipeline_plumber_tables(body: bytes) -> int:
    return extract_pdf(body, table_reader="pdfplumber").pages or 0


def bare_pdfplumber(body: bytes) -> int:
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def bare_pypdfium2(body: bytes) -> int:
    pdf = pdfium.PdfDocument(body)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            page.get_textpage().get_text_range()
            page.close()
        return len(pdf)
    finally:
        pdf.close()


def measure(fn: Callable[[bytes], int], files: list[bytes], rounds: int) -> float:
    """Best pages/s over `rounds` passes (the least disturbed by other load)."""
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        pages = sum(fn(body) for body in files)
        best = max(best, pages / (time.perf_counter() - start))
    return best
