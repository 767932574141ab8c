"""The device token: in the keyring when a real backend exists, else a 0600 file."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from informant_app.core.account import credentials
from informant_app.core.sync.types import TokenStorage


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring leaves it unannotated
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class RefusingKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


@pytest.fixture
def backend(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KeyringBackend]:
    monkeypatch.delenv(credentials.STORAGE_ENV, raising=False)
    before = keyring.get_keyring()
    chosen: KeyringBackend = request.param()
    keyring.set_keyring(chosen)
    yield chosen
    keyring.set_keyring(before)


@pytest.mark.parametrize("backend", [MemoryKeyring], indirect=True)
def test_a_real_keyring_keeps_the_token(backend: MemoryKeyring, tmp_path: Path) -> None:
    where = credentials.save_token(tmp_path, "dev-1", "wafang_a", "secret")
    assert where is TokenStorage.KEYRING
    assert not credentials.token_file(tmp_path).exists()
    assert backend.items == {("informant-app", "dev-1:wafang_a"): "secret"}
    assert credentials.load_token(tmp_path, "dev-1", "wafang_a", where) == "secret"
    credentials.delete_token(tmp_path, "dev-1", "wafang_a")
    assert credentials.load_token(tmp_path, "dev-1", "wafang_a", where) is None


@pytest.mark.parametrize("backend", [fail.Keyring, RefusingKeyring], indirect=True)
def test_no_usable_keyring_means_a_user_only_file(backend: KeyringBackend, tmp_path: Path) -> None:
    where = credentials.save_token(tmp_path, "dev-1", "wafang_a", "secret")
    assert where is TokenStorage.FILE
    path = credentials.token_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert credentials.load_token(tmp_path, "dev-1", "wafang_a", where) == "secret"
    assert credentials.load_token(tmp_path, "dev-1", "someone_else", where) is None
    credentials.delete_token(tmp_path, "dev-1", "wafang_a")
    assert not path.exists()
    assert credentials.load_token(tmp_path, "dev-1", "wafang_a", where) is None


@pytest.mark.parametrize("backend", [MemoryKeyring], indirect=True)
def test_the_environment_can_force_the_file(
    backend: MemoryKeyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(credentials.STORAGE_ENV, "file")
    assert credentials.save_token(tmp_path, "d", "u", "t") is TokenStorage.FILE
    assert backend.items == {}


def test_no_temporary_files_are_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.STORAGE_ENV, "file")
    for n in range(3):
        credentials.save_token(tmp_path, "d", "u", f"t{n}")
    assert [p.name for p in credentials.token_file(tmp_path).parent.iterdir()] == ["token.json"]
