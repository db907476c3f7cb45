"""What a response or a failure means: challenge pages, wrong charsets, named fetch errors."""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

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
        return f"ChallengePage: anti-bot challenge (HTTP {response.status})"
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


_EXCEPTION_NAMES = {
    "TimeoutError": "Timeout",
    "DownloadTimeoutError": "Timeout",
    "DownloadConnectionRefusedError": "ConnectionRefused",
    "CannotResolveHostError": "DNSLookupFailed",
    "ResponseDataLossError": "DataLoss",
    "TCPTimedOutError": "Timeout",
    "ConnectionRefusedError": "ConnectionRefused",
    "ConnectionLost": "ConnectionReset",
    "ResponseNeverReceived": "ConnectionReset",
    "DNSLookupError": "DNSLookupFailed",
    "NoRouteError": "NoRoute",
}


def exception_reason(exception: Exception) -> str:
    """A named reason for a failed fetch: the name first, then what happened."""
    name = type(exception).__name__
    if name == "DownloadFailedError" and exception.__cause__ is not None:
        return exception_reason(exception.__cause__)  # Scrapy's wrapper of Twisted's errors
    text = str(exception) or repr(exception)
    reasons = getattr(exception, "reasons", None)  # Twisted wraps the real causes in Failures
    if reasons:
        text = "; ".join(f"{r.type.__name__}: {r.getErrorMessage()}" for r in reasons)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"TLSError: {text[:300]}"
    if "maxsize" in lowered or "larger than download max size" in lowered:
        return f"DownloadTooLarge: {text[:300]}"
    return f"{_EXCEPTION_NAMES.get(name, name)}: {text[:300]}"
