"""Report text from a portal's article page (VSB, WebPlus and unknown layouts).

The CMS body container is read with lxml when present: ~10x faster than trafilatura and it
keeps every inline span (Word-pasted pages split `2020年9月1日` over several `<span>`s, and a
careless extractor yields `202091日`). trafilatura reads pages of unknown layouts.
Dates come only from the page itself (parsers.dates: meta tag, `发布日期:` line, WebPlus
URL); htmldate is never used because it invents dates from article ids and sidebars.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import charset_normalizer
import lxml.etree
import lxml.html

from parsers import families, html_tables
from parsers.dates import published_date
from parsers.document import Extracted, Table
from parsers.errors import BrokenDocument
from parsers.tables import clean_cell, header_rows
from parsers.textnorm import fix_spacing

# Body containers of the CMS families, most specific first (parsers/families.py).
BODY_XPATHS = families.BODY_XPATHS
# trafilatura, for pages none of the above fits. Pinned so output does not drift with its
# defaults: tables kept (the 清单 table and request statistics live in them), comments and
# links dropped (not report text), recall favoured (a report is one long article; losing a
# paragraph is worse than keeping a stray line), no dedup (repeated phrases are content),
# XML output so tables come back as rows rather than `| a | b |` text.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "output_format": "xml",
    "include_tables": True,
    "include_comments": False,
    "include_links": False,
    "include_images": False,
    "include_formatting": False,
    "favor_recall": True,
    "deduplicate": False,
    "with_metadata": False,
}
# Below this many characters the container is taken as a wrapper around an attachment.
MIN_BODY_CHARS = 20

_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "pre",
    "center",
    "form",
    "header",
    "footer",
    "hr",
    "caption",
}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "select", "button"}
_CHARSET_HTTP = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_CHARSET_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# The page's own meta line (date, source, clicks): page furniture when trafilatura keeps it.
_META_LINE = re.compile(r"^[【\[]?(?:作者|来源|发布日期|发布时间|发表时间|点击数|浏览次数)\s*[:：]")
# Wrapper elements that carry no text of their own: flattened when a page nests deeper than
# even the huge-tree parser follows (2048), so the text below is still read.
_WRAPPERS = re.compile(r"</?(?:div|span|font|section|article|b|i|u|em|strong|center)\b[^>]*>", re.I)
_TITLE_SPLIT = re.compile(r"\s*[_|｜]\s*|\s+[-—–]+\s+|(?<!\d)-(?!\d)")


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    # GB2312 and GBK pages use GB18030 characters in practice; GB18030 is their superset.
    return "gb18030" if codec in ("gb2312", "gbk", "hz") else codec


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): bytes that are valid UTF-8 are UTF-8, whatever is declared
    (GBK text is practically never valid UTF-8, the reverse is not true); otherwise the HTTP
    charset, then `<meta charset>`, each believed only if the bytes decode under it. GBK pages
    declared as UTF-8 exist (trafilatura issue 626): GB18030 is tried next. charset-normalizer
    guesses when nothing decodes cleanly.
    """
    warnings: list[str] = []
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8", warnings
    http = _CHARSET_HTTP.search(content_type or "")
    meta = _CHARSET_META.search(body[:4096])
    declared = [
        c
        for c in (
            _codec(http.group(1) if http else None),
            _codec(meta.group(1).decode("ascii", "ignore") if meta else None),
        )
        if c
    ]
    for codec in dict.fromkeys(["utf-8", *declared, "gb18030"]):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        if declared and codec != declared[0] and not body.isascii():
            warnings.append(f"declared charset {declared[0]} is wrong; decoded as {codec}")
        return text, codec, warnings
    guess = _guess_codec(body) or (declared[0] if declared else "gb18030")
    warnings.append(f"no charset decodes cleanly; decoded as {guess} with replacements")
    return body.decode(guess, "replace"), guess, warnings


def _guess_codec(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body).best()
    return _codec(best.encoding) if best else None


def _clean(text: str) -> str:
    return fix_spacing(re.sub(r"\s+", " ", text.replace("\u3000", " ")))


