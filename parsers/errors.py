"""Named parse failures. Each carries its reason; the reason is stored in the archive."""

from __future__ import annotations


class ParseError(Exception):
    """A document could not be turned into text."""

    code = "parse_error"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"{type(self).__name__}: {self.reason}"


class UnsupportedFormat(ParseError):
    """The bytes are not a format any parser reads."""

    code = "unsupported_format"


class BrokenDocument(ParseError):
    """The file is truncated, malformed or empty."""

    code = "broken_document"


class EncryptedDocument(ParseError):
    """The file is password-protected."""

    code = "encrypted_document"


class NoTextLayer(ParseError):
    """No text on any page: blank pages, or a scan read with OCR switched off."""

    code = "no_text_layer"


class UnmappedGlyphs(ParseError):
    """The fonts have no Unicode map, so text comes out as (cid:NN) glyphs (or the text layer literally reads `(cid:17)(cid:18)…`)."""  # noqa: E501 - one line: it is the README row

    code = "unmapped_glyphs"


class ConverterMissing(ParseError):
    """A legacy format (.doc/.wps) needs an external converter that is not installed."""

    code = "converter_missing"


class DocumentTooLarge(ParseError):
    """The document exceeds a measured safety limit: pages; a PDF stream decoding past 64 MB through any filter chain, all streams past 256 MB, a page's content streams and forms (every use counted) past 256 MB, forms nested over 12 deep or in a cycle; a zip member inflating past 64 MB, 200:1 or its declared size; the parse worker's memory cap."""  # noqa: E501 - one line: it is the README row

    code = "document_too_large"


class OcrUnavailable(ParseError):
    """Scanned pages need OCR and the OCR engine is not installed or failed to run."""

    code = "ocr_unavailable"


class UnreadableScan(ParseError):
    """OCR ran on a scanned page and recognised no text it trusts (blank, photo, noise)."""

    code = "unreadable_scan"


class UnsupportedArchive(ParseError):
    """An archive attachment (.zip, .rar) that holds no readable report document."""

    code = "unsupported_archive"


class EmptyText(ParseError):
    """The document parsed but yielded no text at all (never `ok`)."""

    code = "empty_text"


class ParserCrashed(ParseError):
    """The parse worker died (a signal: `ParserCrashed: signal 6 (SIGABRT) in the parse worker`) or the parser raised an unexpected exception; the worker is replaced."""  # noqa: E501 - one line: it is the README row

    code = "parser_crashed"


class ParseTimeout(ParseError):
    """The document was not parsed within its deadline (`XXGK_PARSE_TIMEOUT`); the worker is killed and replaced."""  # noqa: E501 - one line: it is the README row

    code = "parse_timeout"
