"""The informant's profile in the local store: who uses this device, and who signs a change.

Small functions over one session; the caller owns the transaction.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from informant_app.core.store.models import ProfileRow
from informant_app.core.store.types import PostRole, Profile


def read_profile(s: Session) -> Profile | None:
    """Return the local profile, or ``None`` before the first start chose one."""
    row = s.get(ProfileRow, 1)
    if row is None:
        return None
    return Profile(
        informant_name=row.informant_name,
        phone=row.phone,
        role=PostRole(row.role),
        post_code=row.post_code,
        village_codes=tuple(json.loads(row.village_codes)),
    )


def signer(s: Session) -> tuple[str | None, str | None]:
    """Return who signs a state change on this device: the profile's name and role."""
    profile = read_profile(s)
    return (profile.informant_name, profile.role.value) if profile else (None, None)
