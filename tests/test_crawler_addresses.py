"""The address policy: curl-style --resolve entries and the refusal of internal addresses."""

import pytest

from crawler.addresses import (
    AddressPolicy,
    InvalidResolveEntry,
    ResolveEntry,
    is_internal,
    refusal_reason,
)


def test_resolve_entries_parse_like_curl():
    assert ResolveEntry.parse("xxgk.gdou.edu.cn:8080:127.0.0.1") == ResolveEntry(
        "xxgk.gdou.edu.cn", 8080, "127.0.0.1"
    )
    assert ResolveEntry.parse("Example.EDU.cn:443:[::1]") == ResolveEntry(
        "example.edu.cn", 443, "::1"
    )


@pytest.mark.parametrize(
    "bad", ["host", "host:80", "host:x:1.2.3.4", "host:80:not-an-ip", ":80:1.1.1.1"]
)
def test_bad_resolve_entries_say_why(bad):
    with pytest.raises(InvalidResolveEntry, match="HOST:PORT:ADDR|is not an IP"):
        ResolveEntry.parse(bad)


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("fc00::1", True),
        ("::ffff:10.0.0.1", True),
        ("0.0.0.0", True),
        ("202.116.64.1", False),
        ("2001:da8::1", False),
    ],
)
def test_internal_addresses(address, internal):
    assert is_internal(address) is internal


@pytest.mark.parametrize(
    ("url", "allow", "reason"),
    [
        (
            "http://127.0.0.1:8000/",
            False,
            "PrivateAddressRefused: 127.0.0.1 is an internal address",
        ),
        ("http://[::1]/x", False, "PrivateAddressRefused: ::1 is an internal address"),
        ("http://127.0.0.1:8000/", True, None),
        ("file:///etc/passwd", True, "UnsupportedScheme: file:// is not fetched"),
        ("ftp://xxgk.pku.edu.cn/a.pdf", False, "UnsupportedScheme: ftp:// is not fetched"),
        ("https://xxgk.pku.edu.cn/", False, None),
    ],
)
def test_refusal_before_connecting(url, allow, reason):
    assert refusal_reason(url, allow) == reason


def test_policy_refuses_internal_answers_unless_allowed():
    policy = AddressPolicy()
    policy.configure(["a.edu.cn:80:127.0.0.1"], allow_private=False)
    assert policy.overrides == {("a.edu.cn", 80): "127.0.0.1"}
    assert policy.admit("a.edu.cn", 80, "127.0.0.1") is False
    assert policy.refusals == {
        "a.edu.cn": "PrivateAddressRefused: a.edu.cn resolves to internal address 127.0.0.1"
    }
    assert policy.admit("b.edu.cn", 80, "202.116.64.1") is True
    policy.configure([], allow_private=True)
    assert policy.admit("a.edu.cn", 80, "10.0.0.1") is True
