"""The plain values and errors of township review that the core hands to the UI.

INTERFACE: ``informant_app.core.review.service`` re-exports every name here; the UI codes against
them.  Add fields with defaults, never rename.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sync.contract import Issue, ReportContent, ReportStage
from sync.contract.bilingual import BilingualError
from sync.contract.duty import FilingRole


class ReviewStatus(StrEnum):
    """The review status of a report's current version."""

    PENDING = "pending"  # waiting for the township
    RETURNED = "returned"  # sent back to the village with a reason
    APPROVED = "approved"  # frozen; counts in the township's figures


class DecisionKind(StrEnum):
    """What a reviewer decided."""

    APPROVE = "approve"
    RETURN = "return"


class DecisionSyncState(StrEnum):
    """Where a decision stands on its way to the server."""

    QUEUED = "queued"  # also while a request with it is under way
    SENT = "sent"  # the server applied it
    CONFLICT = "conflict"  # the version was superseded (or already approved): not applied
    REJECTED = "rejected"  # refused, with the server's message


@dataclass(frozen=True)
class ReviewFilter:
    """A filter of the review queue; ``None`` means any."""

    event_uuid: str | None = None
    stage: ReportStage | None = None
    village_code: str | None = None
    status: ReviewStatus | None = None


@dataclass(frozen=True)
class ReviewItem:
    """One line of the reviewer's queue: a village report's current version."""

    report_uuid: str
    version_uuid: str
    version_no: int
    village_code: str
    event_uuid: str
    event_name: str
    stage: ReportStage
    status: ReviewStatus
    decision_queued: bool  # a decision made here waits to be sent
    filed_by: str  # display name (or user name) of the informant who filed it
    filed_role: str | None  # "A" or "B"
    submitted_at: datetime | None  # device time (the server's when it corrected it)
    received_at: datetime | None  # server time
    overdue: bool  # waiting longer than the review deadline
    warnings: int  # rule warnings (with notes) on this version
    affected_pop: Decimal | None = None
    direct_loss: Decimal | None = None
    queued_kind: DecisionKind | None = None  # what the decision waiting to be sent says
    filed_by_username: str = ""
    is_current: bool = True  # False: the village has sent a newer version since
    filing_role: FilingRole | None = None  # A, B acting for A, or B while A was on duty
    acting_for_name: str | None = None  # the post's A when B filed
    return_reason: str = ""  # why the latest return (sent, or waiting to go) sent it back
    #: Why the server corrected the filing time (``sync.contract.filing_time.TimeFlag``);
    #: ``submitted_at`` is then the server's time and ``claimed_at`` the device's claim.
    time_flag: str | None = None
    claimed_at: datetime | None = None


@dataclass(frozen=True)
class Decision:
    """A decision on one version, as the village and the reviewer see it."""

    decision_uuid: str
    version_uuid: str
    kind: DecisionKind
    reason: str
    field_comments: dict[str, str]  # content key or indicator name -> comment
    decided_by: str
    decided_role: str | None
    decided_at: datetime  # device time
    received_at: datetime | None  # server time, once known
    sync_state: DecisionSyncState
    server_message: str | None = None  # Chinese; see server_message_en
    report_uuid: str = ""
    decided_by_username: str = ""
    server_code: str | None = None  # accepted, duplicate, version_superseded, not_permitted…
    server_message_en: str | None = None
    made_here: bool = False  # decided on this device (else pulled from the server)

    def message(self, lang: str) -> str | None:
        """Return the server's message in ``lang`` (``None`` when it said nothing)."""
        if lang.startswith("zh"):
            return self.server_message
        return self.server_message_en or self.server_message


@dataclass(frozen=True)
class ReviewDetail:
    """What the detail view shows: the version, its warnings, and the previous report.

    ``previous`` is the version this one revises (the returned one, say) when there is one,
    else the previous report of the same event and village.
    """

    item: ReviewItem
    content: ReportContent
    issues: list[Issue]  # every rule finding (warnings carry the informant's notes)
    previous: ReportContent | None  # the previous report of the same event and village
    changed_fields: tuple[str, ...]  # figures (by indicator name) and header keys that changed
    notes: dict[str, str] = field(default_factory=dict)  # issue key -> the informant's note
    previous_version_uuid: str | None = None
    decisions: list[Decision] = field(default_factory=list)  # on this version, oldest first
    #: The report's history (``report_history``): the server's copy kept here, merged with
    #: what only this device knows; the detail marks this version's sign-in path and time.
    history: list[HistoryEntry] = field(default_factory=list)

    def version_history(self) -> list[HistoryEntry]:
        """Return the history entries of this version (its filing and decisions on it)."""
        return [e for e in self.history if e.version_uuid == self.item.version_uuid]


