"""The city server's tables as SQLAlchemy 2 typed models.

The schema itself is created by the explicit Alembic scripts in ``migrations/versions``; these
models mirror them for queries.  ``change_log.txid`` exists only on PostgreSQL (an ``xid8``
filled by ``pg_current_xact_id()``, see ``services.changes``) and is therefore not mapped.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
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

from sync.server.db import UTCDateTime

#: Big integer primary keys that are still SQLite rowids.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class Role(StrEnum):
    """An account's role; its jurisdiction code says where."""

    VILLAGE_INFORMANT = "village_informant"
    TOWNSHIP_REVIEWER = "township_reviewer"
    COUNTY_ADMIN = "county_admin"
    CITY_ADMIN = "city_admin"


class PostRole(StrEnum):
    """A/B: the primary who reports, and the backup who takes over (AB角)."""

    A = "A"
    B = "B"


class VersionStatus(StrEnum):
    """How a stored report version stands: on the main line, or a recorded conflict."""

    ACCEPTED = "accepted"
    CONFLICT = "conflict"


class ReviewStatus(StrEnum):
    """Where a version stands in the township's review (docs/domain.md §7)."""

    PENDING = "pending"
    RETURNED = "returned"
    APPROVED = "approved"


class DecisionKind(StrEnum):
    """A reviewer's decision on one version: pass it (通过) or send it back (退回)."""

    APPROVE = "approve"
    RETURN = "return"


class DecisionStatus(StrEnum):
    """How a stored decision stands: applied to its version, or a recorded conflict."""

    APPLIED = "applied"
    CONFLICT = "conflict"


class ChangeKind(StrEnum):
    """What a change-log row announces."""

    REPORT_VERSION = "report_version"
    ROSTER = "roster"
    DECISION = "decision"
    TOWNSHIP_REPORT = "township_report"
    ABSENCE = "absence"
    HANDOVER = "handover"
    EVENT_OPENING = "event_opening"
    UNIT_DECISION = "unit_decision"
    EVENT = "event"


class HandoverKind(StrEnum):
    """Why a post changed hands: an assignment replaced or ended, or A off duty."""

    ASSIGNMENT = "assignment"
    ABSENCE = "absence"


#: The filing roles a version may carry (``sync.contract.duty.FilingRole``), or none.
FILING_ROLE_CHECK = "filing_role IS NULL OR filing_role IN ('A', 'B_acting', 'B_while_A_on_duty')"


class Base(DeclarativeBase):
    """The declarative base of the server's models."""


class DivisionRow(Base):
    """An administrative division, loaded from an official table with its vintage.

    ``name`` is the official name and ``short_name`` the one screens show.  ``vintage`` is
    the table that last listed the code; ``retired_vintage`` the import that dropped it (the
    code stays for the history of old reports and takes no new ones).  ``revision`` is the
    import that last changed the row: ``max(revision)`` tells devices whether to fetch again.
    """

    __tablename__ = "divisions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(12), index=True)
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    vintage: Mapped[str] = mapped_column(String(16), default="")
    retired_vintage: Mapped[str | None] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1", index=True)


