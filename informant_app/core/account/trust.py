"""The city's own CA certificate, kept in the data folder, and the one factory of HTTP clients.

A city that runs its server over ``https`` with certificates of its own gives its informants
the CA certificate (a PEM file).  ``install_ca_bundle`` checks that the file holds
certificates (and no private key) and copies it into the data folder, so a USB stick taken
away later breaks nothing; from then on every ``SyncClient`` the app makes (``make_client``)
trusts that CA, and only it, for ``https``.  Without one, the usual authorities are trusted.
Certificates are always verified: there is no way to turn that off.  Qt-free.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.client.api import SyncClient, Timeouts
from sync.contract.bilingual import BilingualError

__all__ = [
    "BUNDLE_NAME",
    "CaBundle",
    "CaBundleError",
    "CaCertificate",
    "ca_bundle_info",
    "install_ca_bundle",
    "installed_ca_bundle",
    "make_client",
    "read_ca_bundle",
    "remove_ca_bundle",
]

log = logging.getLogger(__name__)

#: The folder inside the data folder that holds the city's CA certificate.
TRUST_DIR = "tls"
#: The file name of the installed CA certificate(s).
BUNDLE_NAME = "city-ca.pem"
#: A CA file larger than this is not one (a bundle of a few hundred CAs is ~250 KB).
MAX_BUNDLE_BYTES = 1024 * 1024

_PEM_CERT = re.compile(
    rb"-----BEGIN CERTIFICATE-----\s*(.+?)\s*-----END CERTIFICATE-----", re.DOTALL
)
_PRIVATE_KEY = re.compile(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----")


class CaBundleError(BilingualError):
    """A chosen CA file that cannot be used (not PEM certificates, a private key, unreadable)."""


@dataclass(frozen=True)
class CaCertificate:
    """One certificate of a CA file, as the About box and the diagnostics show it.

    Attributes:
        sha256: the SHA-256 fingerprint of the certificate (hex pairs joined by ``:``).
        subject: the subject's names (``O=…, CN=…``), or ``""`` when not read.
        not_after: the end of validity as OpenSSL prints it, or ``""``.
        is_ca: whether OpenSSL lists it as a certificate authority.
    """

    sha256: str
    subject: str
    not_after: str
    is_ca: bool


@dataclass(frozen=True)
class CaBundle:
    """The CA certificate(s) the app trusts for ``https``.

    Attributes:
        path: the file in the data folder.
        certificates: what it holds, in file order.
    """

    path: Path
    certificates: tuple[CaCertificate, ...]

    @property
    def fingerprint(self) -> str:
        """The first certificate's SHA-256 fingerprint."""
        return self.certificates[0].sha256 if self.certificates else ""


def _not_pem() -> CaBundleError:
    return CaBundleError(
        "所选文件不是 PEM 格式的证书（应以 -----BEGIN CERTIFICATE----- 开头，通常是 .pem 或 "
        ".crt 文件）。请向市里索取 CA 证书文件。",
        "The chosen file is not a certificate in PEM form (it should start with -----BEGIN "
        "CERTIFICATE-----; usually a .pem or .crt file). Ask the city for its CA certificate "
        "file.",
    )


def read_ca_bundle(data: bytes) -> tuple[CaCertificate, ...]:
    """Return the certificates of a PEM file's ``data``; ``CaBundleError`` when it has none.

    A file holding a private key is refused: a key never belongs on an informant's PC.
    """
    if _PRIVATE_KEY.search(data):
        raise CaBundleError(
            "所选文件含有私钥，不能使用，也不应复制到本机。请只选择 CA 证书文件（不含私钥）。",
            "The chosen file holds a private key: it is not used, and it should not be copied "
            "to this computer. Choose the CA certificate file only (without the key).",
        )
    blocks = _PEM_CERT.findall(data)
    if not blocks:
        raise _not_pem()
    found: list[CaCertificate] = []
    for block in blocks:
        try:
            der = base64.b64decode(b"".join(block.split()), validate=True)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.load_verify_locations(cadata=der)
        except (binascii.Error, ValueError, ssl.SSLError) as exc:
            raise _not_pem() from exc
        digest = hashlib.sha256(der).hexdigest().upper()
        listed = context.get_ca_certs()
        info: dict[str, Any] = listed[0] if listed else {}
        found.append(
            CaCertificate(
                sha256=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
                subject=_names(info.get("subject", ())),
                not_after=str(info.get("notAfter", "")),
                is_ca=bool(listed),
            )
        )
    return tuple(found)


def _names(subject: Any) -> str:
    short = {
        "commonName": "CN",
        "organizationName": "O",
        "organizationalUnitName": "OU",
        "countryName": "C",
        "localityName": "L",
        "stateOrProvinceName": "ST",
    }
    parts = [f"{short.get(k, k)}={v}" for rdn in subject for k, v in rdn]
    return ", ".join(parts)


def bundle_path(data_dir: Path) -> Path:
    """Return where the CA certificate lives in ``data_dir`` (it may not exist)."""
    return data_dir / TRUST_DIR / BUNDLE_NAME


def installed_ca_bundle(data_dir: Path) -> Path | None:
    """Return the installed CA file of ``data_dir``, or ``None`` (trust the usual ones)."""
    path = bundle_path(data_dir)
    return path if path.is_file() else None


def ca_bundle_info(data_dir: Path) -> CaBundle | None:
    """Return the installed CA certificate(s), or ``None``; a damaged file raises."""
    path = installed_ca_bundle(data_dir)
    if path is None:
        return None
    return CaBundle(path, read_ca_bundle(path.read_bytes()))


def install_ca_bundle(data_dir: Path, source: Path) -> CaBundle:
    """Check ``source`` and copy it into ``data_dir`` as the CA to trust; return what it is.

    The copy is written beside and renamed into place, so a crash leaves the old file or the
    new one, never half of one.

    Raises:
        CaBundleError: the file cannot be read, is too large, holds no certificate or holds
            a private key.
    """
    try:
        if source.stat().st_size > MAX_BUNDLE_BYTES:
            raise _not_pem()
        data = source.read_bytes()
    except OSError as exc:
        raise CaBundleError(
            f"无法读取所选文件：{exc.strerror or exc}",
            f"the chosen file cannot be read: {exc.strerror or exc}",
        ) from exc
    certificates = read_ca_bundle(data)
    target = bundle_path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    bundle = CaBundle(target, certificates)
    log.info("CA certificate installed from %s (SHA-256 %s)", source.name, bundle.fingerprint)
    return bundle


def remove_ca_bundle(data_dir: Path) -> bool:
    """Forget the city's CA certificate (trust the usual ones again); return whether one was."""
    path = bundle_path(data_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    log.info("CA certificate removed")
    return True


def make_client(
    data_dir: Path,
    base_url: str,
    *,
    device_id: str,
    token: str | None = None,
    timeouts: Timeouts | None = None,
    retries: int = 2,
    clock: Callable[[], datetime] | None = None,
    probe_tls: bool = False,
) -> SyncClient:
    """Return a ``SyncClient`` that trusts ``data_dir``'s CA certificate, when there is one.

    ``probe_tls``: see ``SyncClient`` (for a person waiting on one request).
    """
    return SyncClient(
        base_url,
        device_id=device_id,
        token=token,
        timeouts=timeouts,
        retries=retries,
        clock=clock,
        ca_bundle=installed_ca_bundle(data_dir),
        probe_tls=probe_tls,
    )
