"""Address policy end to end: loopback portals are refused unless allowed; nothing leaves it."""

from __future__ import annotations

from archive import Archive
from tests.conftest import crawl_args, run_xxgk


def _first_portal(server) -> str:
    return server.registry_rows()[0]["portal_url"]


def test_private_addresses_are_refused_by_default_and_recorded(world_server, tmp_path):
    portal = _first_portal(world_server)
    before = len(world_server.requests)
    run_xxgk(*crawl_args(world_server, tmp_path, "--portal", portal, allow_private=False))
    assert len(world_server.requests) == before  # not one request reached the server
    archive = Archive(tmp_path)
    rows = list(archive.db.query("select url, status, error from fetches"))
    host = portal.split("//")[1].split(":")[0]
    reason = f"PrivateAddressRefused: {host} resolves to internal address 127.0.0.1"
    assert rows == [
        {"url": portal + "robots.txt", "status": None, "error": reason},
        {"url": portal, "status": None, "error": reason},
    ]
    assert archive.db["reports"].count == 0


def test_literal_internal_urls_are_refused_before_connecting(world_server, tmp_path):
    url = f"http://127.0.0.1:{world_server.port}/"
    before = len(world_server.requests)
    run_xxgk(*crawl_args(world_server, tmp_path, "--portal", url, allow_private=False))
    assert len(world_server.requests) == before
    rows = list(Archive(tmp_path).db.query("select url, error from fetches"))
    assert rows == [
        {"url": url, "error": "PrivateAddressRefused: 127.0.0.1 is an internal address"}
    ]


def test_hosts_without_a_resolve_entry_are_never_looked_up(world_server, tmp_path):
    # XXGK_RESOLVE_ONLY (set by the tests' crawl arguments) refuses instead of asking DNS.
    run_xxgk(*crawl_args(world_server, tmp_path, "--portal", "http://xxgk.pku.edu.cn/"))
    rows = list(Archive(tmp_path).db.query("select url, error from fetches"))
    reason = "NotResolved: xxgk.pku.edu.cn:80 has no --resolve entry"
    assert rows == [
        {"url": "http://xxgk.pku.edu.cn/robots.txt", "error": reason},
        {"url": "http://xxgk.pku.edu.cn/", "error": reason},
    ]


def test_bad_resolve_entries_fail_before_crawling(tmp_path):
    result = run_xxgk("crawl", "--data", str(tmp_path), "--resolve", "nohost", check=False)
    assert result.returncode == 1
    assert "Error: --resolve 'nohost': expected HOST:PORT:ADDR" in result.stderr
    assert "Traceback" not in result.stderr