def _hidden(el: lxml.html.HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    # text_content() joins inline <span> pieces without losing a character.
    return clean_cell(_clean(cell.text_content()))


def _data_table(el: lxml.html.HtmlElement) -> Table | None:
    """The table as data, or None when it lays out running text (see parsers.html_tables)."""
    rows = html_tables.grid(el, _cell_text)
    if not rows or html_tables.is_layout(el, rows):
        return None
    return html_tables.data_table(rows, el)


class _Walker:
    """Block-aware text of an element: blocks break lines, inline elements join."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables: list[Table] = []
        self._current: list[str] = []

    def flush(self) -> None:
        line = _clean("".join(self._current))
        if line:
            self.lines.append(line)
        self._current = []

    def walk(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag and tag not in _SKIP and not _hidden(el):
            if tag == "table" and (table := _data_table(el)) is not None:
                self.flush()
                self.tables.append(table)
            else:
                block = tag in _BLOCK
                if block or tag == "br":
                    self.flush()
                self._current.append(el.text or "")
                for child in el:
                    self.walk(child)
                if block:
                    self.flush()
        if el.tail:
            self._current.append(el.tail)


def _walk(el: lxml.html.HtmlElement) -> tuple[list[str], list[Table]]:
    walker = _Walker()
    walker.walk(el)
    walker.flush()
    return walker.lines, walker.tables


def _title(doc: lxml.html.HtmlElement) -> str | None:
    for xpath in families.TITLE_XPATHS:
        for hit in doc.xpath(xpath):
            text = _clean(hit if isinstance(hit, str) else hit.text_content())
            if text and xpath == "//title":
                # `<title>` usually appends the site name: `报告标题-XX大学信息公开网`.
                text = _TITLE_SPLIT.split(text)[0].strip() or text
            if text:
                return text
    return None


def _published(doc: lxml.html.HtmlElement, url: str | None) -> str | None:
    body = doc.find("body")
    return published_date(
        meta=[
            (m.get("name") or m.get("property") or "", m.get("content") or "")
            for m in doc.iter("meta")
        ],
        text=_clean((body if body is not None else doc).text_content()),
        url=url,
    )


def _container(doc: lxml.html.HtmlElement) -> tuple[lxml.html.HtmlElement | None, str]:
    for xpath in BODY_XPATHS:
        hits = doc.xpath(xpath)
        if hits:
            return hits[0], xpath
    return None, ""


def _trafilatura(text: str, url: str | None) -> tuple[list[str], list[Table]]:
    import trafilatura

    xml = trafilatura.extract(text, url=url, **TRAFILATURA_OPTIONS)
    if not xml:
        return [], []
    root = lxml.etree.fromstring(xml.encode("utf-8"))
    lines: list[str] = []
    tables: list[Table] = []
    for el in root.iter("head", "p", "item", "table", "quote", "code"):
        if el.tag == "table":
            rows = [
                [_clean("".join(c.itertext())) for c in row.iter("cell")] for row in el.iter("row")
            ]
            rows = [r for r in rows if any(r)]
            if html_tables.text_rows(rows):  # a layout table: its cells are running text
                lines.extend(c for r in rows for c in r if c)
            elif rows:
                tables.append(Table(rows=rows, header_rows=header_rows(rows)))
        elif not any(a.tag in ("table", "p", "item") for a in el.iterancestors()):
            line = _clean("".join(el.itertext()))
            if line and not _META_LINE.match(line):
                lines.append(line)
    return lines, tables


def _parse(text: str) -> tuple[lxml.html.HtmlElement, bool]:
    """The document tree, and whether the parser cut it at its resource limits."""
    # huge_tree: without it libxml2 silently ends a text node at 10 M characters (a `data:`
    # image) and drops everything nested deeper than 256 elements.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BrokenDocument(f"HTML does not parse: {exc}") from exc
    cut = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
    return doc, cut


def _document(text: str, warnings: list[str]) -> tuple[lxml.html.HtmlElement, str]:
    """The tree and the text it was parsed from (flattened when the original was cut)."""
    doc, cut = _parse(text)
    if cut:  # past even huge_tree's limits: flatten the wrappers and read the rest
        text = _WRAPPERS.sub(" ", text)
        doc, still_cut = _parse(text)
        warnings.append(
            "HtmlTooDeep: the page nests deeper than the parser follows; read with its "
            "wrapper elements flattened" + (" (still cut)" if still_cut else "")
        )
    return doc, text


def extract_html(
    body: bytes, *, content_type: str | None = None, url: str | None = None
) -> Extracted:
    """Text (one block per line, tables kept apart), title and date of an article page."""
    text, encoding, warnings = decode(body, content_type)
    # lxml refuses str input that still carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    doc, text = _document(text, warnings)
    title = _title(doc)
    container, xpath = _container(doc)
    if container is not None:
        lines, tables = _walk(container)
        extractor = f"lxml {xpath}"
        # The report's own dates (统计日期：…) must not pass for the page's 发布日期 line.
        container.drop_tree()
        if sum(len(line) for line in lines) < MIN_BODY_CHARS and not tables:
            warnings.append("article body is (nearly) empty: the report is probably attached")
    else:
        lines, tables = _trafilatura(text, url)
        extractor = "trafilatura"
        warnings.append("no known CMS body container; extracted with trafilatura")
    return Extracted(
        text="\n".join(lines),
        format="html",
        title=title,
        published=_published(doc, url),
        tables=tables,
        warnings=warnings,
        extractor=f"{extractor} ({encoding})",
    )
