"""The tables of the local store as typed SQLAlchemy models (Alembic migrations own the DDL).

The report list reads only ``report_versions``: each report's newest version carries
``is_latest = 1`` (at most one per report, enforced by a partial unique index), and the list
indexes lead with ``is_latest`` so "latest version per report, filtered, newest first" is an
index range scan rather than a window query.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

#: Text form of stored times: fixed width, so text order is time order.
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

#: Every state a version may hold (``ReportState`` values), for the CHECK constraint.
STATES = ("draft", "queued", "sending", "received", "conflict", "error")
STAGES = ("initial", "continuing", "verified")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime stored as fixed-width ISO text with microseconds and ``Z``."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).strftime(TIME_FORMAT)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=UTC)


def to_db_time(value: datetime) -> str:
    """Return the stored text of ``value`` (for raw SQL and bulk inserts)."""
    return value.astimezone(UTC).strftime(TIME_FORMAT)


class Base(DeclarativeBase):
    """The declarative base of the local store."""


class ProfileRow(Base):
    """The single local profile (row id 1)."""

    __tablename__ = "profile"
    __table_args__ = (CheckConstraint("id = 1", name="ck_profile_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    informant_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(1))
    post_code: Mapped[str] = mapped_column(String(12))
    village_codes: Mapped[str] = mapped_column(Text)  # JSON list of 12-digit codes
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EventRow(Base):
    """A disaster event known on this device (created by its first submitted report)."""

    __tablename__ = "events"

    event_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    disaster_type: Mapped[str] = mapped_column(String(32))
    disaster_subtype: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportVersionRow(Base):
    """One version of a report: an editable draft or a frozen, submitted version.

    ``content`` is JSON text: the loose draft form while ``state = 'draft'``, the canonical
    JSON (``sync.contract.canonical_json``) once frozen; a trigger forbids changing it then.
    ``event_uuid``, ``stage`` and ``village_code`` mirror the content for filtering.
    """

    __tablename__ = "report_versions"
    __table_args__ = (
        UniqueConstraint("report_uuid", "version_no", name="uq_report_versions_report_no"),
        CheckConstraint(f"state IN {STATES!r}", name="ck_report_versions_state"),
        CheckConstraint(f"stage IN {STAGES!r}", name="ck_report_versions_stage"),
        CheckConstraint(
            "state = 'draft' OR content_hash IS NOT NULL", name="ck_report_versions_frozen_hash"
        ),
        Index(
            "ux_report_versions_latest",
            "report_uuid",
            unique=True,
            sqlite_where=text("is_latest = 1"),
        ),
        Index("ix_report_versions_list", "is_latest", "created_at", "version_uuid"),
        Index("ix_report_versions_list_state", "is_latest", "state", "created_at", "version_uuid"),
        Index("ix_report_versions_list_stage", "is_latest", "stage", "created_at", "version_uuid"),
        Index(
            "ix_report_versions_list_event", "is_latest", "event_uuid", "created_at", "version_uuid"
        ),
        Index("ix_report_versions_event_village", "event_uuid", "village_code", "submitted_at"),
    )

    version_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_uuid: Mapped[str] = mapped_column(String(64))
    parent_version_uuid: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("report_versions.version_uuid")
    )
    version_no: Mapped[int] = mapped_column(Integer)
    is_latest: Mapped[bool] = mapped_column(Boolean)
    event_uuid: Mapped[str] = mapped_column(String(64))
    village_code: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The capacity this device judged the filer in at submit (``FilingRole`` value, rev. 0006);
    #: ``acting_for_name`` is the post's A then.  ``None``: not judged (no sign-in, no post).
    filing_role: Mapped[str | None] = mapped_column(String(20))
    acting_for_name: Mapped[str | None] = mapped_column(String(100))


class OutboxRow(Base):
    """A frozen version waiting to be sent; ``id`` is the order of creation."""

    __tablename__ = "outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_uuid: Mapped[str] = mapped_column(
        String(64), ForeignKey("report_versions.version_uuid"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)


class PhotoRow(Base):
    """A photo file in the data folder, named by the SHA-256 of its bytes."""

    __tablename__ = "photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VersionPhotoRow(Base):
    """A photo attached to a report version, in display order."""

    __tablename__ = "version_photos"

    version_uuid: Mapped[str] = mapped_column(
        String(64), ForeignKey("report_versions.version_uuid", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("photos.sha256"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class StateChangeRow(Base):
    """One change of a submitted version's state: who (profile name and A/B role) and when.

    docs/domain.md §7: every change of state is recorded.  Added by revision 0002.
    """

    __tablename__ = "state_changes"
    __table_args__ = (
        Index("ix_state_changes_version", "version_uuid", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_uuid: Mapped[str] = mapped_column(
        String(64), ForeignKey("report_versions.version_uuid")
    )
    state: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    informant_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(1))


# --- sync (revision 0003) -------------------------------------------------------------------


class SyncAccountRow(Base):
    """The account this device is signed in with (row id 1); the token is kept elsewhere."""

    __tablename__ = "sync_account"
    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_account_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    jurisdiction_code: Mapped[str] = mapped_column(String(12))
    posts: Mapped[str] = mapped_column(Text)  # JSON list of AccountPost fields
    token_storage: Mapped[str] = mapped_column(String(16))
    signed_in_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncStateRow(Base):
    """This installation's sync state (row id 1): device id, cursor, last round's outcome.

    ``cursor_owner`` is ``server_url|username`` of the cursor: another account starts over.
    Times are device times (UTC) except ``server_time``.
    """

    __tablename__ = "sync_state"
    __table_args__ = (CheckConstraint("id = 1", name="ck_sync_state_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(100))
    cursor: Mapped[str | None] = mapped_column(String(200))
    cursor_owner: Mapped[str | None] = mapped_column(String(600))
    online: Mapped[bool | None] = mapped_column(Boolean)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failures: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    problem_kind: Mapped[str | None] = mapped_column(String(32))
    problem_zh: Mapped[str | None] = mapped_column(Text)
    problem_en: Mapped[str | None] = mapped_column(Text)
    server_time: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)


class SyncRoundRow(Base):
    """One sync round: device and server time, the skew estimate and what it did."""

    __tablename__ = "sync_rounds"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    server_time: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)
    pushed: Mapped[int] = mapped_column(Integer)
    pulled: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    conflicts: Mapped[int] = mapped_column(Integer)
    photos_sent: Mapped[int] = mapped_column(Integer)
    still_queued: Mapped[int] = mapped_column(Integer)
    problem_kind: Mapped[str | None] = mapped_column(String(32))


class VersionSyncRow(Base):
    """What the server said about a frozen version, and where the version came from.

    ``origin`` is ``local`` (made on this device) or ``remote`` (pulled: the post's other
    informant).  ``server_parent_uuid`` is the parent the server knows, when it differs from
    the local ``parent_version_uuid`` (a conflict resolution, a pulled version).
    """

    __tablename__ = "version_sync"
    __table_args__ = (
        CheckConstraint("origin IN ('local', 'remote')", name="ck_version_sync_origin"),
    )

    version_uuid: Mapped[str] = mapped_column(
        String(64), ForeignKey("report_versions.version_uuid"), primary_key=True
    )
    origin: Mapped[str] = mapped_column(String(8))
    filed_by: Mapped[str | None] = mapped_column(String(64))
    server_parent_uuid: Mapped[str | None] = mapped_column(String(64))
    server_version_no: Mapped[int | None] = mapped_column(Integer)
    server_status: Mapped[str | None] = mapped_column(String(16))
    server_code: Mapped[str | None] = mapped_column(String(64))
    message_zh: Mapped[str | None] = mapped_column(Text)
    message_en: Mapped[str | None] = mapped_column(Text)
    server_received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServerVersionRow(Base):
    """A report version as the change feed delivered it (``seq``: the order of arrival).

    Every version of the caller's villages lands here, its own and the other informant's,
    accepted or recorded as a conflict.  The server's current version of a report is its
    accepted version with the highest ``seq``.
    """

    __tablename__ = "server_versions"
    __table_args__ = (
        Index("ix_server_versions_report", "report_uuid", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    report_uuid: Mapped[str] = mapped_column(String(64))
    parent_version_uuid: Mapped[str | None] = mapped_column(String(64))
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    village_code: Mapped[str] = mapped_column(String(12))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[str] = mapped_column(String(64))
    server_received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    pulled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The filer's display name and A/B role, when the server said (``None``: infer them).
    submitted_by_name: Mapped[str | None] = mapped_column(String(100))
    post_role: Mapped[str | None] = mapped_column(String(1))
    #: The server's filing role of the version and the A it names (revision 0006).
    filing_role: Mapped[str | None] = mapped_column(String(20))
    acting_for_name: Mapped[str | None] = mapped_column(String(100))


class ServerReportRow(Base):
    """A report's current version on the server, as named by the change read last."""

    __tablename__ = "server_reports"

    report_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    current_version_uuid: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PhotoUploadRow(Base):
    """How much of a photo the server holds (``received`` bytes of ``size``)."""

    __tablename__ = "photo_uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    complete: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    error_message: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RosterRow(Base):
    """The cached roster: who holds which post as A or B (from the change feed)."""

    __tablename__ = "roster_cache"

    assignment_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    post_code: Mapped[str] = mapped_column(String(12), index=True)
    post_level: Mapped[str] = mapped_column(String(16))
    post_role: Mapped[str] = mapped_column(String(1))
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Why the assignment was made and ended, and the holder's phone (revision 0006).
    reason: Mapped[str | None] = mapped_column(Text)
    ended_reason: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))


