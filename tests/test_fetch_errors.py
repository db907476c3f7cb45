"""Named fetch errors: the stored `Name: reason`, and the name each download failure gets."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DownloadFailedError, DownloadTimeoutError
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler import fetch_errors as fe
from crawler.responses import exception_reason, fetch_error


def test_a_fetch_error_is_stored_as_name_colon_reason():
    error = fe.RedirectLoop("http://a/ redirects back to http://a/ after 1 redirects")
    assert (
        str(error)
        == error.row()
        == ("RedirectLoop: http://a/ redirects back to http://a/ after 1 redirects")
    )
    assert error.reason == "http://a/ redirects back to http://a/ after 1 redirects"
    assert fe.FetchError.named(error.row()) is fe.RedirectLoop
    assert fe.FetchError.named("Nonsense: x") is None
    assert fe.FetchError.named(None) is None


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (twisted_errors.TimeoutError(), "Timeout: User timeout caused connection failure."),
        (
            DownloadTimeoutError("took longer than 20.0 seconds"),
            "Timeout: took longer than 20.0 seconds",
        ),
        (
            twisted_errors.ConnectionRefusedError(),
            "ConnectionRefused: Connection was refused by other side.",
        ),
        (twisted_errors.NoRouteError(), "ConnectionRefused: No route to host."),
        (
            twisted_errors.DNSLookupError("a.example"),
            "DNSLookupFailed: DNS lookup failed: a.example.",
        ),
        (
            ResponseNeverReceived([Failure(twisted_errors.ConnectionLost("gone"))]),
            "ConnectionReset: ConnectionLost: Connection to the other side was lost in a "
            "non-clean fashion: gone.",
        ),
        (
            ValueError("SSL routines: certificate verify failed"),
            "TLSError: SSL routines: certificate verify failed",
        ),
        (KeyError("odd"), "FetchFailed: KeyError: 'odd'"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_download_failures_get_their_readme_name(exception, expected):
    assert exception_reason(exception) == expected
    assert type(fetch_error(exception)) in fe.FETCH_ERRORS


def test_scrapys_wrapper_is_named_by_its_cause():
    wrapper = DownloadFailedError("download failed")
    wrapper.__cause__ = twisted_errors.DNSLookupError("b.example")
    assert exception_reason(wrapper) == "DNSLookupFailed: DNS lookup failed: b.example."
