"""TLS: the real ``city-server serve --ssl-certfile/--ssl-keyfile`` on 127.0.0.1 with a local CA.

A city CA made here (trustme) signs the server's certificate (for the address 127.0.0.1
only).  With the city's CA file installed in the data folder, a device signs in, pushes and
pulls over https, every version exactly once.  Without it the round stops with "not trusted"
and keeps the queue, which goes through, once, as soon as the CA is chosen.  A certificate for
another name, an expired one (built with ``cryptography``: trustme cannot backdate), one not
yet valid, a plain-HTTP server on an https address and an https server on an http address
each end in their own plain message and lose nothing (the last one is found by a TLS probe
where a person waits: the set-up test and sign-in; a sync round only says the connection was
cut).
"""

from __future__ import annotations

import signal
import ssl
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path

import pytest
import requests
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from informant_app.core.account import trust
from informant_app.core.account.server_check import ServerCheckKind, check_server
from informant_app.core.account.sign_in import SignInError, sign_in
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.types import ReportState
from informant_app.core.sync.engine import SyncEngine
from informant_app.core.sync.types import SyncErrorKind
from sync.client.api import FailureKind, SyncClient
from sync.contract.wire.feed import ReportVersionChange
from sync.server.cli import main as cli_main
from tests.integration.helpers import file_reports, states_of
from tests.support.city_server import CityServer


