"""TLS: certificates are verified and failures recorded; --insecure-tls tolerates them."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from archive import Archive
from tests.conftest import FAST_SETTINGS, run_xxgk

HOST = "xxgk.tls-test.edu.cn"
PAGE = "<html><head><title>信息公开网</title></head><body>首页</body></html>".encode()


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's interface)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def https_portal(tmp_path):
    cert, key = self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def crawl(port, data, *extra):
    args = [
        "crawl",
        "--data",
        str(data),
        "--portal",
        f"https://{HOST}:{port}/",
        "--resolve",
        f"{HOST}:{port}:127.0.0.1",
        "--allow-private-addresses",
        *extra,
    ]
    for setting in (*FAST_SETTINGS, "ROBOTSTXT_OBEY=0"):
        args += ["--set", setting]
    run_xxgk(*args)
    return list(Archive(data).db.query("select url, status, error from fetches"))


def test_bad_certificates_are_recorded(https_portal, tmp_path):
    rows = crawl(https_portal, tmp_path)
    assert len(rows) == 1 and rows[0]["status"] is None
    assert rows[0]["error"].startswith("TLSError: ")
    assert "certificate verify failed" in rows[0]["error"]


def test_insecure_tls_tolerates_them(https_portal, tmp_path):
    rows = crawl(https_portal, tmp_path, "--insecure-tls")
    assert rows == [{"url": f"https://{HOST}:{https_portal}/", "status": 200, "error": None}]
