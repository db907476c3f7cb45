"""What a response or a failure means: challenge pages, wrong charsets, named fetch errors."""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

from crawler import fetch_errors as fe

_CHALLENGE_MARKERS = re.compile(
    rb"document\.cookie|location\.reload|__jsl_clearance|_waf|challenge|\$_ts|window\.onload",
    re.IGNORECASE,
)
_TAGS = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL | re.IGNORECASE)


def challenge_reason(response: Response) -> str | None:
    """Anti-bot gateways answer 412 (or 202) with a script page instead of the content."""
    if response.status not in (412, 202):
        return None
    body = response.body[:200_000]
    visible = _TAGS.sub(b"", body).strip()
    if response.status == 412 or (_CHALLENGE_MARKERS.search(body) and len(visible) < 500):
        return fe.ChallengePage(f"anti-bot challenge (HTTP {response.status})").row()
    return None


def repaired_encoding(response: TextResponse) -> str | None:
    """A better charset when the declared one cannot decode the page but GB18030 can."""
    declared = response.encoding.lower()
    if declared in ("gb18030", "gbk", "gb2312"):
        return None
    body = response.body
    try:
        body.decode(declared)
        return None
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        body.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return "gb18030"


# Twisted's and Scrapy's exception names, folded into the README's network-failure names.
_EXCEPTION_CLASSES: dict[str, type[fe.FetchError]] = {
    "TimeoutError": fe.Timeout,
    "DownloadTimeoutError": fe.Timeout,
    "TCPTimedOutError": fe.Timeout,
    "DownloadConnectionRefusedError": fe.ConnectionRefused,
    "ConnectionRefusedError": fe.ConnectionRefused,
    "NoRouteError": fe.ConnectionRefused,
    "CannotResolveHostError": fe.DNSLookupFailed,
    "DNSLookupError": fe.DNSLookupFailed,
    "ResponseDataLossError": fe.ConnectionReset,
    "ConnectionLost": fe.ConnectionReset,
    "ResponseNeverReceived": fe.ConnectionReset,
}


def fetch_error(exception: BaseException) -> fe.FetchError:
    """The named fetch error for an exception raised by a download."""
    name = type(exception).__name__
    if name == "DownloadFailedError" and exception.__cause__ is not None:
        return fetch_error(exception.__cause__)  # Scrapy's wrapper of Twisted's errors
    text = str(exception) or repr(exception)
    reasons = getattr(exception, "reasons", None)  # Twisted wraps the real causes in Failures
    if reasons:
        text = "; ".join(f"{r.type.__name__}: {r.getErrorMessage()}" for r in reasons)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return fe.TLSError(text[:300])
    if "maxsize" in lowered or "larger than download max size" in lowered:
        return fe.DownloadTooLarge(text[:300])
    named = _EXCEPTION_CLASSES.get(name)
    if named is None:
        return fe.FetchFailed(f"{name}: {text[:300]}")
    return named(text[:300])


def exception_reason(exception: BaseException) -> str:
    """A named reason for a failed fetch, as stored: the name first, then what happened."""
    return fetch_error(exception).row()
