"""Scanned fixtures: a PDF's pages rendered to pictures and saved back as an image-only PDF,
so OCR can be measured against a text whose truth is known exactly."""

from __future__ import annotations

import io

SCAN_DPI = 200


def scanned_pdf(pdf_bytes: bytes, dpi: int = SCAN_DPI, pages: list[int] | None = None) -> bytes:
    """An image-only PDF of `pdf_bytes` (every page, or the 0-based `pages`), grayscale."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        wanted = range(len(pdf)) if pages is None else pages
        images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in wanted]
    finally:
        pdf.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()
