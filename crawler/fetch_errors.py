"""Named fetch failures: every fetch that ends without a usable body is a `fetches` row whose
`error` is `Name: reason`. Scrapy-free, like `parsers/errors.py`.

Each class's docstring is its meaning in the README's "Every failure is a row" table; the docs
test keeps the two equal, in the order of `FETCH_ERRORS`.
"""

from __future__ import annotations


class FetchError(Exception):
    """A fetch that ended without a usable body; `str()` is the `fetches.error` value."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"{type(self).__name__}: {self.reason}"

    def row(self) -> str:
        """The value stored in `fetches.error`."""
        return str(self)

    @classmethod
    def named(cls, error: str | None) -> type[FetchError] | None:
        """The class a stored `fetches.error` value names, or None."""
        name = (error or "").partition(":")[0]
        return next((c for c in FETCH_ERRORS if c.__name__ == name), None)


class PrivateAddressRefused(FetchError):
    """the URL, a DNS answer or a redirect points at a loopback, private, link-local or metadata address (checked before connecting)"""  # noqa: E501 - one line: it is the README row


class NotResolved(FetchError):
    """`XXGK_RESOLVE_ONLY` is on and the host has no `--resolve` entry"""


class UnsupportedScheme(FetchError):
    """`ftp://`, `file://` and other non-http(s) links or redirects"""


class OffsiteSkipped(FetchError):
    """a link off the school's registered domain (spam mirrors), or a redirect that leaves it (the chain `a -> b -> c` is in the reason; the other host's file is never the school's report)"""  # noqa: E501 - one line: it is the README row


class ChallengePage(FetchError):
    """an anti-bot 412/202 page (kept in the log, never a report)"""


class ChallengeNotLifted(FetchError):
    """the anti-bot page is still there after the retries"""


class ChallengeDefeatsBrowser(FetchError):
    """the challenge is still there after the browser ran the page's script (6 loads)"""


class BrowserUnavailable(FetchError):
    """a page needed the browser and there is none (no chromium, or it does not start)"""


class BrowserPageTimeout(FetchError):
    """a browser page did not settle within twice `XXGK_BROWSER_PAGE_TIMEOUT`"""


class RetriesExhausted(FetchError):
    """5xx (or 408/429) still after the retries"""


class Timeout(FetchError):
    """no answer within `DOWNLOAD_TIMEOUT` (retried with backoff)"""


class ConnectionReset(FetchError):
    """the server dropped the connection before the whole answer (retried with backoff)"""


class ConnectionRefused(FetchError):
    """nothing listens on the port, or no route to the host (retried with backoff)"""


class DNSLookupFailed(FetchError):
    """the host name does not resolve (retried with backoff)"""


class TLSError(FetchError):
    """the certificate or the TLS handshake failed (not retried: a bad certificate stays bad)"""


class DownloadTooLarge(FetchError):
    """over `DOWNLOAD_MAXSIZE` (100 MB), by header or while streaming; nothing stored"""


class RedirectLoop(FetchError):
    """a redirect cycle, or more than 20 redirects"""


class ListPageCap(FetchError):
    """a list that paginates past `XXGK_MAX_LIST_PAGES` (200) for one school"""


class StorageError(FetchError):
    """the raw store could not be written (disk full); the next crawl fetches it again"""


class IntranetOnly(FetchError):
    """a report link whose page says it is for the campus network only (无权访问, 仅限校内访问, a WebPlus `.wp_error_msg`): never a report"""  # noqa: E501 - one line: it is the README row


class LoginRequired(FetchError):
    """a report link that leads to a login page (统一身份认证, CAS): never a report"""


class NotFoundPage(FetchError):
    """a report link whose page is a 404 page served with status 200: never a report"""


class ErrorPage(FetchError):
    """a report link whose page shows only a CMS error message: never a report"""


class RobotsDisallowed(FetchError):
    """robots.txt forbids the page (a column, a list page): not fetched"""


class PortalMoved(FetchError):
    """not a failure: the home page answered from another host of the school's registered domain (followed)"""  # noqa: E501 - one line: it is the README row


class SchemeFallback(FetchError):
    """not a failure: the registry's scheme did not answer (https on an HTTP-only host, or the reverse) and the other was tried once"""  # noqa: E501 - one line: it is the README row


class DecompressionBomb(FetchError):
    """a gzip/deflate/br/zstd body that decodes past `DOWNLOAD_MAXSIZE`; nothing stored"""


class ContentDecodingFailed(FetchError):
    """a body that does not decode as its `Content-Encoding` says (a plain body labelled gzip, `gzip, gzip` on a body compressed once)"""  # noqa: E501 - one line: it is the README row


class UrlTooLong(FetchError):
    """a URL over `URLLENGTH_LIMIT` (2083) characters, refused before fetching"""


class PortalBudgetExceeded(FetchError):
    """the portal spent a budget of this crawl: `XXGK_MAX_REQUESTS` (20,000 requests), `XXGK_MAX_ARTICLES` (5,000 article pages) or `XXGK_MAX_BYTES` (4 GiB); recorded once per portal and budget, later requests only counted"""  # noqa: E501 - one line: it is the README row


class ReportLinkCap(FetchError):
    """more than `XXGK_MAX_LINKS_PER_REPORT` (20) article or attachment links to one school and report year in one crawl (a flood of report-titled links); recorded once"""  # noqa: E501 - one line: it is the README row


class FetchFailed(FetchError):
    """any other download failure, with the exception's own name and message"""


# README order; `exception_reason` never produces a name outside this tuple.
FETCH_ERRORS: tuple[type[FetchError], ...] = (
    PrivateAddressRefused,
    NotResolved,
    UnsupportedScheme,
    OffsiteSkipped,
    ChallengePage,
    ChallengeNotLifted,
    ChallengeDefeatsBrowser,
    BrowserUnavailable,
    BrowserPageTimeout,
    RetriesExhausted,
    Timeout,
    ConnectionReset,
    ConnectionRefused,
    DNSLookupFailed,
    TLSError,
    DownloadTooLarge,
    RedirectLoop,
    ListPageCap,
    StorageError,
    IntranetOnly,
    LoginRequired,
    NotFoundPage,
    ErrorPage,
    RobotsDisallowed,
    PortalMoved,
    SchemeFallback,
    DecompressionBomb,
    ContentDecodingFailed,
    UrlTooLong,
    PortalBudgetExceeded,
    ReportLinkCap,
    FetchFailed,
)
