"""Page objects read with pypdfium2: image and path counts, and ruling-line edges for tables.

pdfplumber finds tables from the page's *edges* (the sides of drawn lines and rectangles),
which it gets by running pdfminer over the whole content stream, text included: ~0.2 s for a
page holding a 50-row table. pdfium has already parsed the page, so the same edges are read
here from its path objects (points in page space, top-based like pdfplumber's) and handed to
pdfplumber's own table finder (`pdf_tables`). The edges follow pdfplumber's rules: every
straight horizontal or vertical piece of a painted path is an edge (a rectangle gives four,
a line one); diagonal pieces and curves' bulges are not.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Forms (XObjects) nest; real files go two or three deep. Deeper is ignored, not followed.
MAX_FORM_DEPTH = 8
# A page with more path objects than this is a drawing or a chart, not a text page with a
# table: reading every segment would cost more than the table is worth.
MAX_PATHS = 5000

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class PageObjects:
    """What the page draws besides text: images (scans) and paths (ruling lines)."""

    images: int = 0
    paths: int = 0  # path objects at the top level of the page (as counted before forms)
    path_objects: list[tuple[object, Matrix]] = field(default_factory=list)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _matrix(obj: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _walk(
    get: object, count: int, owner: object, outer: Matrix | None, depth: int, out: PageObjects
) -> None:
    for i in range(count):
        obj = get(owner, i)  # type: ignore[operator]
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if outer is None:
                out.paths += 1
            if len(out.path_objects) < MAX_PATHS:
                m = _matrix(obj)
                out.path_objects.append((obj, m if outer is None else _compose(m, outer)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            if outer is None:
                out.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            m = _matrix(obj)
            inner = pdfium_c.FPDFFormObj_CountObjects(obj)
            if inner > 0:
                _walk(
                    pdfium_c.FPDFFormObj_GetObject,
                    inner,
                    obj,
                    m if outer is None else _compose(m, outer),
                    depth + 1,
                    out,
                )


def page_objects(page: pdfium.PdfPage) -> PageObjects:
    """Images and paths of a page; path objects inside forms are kept for edges too."""
    out = PageObjects()
    raw = page.raw
    _walk(pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPage_CountObjects(raw), raw, None, 0, out)
    return out


def _edge(x0: float, y0: float, x1: float, y1: float, height: float) -> dict | None:
    """A pdfplumber edge dict for the straight piece (x0, y0)-(x1, y1), in PDF coordinates."""
    if x0 == x1:
        orientation = "v"
    elif y0 == y1:
        orientation = "h"
    else:
        return None
    left, right = min(x0, x1), max(x0, x1)
    top, bottom = height - max(y0, y1), height - min(y0, y1)
    return {
        "object_type": "line_edge",
        "x0": left,
        "x1": right,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": right - left,
        "height": bottom - top,
        "orientation": orientation,
    }


def _round(v: float) -> float:
    """pdfium keeps points as 32-bit floats: 0.75 pt lines come back as 100.50000762. Rounding
    to 1/10000 pt gives back the numbers the file wrote, as pdfminer reads them."""
    return round(v, 4)


def path_edges(objects: PageObjects, height: float) -> list[dict]:
    """Horizontal and vertical edges of the page's painted paths, top-based."""
    edges: list[dict] = []
    point = pdfium_c.FPDFPathSegment_GetPoint
    get_type = pdfium_c.FPDFPathSegment_GetType
    get_close = pdfium_c.FPDFPathSegment_GetClose
    get_segment = pdfium_c.FPDFPath_GetPathSegment
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    for obj, (a, b, c, d, e, f) in objects.path_objects:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        if pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
            if not fill.value and not stroke.value:
                continue  # a path that paints nothing (pdfminer never sees it either)
        start = prev = None
        bezier = 0
        for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = get_segment(obj, i)
            if not point(seg, px, py):
                continue
            pt = (_round(a * x.value + c * y.value + e), _round(b * x.value + d * y.value + f))
            kind = get_type(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                bezier = 0
                continue
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                bezier += 1
                if bezier % 3:  # the two control points of a cubic curve: no edge
                    continue
            if prev is not None:
                edge = _edge(*prev, *pt, height)
                if edge is not None:
                    edges.append(edge)
            prev = pt
            if get_close(seg) and start is not None and start != pt:
                edge = _edge(*pt, *start, height)
                if edge is not None:
                    edges.append(edge)
                prev = start
    return edges
