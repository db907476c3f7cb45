"""Every request the browser makes is fetched here, by the crawler, under its address policy.

Chromium never touches the network itself: each request of a page (the document, its scripts,
its XHR/fetch calls, the reload after a challenge) is intercepted and answered with what this
module fetched. The host is resolved with the crawler's own table (`--resolve`, DNS, the
private-address refusal) and the connection goes to exactly the address that was admitted, so
a page's script cannot reach an internal address, a refused host, or rebind a name between the
check and the connect.
"""

from __future__ import annotations

import asyncio
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, Request, Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes

from crawler import fetch_errors as fe
from crawler.addresses import AddressPolicy, refusal_reason
from crawler.responses import challenge_reason

# Not forwarded either way: connection management is ours, bodies are handed over decoded.
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "upgrade",
    "te",
    "trailer",
}


class BrowserRequestRefused(Exception):
    """A request of a page that the address policy refuses; the reason names the rule."""


class BrowserFetchFailed(Exception):
    """A request of a page that failed on the network (or grew over the size cap)."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    ip_address: str

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 60.0
    maxsize: int = 100 * 1024 * 1024
    verify_tls: bool = True


class GuardedFetcher:
    """Fetches for the browser: policy first, then one HTTP exchange to the admitted address."""

    def __init__(self, policy: AddressPolicy, limits: FetchLimits):
        self.policy = policy
        self.limits = limits

    async def fetch(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> Fetched:
        address = await self.admitted_address(url)
        return await asyncio.to_thread(
            _exchange, method, url, address, _forwardable(headers), body, self.limits
        )

    async def admitted_address(self, url: str) -> str:
        """The address to connect to, or BrowserRequestRefused naming why none may be used."""
        policy = self.policy
        reason = refusal_reason(url, policy.allow_private, policy.allowed)
        if reason:
            raise BrowserRequestRefused(reason)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if _is_ip(host):
            return host  # an allowed literal (refusal_reason checked it)
        address = policy.overrides.get((host, port))
        if address is not None:
            if not policy.admit(host, port, address):
                raise BrowserRequestRefused(policy.refusals[host])
            return address
        if policy.resolve_only:
            raise BrowserRequestRefused(fe.NotResolved(f"{host}:{port} has no --resolve entry"))
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise BrowserFetchFailed(fe.DNSLookupFailed(f"{host}: {exc}")) from exc
        for info in infos:
            candidate = str(info[4][0])
            if policy.admit(host, port, candidate):
                return candidate
        raise BrowserRequestRefused(
            policy.refusals.get(host) or fe.PrivateAddressRefused(f"{host} has no public address")
        )


def _is_ip(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return False
    return True


def _forwardable(headers: dict[str, str]) -> dict[str, str]:
    out = {k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP and k[:1] != ":"}
    out = {k: v for k, v in out.items() if k.lower() != "accept-encoding"}
    out["Accept-Encoding"] = "identity"  # the body goes back to the browser as it came
    return out


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to a chosen address, whatever the URL's host resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float, verify: bool):
        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _exchange(
    method: str,
    url: str,
    address: str,
    headers: dict[str, str],
    body: bytes | None,
    limits: FetchLimits,
) -> Fetched:
    """One request/response, no redirect followed: the browser follows it, through us again."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = _PinnedHTTPS(
            host, port, address, limits.timeout, limits.verify_tls
        )
    else:
        conn = _PinnedHTTP(host, port, address, limits.timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**headers, "Host": parts.netloc.rsplit("@", 1)[-1]}
    try:
        conn.request(method, target, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read(limits.maxsize + 1)
        if len(data) > limits.maxsize:
            raise BrowserFetchFailed(
                fe.DownloadTooLarge(f"over the download max size ({limits.maxsize}) in {url}")
            )
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
        return Fetched(url, response.status, kept, data, address)
    except (OSError, http.client.HTTPException) as exc:
        raise BrowserFetchFailed(_failure(exc, url)) from exc
    finally:
        conn.close()


def _failure(exc: BaseException, url: str) -> fe.FetchError:
    text = f"{exc or type(exc).__name__} ({url})"
    if isinstance(exc, ssl.SSLError):
        return fe.TLSError(text)
    if isinstance(exc, TimeoutError | socket.timeout):
        return fe.Timeout(text)
    if isinstance(exc, ConnectionRefusedError):
        return fe.ConnectionRefused(text)
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
        return fe.ConnectionReset(text)
    return fe.FetchFailed(f"{type(exc).__name__}: {text}")


# -- handing a fetch to Scrapy or back to the browser ----------------------------------


def is_challenge(fetched: Fetched) -> bool:
    return challenge_text(fetched) is not None


def challenge_text(fetched: Fetched) -> str | None:
    response = HtmlResponse(
        url=fetched.url, status=fetched.status, body=fetched.body, headers=joined(fetched.headers)
    )
    return challenge_reason(response)


def joined(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Playwright takes one string per header; repeated ones (Set-Cookie) joined by newlines."""
    out: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        out[key] = f"{out[key]}\n{value}" if key in out else value
    return out


def file_response(request: Request, fetched: Fetched) -> Response:
    headers = Headers(joined(fetched.headers))
    cls = responsetypes.from_args(headers=headers, url=fetched.url, body=fetched.body)
    return cls(
        url=fetched.url,
        status=fetched.status,
        headers=headers,
        body=fetched.body,
        request=request,
        flags=["playwright", "file"],
        ip_address=ipaddress.ip_address(fetched.ip_address),
    )
