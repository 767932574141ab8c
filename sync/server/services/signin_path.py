"""How a device signed in: with a password, or with a set-up code a manager issued.

A device redeemed a set-up code when a ``setup_codes`` row names it in ``used_by_device``;
``issued_by`` is the manager who asked for that code (NULL: the operator at the command line).
A device set up so stays so, even if its account later signs in on it with a password: every
version and decision sent from it carries that path (no column of its own is needed).

Two uses, both one query per set of devices:

- the history names each version's and decision's sign-in path (``signin_paths``);
- a manager may not approve what was sent from a device set up with a code they issued
  (``provisioned_by``): that would let them file as someone below and approve it themselves.

And a device signed out because its account was set up elsewhere with a code is told so
(``replaced_notice``, called by ``services.auth.authenticate`` on the revoked-token path).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from sync.contract.china_time import china_time
from sync.server.errors import OWN_PROVISIONED_DEVICE, TOKEN_REVOKED, ApiError
from sync.server.models import Device, SecurityEvent, SetupCode, User

#: Device ids per ``IN (…)`` list.
CHUNK = 500
PASSWORD, SETUP_CODE = "password", "setup_code"


@dataclass(frozen=True)
class SigninPath:
    """A device's sign-in path: ``password`` or ``setup_code`` (with who issued the code)."""

    path: str
    issued_by: str | None = None  # username; None: the operator (or a password sign-in)
    issued_by_name: str | None = None
    #: Redeeming the code signed other devices of the account out: a replaced PC, or a
    #: takeover.  A first set-up (no device before) is the ordinary way in and is False.
    replaced_devices: bool = False

    def to_dict(self) -> dict[str, str | bool | None]:
        """Return the history fields (``signin``, ``provisioned_by``, …, ``replaced_devices``)."""
        return {
            "signin": self.path,
            "provisioned_by": self.issued_by,
            "provisioned_by_name": self.issued_by_name,
            "replaced_devices": self.replaced_devices,
        }


PASSWORD_PATH = SigninPath(PASSWORD)


def signin_paths(session: Session, device_pks: Iterable[int]) -> dict[int, SigninPath]:
    """Return the sign-in path of each device (absent from the answer: a password sign-in)."""
    wanted = sorted(set(device_pks))
    issuer = aliased(User)
    out: dict[int, SigninPath] = {}
    for start in range(0, len(wanted), CHUNK):
        replaced = (
            select(SecurityEvent.id)
            .where(
                SecurityEvent.kind == "device.replaced",
                SecurityEvent.user_id == SetupCode.user_id,
                SecurityEvent.at == SetupCode.used_at,  # written in the redeeming transaction
            )
            .exists()
        )
        rows = session.execute(
            select(SetupCode.used_by_device, issuer.username, issuer.display_name, replaced)
            .join(issuer, issuer.id == SetupCode.issued_by, isouter=True)
            .where(SetupCode.used_by_device.in_(wanted[start : start + CHUNK]))
            .order_by(SetupCode.used_at)
        ).all()
        for device_pk, username, name, signed_out in rows:  # the latest code wins
            if device_pk is not None:
                out[int(device_pk)] = SigninPath(SETUP_CODE, username, name, bool(signed_out))
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


def replaced_notice(
    session: Session, device_pk: int, revoked_at: datetime | None = None
) -> ApiError | None:
    """Return the 401 ``token_revoked`` telling a device it was replaced, else ``None``.

    Called on the revoked-token path only: it reads the ``device.replaced`` line of the
    device (at ``revoked_at`` when given: the token's revocation moment).  The error carries
    ``reason: "replaced"``, ``replaced_at``, ``device_name`` (the new device) and
    ``issued_by_name``, and a message in both languages naming them.
    """
    device = session.execute(
        select(Device.user_id, Device.device_id).where(Device.id == device_pk)
    ).first()
    if device is None:
        return None
    query = select(SecurityEvent.at, SecurityEvent.detail).where(
        SecurityEvent.user_id == device.user_id,
        SecurityEvent.kind == "device.replaced",
        SecurityEvent.device_id == device.device_id,
    )
    if revoked_at is not None:
        query = query.where(SecurityEvent.at == revoked_at)
    event = session.execute(query.order_by(SecurityEvent.at.desc()).limit(1)).first()
    if event is None:
        return None
    at, raw = event
    try:
        detail = json.loads(raw)
    except ValueError:
        detail = {}
    when = china_time(at).strftime("%Y-%m-%d %H:%M")
    new_name = str(detail.get("new_device_name") or detail.get("new_device_id") or "?")
    issuer = str(detail.get("issued_by_name") or detail.get("issued_by") or "")
    zh_issuer = issuer if issuer and issuer != "cli" else "服务器管理员"
    en_issuer = issuer if issuer and issuer != "cli" else "the server operator"
    return ApiError(
        TOKEN_REVOKED,
        zh=f"您的账号已于{when}（北京时间）在另一台设备（{new_name}）上用{zh_issuer}发放的"
        "设置码登录，本机已退出。如非本人操作，请立即联系上级。",
        en=f"your account was signed in on another device ({new_name}) at {when} (UTC+8) "
        f"with a set-up code issued by {en_issuer}; this device is signed out. If this was "
        "not you, contact your superior at once.",
        reason="replaced",
        replaced_at=at.isoformat(),
        device_name=new_name,
        issued_by_name=issuer,
    )
