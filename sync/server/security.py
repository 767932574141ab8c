"""Passwords (Argon2id) and bearer tokens (random, stored only as SHA-256).

The hash carries its own parameters, so a hash made with other costs (cheap ones in tests,
stronger ones later) still verifies; ``needs_rehash`` tells when to upgrade one at sign-in.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    """Hash and verify passwords with Argon2id."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verified when the username is unknown, so that both answers take the same time.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """Return the Argon2id hash of ``password``."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Return whether ``password`` matches ``stored_hash`` (``None``: a dummy check)."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and bool(stored_hash)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """Return whether ``stored_hash`` was made with other parameters than these."""
        return self._hasher.check_needs_rehash(stored_hash)


def new_token() -> str:
    """Return a fresh bearer token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def random_password() -> str:
    """Return a random password that is easy to type from a printout."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
