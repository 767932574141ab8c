"""Names ``duty.online`` still imports from here; deadlines live in ``store.duty_deadlines``.

Phase 2 of issue 14 points ``duty.online`` at the store and removes this module.
"""

from __future__ import annotations

from informant_app.core.store.duty_deadlines import open_events

__all__ = ["open_events"]
