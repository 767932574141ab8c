"""The informant of the tests: 张明's profile, and a store signed in as ``wafang_a`` offline."""

from __future__ import annotations

from datetime import UTC, datetime

from informant_app.core.account import credentials
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import sync_state, write_account
from informant_app.core.store.types import PostRole, Profile
from informant_app.core.sync.types import Account, AccountPost
from tests.support.places import SHUIGOU, WAFANG


def informant_profile(post_code: str) -> Profile:
    """Return 张明's profile: informant A of ``post_code``, reporting for 瓦房社区 and 水沟洼村."""
    return Profile(
        informant_name="张明",
        phone="13800000000",
        role=PostRole.A,
        post_code=post_code,
        village_codes=(WAFANG, SHUIGOU),
    )


def sign_in_offline(store: ReportStore, token: str, server_url: str) -> Account:
    """Keep the account of ``wafang_a`` (A of 瓦房社区) and ``token`` in ``store``.

    What signing in at ``server_url`` would keep, without a server: the tests of what may be
    shown or copied (diagnostics, logs) then look for ``token``.
    """
    with store.write_session() as s, s.begin():
        device = sync_state(s).device_id
    storage = credentials.save_token(store.data_dir, device, "wafang_a", token)
    account = Account(
        server_url=server_url,
        username="wafang_a",
        display_name="张明",
        role="village_informant",
        jurisdiction_code=WAFANG,
        posts=(AccountPost(WAFANG, "瓦房社区", "village", "A"),),
        device_id=device,
        token_storage=storage,
    )
    with store.write_session() as s, s.begin():
        write_account(s, account, datetime.now(UTC))
    return account
