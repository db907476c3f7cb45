"""Where requests may go: curl-style --resolve overrides and the private-address refusal.

The check runs where the address is actually chosen (the reactor's resolver), so a host that
resolves to an internal address, or is redirected to one, is refused too, not only literal URLs.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer

from crawler import fetch_errors as fe

ALLOWED_SCHEMES = {"http", "https"}


class InvalidResolveEntry(ValueError):
    """A --resolve value is not of the form HOST:PORT:ADDR."""


@dataclass(frozen=True)
class ResolveEntry:
    host: str
    port: int
    address: str

    @classmethod
    def parse(cls, text: str) -> ResolveEntry:
        host, sep, rest = text.partition(":")
        port, sep2, address = rest.partition(":")
        if not (sep and sep2 and host and port.isdigit() and address):
            raise InvalidResolveEntry(f"--resolve {text!r}: expected HOST:PORT:ADDR")
        address = address.strip("[]")
        try:
            ipaddress.ip_address(address)
        except ValueError as exc:
            raise InvalidResolveEntry(f"--resolve {text!r}: {address!r} is not an IP") from exc
        return cls(host.lower(), int(port), address)


_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
# IPv6 forms that carry an IPv4 address in their last 32 bits: a host behind them is that
# IPv4 host (mapped/compatible on a dual stack, NAT64 and SIIT through a translator).
_EMBEDDING = tuple(
    ipaddress.ip_network(n)
    for n in ("::ffff:0:0/96", "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "::ffff:0:0:0/96")
)


def _internal_v4(ip: ipaddress.IPv4Address) -> bool:
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def is_internal(address: str) -> bool:
    """True for every address an archive on the public web must never fetch from: every IPv4
    address that is not global, and every IPv6 address outside global unicast (2000::/3) or
    embedding such an IPv4 address (6to4, Teredo). IPv4-mapped, -compatible, NAT64 and SIIT
    forms lie outside 2000::/3, so they are refused whatever they embed."""
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return _internal_v4(ip)
    if ip.ipv4_mapped is not None or any(ip in net for net in _EMBEDDING):
        return True
    if ip not in _GLOBAL_UNICAST or not ip.is_global or ip.is_multicast or ip.is_site_local:
        return True
    if ip.sixtofour is not None and _internal_v4(ip.sixtofour):
        return True
    return ip.teredo is not None and any(_internal_v4(v4) for v4 in ip.teredo)


def literal_address(host: str) -> str | None:
    """The IP address a URL's host names literally, in any spelling the resolver accepts
    (`[::1]`, `127.1`, `0x7f.1`, `2130706433`), or None for a host name."""
    host = host.strip("[]")
    try:
        return str(ipaddress.ip_address(host.split("%")[0]))
    except ValueError:
        pass
    if host and all(
        part and (part.isdigit() or part.lower().startswith("0x")) for part in host.split(".")
    ):
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    return None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """XXGK_ALLOWED_NETWORKS: internal networks fetched all the same (e.g. 127.0.0.0/8)."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def is_allowed(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


