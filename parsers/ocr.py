"""OCR of scanned PDF pages (pages that carry images and no text layer), with Tesseract.

Tesseract (Debian `tesseract-ocr` + `tesseract-ocr-chi-sim`) runs offline on the CPU with the
models the packages install; nothing is downloaded at run time. RapidOCR's onnxruntime wheel
(models inside) was measured too: ~8 s of CPU per report page against ~2 s here.

All scanned pages of a document go to one `tesseract` process (its model loads once), as PNGs
in a temp dir, at one thread (`OMP_THREAD_LIMIT=1`: a crawl runs one parser per core). The
TSV output gives each line's box, so OCR'd lines go through the same paragraph rebuilding as
text-layer lines (`pdf_layout.flag_lines`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from typing import Any

from parsers.document import Table
from parsers.errors import OcrUnavailable
from parsers.ocr_tables import fill, find_grids
from parsers.pdf_chars import PdfLine

OCR_PACKAGES = "tesseract-ocr tesseract-ocr-chi-sim"
LANGUAGE = "chi_sim"
# 2x (144 dpi) keeps 10.5 pt text ~20 px high: as accurate as 300 dpi, fewer pixels to scan.
RENDER_SCALE = 2.0
SECONDS_PER_PAGE = 60  # a stuck tesseract must not hang a crawl
# Words Tesseract is less sure of than this are dropped. Measured on the scanned fixture
# (bench_ocr): dropping words under 30 loses more characters than it removes noise, so none
# are dropped by confidence; the page's mean confidence decides readability instead.
MIN_CONFIDENCE = 0.0
# A page whose recognised words average under this confidence is unreadable (a photo, a
# blank scan, a wrong language).
MIN_PAGE_CONFIDENCE = 45.0

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# chi_sim reads full-width punctuation as its ASCII look-alike; next to CJK it is full-width.
_FULL_WIDTH = str.maketrans(",:;()?!", "，：；（）？！")
_ASCII_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s*[,:;()?!]|[,:;()?!]\s*(?=[{_CJK}])")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@dataclass
class OcrPage:
    number: int  # 1-based page number in the document
    lines: list[PdfLine]
    confidence: float  # mean word confidence, 0-100
    words: int
    tables: list[Table] = field(default_factory=list)


@lru_cache(maxsize=1)
def engine() -> str | None:
    """The tesseract binary when it and its Chinese model are installed, else None (asked
    once per process: two subprocesses per document cost ~40 ms of a page's second)."""
    binary = shutil.which("tesseract")
    if not binary:
        return None
    try:
        langs = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return binary if LANGUAGE in langs else None


@lru_cache(maxsize=1)
def engine_name() -> str:
    binary = engine()
    if not binary:
        return "tesseract (missing)"
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return f"{first[0] if first else 'tesseract'} {LANGUAGE}"


def _fix_text(text: str) -> str:
    text = _ASCII_PUNCT_NEAR_CJK.sub(lambda m: m.group(0).strip().translate(_FULL_WIDTH), text)
    return _SPACE_NEAR_CJK.sub("", text).strip()


def _size(height: float) -> float:
    """OCR boxes wobble by a point or two from page to page; running headers are found by
    text *and* size (`pdf_layout`), so sizes are kept in 3 pt steps."""
    return max(3.0, 3.0 * round(height / 3.0))


def _join(words: list[tuple[str, float, float]]) -> str:
    """Words of one line: a space only between two Latin/digit words."""
    out = ""
    for text, _, _ in words:
        if out and out[-1].isascii() and out[-1].isalnum() and text[0].isascii():
            out += " "
        out += text
    return _fix_text(out)


def _lines(rows: list[dict[str, str]], scale: float) -> dict[int, OcrPage]:
    grouped: dict[tuple[int, ...], list[dict[str, str]]] = {}
    for row in rows:
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = tuple(int(row[k]) for k in ("page_num", "block_num", "par_num", "line_num"))
        grouped.setdefault(key, []).append(row)
    pages: dict[int, OcrPage] = {}
    for key, words in sorted(grouped.items()):
        page = pages.setdefault(key[0], OcrPage(key[0], [], 0.0, 0))
        kept = [w for w in words if float(w["conf"]) >= MIN_CONFIDENCE]
        for w in words:
            page.confidence += float(w["conf"])
            page.words += 1
        if not kept:
            continue
        left = [int(w["left"]) for w in kept]
        right = [int(w["left"]) + int(w["width"]) for w in kept]
        top = min(int(w["top"]) for w in kept)
        bottom = max(int(w["top"]) + int(w["height"]) for w in kept)
        text = _join([(w["text"].strip(), 0.0, 0.0) for w in kept])
        if text:
            page.lines.append(
                PdfLine(
                    text=text,
                    x0=min(left) / scale,
                    x1=max(right) / scale,
                    top=top / scale,
                    bottom=bottom / scale,
                    # Word heights, not the line's box: a rule under a running header or
                    # a stray mark joined to one word would make the line look bigger.
                    size=_size(median(int(w["height"]) for w in kept) / scale),
                )
            )
    for page in pages.values():
        page.confidence = page.confidence / page.words if page.words else 0.0
        page.lines.sort(key=lambda ln: (ln.top, ln.x0))
    return pages


def _tables(rows: list[dict[str, str]], images: list[tuple[int, Any]]) -> dict[int, list[Table]]:
    """Ruled tables of each page (`ocr_tables`); the words they take leave `rows` (their
    text is the table's, not the running text's)."""
    out: dict[int, list[Table]] = {}
    by_page: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        if row.get("level") == "5" and (row.get("text") or "").strip():
            by_page.setdefault(int(row["page_num"]), []).append(row)
    gone: set[int] = set()
    for i, (number, image) in enumerate(images):
        words = by_page.get(i + 1, [])
        boxes = [
            (w["text"].strip(), int(w["left"]), int(w["top"]), int(w["width"]), int(w["height"]))
            for w in words
        ]
        for grid in find_grids(image):
            table, taken = fill(grid, boxes)
            if len(table.rows) >= 2 and max(len(r) for r in table.rows) >= 2:
                out.setdefault(i + 1, []).append(
                    Table(rows=table.rows, page=number, header_rows=table.header_rows)
                )
                gone |= {id(words[k]) for k in taken}
    rows[:] = [row for row in rows if id(row) not in gone]
    return out


def recognise(images: list[tuple[int, Any]], scale: float = RENDER_SCALE) -> list[OcrPage]:
    """OCR of (page number, PIL image) pairs, in one tesseract run; lines in page points."""
    binary = engine()
    if not binary:
        raise OcrUnavailable(
            f"scanned pages need OCR: install the Debian packages {OCR_PACKAGES} "
            "(tesseract with its chi_sim model not found)"
        )
    with tempfile.TemporaryDirectory(prefix="xxgk-ocr-") as tmp:
        paths = []
        for i, (_, image) in enumerate(images):
            path = os.path.join(tmp, f"page{i:04d}.png")
            image.save(path, compress_level=1)  # written once, read once: speed over size
            paths.append(path)
        listing = os.path.join(tmp, "pages.txt")
        with open(listing, "w", encoding="utf-8") as handle:
            handle.write("\n".join(paths) + "\n")
        command = [binary, listing, "stdout", "-l", LANGUAGE, "--psm", "4", "--oem", "1"]
        command += ["-c", "tessedit_do_invert=0", "tsv"]
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=SECONDS_PER_PAGE * max(1, len(images)),
                check=False,
                env=env,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrUnavailable(f"tesseract did not finish in {exc.timeout:.0f} s") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise OcrUnavailable(f"tesseract failed (exit {done.returncode}): {detail}")
    reader = csv.DictReader(
        io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    rows = list(reader)
    tables = _tables(rows, images)
    found = _lines(rows, scale)
    pages = []
    for i, (number, _) in enumerate(images):
        page = found.get(i + 1)
        pages.append(
            OcrPage(number, page.lines, page.confidence, page.words, tables.get(i + 1, []))
            if page
            else OcrPage(number, [], 0.0, 0)
        )
    return pages


def readable(page: OcrPage) -> bool:
    return bool(page.lines) and page.confidence >= MIN_PAGE_CONFIDENCE
