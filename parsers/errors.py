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
    """A scanned document: pages carry images and no text; OCR would be needed."""

    code = "no_text_layer"


class UnmappedGlyphs(ParseError):
    """The fonts have no Unicode map, so text comes out as (cid:NN) glyphs."""

    code = "unmapped_glyphs"


class ConverterMissing(ParseError):
    """A legacy format (.doc/.wps) needs an external converter that is not installed."""

    code = "converter_missing"


class DocumentTooLarge(ParseError):
    """The document exceeds a safety limit (pages, decompressed size)."""

    code = "document_too_large"


class EmptyText(ParseError):
    """The document parsed but yielded no text at all (never `ok`)."""

    code = "empty_text"