@dataclass(frozen=True)
class HistoryEntry:
    """One state change of a report: who, in which role, device time and server time.

    ``event``: ``submitted`` (frozen on a device, not yet on the server), ``received``,
    ``resubmitted`` (a new version after a return or an approval), ``conflict``,
    ``returned``, ``approved``, ``decision_conflict`` (recorded, not applied),
    ``decision_queued`` (made here, not yet sent), ``decision_rejected`` and ``rejected``
    (a version the server refused).
    """

    event: str
    version_no: int
    who: str
    role: str | None  # "A" / "B" / None
    device_time: datetime | None
    server_time: datetime | None
    detail: str = ""  # e.g. the return reason
    version_uuid: str = ""
    field_comments: dict[str, str] = field(default_factory=dict)
    device_id: str | None = None
    from_server: bool = False  # False: known only on this device (or the server is unknown)
    filing_role: FilingRole | None = None  # of a version's filing (received, submitted …)
    acting_for_name: str | None = None  # the post's A when B filed
    username: str = ""  # who did it, by user name ("" when only known here)
    #: How the device it came from signed in: "password" or "setup_code" (server's word).
    signin: str = "password"
    provisioned_by: str | None = None  # setup_code: who issued the code (None: the operator)
    provisioned_by_name: str | None = None  # setup_code: that person's display name
    #: setup_code: redeeming it signed other devices of the account out (a replaced PC or a
    #: takeover); False for the first set-up of an account, the ordinary way in.
    replaced_devices: bool = False
    #: A version whose filing time the server corrected: why (``sync.contract.filing_time``
    #: ``TimeFlag``: skew_corrected, future, too_old); ``device_time`` keeps the claim.
    time_flag: str | None = None
    corrected_time: datetime | None = None  # with time_flag: the filing time the server keeps
    clock_skew_seconds: float | None = None  # with time_flag: device clock minus server clock

    @property
    def by_setup_code(self) -> bool:
        """Whether it came from a device that was set up with a set-up code."""
        return self.signin == "setup_code"

    @property
    def taken_over(self) -> bool:
        """Whether another manager's set-up code put its device in, signing the author out.

        A first set-up with a manager's code is the ordinary way in: it is named, not marked.
        A code from the server's operator (``provisioned_by`` None, the command line) is not
        a manager's: it is named, but not marked.
        """
        return (
            self.by_setup_code
            and self.replaced_devices
            and self.provisioned_by is not None
            and self.provisioned_by != self.username
        )


class ReviewUnavailableError(BilingualError):
    """The township report or the completeness panel needs the server and none is cached."""


class ReviewOfflineError(ReviewUnavailableError):
    """An online-only action (an adjustment, a submission) found no server."""


class ReviewRefusedError(BilingualError):
    """The server, or this device, refused a review action; ``code`` says why."""

    def __init__(self, zh: str, en: str, code: str = "") -> None:
        super().__init__(zh, en)
        self.code = code


class DecisionRefusedError(ReviewRefusedError):
    """A decision this device will not record (not a reviewer, frozen, no reason …)."""


class TownshipTotalMismatchError(ReviewRefusedError):
    """The server refused a township report whose total no longer adds up (rule 12).

    Attributes:
        figures: the server's total now.
        issues: the rule-12 findings.
    """

    def __init__(
        self, zh: str, en: str, figures: Mapping[str, Decimal], issues: list[Issue]
    ) -> None:
        super().__init__(zh, en, "township_total_mismatch")
        self.figures = dict(figures)
        self.issues = issues


@dataclass(frozen=True)
class TownshipVillageRow:
    """A village's approved figures in the township report."""

    village_code: str
    village_name: str
    version_uuid: str
    filed_by: str
    filed_role: str | None
    figures: dict[str, Decimal]
    report_uuid: str = ""
    version_no: int = 0
    data_cutoff_at: datetime | None = None
    filed_by_username: str = ""


@dataclass(frozen=True)
class TownshipAdjustment:
    """An explicit township adjustment with its reason (rule 12)."""

    field: str
    delta: Decimal
    reason: str
    made_by: str
    adjustment_uuid: str = ""
    made_by_username: str = ""
    role: str | None = None
    server_received_at: datetime | None = None


@dataclass(frozen=True)
class TownshipReport:
    """The township's figures for one event and stage, as the server computed them."""

    township_code: str
    township_name: str
    event_uuid: str
    event_name: str
    stage: ReportStage
    villages: list[TownshipVillageRow]
    village_sum: dict[str, Decimal]
    adjustments: list[TownshipAdjustment]
    total: dict[str, Decimal]
    check_issues: list[Issue]
    fetched_at: datetime  # when this copy came from the server
    from_cache: bool  # True when the server could not be reached
    submitted: bool = False  # the latest submission matches this total
    raw: dict[str, Any] = field(default_factory=dict)
    server_time: datetime | None = None  # the server's clock when it computed this copy
    submission_uuid: str = ""  # the id a submission of this copy goes under (idempotent)
    submitted_at: datetime | None = None  # server time of the latest submission
    #: The county's decision on the latest submission: "pass", "return" or None (none yet).
    county_decision: str | None = None
    county_reason: str = ""  # why the county returned it


@dataclass(frozen=True)
class VillageCompleteness:
    """Whether a village reported for the event (or day), and who is on duty if not."""

    village_code: str
    village_name: str
    reported: bool
    on_duty_name: str | None
    on_duty_phone: str | None
    on_duty_role: str | None
    report_count: int = 0
    last_received_at: datetime | None = None
    on_duty_username: str | None = None
    from_cache: bool = False
    fetched_at: datetime | None = None
