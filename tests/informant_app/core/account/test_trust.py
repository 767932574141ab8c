"""The city's CA certificate in the data folder: checked, copied, named; every client uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from informant_app.core.account import trust
from informant_app.core.diagnostics import ca_line
from sync.client.api import SyncClient


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="Baoshan city test CA")


def test_a_ca_file_is_read_with_its_fingerprint(ca: trustme.CA) -> None:
    leaf = ca.issue_cert("city.example")
    pem = ca.cert_pem.bytes() + b"\n" + leaf.cert_chain_pems[0].bytes()
    first, second = trust.read_ca_bundle(pem)
    expected = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).fingerprint(hashes.SHA256())
    assert first.sha256 == ":".join(f"{b:02X}" for b in expected)
    assert "O=Baoshan city test CA" in first.subject and first.is_ca and first.not_after
    assert not second.is_ca  # a server certificate: kept, but not listed as an authority


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"", "PEM"),
        (b"\x30\x82\x01\x0a binary DER", "PEM"),
        (b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", "PEM"),
        (b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n", "PEM"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "private key"),
    ],
)
def test_what_is_not_a_ca_file_is_refused_in_both_languages(data: bytes, said: str) -> None:
    with pytest.raises(trust.CaBundleError) as refused:
        trust.read_ca_bundle(data)
    assert said in refused.value.en and refused.value.zh


def test_install_copies_replaces_and_a_bad_file_keeps_the_old_one(
    ca: trustme.CA, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    source = tmp_path / "stick" / "ca.crt"
    source.parent.mkdir()
    ca.cert_pem.write_to_path(str(source))
    assert trust.installed_ca_bundle(data_dir) is None
    bundle = trust.install_ca_bundle(data_dir, source)
    source.unlink()  # the stick is gone: the copy is what counts
    assert trust.installed_ca_bundle(data_dir) == bundle.path
    assert bundle.path.read_bytes() == ca.cert_pem.bytes()

    key_file = tmp_path / "key.pem"
    ca.private_key_pem.write_to_path(str(key_file))
    with pytest.raises(trust.CaBundleError):
        trust.install_ca_bundle(data_dir, key_file)
    with pytest.raises(trust.CaBundleError) as unreadable:
        trust.install_ca_bundle(data_dir, tmp_path / "missing.pem")
    assert "cannot be read" in unreadable.value.en
    info = trust.ca_bundle_info(data_dir)
    assert info is not None and info.fingerprint == bundle.fingerprint
    assert not list(bundle.path.parent.glob("*.tmp"))

    other = trustme.CA(organization_name="Another CA")
    other.cert_pem.write_to_path(str(source))
    assert trust.install_ca_bundle(data_dir, source).fingerprint != bundle.fingerprint
    assert trust.remove_ca_bundle(data_dir) and not trust.remove_ca_bundle(data_dir)


def test_every_client_verifies_and_uses_the_installed_ca(ca: trustme.CA, tmp_path: Path) -> None:
    plain = SyncClient("https://city.example", device_id="d")
    assert plain.session.verify is True  # never False
    data_dir = tmp_path / "data"
    with trust.make_client(data_dir, "https://city.example", device_id="d") as client:
        assert client.session.verify is True
    assert ca_line(data_dir)[1].startswith("none")
    source = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(source))
    bundle = trust.install_ca_bundle(data_dir, source)
    with trust.make_client(data_dir, "https://city.example", device_id="d") as client:
        assert client.session.verify == str(bundle.path)
    _name, value = ca_line(data_dir)
    assert str(bundle.path) in value and bundle.fingerprint in value
    assert "PRIVATE" not in value and "BEGIN" not in value