def refusal_reason(url: str, allow_private: bool, allowed: tuple[Network, ...] = ()) -> str | None:
    """Why a URL must not be fetched before any connection is tried, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        return fe.UnsupportedScheme(f"{parts.scheme or 'none'}:// is not fetched").row()
    host = (parts.hostname or "").strip("[]")
    literal = literal_address(host)
    if literal is None:
        return None
    if is_internal(literal) and not (allow_private or is_allowed(literal, allowed)):
        shown = host if host == literal else f"{host} (= {literal})"
        return fe.PrivateAddressRefused(f"{shown} is an internal address").row()
    return None


class AddressPolicy:
    """The table the resolver applies and the fetch log reads refusals from (the resolver's
    own: a process has one reactor, so one resolver, shared by its crawlers)."""

    def __init__(self) -> None:
        self.overrides: dict[tuple[str, int], str] = {}
        self.allow_private = False
        self.allowed: tuple[Network, ...] = ()
        self.resolve_only = False
        self.refusals: dict[str, str] = {}

    def configure(
        self,
        resolve: list[str],
        allow_private: bool,
        resolve_only: bool = False,
        allowed_networks: list[str] | tuple[str, ...] = (),
    ) -> None:
        entries = [ResolveEntry.parse(value) for value in resolve]
        self.overrides = {(e.host, e.port): e.address for e in entries}
        self.allow_private = allow_private
        self.allowed = parse_networks(allowed_networks)
        self.resolve_only = resolve_only

    def admit(self, host: str, port: int, address: str) -> bool:
        if is_internal(address) and not (self.allow_private or is_allowed(address, self.allowed)):
            self.refusals[host] = fe.PrivateAddressRefused(
                f"{host} resolves to internal address {address}"
            ).row()
            return False
        return True


def resolver_refusal(host: str) -> str | None:
    """Why the installed resolver refused `host` (internal answer, no --resolve entry), or None."""
    reactor = sys.modules.get("twisted.internet.reactor")  # never install one as a side effect
    policy = getattr(getattr(reactor, "nameResolver", None), "policy", None)
    return policy.refusals.get(host) if isinstance(policy, AddressPolicy) else None


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str):
        self.name = name

    def cancel(self) -> None:
        pass


@implementer(IResolutionReceiver)
class _AdmittingReceiver:
    """Passes on only the addresses the policy admits (so rebinding to 10.x is refused)."""

    def __init__(self, receiver, host: str, port: int, policy: AddressPolicy):
        self.receiver, self.host, self.port = receiver, host, port
        self.policy = policy

    def resolutionBegan(self, resolution) -> None:  # noqa: N802 (Twisted's interface)
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address) -> None:  # noqa: N802
        if self.policy.admit(self.host, self.port, address.host):
            self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class PolicyResolver:
    """Resolve HOST:PORT via the --resolve overrides first, then DNS; refuse internal answers."""

    def __init__(
        self,
        reactor,
        resolve: list[str],
        allow_private: bool,
        resolve_only: bool,
        allowed_networks: list[str] | tuple[str, ...] = (),
    ):
        self.reactor = reactor
        self.original = reactor.nameResolver
        self.policy = AddressPolicy()
        self.policy.configure(resolve, allow_private, resolve_only, allowed_networks)

    @classmethod
    def from_crawler(cls, crawler, reactor) -> PolicyResolver:
        settings = crawler.settings
        return cls(
            reactor,
            settings.getlist("XXGK_RESOLVE"),
            settings.getbool("XXGK_ALLOW_PRIVATE_ADDRESSES"),
            settings.getbool("XXGK_RESOLVE_ONLY"),
            settings.getlist("XXGK_ALLOWED_NETWORKS"),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(  # noqa: N802 (Twisted's interface)
        self, receiver, hostName, portNumber=0, addressTypes=None, transportSemantics="TCP"
    ):
        host = hostName.lower()
        address = self.policy.overrides.get((host, portNumber))
        if address is None and self.policy.resolve_only:
            self.policy.refusals[host] = fe.NotResolved(
                f"{host}:{portNumber} has no --resolve entry"
            ).row()
            resolution = _Resolution(hostName)
            receiver.resolutionBegan(resolution)
            receiver.resolutionComplete()
            return resolution
        if address is None:
            return self.original.resolveHostName(
                _AdmittingReceiver(receiver, host, portNumber, self.policy),
                hostName,
                portNumber,
                addressTypes,
                transportSemantics,
            )
        resolution = _Resolution(hostName)
        receiver.resolutionBegan(resolution)
        if self.policy.admit(host, portNumber, address):
            family = IPv6Address if ":" in address else IPv4Address
            receiver.addressResolved(family("TCP", address, portNumber))
        receiver.resolutionComplete()
        return resolution
