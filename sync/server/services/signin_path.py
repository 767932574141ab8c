"""How a device signed in: with a password, or with a set-up code a manager issued.

A device redeemed a set-up code when a ``setup_codes`` row names it in ``used_by_device``;
``issued_by`` is the manager who asked for that code (NULL: the operator at the command line).
A device set up so stays so, even if its account later signs in on it with a password: every
version and decision sent from it carries that path (no column of its own is needed).

Two uses, both one query per set of devices:

- the history names each version's and decision's sign-in path (``signin_paths``);
- a manager may not approve what was sent from a device set up with a code they issued
  (``provisioned_by``): that would let them file as someone below and approve it themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from sync.server.errors import OWN_PROVISIONED_DEVICE, ApiError
from sync.server.models import SetupCode, User

#: Device ids per ``IN (…)`` list.
CHUNK = 500
PASSWORD, SETUP_CODE = "password", "setup_code"


@dataclass(frozen=True)
class SigninPath:
    """A device's sign-in path: ``password`` or ``setup_code`` (with who issued the code)."""

    path: str
    issued_by: str | None = None  # username; None: the operator (or a password sign-in)
    issued_by_name: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Return the history fields ``signin``, ``provisioned_by``, ``provisioned_by_name``."""
        return {
            "signin": self.path,
            "provisioned_by": self.issued_by,
            "provisioned_by_name": self.issued_by_name,
        }


PASSWORD_PATH = SigninPath(PASSWORD)


def signin_paths(session: Session, device_pks: Iterable[int]) -> dict[int, SigninPath]:
    """Return the sign-in path of each device (absent from the answer: a password sign-in)."""
    wanted = sorted(set(device_pks))
    issuer = aliased(User)
    out: dict[int, SigninPath] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(SetupCode.used_by_device, issuer.username, issuer.display_name)
            .join(issuer, issuer.id == SetupCode.issued_by, isouter=True)
            .where(SetupCode.used_by_device.in_(wanted[start : start + CHUNK]))
            .order_by(SetupCode.used_at)
        ).all()
        for device_pk, username, name in rows:  # the latest code wins
            if device_pk is not None:
                out[int(device_pk)] = SigninPath(SETUP_CODE, username, name)
    return out


def provisioned_by(session: Session, issuer_id: int, device_pks: Iterable[int]) -> set[int]:
    """Return those of ``device_pks`` that redeemed a set-up code issued by ``issuer_id``."""
    wanted = sorted(set(device_pks))
    found: set[int] = set()
    for start in range(0, len(wanted), CHUNK):
        found.update(
            int(pk)
            for pk in session.scalars(
                select(SetupCode.used_by_device).where(
                    SetupCode.issued_by == issuer_id,
                    SetupCode.used_by_device.in_(wanted[start : start + CHUNK]),
                )
            )
            if pk is not None
        )
    return found


def own_provisioned_error() -> ApiError:
    """Return the 403 ``own_provisioned_device`` (an approval of one's own set-up device)."""
    return ApiError(OWN_PROVISIONED_DEVICE)
