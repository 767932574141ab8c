"""Names ``duty.online`` still imports from here; the duty views live in ``store.duty_views``.

Phase 2 of issue 14 points ``duty.online`` at the store and removes this module.
"""

from __future__ import annotations

from informant_app.core.store.duty_views import (
    INFORMANT_ROLE,
    ROSTER_KEY,
    absence_info,
    handover_info,
    listed_posts,
    post_duty,
    roster_posts,
)

__all__ = [
    "INFORMANT_ROLE",
    "ROSTER_KEY",
    "absence_info",
    "handover_info",
    "listed_posts",
    "post_duty",
    "roster_posts",
]
