"""OCR of scanned PDFs: character error rate and pages per second on one core.

The scanned fixture is made, not found: golden report PDFs (tests/golden) are rendered to
grayscale images at 200 dpi with pypdfium2 and saved back as image-only PDFs with Pillow
(`golden.scan.scanned_pdf`), so the truth text is known exactly. Each goes through the
production path `parsers.parse`, pinned to one core; the CER is against
`golden.layout.truth`. Pages/s are given by wall time and by CPU time (this process and
tesseract together), since a loaded machine stretches wall time.
Runs in about a minute per document.

    .venv/bin/python bench/bench_ocr.py [DOCS]
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(count: int = 2) -> None:
    from golden.cer import levenshtein
    from golden.content import golden_docs
    from golden.layout import render, truth
    from golden.scan import SCAN_DPI, scanned_pdf

    import parsers
    from parsers import ocr

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(f"engine: {ocr.engine_name()}, scans at {SCAN_DPI} dpi, render {ocr.RENDER_SCALE}x")
    docs = golden_docs()[:count]
    pages = edits = chars = 0
    wall = cpu = 0.0
    for doc in docs:
        body = scanned_pdf(render(doc))
        start, start_cpu = time.perf_counter(), _cpu()
        parsed = parsers.parse(body, "application/pdf")
        wall += time.perf_counter() - start
        cpu += _cpu() - start_cpu
        expected = truth(doc)
        distance = levenshtein(parsed.text, expected)
        edits += distance
        chars += len(expected)
        pages += parsed.pages or 0
        print(
            f"{doc.name}: {parsed.pages} pages, CER {distance / len(expected):.2%}, "
            f"parser {parsed.parser}"
        )
    print(f"CER {edits / chars:.2%} over {pages} scanned pages ({chars} characters of truth)")
    print(f"{pages / wall:.2f} pages/s by wall time, {pages / cpu:.2f} pages/s by CPU time")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
