"""Every spelling of an internal address is refused: IPv6 forms that embed a refused IPv4
address, IPv6 outside global unicast, and IPv4 literals in the resolver's odd notations."""

import pytest

from crawler.addresses import is_internal, literal_address, refusal_reason

# (address, internal, why)
FORMS = [
    ("::ffff:127.0.0.1", True, "IPv4-mapped loopback"),
    ("::ffff:8.8.8.8", True, "IPv4-mapped: not global unicast IPv6"),
    ("::127.0.0.1", True, "IPv4-compatible loopback"),
    ("::a9fe:a9fe", True, "IPv4-compatible metadata address"),
    ("::ffff:0:a9fe:a9fe", True, "SIIT IPv4-translated 169.254.169.254"),
    ("64:ff9b::a9fe:a9fe", True, "NAT64 well-known prefix, 169.254.169.254"),
    ("64:ff9b::808:808", True, "NAT64 of a public address: still a translator"),
    ("64:ff9b:1::a00:1", True, "NAT64 local-use prefix"),
    ("2002:a9fe:a9fe::", True, "6to4 of 169.254.169.254"),
    ("2002:7f00:1::1", True, "6to4 of 127.0.0.1"),
    ("2002:ca74:4001::1", False, "6to4 of a public address"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", True, "Teredo"),
    ("fec0::1", True, "site-local"),
    ("fe80::1", True, "link-local"),
    ("fc00::1", True, "unique local"),
    ("ff02::1", True, "multicast"),
    ("100::1", True, "discard prefix"),
    ("2001:db8::1", True, "documentation"),
    ("4000::1", True, "outside 2000::/3"),
    ("::", True, "unspecified"),
    ("::1", True, "loopback"),
    ("2001:da8:201::1", False, "CERNET, global unicast"),
    ("240e::1", False, "China Telecom, global unicast"),
    ("127.0.0.1", True, "loopback"),
    ("0.0.0.0", True, "unspecified"),
    ("100.64.0.1", True, "shared address space"),
    ("198.18.0.1", True, "benchmarking"),
    ("240.0.0.1", True, "reserved"),
    ("255.255.255.255", True, "broadcast"),
    ("224.0.0.1", True, "multicast"),
    ("169.254.169.254", True, "link-local metadata"),
    ("202.116.64.1", False, "public"),
]


@pytest.mark.parametrize(("address", "internal", "why"), FORMS)
def test_address_forms(address, internal, why):
    assert is_internal(address) is internal, why


@pytest.mark.parametrize(
    ("host", "literal"),
    [
        ("[::127.0.0.1]", "::7f00:1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("fe80::1%eth0", "fe80::1"),
        ("xxgk.gdou.edu.cn", None),
        ("0xcafe.edu.cn", None),
        ("1.2.3.4.5", None),
    ],
)
def test_literal_spellings(host, literal):
    assert literal_address(host) == literal


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "http://[::127.0.0.1]/",
            "PrivateAddressRefused: ::127.0.0.1 (= ::7f00:1) is an internal address",
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
            "PrivateAddressRefused: 64:ff9b::a9fe:a9fe is an internal address",
        ),
        (
            "http://[2002:a9fe:a9fe::]/",
            "PrivateAddressRefused: 2002:a9fe:a9fe:: is an internal address",
        ),
        (
            "http://[::ffff:0:a9fe:a9fe]/",
            "PrivateAddressRefused: ::ffff:0:a9fe:a9fe is an internal address",
        ),
        ("http://[fec0::1]/", "PrivateAddressRefused: fec0::1 is an internal address"),
        (
            "http://0x7f.1:8000/",
            "PrivateAddressRefused: 0x7f.1 (= 127.0.0.1) is an internal address",
        ),
        (
            "http://2130706433/",
            "PrivateAddressRefused: 2130706433 (= 127.0.0.1) is an internal address",
        ),
        ("http://[2001:da8:201::1]/", None),
        ("http://xxgk.example.edu.cn/", None),
    ],
)
def test_urls_naming_internal_addresses_are_refused_before_connecting(url, reason):
    assert refusal_reason(url, allow_private=False) == reason