class User(Base):
    """An account: a person with a role and a jurisdiction."""

    __tablename__ = "users"
    __table_args__ = (
        Index("uq_users_register_id", "register_id", unique=True),
        CheckConstraint(
            "role IN ('village_informant', 'township_reviewer', 'county_admin', 'city_admin')",
            name="ck_users_role",
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(32))
    jurisdiction_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    password_hash: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The informant register (花名册), schema 0005: who the person is beyond the account.
    register_id: Mapped[str | None] = mapped_column(String(64))
    backup_phone: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    appointed_on: Mapped[str | None] = mapped_column(String(10))  # ISO date
    training: Mapped[str | None] = mapped_column(String(200))


class Device(Base):
    """A device an account has signed in from."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("user_id", "device_id", name="uq_devices_user_device"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100), index=True)
    device_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)


class Token(Base):
    """A bearer token of one device: only its SHA-256 is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the token last authenticated a request (written at most every few minutes); a
    #: token idle longer than ``token_idle_days`` stops working.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Post(Base):
    """A reporting post at one division (a village's informant post, a township's office)."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Assignment(Base):
    """A person holding a post as A or B; active while ``valid_to`` is NULL.

    Partial unique indexes (the same SQL on PostgreSQL and SQLite) keep at most one active A
    and one active B per post, and one active assignment per person and post.  ``reason`` and
    ``created_by`` say why and by whom it began, ``ended_reason`` and ``ended_by`` why and by
    whom it ended (NULL: the operator at the command line, or before schema 0003).
    """

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("post_role IN ('A', 'B')", name="ck_assignments_post_role"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_assignments_period"),
        Index(
            "uq_assignments_active_role",
            "post_id",
            "post_role",
            unique=True,
            postgresql_where=text("valid_to IS NULL"),
            sqlite_where=text("valid_to IS NULL"),
        ),
        Index(
            "uq_assignments_active_user",
            "post_id",
            "user_id",
            unique=True,
            postgresql_where=text("valid_to IS NULL"),
            sqlite_where=text("valid_to IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    post_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("posts.id"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    post_role: Mapped[str] = mapped_column(String(1))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    ended_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", name="fk_assignments_created_by")
    )
    ended_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", name="fk_assignments_ended_by")
    )


class Report(Base):
    """A report (all its versions share ``report_uuid``) and its current version pointer."""

    __tablename__ = "reports"

    report_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    event_uuid: Mapped[str] = mapped_column(String(64), index=True)
    first_version_uuid: Mapped[str] = mapped_column(String(64))
    current_version_uuid: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReportVersion(Base):
    """One immutable version of a report, as the device sent it (canonical JSON).

    The content never changes; ``review_status`` moves from pending to returned or approved
    by the township's decisions (``review_decision_uuid`` names the one applied last), and an
    approved version is frozen.  ``post_role`` is the sender's A/B role on the village post;
    ``filing_role`` the capacity they filed in at the filing moment (``sync.contract.duty``)
    and ``acting_for_user_id`` the A that a ``B_acting`` filing stood in for.
    """

    __tablename__ = "report_versions"
    __table_args__ = (
        Index("ix_versions_user_received", "user_id", "server_received_at"),
        CheckConstraint("status IN ('accepted', 'conflict')", name="ck_versions_status"),
        CheckConstraint(FILING_ROLE_CHECK, name="ck_versions_filing_role"),
    )

    version_uuid: Mapped[str] = mapped_column(String(64), primary_key=True)
    report_uuid: Mapped[str] = mapped_column(String(64), index=True)
    parent_version_uuid: Mapped[str | None] = mapped_column(String(64))
    version_no: Mapped[int] = mapped_column(Integer)
    village_code: Mapped[str] = mapped_column(String(12), index=True)
    event_uuid: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    content_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    review_status: Mapped[str] = mapped_column(
        String(16), default=ReviewStatus.PENDING.value, server_default=ReviewStatus.PENDING.value
    )
    review_decision_uuid: Mapped[str | None] = mapped_column(String(64))
    filing_role: Mapped[str | None] = mapped_column(String(24))
    acting_for_user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", name="fk_versions_acting_for")
    )
    #: The filing time the device claimed, kept when the server corrected ``submitted_at``.
    device_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why the server corrected the filing time (NULL: taken as the device said).
    time_flag: Mapped[str | None] = mapped_column(String(24))


class VersionPhoto(Base):
    """A photo a report version lists (for "may this caller read these bytes")."""

    __tablename__ = "version_photos"

    version_uuid: Mapped[str] = mapped_column(
        ForeignKey("report_versions.version_uuid"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    village_code: Mapped[str] = mapped_column(String(12))


class Photo(Base):
    """An uploaded photo, stored once per SHA-256 (bytes in the photo folder)."""

    __tablename__ = "photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Change(Base):
    """One row of the change log that devices pull by cursor (see ``services.changes``)."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    division_code: Mapped[str] = mapped_column(String(12), index=True)
    ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Decision(Base):
    """A township reviewer's decision on one version (applied, or recorded as a conflict).

    ``decision_uuid`` is made by the reviewer's device; its unique index makes a re-sent
    decision a duplicate.  ``id`` orders decisions in server order.
    """

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('approve', 'return')", name="ck_decisions_decision"),
        CheckConstraint("status IN ('applied', 'conflict')", name="ck_decisions_status"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    decision_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    version_uuid: Mapped[str] = mapped_column(
        ForeignKey("report_versions.version_uuid"), index=True
    )
    report_uuid: Mapped[str] = mapped_column(String(64), index=True)
    village_code: Mapped[str] = mapped_column(String(12))
    decision: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    field_comments_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    device_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    device_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    clock_skew_seconds: Mapped[float | None] = mapped_column(Float)


class TownshipAdjustment(Base):
    """An explicit township adjustment of one figure, with its reason (rule 12)."""

    __tablename__ = "township_adjustments"
    __table_args__ = (Index("ix_township_adjustments_key", "township_code", "event_uuid", "stage"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    adjustment_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(40))
    delta: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TownshipReport(Base):
    """A township report submitted upward: the total the reviewer saw, as the server agreed.

    ``villages_json`` keeps the village versions it added up and ``adjustments_json`` the
    adjustment ids, so the figures can always be traced back.
    """

    __tablename__ = "township_reports"
    __table_args__ = (Index("ix_township_reports_key", "township_code", "event_uuid", "stage"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    submission_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64))
    event_name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    figures_json: Mapped[str] = mapped_column(Text)
    villages_json: Mapped[str] = mapped_column(Text)
    adjustments_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnitDecision(Base):
    """A county's decision on a township report, or the city's on a county report (0007).

    ``level`` is the level of the report decided (``township`` or ``county``).  One decision
    per submission (unique ``submission_uuid``): the first wins and a passed report is frozen.
    """

    __tablename__ = "unit_decisions"
    __table_args__ = (
        CheckConstraint("level IN ('township', 'county')", name="ck_unit_decisions_level"),
        CheckConstraint("decision IN ('pass', 'return')", name="ck_unit_decisions_decision"),
        Index("ix_unit_decisions_unit", "unit_code", "event_uuid"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    decision_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    submission_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnitAdjustment(Base):
    """A county's or the city's explicit adjustment of one figure, with its reason (0007)."""

    __tablename__ = "unit_adjustments"
    __table_args__ = (Index("ix_unit_adjustments_key", "unit_code", "event_uuid", "stage"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    adjustment_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(40))
    delta: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnitReport(Base):
    """A county or city report as submitted (0007): figures, per-unit rows, adjustments.

    ``rows_json`` keeps the passed reports of the units below it added up (with their
    submission ids); ``data_cutoff_at`` is the latest data cut-off among them.
    """

    __tablename__ = "unit_reports"
    __table_args__ = (
        CheckConstraint("level IN ('county', 'city')", name="ck_unit_reports_level"),
        Index("ix_unit_reports_key", "unit_code", "event_uuid", "stage"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    submission_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    unit_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64))
    event_name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16))
    data_cutoff_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    figures_json: Mapped[str] = mapped_column(Text)
    rows_json: Mapped[str] = mapped_column(Text)
    adjustments_json: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    post_role: Mapped[str | None] = mapped_column(String(1))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    server_received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AbsenceRow(Base):
    """A period in which a post's A is off duty (B on duty meanwhile); ``ended_at`` cuts it.

    ``assignment_id`` and ``user_id`` name the A's assignment and account; ``created_by`` who
    marked it (the A themselves or a manager; NULL: the operator at the command line).
    """

    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("kind IN ('leave', 'away', 'unreachable')", name="ck_absences_kind"),
        CheckConstraint("ends_at > starts_at", name="ck_absences_period"),
        Index("ix_absences_post_user", "post_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    absence_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    post_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("posts.id"))
    assignment_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("assignments.id"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Handover(Base):
    """A post handed from one person to another, what was open then, and its sign-off."""

    __tablename__ = "handovers"
    __table_args__ = (
        CheckConstraint("kind IN ('assignment', 'absence')", name="ck_handovers_kind"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    handover_uuid: Mapped[str] = mapped_column(String(64), unique=True)
    post_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("posts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    open_items_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    signed_off_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sign_off_note: Mapped[str | None] = mapped_column(Text)
    absence_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("absences.id"))
    assignment_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("assignments.id"))


class EventOpening(Base):
    """A township opened a disaster event for (some of) its villages: deadlines run from here.

    ``deadlines_json`` keeps the ``DeadlineSettings`` in force when it was first opened, so
    the server and the devices judge it by the same numbers.
    """

    __tablename__ = "event_openings"
    __table_args__ = (
        UniqueConstraint("township_code", "event_uuid", name="uq_event_openings_key"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    event_uuid: Mapped[str] = mapped_column(String(64), index=True)
    event_name: Mapped[str] = mapped_column(String(200))
    disaster_type: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    deadlines_json: Mapped[str] = mapped_column(Text)


class Event(Base):
    """A disaster event (灾害过程) in the registry: one row per ``event_uuid`` ever named.

    Opened by a village's first report (``opened_level`` ``village``) or by a township, county
    or city (``opened_code`` is the division).  ``county_code`` is the county of its area
    (NULL for a city-wide event).  A merged event keeps its row and its reports keep their
    ``event_uuid``; ``merged_into`` names the canonical event every total follows (never a
    chain: merging into a merged event points at its canonical one).
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("event_uuid", name="uq_events_event_uuid"),
        Index("ix_events_area", "county_code", "disaster_type", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_uuid: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    disaster_type: Mapped[str] = mapped_column(String(32))
    county_code: Mapped[str | None] = mapped_column(String(12))
    opened_level: Mapped[str] = mapped_column(String(16))
    opened_code: Mapped[str] = mapped_column(String(12), index=True)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    merged_into: Mapped[str | None] = mapped_column(String(64), index=True)
    merged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", name="fk_events_created_by")
    )


class EventOpeningVillage(Base):
    """A village an event was opened for, and when (its deadline is never sooner after this).

    The village's initial report counts from the event's occurrence when it is known, but
    is never due less than ``OPENING_GRACE_MINUTES`` after ``opened_at`` (docs/duty.md).
    """

    __tablename__ = "event_opening_villages"

    opening_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("event_openings.id"), primary_key=True
    )
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SetupCode(Base):
    """A one-time set-up code for one account: only its SHA-256 is stored, never the code.

    Usable while ``used_at`` and ``revoked_at`` are NULL and ``expires_at`` lies ahead.
    ``issued_by`` is the manager who asked for it (NULL: the operator at the command line);
    ``used_by_device`` the device it signed in.  A newer code for the account revokes it.
    """

    __tablename__ = "setup_codes"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"), index=True)
    issued_by: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_device: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("devices.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProvisionFailure(Base):
    """A failed try to redeem a set-up code, by client address (the throttle counts these)."""

    __tablename__ = "provision_failures"
    __table_args__ = (Index("ix_provision_failures_client", "client_key", "failed_at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    client_key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    device_id: Mapped[str] = mapped_column(String(100), default="", server_default="")


class AdminAction(Base):
    """What a manager did to accounts, devices, posts or the register, and who did it.

    ``actor_id`` NULL: the operator at the command line (``actor`` then says ``cli``).
    ``detail`` is a small JSON object (never a password, token or set-up code).
    """

    __tablename__ = "admin_actions"
    __table_args__ = (Index("ix_admin_actions_at", "at"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200), default="", server_default="")
    detail: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class SecurityEvent(Base):
    """One line of the security log (``services.security_log`` lists the kinds).

    ``username`` is the account concerned (as typed, for a failed sign-in); ``actor`` who did
    it when it was someone else (a manager, ``cli`` for the operator); ``client`` the client
    address.  ``detail`` is a small JSON object; never a password, token or set-up code.
    """

    __tablename__ = "security_events"
    __table_args__ = (
        Index("ix_security_events_at", "at"),
        Index("ix_security_events_user", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    username: Mapped[str] = mapped_column(String(64), default="", server_default="")
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64), default="", server_default="")
    client: Mapped[str] = mapped_column(String(64), default="", server_default="")
    device_id: Mapped[str] = mapped_column(String(100), default="", server_default="")
    detail: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class LoginAttempt(Base):
    """One sign-in try by client address and typed user name (the slowdowns count these)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_client", "client_key", "at"),
        Index("ix_login_attempts_username", "username", "at"),
        Index("ix_login_attempts_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_key: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class PhotoUpload(Base):
    """A partial photo upload of one device: another device's claim never blocks it."""

    __tablename__ = "photo_uploads"
    __table_args__ = (
        UniqueConstraint("sha256", "device_pk", name="uq_photo_uploads_sha_device"),
        Index("ix_photo_uploads_user", "user_id"),
        Index("ix_photo_uploads_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64))
    device_pk: Mapped[int] = mapped_column(BigInteger, ForeignKey("devices.id"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id"))
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PhotoAccess(Base):
    """A village whose device proved it holds a photo's bytes (photos are read by this)."""

    __tablename__ = "photo_access"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
