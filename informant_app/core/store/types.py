"""Plain values the store hands to the UI and the command line (no database objects leak out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sync.contract import Issue, ReportStage
from sync.contract.duty import FilingRole


class ReportState(StrEnum):
    """Where a report version stands on this device.

    ``draft`` is editable; every other state belongs to a frozen, submitted version.
    """

    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"
    RECEIVED = "received"
    CONFLICT = "conflict"
    ERROR = "error"


class PostRole(StrEnum):
    """The informant's role on their post: A (primary) or B (backup)."""

    A = "A"
    B = "B"


@dataclass(frozen=True)
class Profile:
    """Who uses this device until sign-in exists: their post and the villages they report for.

    Attributes:
        informant_name: the informant's name.
        phone: a phone number to reach them.
        role: A or B on the post.
        post_code: the division code of the post (a village, or a township for staff).
        village_codes: the villages this informant may report for (their jurisdiction).
    """

    informant_name: str
    phone: str
    role: PostRole
    post_code: str
    village_codes: tuple[str, ...]


@dataclass(frozen=True)
class EventSummary:
    """A disaster event known on this device, for the event chooser and the list filter."""

    event_uuid: str
    name: str
    disaster_type: str
    disaster_subtype: str | None
    occurred_at: datetime
    report_count: int


@dataclass(frozen=True)
class ReportFilter:
    """A filter of the report list; ``None`` means "any".

    ``review_status`` is the township's review status of the latest version on the server
    (``pending``, ``returned`` or ``approved``, as ``ReviewStatus`` values).
    """

    event_uuid: str | None = None
    stage: ReportStage | None = None
    state: ReportState | None = None
    review_status: str | None = None


@dataclass(frozen=True)
class ReportRow:
    """One line of the report list: the latest version of a report."""

    report_uuid: str
    version_uuid: str
    version_no: int
    event_uuid: str
    event_name: str
    stage: ReportStage
    disaster_type: str
    village_code: str
    state: ReportState
    updated_at: datetime
    submitted_at: datetime | None
    affected_pop: Decimal | None
    deaths: Decimal | None
    direct_loss: Decimal | None
    photo_count: int
    error_message: str | None = None
    review_status: str | None = None  # pending/returned/approved on the server; None: not yet
    review_reason: str | None = None  # the reason of the decision applied last
    #: In which capacity the version was filed: the server's word once pulled, else this
    #: device's judgement at submit (``B_while_A_on_duty`` is allowed but flagged).
    filing_role: FilingRole | None = None
    acting_for_name: str | None = None  # the post's A when B filed


@dataclass(frozen=True)
class Draft:
    """An editable draft version.

    ``content`` is the loose JSON form of ``ReportContent`` (``to_dict`` keys); it may be
    incomplete while the informant types.  ``parent_version_uuid`` names the version it revises.
    """

    version_uuid: str
    report_uuid: str
    parent_version_uuid: str | None
    content: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class SubmitResult:
    """The outcome of ``submit``: either the frozen version, or what blocked it."""

    ok: bool
    version_uuid: str
    issues: list[Issue] = field(default_factory=list)


@dataclass(frozen=True)
class StateChange:
    """One recorded change of a submitted version's state (docs/domain.md §7).

    Attributes:
        state: the state entered.
        changed_at: when, in UTC (device time).
        message: the server's message for ``error``/``conflict``.
        informant_name: who was using the device (the profile), if known.
        role: their A/B role, if known.
    """

    state: ReportState
    changed_at: datetime
    message: str | None = None
    informant_name: str | None = None
    role: PostRole | None = None
