"""Where the device token lives: the system keyring, or a file only this user can read.

The keyring is used when ``keyring`` has a real backend.  Where it has none (``fail``, ``null``,
or a chainer with nothing in it) or the backend refuses, the token goes into
``<data>/credentials/token.json`` with mode 0600 (written to a temporary file, flushed and
renamed, so a power cut leaves the old token or the new one).  ``INFORMANT_TOKEN_STORAGE=file``
forces the file (tests, portable installs).  The keyring entry is named by this installation's
device id, so two data folders on one computer never share a token.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path

from informant_app.core.private_files import PRIVATE_DIR, private_dir, tighten_file
from informant_app.core.sync.types import TokenStorage

log = logging.getLogger(__name__)

SERVICE = "informant-app"
#: Set to ``file`` to keep the token in the data folder even when a keyring exists.
STORAGE_ENV = "INFORMANT_TOKEN_STORAGE"
CREDENTIALS_DIR = "credentials"
TOKEN_FILE = "token.json"


def token_file(data_dir: Path) -> Path:
    """Return the path of the token file in ``data_dir``."""
    return data_dir / CREDENTIALS_DIR / TOKEN_FILE


def _entry(device_id: str, username: str) -> str:
    return f"{device_id}:{username}"


def _usable_keyring() -> object | None:
    """Return the keyring backend when it can really keep a secret, else ``None``."""
    if os.environ.get(STORAGE_ENV, "").strip().lower() == "file":
        return None
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        log.warning("the keyring backend could not be loaded", exc_info=True)
        return None
    if isinstance(backend, fail.Keyring) or type(backend).__module__ == "keyring.backends.null":
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def save_token(data_dir: Path, device_id: str, username: str, token: str) -> TokenStorage:
    """Keep ``token``; return where it went (the keyring, or the user-only file)."""
    backend = _usable_keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, _entry(device_id, username), token)  # type: ignore[attr-defined]
        except Exception:
            log.warning("the keyring refused the token; keeping it in a file", exc_info=True)
        else:
            _remove_file(data_dir)
            return TokenStorage.KEYRING
    _write_file(
        token_file(data_dir), {"device_id": device_id, "username": username, "token": token}
    )
    return TokenStorage.FILE


def load_token(data_dir: Path, device_id: str, username: str, storage: TokenStorage) -> str | None:
    """Return the kept token, or ``None`` when it is gone."""
    if storage is TokenStorage.KEYRING:
        backend = _usable_keyring()
        if backend is None:
            return None
        try:
            value = backend.get_password(SERVICE, _entry(device_id, username))  # type: ignore[attr-defined]
        except Exception:
            log.warning("the keyring could not be read", exc_info=True)
            return None
        return value if isinstance(value, str) and value else None
    path = token_file(data_dir)
    if path.exists():  # an older version's file others could read: this user's only
        private_dir(path.parent)
        tighten_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("username") != username:
        return None
    token = data.get("token")
    return token if isinstance(token, str) and token else None


def delete_token(data_dir: Path, device_id: str, username: str) -> None:
    """Forget the token wherever it is kept (both places; missing is fine)."""
    backend = _usable_keyring()
    if backend is not None:
        try:
            backend.delete_password(SERVICE, _entry(device_id, username))  # type: ignore[attr-defined]
        except Exception:
            log.debug("no keyring entry to delete", exc_info=True)
    _remove_file(data_dir)


def _remove_file(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        token_file(data_dir).unlink()


def _write_file(path: Path, data: dict[str, str]) -> None:
    """Write ``data`` as JSON readable and writable only by this user (0600), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, PRIVATE_DIR)
    fd, tmp_name = tempfile.mkstemp(prefix=".token-", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600) if hasattr(os, "fchmod") else os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
