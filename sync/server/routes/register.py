"""``/api/v1/admin/register``: importing the informant register (花名册).

See sync/contract/wire/register.py and sync/server/services/register.py.
"""

from __future__ import annotations

import msgspec
from fastapi import APIRouter

from sync.contract.wire.register import RegisterEntry
from sync.server.deps import CallerDep, DbDep, NowDep
from sync.server.schemas.common import COMMON_ERRORS, error_responses
from sync.server.schemas.register import RegisterImportIn, RegisterImportOut
from sync.server.services.register import import_register

router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=COMMON_ERRORS)


@router.post(
    "/register/import",
    response_model=RegisterImportOut,
    responses=error_responses(401, 403, 409),
)
def register_import(
    body: RegisterImportIn, caller: CallerDep, db: DbDep, now: NowDep
) -> RegisterImportOut:
    """Judge every row of the register; without ``dry_run`` import them all, or none.

    A city admin imports every level of its city (the city post too), a county admin the
    county, township and village posts of its county, a township reviewer the village posts
    of its township; a village informant gets 403.  A row outside the caller's reach is a
    refused row.  Any refused row: nothing is applied (``applied`` false).  A person is
    matched by register id, else by phone, and never duplicated; re-importing the same sheet
    answers every row ``unchanged`` and changes nothing.  Every call is recorded in the
    admin log (``register.import``).
    """
    entries = [RegisterEntry(**e.model_dump()) for e in body.entries]
    result = import_register(db, caller, entries, body.dry_run, now)
    return RegisterImportOut.model_validate(msgspec.to_builtins(result))