class ConflictRow(Base):
    """A version the server recorded as a conflict, against the main-line version then.

    Open while ``resolved_at`` is NULL; a resolution (here or pulled) closes it.
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_report", "report_uuid"),)

    conflict_version_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_uuid: Mapped[str] = mapped_column(String(64))
    main_version_uuid: Mapped[str] = mapped_column(String(64))
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by_version_uuid: Mapped[str | None] = mapped_column(String(64))


# --- township review (revision 0004) --------------------------------------------------------

#: Review statuses of a version on the server (``ReviewStatus`` values).
REVIEW_STATUSES = ("pending", "returned", "approved")
#: Where a decision stands on this device: ``sending`` is shown as queued.
DECISION_STATES = ("queued", "sending", "sent", "conflict", "rejected")


class VersionReviewRow(Base):
    """The review status of a version the server accepted, as this device last heard it.

    One row per accepted version of the caller's villages (from the change feed), with the
    columns the review queue filters and sorts on.  ``is_current`` marks the report's current
    version on the server; ``decision_uuid`` and ``reason`` are those of the decision applied
    last.  ``received_at`` is server time: the review clock starts there.
    """

    __tablename__ = "version_reviews"
    __table_args__ = (
        CheckConstraint(f"status IN {REVIEW_STATUSES!r}", name="ck_version_reviews_status"),
        Index("ix_version_reviews_queue", "is_current", "status", "received_at"),
        Index("ix_version_reviews_report", "report_uuid", "received_at"),
        Index("ix_version_reviews_event_village", "event_uuid", "village_code", "received_at"),
    )

    version_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_uuid: Mapped[str] = mapped_column(String(64))
    village_code: Mapped[str] = mapped_column(String(12))
    event_uuid: Mapped[str] = mapped_column(String(64))
    event_name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    version_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    is_current: Mapped[bool] = mapped_column(Boolean)
    decision_uuid: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    warnings: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The server's filing role (A, B acting, B while A on duty) and the A named (rev. 0006).
    filing_role: Mapped[str | None] = mapped_column(String(20))
    acting_for_name: Mapped[str | None] = mapped_column(String(100))
    #: Why the server corrected the filing time the device claimed (rev. 0009); with it,
    #: ``submitted_at`` is the time the server keeps and the content keeps the claim.
    time_flag: Mapped[str | None] = mapped_column(String(16))


class DecisionRow(Base):
    """A review decision: made on this device (``origin = 'local'``) or pulled.

    ``seq`` is the order in which this device learnt of it.  ``sync_state`` follows
    ``DECISION_STATES``; a pulled decision is ``sent`` (applied) or ``conflict``.
    """

    __tablename__ = "review_decisions"
    __table_args__ = (
        CheckConstraint(
            f"sync_state IN {DECISION_STATES!r}", name="ck_review_decisions_sync_state"
        ),
        CheckConstraint("kind IN ('approve', 'return')", name="ck_review_decisions_kind"),
        CheckConstraint("origin IN ('local', 'remote')", name="ck_review_decisions_origin"),
        Index("ix_review_decisions_report", "report_uuid", "seq"),
        Index("ix_review_decisions_version", "version_uuid", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    version_uuid: Mapped[str] = mapped_column(String(64))
    report_uuid: Mapped[str] = mapped_column(String(64))
    village_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    field_comments: Mapped[str] = mapped_column(Text)  # JSON object: field -> comment
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_by_name: Mapped[str] = mapped_column(String(100))
    decided_role: Mapped[str | None] = mapped_column(String(1))
    device_id: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    origin: Mapped[str] = mapped_column(String(8))
    sync_state: Mapped[str] = mapped_column(String(16))
    applied: Mapped[bool] = mapped_column(Boolean, server_default=text("0"))
    server_code: Mapped[str | None] = mapped_column(String(64))
    message_zh: Mapped[str | None] = mapped_column(Text)
    message_en: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DecisionOutboxRow(Base):
    """A decision waiting to be sent; ``id`` is the order of creation."""

    __tablename__ = "decision_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_uuid: Mapped[str] = mapped_column(
        String(64), ForeignKey("review_decisions.decision_uuid"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)


class ReviewCacheRow(Base):
    """A server answer kept for offline reading: a township report, completeness, a history.

    ``key`` names what was asked (``township_report|code|event|stage`` …); ``payload`` is the
    answer's JSON; ``fetched_at`` is device time, ``server_time`` the answer's.
    """

    __tablename__ = "review_cache"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)
    server_time: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TownshipSubmissionRow(Base):
    """A township report submitted upward, as the change feed delivered it."""

    __tablename__ = "township_submissions"
    __table_args__ = (
        Index(
            "ix_township_submissions_report",
            "township_code",
            "event_uuid",
            "stage",
            "server_received_at",
        ),
    )

    submission_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12))
    event_uuid: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)
    server_received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    pulled_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewSettingRow(Base):
    """A review setting of this device (``review_deadline_minutes`` …)."""

    __tablename__ = "review_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- A/B duty (revision 0006) ---------------------------------------------------------------


class AbsenceRow(Base):
    """A period in which a post's A is off duty (B on duty meanwhile), as the server said."""

    __tablename__ = "duty_absences"
    __table_args__ = (Index("ix_duty_absences_post", "post_code", "starts_at"),)

    absence_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    post_code: Mapped[str] = mapped_column(String(12))
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HandoverRow(Base):
    """A handover of a post (an assignment replaced or ended, an absence) and its sign-off."""

    __tablename__ = "duty_handovers"
    __table_args__ = (Index("ix_duty_handovers_post", "post_code", "created_at"),)

    handover_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    post_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    from_username: Mapped[str | None] = mapped_column(String(64))
    from_name: Mapped[str] = mapped_column(String(100))
    to_username: Mapped[str | None] = mapped_column(String(64))
    to_name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    open_items: Mapped[str] = mapped_column(Text)  # JSON object
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_name: Mapped[str | None] = mapped_column(String(100))
    signed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sign_off_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EventOpeningRow(Base):
    """An event a township opened for its villages: the deadlines run from here.

    ``village_codes`` is the JSON list of villages it was opened for; ``village_opened`` maps a
    village to when it was opened for it (a village added later starts later);
    ``deadlines`` is the server's ``DeadlineSettings`` wire form; ``filed`` maps a village to
    the ``[stage, filed_at]`` filings the server reported in its last duty answer.
    """

    __tablename__ = "event_openings"

    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    event_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_name: Mapped[str] = mapped_column(String(200))
    disaster_type: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    village_codes: Mapped[str] = mapped_column(Text)
    village_opened: Mapped[str] = mapped_column(Text)
    deadlines: Mapped[str] = mapped_column(Text)
    filed: Mapped[str] = mapped_column(Text)
    opened_by_name: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- the synced division table (revision 0007) ----------------------------------------------