class Certs:
    """The city's CA and the server certificates it signs, as files in ``folder``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.ca = trustme.CA(organization_name="Baoshan city test CA")
        self.ca_file = folder / "city-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        good = self.ca.issue_cert("127.0.0.1")  # the address only: "localhost" is another name
        self.good = (
            self._write("good-cert.pem", good.cert_chain_pems[0].bytes()),
            self._write("good-key.pem", good.private_key_pem.bytes()),
        )
        now = datetime.now(UTC)
        self.expired = self._signed("expired", now - timedelta(days=60), now - timedelta(days=1))
        self.not_yet = self._signed("not-yet", now + timedelta(days=30), now + timedelta(days=90))

    def _write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path

    def _signed(self, name: str, start: datetime, end: datetime) -> tuple[Path, Path]:
        """A certificate for 127.0.0.1 signed by the city CA, valid from ``start`` to ``end``."""
        ca_key = serialization.load_pem_private_key(self.ca.private_key_pem.bytes(), None)
        assert isinstance(ca_key, ec.EllipticCurvePrivateKey)  # trustme's CA key
        ca_cert = x509.load_pem_x509_certificate(self.ca.cert_pem.bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return (
            self._write(f"{name}-cert.pem", cert.public_bytes(serialization.Encoding.PEM)),
            self._write(f"{name}-key.pem", key_pem),
        )


class TlsCity(CityServer):
    """A ``city-server`` that serves https with the given certificate and key files."""

    def __init__(self, folder: Path, certs: Certs) -> None:
        super().__init__(folder)
        self.certs = certs
        self.url = f"https://127.0.0.1:{self.port}"
        self.serving: tuple[Path, Path] = certs.good

    def serve_command(self) -> list[str]:
        certfile, keyfile = self.serving
        return [
            *super().serve_command(),
            "--ssl-certfile",
            str(certfile),
            "--ssl-keyfile",
            str(keyfile),
        ]

    def answers(self) -> bool:
        try:
            requests.get(f"{self.url}/health", timeout=1, verify=str(self.certs.ca_file))
        except requests.exceptions.SSLError:
            return True  # it answers, with the (bad on purpose) certificate it was given
        except requests.RequestException:
            return False
        return True

    def start_with(self, certfile: Path, keyfile: Path) -> None:
        self.stop(signal.SIGKILL)  # quick: uvicorn would wait for kept-alive connections
        self.serving = (certfile, keyfile)
        self.start()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return Certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tls_city(tmp_path_factory: pytest.TempPathFactory, certs: Certs) -> Iterator[TlsCity]:
    with TlsCity(tmp_path_factory.mktemp("tls-city"), certs) as server:
        yield server


@pytest.fixture
def live_tls(tls_city: TlsCity) -> TlsCity:
    """The https server with the good certificate (a test may have left another one)."""
    if (
        tls_city.proc is None
        or tls_city.proc.poll() is not None
        or tls_city.serving != tls_city.certs.good
    ):
        tls_city.start_with(*tls_city.certs.good)
    return tls_city


def signed_in(city: TlsCity, folder: Path, username: str) -> ReportStore:
    """A store in ``folder`` with the city CA installed, signed in over https."""
    store = ReportStore.open(folder)
    trust.install_ca_bundle(folder, city.certs.ca_file)
    sign_in(store, city.url, username, city.passwords[username], device_name="tls-test")
    return store


def server_versions(city: TlsCity) -> Counter[str]:
    """How often the server announces each version (the city admin's change feed, over https)."""
    seen: Counter[str] = Counter()
    with SyncClient(
        city.url, device_id=f"tls-admin-{uuid.uuid4()}", ca_bundle=city.certs.ca_file
    ) as client:
        client.login("baoshan_city", city.passwords["baoshan_city"], "tls-test")
        cursor: str | None = None
        while True:
            page = client.changes(cursor, 1000)
            seen.update(c.version_uuid for c in page.changes if isinstance(c, ReportVersionChange))
            cursor = page.cursor
            if not page.has_more:
                return seen


def assert_once(city: TlsCity, versions: list[str]) -> None:
    seen = server_versions(city)
    assert all(seen[v] == 1 for v in versions), {v: seen[v] for v in versions}


def test_sign_in_push_and_pull_over_https_with_the_city_ca(
    live_tls: TlsCity, tmp_path: Path
) -> None:
    a = signed_in(live_tls, tmp_path / "a", "wafang_a")
    b = signed_in(live_tls, tmp_path / "b", "wafang_b")
    try:
        check = check_server(live_tls.url, ca_bundle=trust.installed_ca_bundle(tmp_path / "a"))
        assert check.kind is ServerCheckKind.REACHABLE, check
        versions = file_reports(a, 4, seed=7001)
        pushed = SyncEngine(a).run_round()
        assert pushed.ok and pushed.pushed == 4 and pushed.still_queued == 0, pushed
        pulled = SyncEngine(b).run_round()  # the village's other informant gets them
        assert pulled.ok and pulled.pulled >= 4, pulled
        assert SyncEngine(a).run_round().ok  # a second round sends nothing again
        assert_once(live_tls, versions)
        assert states_of(a, versions) == Counter({ReportState.RECEIVED: 4})
    finally:
        a.close()
        b.close()


def test_without_the_ca_the_round_says_not_trusted_and_the_queue_waits(
    live_tls: TlsCity, tmp_path: Path
) -> None:
    folder = tmp_path / "device"
    store = signed_in(live_tls, folder, "wafang_a")
    try:
        versions = file_reports(store, 3, seed=7002)
        assert trust.remove_ca_bundle(folder)  # e.g. a fresh install that forgot the CA
        summary = SyncEngine(store).run_round()
        assert summary.problem is not None and summary.pushed == 0, summary
        assert summary.problem.kind is SyncErrorKind.TLS
        assert "不受信任" in summary.problem.zh and "CA certificate" in summary.problem.en
        assert summary.still_queued == 3
        assert states_of(store, versions) == Counter({ReportState.QUEUED: 3})
        assert check_server(live_tls.url).kind is ServerCheckKind.TLS_UNTRUSTED
        with pytest.raises(SignInError) as refused:
            sign_in(store, live_tls.url, "wafang_a", live_tls.passwords["wafang_a"])
        assert refused.value.code == FailureKind.TLS.value and "不受信任" in refused.value.zh

        trust.install_ca_bundle(folder, live_tls.certs.ca_file)
        summary = SyncEngine(store).run_round()
        assert summary.ok and summary.pushed == 3 and summary.still_queued == 0, summary
        assert_once(live_tls, versions)
    finally:
        store.close()


def test_a_certificate_for_another_name_is_refused(live_tls: TlsCity, tmp_path: Path) -> None:
    folder = tmp_path / "device"
    store = signed_in(live_tls, folder, "wafang_a")
    try:
        versions = file_reports(store, 2, seed=7003)
        elsewhere = live_tls.url.replace("127.0.0.1", "localhost")  # the cert names 127.0.0.1
        check = check_server(elsewhere, ca_bundle=trust.installed_ca_bundle(folder))
        assert check.kind is ServerCheckKind.TLS_HOSTNAME, check
        summary = SyncEngine(store, server_url=elsewhere).run_round()
        assert summary.problem is not None and "localhost" in summary.problem.en
        assert "名称" in summary.problem.zh and summary.still_queued == 2
        assert states_of(store, versions) == Counter({ReportState.QUEUED: 2})
        assert SyncEngine(store).run_round().pushed == 2
        assert_once(live_tls, versions)
    finally:
        store.close()


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "ok", "protocol_version": 1}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def stub_https(cert: tuple[Path, Path]) -> Iterator[str]:
    """A small https server (stdlib) with ``cert``: the handshake is the real one."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_expired_certificate_says_check_the_clock_and_nothing_is_lost(
    live_tls: TlsCity, tmp_path: Path
) -> None:
    folder = tmp_path / "device"
    store = signed_in(live_tls, folder, "wafang_a")
    bundle = trust.installed_ca_bundle(folder)
    try:
        versions = file_reports(store, 2, seed=7004)
        with stub_https(live_tls.certs.expired) as expired:
            assert check_server(expired, ca_bundle=bundle).kind is ServerCheckKind.TLS_EXPIRED
            summary = SyncEngine(store, server_url=expired).run_round()
        assert summary.problem is not None and summary.pushed == 0
        assert "时钟" in summary.problem.zh and "clock" in summary.problem.en
        assert states_of(store, versions) == Counter({ReportState.QUEUED: 2})
        summary = SyncEngine(store).run_round()  # the real server, its certificate renewed
        assert summary.ok and summary.pushed == 2, summary
        assert_once(live_tls, versions)
    finally:
        store.close()


def test_a_certificate_not_yet_valid_says_check_the_clock(certs: Certs) -> None:
    with stub_https(certs.not_yet) as not_yet:
        check = check_server(not_yet, ca_bundle=certs.ca_file)
        assert check.kind is ServerCheckKind.TLS_NOT_YET_VALID, check
        with stub_https(certs.good) as good:  # the stub itself is fine with a good one
            assert check_server(good, ca_bundle=certs.ca_file).reachable


def test_http_and_https_mixed_up_are_named(
    live_tls: TlsCity, live_city: CityServer, tmp_path: Path
) -> None:
    folder = tmp_path / "device"
    store = signed_in(live_tls, folder, "wafang_a")
    try:
        versions = file_reports(store, 2, seed=7005)
        bundle = trust.installed_ca_bundle(folder)
        # A plain-HTTP server on an https address.
        plain_as_https = live_city.url.replace("http://", "https://")
        check = check_server(plain_as_https, ca_bundle=bundle)
        assert check.kind is ServerCheckKind.TLS_NOT_HTTPS, check
        summary = SyncEngine(store, server_url=plain_as_https).run_round()
        assert summary.problem is not None and "http://" in summary.problem.en, summary
        # An https server on an http address.
        tls_as_http = live_tls.url.replace("https://", "http://")
        check = check_server(tls_as_http, ca_bundle=bundle)
        assert check.kind is ServerCheckKind.HTTPS_NEEDED, check
        with pytest.raises(SignInError) as refused:  # a person is waiting: the probe says so
            sign_in(store, tls_as_http, "wafang_a", live_tls.passwords["wafang_a"])
        assert "https://" in refused.value.en and "https://" in refused.value.zh
        # A round adds no probe connection (a flaky line must not get more of them): it
        # stops as for a cut connection, and keeps the queue.
        summary = SyncEngine(store, server_url=tls_as_http).run_round()
        assert summary.problem is not None and summary.problem.kind is SyncErrorKind.NETWORK
        assert states_of(store, versions) == Counter({ReportState.QUEUED: 2})
        assert SyncEngine(store).run_round().pushed == 2
        assert_once(live_tls, versions)
    finally:
        store.close()


def test_serve_refuses_a_certificate_without_its_key(
    certs: Certs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'city.db'}"
    assert cli_main(["--db", db, "serve", "--port", "1", "--ssl-certfile", str(certs.good[0])]) == 2
    assert "--ssl-keyfile" in capsys.readouterr().err
    assert (
        cli_main(
            [
                "--db",
                db,
                "serve",
                "--port",
                "1",
                "--ssl-certfile",
                str(certs.good[0]),
                "--ssl-keyfile",
                str(tmp_path / "missing.pem"),
            ]
        )
        == 2
    )
    assert "missing.pem" in capsys.readouterr().err
    assert not (tmp_path / "city.db").exists()  # refused before anything was set up
