"""Pages per second of the PDF pipeline against bare pdfplumber and bare pypdfium2.

One run, one core, the same files: the golden report PDFs (reportlab, generated here), a long
report made of the same paragraphs, and the Word-like PDFs in tests/files/pdf/. Machines are
noisy (±30%), so compare the ratios printed together, not figures across runs.

    .venv/bin/python bench/bench_pdf.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from extractors import bare_pdfplumber, bare_pypdfium2, measure, pipeline  # noqa: E402
from golden.content import golden_docs  # noqa: E402
from golden.layout import Doc, render  # noqa: E402

ROUNDS = 3


def corpus() -> list[bytes]:
    docs = golden_docs()
    files = [render(d) for d in docs]
    long_paras = [p for _ in range(5) for p in docs[0].paras[1:]]
    files.append(
        render(
            Doc(
                "long",
                [docs[0].paras[0], *long_paras],
                footer="- {p} -",
                header=docs[0].paras[0].text,
            )
        )
    )
    files += [p.read_bytes() for p in sorted((ROOT / "tests" / "files" / "pdf").glob("*.pdf"))]
    return files


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    files = corpus()
    pages = sum(pipeline(b) for b in files)  # also warms imports and caches
    print(f"{len(files)} files, {pages} pages, best of {ROUNDS} passes, one core\n")
    rates = {
        "extract_pdf (pipeline)": measure(pipeline, files, ROUNDS),
        "pdfplumber extract_text": measure(bare_pdfplumber, files, ROUNDS),
        "pypdfium2 get_text_range": measure(bare_pypdfium2, files, ROUNDS),
    }
    print(f"{'extractor':<28}{'pages/s':>10}")
    for name, rate in rates.items():
        print(f"{name:<28}{rate:>10.1f}")
    ours, plumber, pdfium_rate = rates.values()
    print(f"\npipeline / bare pdfplumber = {ours / plumber:.2f}  (target >= 0.87)")
    print(f"pipeline / bare pypdfium2  = {ours / pdfium_rate:.2f}")


if __name__ == "__main__":
    main()