class DivisionCacheRow(Base):
    """A division of the account's jurisdiction (and its ancestors) as last synced.

    ``name`` is the official name, ``short_name`` what screens show; a ``retired`` code stays
    for old reports but takes no new ones.
    """

    __tablename__ = "division_cache"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    official: Mapped[bool] = mapped_column(Boolean)
    retired: Mapped[bool] = mapped_column(Boolean)


class DivisionCacheStateRow(Base):
    """What the cached division table is (row id 1): vintage, server revision and source.

    ``server_url`` and ``under_code`` say which server and which subtree it came from: another
    account or server fetches again.  ``fetched_at`` is a device time.
    """

    __tablename__ = "division_cache_state"
    __table_args__ = (CheckConstraint("id = 1", name="ck_division_cache_state_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vintage: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    server_url: Mapped[str] = mapped_column(String(500))
    under_code: Mapped[str | None] = mapped_column(String(12))
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- the open events of the area, as last synced (revision 0008) ---------------------------


class OpenEventCacheRow(Base):
    """An open disaster event of the account's area as the server last listed it.

    The sync round replaces these rows with ``GET /events?open=1`` (canonical events only);
    the report form defaults a new report to one of them and offers one before a second "new
    event" of the same type, county and close time, also offline.  ``merged_uuids`` is the
    JSON list of the events merged into it.
    """

    __tablename__ = "open_event_cache"

    event_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    disaster_type: Mapped[str] = mapped_column(String(32))
    county_code: Mapped[str | None] = mapped_column(String(12))
    opened_level: Mapped[str] = mapped_column(String(16))
    opened_code: Mapped[str] = mapped_column(String(12))
    opened_name: Mapped[str | None] = mapped_column(String(100))
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    merged_uuids: Mapped[str] = mapped_column(Text)


class OpenEventCacheStateRow(Base):
    """When the open events were last fetched (row id 1), from which server.

    ``fetched_at`` is a device time, ``server_time`` the server's time of the answer.
    """

    __tablename__ = "open_event_cache_state"
    __table_args__ = (CheckConstraint("id = 1", name="ck_open_event_cache_state_single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str] = mapped_column(String(500))
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)
    server_time: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The server's ``events_revision`` (``GET /me``) the cache was fetched at.
    revision: Mapped[str] = mapped_column(String(64), default="", server_default="")
