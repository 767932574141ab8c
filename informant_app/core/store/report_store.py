"""The informant's local store: drafts, frozen versions, the outbox, photos and the profile.

One ``ReportStore`` wraps one SQLite file in the data folder.  Every method is a short,
self-contained transaction, safe to call from one worker thread (the UI never calls it on the
GUI thread).  Submitting freezes a version and writes its outbox entry in one transaction;
a frozen version is never changed in place (a database trigger enforces it).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from sqlalchemy import (
    Engine,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from informant_app.core.clock import Clock, SystemClock, to_the_second
from informant_app.core.paths import database_path, photos_dir
from informant_app.core.private_files import private_dir
from informant_app.core.store import drafts as draft_content
from informant_app.core.store.db import make_engine, make_read_only_engine, writer
from informant_app.core.store.divisions import publish_cached, table_of
from informant_app.core.store.duty import parse_filing_role
from informant_app.core.store.errors import (
    NewerDatabaseError,
    StoreError,
    explain_open_failure,
    translate_db_error,
    translate_os_error,
)
from informant_app.core.store.events_cache import cached_event_name, open_event_names
from informant_app.core.store.migrate import current_revision, head_revision, migrate
from informant_app.core.store.models import (
    ConflictRow,
    EventRow,
    OutboxRow,
    PhotoRow,
    ProfileRow,
    ReportVersionRow,
    ServerVersionRow,
    StateChangeRow,
    VersionPhotoRow,
    VersionReviewRow,
)
from informant_app.core.store.outbox import log_state, submit_draft
from informant_app.core.store.photos import photo_file, remove_stale_copies, store_photo
from informant_app.core.store.profile import read_profile, signer
from informant_app.core.store.sync_state import read_state
from informant_app.core.store.types import (
    Draft,
    EventSummary,
    PostRole,
    Profile,
    ReportFilter,
    ReportRow,
    ReportState,
    StateChange,
    SubmitResult,
)
from sync.contract import (
    Issue,
    PhotoRef,
    ReportContent,
    ReportStage,
    ValidationContext,
    blocking_issues,
    format_time,
    validate,
)

__all__ = [
    "NewerDatabaseError",
    "ReportStore",
    "StoreError",
    "apply_states",
    "log_state",
    "read_previous_figures",
    "read_profile",
    "signer",
    "validation_context",
]

P = ParamSpec("P")
R = TypeVar("R")

DRAFT = ReportState.DRAFT.value
#: States after which nothing is left to send: the outbox entry is removed.
SETTLED_STATES = frozenset({ReportState.RECEIVED, ReportState.CONFLICT})


def _user_errors(
    method: Callable[Concatenate[ReportStore, P], R],
) -> Callable[Concatenate[ReportStore, P], R]:
    """Turn disk problems (full, read-only, locked) into ``StoreError``; bugs pass through."""

    @functools.wraps(method)
    def wrapper(self: ReportStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except DBAPIError as exc:
            translated = translate_db_error(exc)
            if translated is None:
                raise
            raise translated from exc
        except OSError as exc:
            translated = translate_os_error(exc)
            if translated is None:
                raise
            raise translated from exc

    return wrapper


def _new_uuid() -> str:
    return str(uuid.uuid4())


class ReportStore:
    """The local store of one informant's device."""

    def __init__(self, data_dir: Path, engine: Engine, clock: Clock | None = None) -> None:
        """Wrap an engine on a migrated database; use ``ReportStore.open`` instead."""
        self._data_dir = data_dir
        self._engine = engine
        self._writer = writer(engine)
        #: The core's clock: every "now" of the store and the features on it (tests move it).
        self.clock: Clock = clock if clock is not None else SystemClock()

    @classmethod
    def open(cls, data_dir: Path, clock: Clock | None = None) -> ReportStore:
        """Open (creating if needed) the store in ``data_dir``, reading time from ``clock``.

        Copies the database file aside before migrating, runs the Alembic migrations, and
        refuses a database newer than this app with ``NewerDatabaseError``.  ``clock``
        defaults to the computer's (``SystemClock``).
        """
        data_dir = Path(data_dir)
        try:
            private_dir(data_dir)  # 0700: the database, photos and token are this user's
            db_path = database_path(data_dir)
            migrate(db_path)
        except OSError as exc:
            translated = translate_os_error(exc)
            if translated is None:
                raise
            raise translated from exc
        except DBAPIError as exc:
            translated = translate_db_error(exc)
            if translated is None:
                raise
            raise explain_open_failure(translated, data_dir) from exc
        except StoreError as exc:  # "cannot open" on a read-only folder: say read-only
            better = explain_open_failure(exc, data_dir)
            if better is exc:
                raise
            raise better from exc
        remove_stale_copies(photos_dir(data_dir))
        store = cls(data_dir, make_engine(db_path), clock)
        publish_cached(store)  # the divisions last synced (or the bundled ones) for this folder
        return store

    @classmethod
    def open_read_only(cls, data_dir: Path, clock: Clock | None = None) -> ReportStore:
        """Return a store on a read-only connection (it never migrates, writes or waits long).

        Raises:
            RuntimeError: the database is missing or not at this app's revision.
        """
        db = database_path(Path(data_dir))
        if not db.exists() or current_revision(db) != head_revision():
            raise RuntimeError("the database is missing or at another revision")
        return cls(Path(data_dir), make_read_only_engine(db), clock)

    def close(self) -> None:
        """Release the database."""
        self._engine.dispose()

    def __enter__(self) -> ReportStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        """The data folder this store lives in."""
        return self._data_dir

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for the modules of the store package (not the features)."""
        return self._engine

    def now(self) -> datetime:
        """Return the current UTC time by the store's clock, with microseconds."""
        return self.clock.now()

    def now_to_the_second(self) -> datetime:
        """Return the current UTC time by the store's clock, to the second (report times)."""
        return to_the_second(self.clock.now())

    def write_session(self) -> Session:
        """Return a session whose transaction takes the write lock at once (store package use)."""
        return Session(self._writer)

    # --- the profile --------------------------------------------------------------------

    @_user_errors
    def profile(self) -> Profile | None:
        """Return the local profile, or ``None`` before the first start chose one."""
        with Session(self._engine) as s:
            return read_profile(s)

    @_user_errors
    def save_profile(self, profile: Profile) -> None:
        """Save the local profile (replacing the previous one)."""
        with Session(self._writer) as s, s.begin():
            s.merge(
                ProfileRow(
                    id=1,
                    informant_name=profile.informant_name,
                    phone=profile.phone,
                    role=profile.role.value,
                    post_code=profile.post_code,
                    village_codes=json.dumps(list(profile.village_codes)),
                    updated_at=self.now(),
                )
            )

    # --- events -------------------------------------------------------------------------

    @_user_errors
    def events(self) -> list[EventSummary]:
        """Return the known disaster events, newest first."""
        count = (
            select(func.count())
            .where(
                ReportVersionRow.is_latest.is_(True),
                ReportVersionRow.event_uuid == EventRow.event_uuid,
            )
            .scalar_subquery()
        )
        query = select(EventRow, count).order_by(
            EventRow.occurred_at.desc(), EventRow.created_at.desc()
        )
        with Session(self._engine) as s:
            return [
                EventSummary(
                    event_uuid=e.event_uuid,
                    name=e.name,
                    disaster_type=e.disaster_type,
                    disaster_subtype=e.disaster_subtype,
                    occurred_at=e.occurred_at,
                    report_count=int(n),
                )
                for e, n in s.execute(query)
            ]

    # --- drafts -------------------------------------------------------------------------

    @_user_errors
    def new_draft(
        self,
        *,
        stage: ReportStage = ReportStage.INITIAL,
        event_uuid: str | None = None,
        village_code: str | None = None,
    ) -> Draft:
        """Create a draft of a new report.

        With ``event_uuid`` the draft joins that event (type, subtype and occurrence copied);
        without it the draft starts a new event (fresh ``event_uuid``).  The village defaults
        to the profile's first village; occurrence and data cut-off default to now.

        Raises:
            KeyError: ``event_uuid`` names no event known on this device.
        """
        with Session(self._writer) as s, s.begin():
            village = village_code if village_code is not None else _default_village(s)
            content = draft_content.blank_content(
                report_uuid=_new_uuid(),
                event_uuid=event_uuid or _new_uuid(),
                stage=stage,
                village_code=village,
                now=self.now_to_the_second(),
            )
            if event_uuid is not None:
                content.update(_event_fields(s, event_uuid))
            return _insert_draft(s, content, self.now())

    @_user_errors
    def new_continuing(self, event_uuid: str, village_code: str) -> Draft:
        """Create a continuing-report draft from the event's last report for ``village_code``.

        The figures of that report are copied; the narrative is left for the informant.
        The continuing report is a new report (its own ``report_uuid``) of the same event and
        village.  Without an earlier report for the village the figures start empty.

        Raises:
            KeyError: ``event_uuid`` names no event known on this device.
        """
        with Session(self._writer) as s, s.begin():
            content = draft_content.blank_content(
                report_uuid=_new_uuid(),
                event_uuid=event_uuid,
                stage=ReportStage.CONTINUING,
                village_code=village_code,
                now=self.now_to_the_second(),
            )
            content.update(_event_fields(s, event_uuid))
            previous = _last_submitted(s, event_uuid, village_code, None)
            if previous is not None:
                for key in ("figures", "latitude", "longitude", "emergency_response"):
                    content[key] = previous.get(key, content[key])
            return _insert_draft(s, content, self.now())

    @_user_errors
    def revise(self, report_uuid: str) -> Draft:
        """Return a draft revising the latest version of ``report_uuid``.

        The draft is a new version that names the latest one as parent.  An existing open
        draft of that report is returned instead.

        Raises:
            KeyError: no such report.
        """
        with Session(self._writer) as s, s.begin():
            latest = s.scalars(
                select(ReportVersionRow).where(
                    ReportVersionRow.report_uuid == report_uuid,
                    ReportVersionRow.is_latest.is_(True),
                )
            ).one_or_none()
            if latest is None:
                raise KeyError(report_uuid)
            if latest.state == DRAFT:
                return _draft_of(latest)
            content = json.loads(latest.content)
            content["submitted_at"] = None
            now = self.now()
            s.execute(
                update(ReportVersionRow)
                .where(ReportVersionRow.version_uuid == latest.version_uuid)
                .values(is_latest=False)
            )
            row = ReportVersionRow(
                version_uuid=_new_uuid(),
                report_uuid=report_uuid,
                parent_version_uuid=latest.version_uuid,
                version_no=latest.version_no + 1,
                is_latest=True,
                event_uuid=latest.event_uuid,
                village_code=latest.village_code,
                stage=latest.stage,
                content=draft_content.dump_draft(content),
                content_hash=None,
                state=DRAFT,
                error_message=None,
                created_at=now,
                updated_at=now,
                submitted_at=None,
            )
            s.add(row)
            s.flush()
            links = s.scalars(
                select(VersionPhotoRow).where(VersionPhotoRow.version_uuid == latest.version_uuid)
            ).all()
            s.add_all(
                VersionPhotoRow(
                    version_uuid=row.version_uuid, sha256=link.sha256, position=link.position
                )
                for link in links
            )
            return _draft_of(row)

    @_user_errors
    def drafts(self) -> list[Draft]:
        """Return every open draft, most recently edited first."""
        with Session(self._engine) as s:
            rows = s.scalars(
                select(ReportVersionRow)
                .where(ReportVersionRow.state == DRAFT)
                .order_by(ReportVersionRow.updated_at.desc())
            )
            return [_draft_of(r) for r in rows]

    @_user_errors
    def load_draft(self, version_uuid: str) -> Draft:
        """Return the draft ``version_uuid``; ``KeyError`` if it is no draft."""
        with Session(self._engine) as s:
            return _draft_of(_get_draft(s, version_uuid))

    @_user_errors
    def save_draft(self, version_uuid: str, content: Mapping[str, Any]) -> None:
        """Replace the draft's content (autosave: called after each field change).

        One small UPDATE.  ``report_uuid`` and ``photos`` are kept from the stored draft
        (photos change only through ``add_photo``/``remove_photo``, so a stale copy in the
        form never drops one).

        Raises:
            KeyError: ``version_uuid`` is no draft.
        """
        data = {k: v for k, v in content.items() if k != "photos"}
        values: dict[str, Any] = {
            "content": func.json_set(
                draft_content.dump_draft(data),
                "$.photos",
                func.json(
                    func.coalesce(func.json_extract(ReportVersionRow.content, "$.photos"), "[]")
                ),
                "$.report_uuid",
                ReportVersionRow.report_uuid,
            ),
            "updated_at": self.now(),
            **draft_content.mirrored_columns(data),
        }
        with Session(self._writer) as s, s.begin():
            result = s.execute(
                update(ReportVersionRow)
                .where(
                    ReportVersionRow.version_uuid == version_uuid, ReportVersionRow.state == DRAFT
                )
                .values(values)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise KeyError(version_uuid)

    @_user_errors
    def discard_draft(self, version_uuid: str) -> None:
        """Delete a draft (never a submitted version).

        Discarding a revision makes its parent the report's latest version again.

        Raises:
            KeyError: ``version_uuid`` is no draft.
        """
        with Session(self._writer) as s, s.begin():
            row = _get_draft(s, version_uuid)
            parent, was_latest = row.parent_version_uuid, row.is_latest
            s.execute(delete(ReportVersionRow).where(ReportVersionRow.version_uuid == version_uuid))
            if parent is not None and was_latest:
                s.execute(
                    update(ReportVersionRow)
                    .where(ReportVersionRow.version_uuid == parent)
                    .values(is_latest=True)
                )

    @_user_errors
    def add_photo(self, version_uuid: str, path: Path) -> PhotoRef:
        """Copy an image into the photo folder under its SHA-256 and attach it to the draft.

        Adding a photo the draft already has returns it again without a second link.

        Raises:
            StoreError: the file is not a readable image (or the disk is full/read-only).
            KeyError: ``version_uuid`` is no draft.
        """
        path = Path(path)
        with Session(self._engine) as s:
            _get_draft(s, version_uuid)
        stored = store_photo(path, photos_dir(self._data_dir))
        ref = PhotoRef(stored.sha256, stored.size, stored.mime)
        with Session(self._writer) as s, s.begin():
            row = _get_draft(s, version_uuid)
            s.execute(
                sqlite_insert(PhotoRow)
                .values(
                    sha256=ref.sha256,
                    size=ref.size,
                    mime=ref.mime,
                    original_name=path.name[:255],
                    created_at=self.now(),
                )
                .on_conflict_do_nothing()
            )
            linked = s.get(VersionPhotoRow, (version_uuid, ref.sha256))
            if linked is not None:
                return ref
            last = s.scalar(
                select(func.coalesce(func.max(VersionPhotoRow.position), -1)).where(
                    VersionPhotoRow.version_uuid == version_uuid
                )
            )
            s.add(
                VersionPhotoRow(
                    version_uuid=version_uuid,
                    sha256=ref.sha256,
                    position=int(last if last is not None else -1) + 1,
                )
            )
            content = json.loads(row.content)
            photos = [p for p in content.get("photos") or [] if p.get("sha256") != ref.sha256]
            photos.append({"sha256": ref.sha256, "size": ref.size, "mime": ref.mime})
            content["photos"] = photos
            row.content = draft_content.dump_draft(content)
            row.updated_at = self.now()
        return ref

    @_user_errors
    def remove_photo(self, version_uuid: str, sha256: str) -> None:
        """Detach a photo from a draft (the file stays while any version uses it).

        Raises:
            KeyError: ``version_uuid`` is no draft.
        """
        with Session(self._writer) as s, s.begin():
            row = _get_draft(s, version_uuid)
            s.execute(
                delete(VersionPhotoRow).where(
                    VersionPhotoRow.version_uuid == version_uuid, VersionPhotoRow.sha256 == sha256
                )
            )
            content = json.loads(row.content)
            content["photos"] = [
                p for p in content.get("photos") or [] if p.get("sha256") != sha256
            ]
            row.content = draft_content.dump_draft(content)
            row.updated_at = self.now()

    def photo_path(self, sha256: str) -> Path:
        """Return the file path of a stored photo (``ValueError`` for a malformed hash)."""
        return photo_file(photos_dir(self._data_dir), sha256.lower())

    @_user_errors
    def previous_figures(
        self, event_uuid: str, village_code: str, before_report_uuid: str | None = None
    ) -> dict[str, Decimal] | None:
        """Return the figures of the last submitted report of this event and village.

        With ``before_report_uuid`` that report itself is left out, and so is every report
        submitted after it was first submitted.
        """
        with Session(self._engine) as s:
            return read_previous_figures(s, event_uuid, village_code, before_report_uuid)

    @_user_errors
    def check(self, version_uuid: str) -> list[Issue]:
        """Validate a draft against the shared rules, as submitting would.

        The rules see the previous report's figures and the profile's villages.  Parse problems
        come back as errors (rule ``R0``, beside the field).

        Raises:
            KeyError: no such version.
        """
        with Session(self._engine) as s:
            row = s.get(ReportVersionRow, version_uuid)
            if row is None:
                raise KeyError(version_uuid)
            content = json.loads(row.content)
            content["report_uuid"] = row.report_uuid
            _parsed, issues = _check_content(s, content, self.now_to_the_second())
            return issues

    @_user_errors
    def submit(self, version_uuid: str) -> SubmitResult:
        """Freeze the draft as a submitted version and queue it, in one transaction.

        Refused (``ok=False`` with the blocking issues) while errors or un-noted warnings
        remain.  Submitting a version that is already submitted succeeds again without a
        second outbox entry.  A blank event name gets the national style default
        (date + county + disaster type).

        Raises:
            KeyError: no such version.
        """
        with Session(self._writer) as s, s.begin():
            row = s.get(ReportVersionRow, version_uuid)
            if row is None:
                raise KeyError(version_uuid)
            if row.state != DRAFT:
                return SubmitResult(ok=True, version_uuid=version_uuid)
            data = json.loads(row.content)
            data["report_uuid"] = row.report_uuid
            parsed, issues = _check_content(s, data, self.now_to_the_second())
            if parsed is None:
                return SubmitResult(ok=False, version_uuid=version_uuid, issues=issues)
            blocking = blocking_issues(issues, parsed.notes)
            if blocking:
                return SubmitResult(ok=False, version_uuid=version_uuid, issues=blocking)
            submit_draft(s, row.version_uuid, _named(s, parsed), self.now())
            return SubmitResult(ok=True, version_uuid=version_uuid, issues=issues)

    # --- submitted versions and the list ------------------------------------------------

    @_user_errors
    def version_content(self, version_uuid: str) -> ReportContent:
        """Return the frozen content of a submitted version (``KeyError`` for a draft)."""
        with Session(self._engine) as s:
            row = s.get(ReportVersionRow, version_uuid)
            if row is None or row.state == DRAFT:
                raise KeyError(version_uuid)
            return ReportContent.from_dict(json.loads(row.content))

    @_user_errors
    def history(self, report_uuid: str) -> list[tuple[str, int, ReportState]]:
        """Return ``(version_uuid, version_no, state)`` of every version, oldest first."""
        with Session(self._engine) as s:
            rows = s.execute(
                select(
                    ReportVersionRow.version_uuid,
                    ReportVersionRow.version_no,
                    ReportVersionRow.state,
                )
                .where(ReportVersionRow.report_uuid == report_uuid)
                .order_by(ReportVersionRow.version_no)
            )
            return [(v, n, ReportState(st)) for v, n, st in rows]

    @_user_errors
    def count_reports(self, filt: ReportFilter) -> int:
        """Return the number of reports the list shows under ``filt``."""
        with Session(self._engine) as s:
            query = select(func.count()).select_from(ReportVersionRow).where(*_list_filter(filt))
            return int(s.scalar(query) or 0)

    @_user_errors
    def report_rows(self, filt: ReportFilter, offset: int, limit: int) -> list[ReportRow]:
        """Return one page of the list: each report's latest version, newest first.

        "Newest" is the creation time of the latest version, so a revised report moves up.
        Each row carries the version's review status and reason (one primary-key lookup).
        A submitted report with an open conflict (``sync_conflicts``) is in state "conflict",
        whatever its latest version's own state.
        """
        query = (
            select(
                ReportVersionRow,
                VersionReviewRow.status,
                VersionReviewRow.reason,
                _open_conflict(),
                ServerVersionRow.filing_role,
                ServerVersionRow.acting_for_name,
            )
            .outerjoin(
                VersionReviewRow, VersionReviewRow.version_uuid == ReportVersionRow.version_uuid
            )
            .outerjoin(
                ServerVersionRow, ServerVersionRow.version_uuid == ReportVersionRow.version_uuid
            )
            .where(*_list_filter(filt))
            .order_by(ReportVersionRow.created_at.desc(), ReportVersionRow.version_uuid.desc())
            .offset(max(offset, 0))
            .limit(max(limit, 0))
        )
        with Session(self._engine) as s:
            return [
                _report_row(r, status, reason, conflicted, (said, acting_for))
                for r, status, reason, conflicted, said, acting_for in s.execute(query)
            ]

    def latest_submitted(self) -> Iterator[tuple[int, ReportState, ReportContent]]:
        """Yield each report's latest submitted version, in the order they were submitted.

        ``(version_no, state, content)``; the read stays open while the caller iterates.
        """
        newer = aliased(ReportVersionRow)
        query = (
            select(ReportVersionRow.version_no, ReportVersionRow.state, ReportVersionRow.content)
            .where(
                ReportVersionRow.state != DRAFT,
                ~select(newer.version_uuid)
                .where(
                    newer.report_uuid == ReportVersionRow.report_uuid,
                    newer.state != DRAFT,
                    newer.version_no > ReportVersionRow.version_no,
                )
                .exists(),
            )
            .order_by(
                ReportVersionRow.submitted_at,
                ReportVersionRow.created_at,
                ReportVersionRow.version_uuid,
            )
        )
        with Session(self._engine) as s:
            for version_no, state, content in s.execute(query):
                yield version_no, ReportState(state), ReportContent.from_dict(json.loads(content))

    @_user_errors
    def set_state(self, version_uuid: str, state: ReportState, message: str | None = None) -> None:
        """Record a submitted version's send state.

        The sync engine's hook; the demo uses it to show every state.  ``message`` is the
        server's word for ``error``/``conflict``.

        The outbox follows: ``sending`` counts an attempt, ``error`` keeps the entry with the
        message, ``received`` and ``conflict`` remove it, ``queued`` puts it back.

        Raises:
            KeyError: ``version_uuid`` is no submitted version.
            ValueError: ``state`` is ``draft`` (a frozen version never thaws).
        """
        state = ReportState(state)
        if state is ReportState.DRAFT:
            raise ValueError("a submitted version cannot become a draft")
        with Session(self._writer) as s, s.begin():
            if not _apply_state(s, version_uuid, state, message, self.now(), signer(s)):
                raise KeyError(version_uuid)

    @_user_errors
    def set_states(self, changes: Sequence[tuple[str, ReportState, str | None]]) -> int:
        """Record many send states at once, in one transaction (``set_state`` semantics).

        Versions that are drafts or unknown are left out; returns how many were changed.
        """
        with Session(self._writer) as s, s.begin():
            return apply_states(s, changes, self.now())

    @_user_errors
    def state_log(self, version_uuid: str) -> list[StateChange]:
        """Return every recorded state change of a submitted version, oldest first."""
        with Session(self._engine) as s:
            rows = s.scalars(
                select(StateChangeRow)
                .where(StateChangeRow.version_uuid == version_uuid)
                .order_by(StateChangeRow.id)
            )
            return [
                StateChange(
                    state=ReportState(r.state),
                    changed_at=r.changed_at,
                    message=r.message,
                    informant_name=r.informant_name,
                    role=PostRole(r.role) if r.role else None,
                )
                for r in rows
            ]

    @_user_errors
    def state_counts(self) -> dict[ReportState, int]:
        """Return the number of reports in each state (every state present, zeros included).

        As on the list, a submitted report with an open conflict counts as "conflict".
        """
        counts = dict.fromkeys(ReportState, 0)
        with Session(self._engine) as s:
            rows = s.execute(
                select(ReportVersionRow.state, func.count())
                .where(ReportVersionRow.is_latest.is_(True))
                .group_by(ReportVersionRow.state)
            )
            for state, n in rows:
                counts[ReportState(state)] = int(n)
            # The few reports whose open conflict overrides their own state (indexed lookups).
            moved = {
                report: state
                for report, state in s.execute(
                    select(ReportVersionRow.report_uuid, ReportVersionRow.state)
                    .join(ConflictRow, ConflictRow.report_uuid == ReportVersionRow.report_uuid)
                    .where(
                        ConflictRow.resolved_at.is_(None),
                        ReportVersionRow.is_latest.is_(True),
                        ReportVersionRow.state.not_in((DRAFT, ReportState.CONFLICT.value)),
                    )
                )
            }
            for state in moved.values():
                counts[ReportState(state)] -= 1
                counts[ReportState.CONFLICT] += 1
        return counts

    @_user_errors
    def device_and_last_attempt(self) -> tuple[str | None, datetime | None]:
        """Return this device's sync id and its last sync attempt (``None`` before the first)."""
        with Session(self._engine) as s:
            state = read_state(s)
            if state is None:
                return None, None
            return state.device_id, state.last_attempt_at

    @_user_errors
    def outbox_size(self) -> int:
        """Return the number of versions waiting in the outbox."""
        with Session(self._engine) as s:
            return int(s.scalar(select(func.count()).select_from(OutboxRow)) or 0)


# --- helpers shared with the import (one session, no transactions of their own) -------------


def _default_village(s: Session) -> str:
    profile = read_profile(s)
    return profile.village_codes[0] if profile and profile.village_codes else ""


def _event_fields(s: Session, event_uuid: str) -> dict[str, Any]:
    """Return the event keys of a new report of ``event_uuid``; ``KeyError`` when unknown."""
    event = s.get(EventRow, event_uuid)
    if event is not None:
        return {
            "event_uuid": event.event_uuid,
            "event_name": event.name,
            "disaster_type": event.disaster_type,
            "disaster_subtype": event.disaster_subtype,
            "occurred_at": format_time(event.occurred_at),
        }
    # An event not yet submitted: take it from its newest draft.
    content = s.scalar(
        select(ReportVersionRow.content)
        .where(ReportVersionRow.event_uuid == event_uuid)
        .order_by(ReportVersionRow.created_at.desc())
        .limit(1)
    )
    if content is None:
        raise KeyError(event_uuid)
    data = json.loads(content)
    return {k: data.get(k) for k in draft_content.EVENT_KEYS} | {"event_uuid": event_uuid}


def _insert_draft(s: Session, content: dict[str, Any], now: datetime) -> Draft:
    columns = draft_content.mirrored_columns(content)
    row = ReportVersionRow(
        version_uuid=_new_uuid(),
        report_uuid=content["report_uuid"],
        parent_version_uuid=None,
        version_no=1,
        is_latest=True,
        event_uuid=columns.get("event_uuid", ""),
        village_code=columns.get("village_code", ""),
        stage=columns.get("stage", ReportStage.INITIAL.value),
        content=draft_content.dump_draft(content),
        content_hash=None,
        state=DRAFT,
        error_message=None,
        created_at=now,
        updated_at=now,
        submitted_at=None,
    )
    s.add(row)
    s.flush()
    return _draft_of(row)


def _draft_of(row: ReportVersionRow) -> Draft:
    return Draft(
        version_uuid=row.version_uuid,
        report_uuid=row.report_uuid,
        parent_version_uuid=row.parent_version_uuid,
        content=json.loads(row.content),
        updated_at=row.updated_at,
    )


def _get_draft(s: Session, version_uuid: str) -> ReportVersionRow:
    row = s.get(ReportVersionRow, version_uuid)
    if row is None or row.state != DRAFT:
        raise KeyError(version_uuid)
    return row


def _last_submitted(
    s: Session, event_uuid: str, village_code: str, before_report_uuid: str | None
) -> dict[str, Any] | None:
    """Return the content of the last submitted report of an event and village."""
    conditions: list[ColumnElement[bool]] = [
        ReportVersionRow.event_uuid == event_uuid,
        ReportVersionRow.village_code == village_code,
        ReportVersionRow.state != DRAFT,
    ]
    if before_report_uuid is not None:
        conditions.append(ReportVersionRow.report_uuid != before_report_uuid)
        first = s.scalar(
            select(func.min(ReportVersionRow.submitted_at)).where(
                ReportVersionRow.report_uuid == before_report_uuid, ReportVersionRow.state != DRAFT
            )
        )
        if first is not None:
            conditions.append(ReportVersionRow.submitted_at < first)
    content = s.scalar(
        select(ReportVersionRow.content)
        .where(*conditions)
        .order_by(ReportVersionRow.submitted_at.desc(), ReportVersionRow.version_no.desc())
        .limit(1)
    )
    return None if content is None else dict(json.loads(content))


def read_previous_figures(
    s: Session, event_uuid: str, village_code: str, before_report_uuid: str | None
) -> dict[str, Decimal] | None:
    previous = _last_submitted(s, event_uuid, village_code, before_report_uuid)
    if previous is None:
        return None
    return dict(ReportContent.from_dict(previous).figures)


def validation_context(
    s: Session,
    content: ReportContent,
    now: datetime,
    previous_figures: Mapping[str, Decimal] | None,
) -> ValidationContext:
    """Return the rules' context on this device: the synced divisions, the profile's villages.

    The clock skew the last sync measured lets rule 10 name a device clock that is off.
    """
    profile = read_profile(s)
    state = read_state(s)
    return ValidationContext(
        previous_figures=previous_figures,
        now=now,
        divisions=table_of(s),
        allowed_villages=frozenset(profile.village_codes) if profile is not None else None,
        clock_skew_seconds=state.clock_skew_seconds if state is not None else None,
    )


def _check_content(
    s: Session, data: Mapping[str, Any], now: datetime
) -> tuple[ReportContent | None, list[Issue]]:
    """Validate a draft: its parse problems first, then every rule on what did parse.

    Returns the content only when it parsed cleanly (submitting needs that).
    """
    result = draft_content.parse_leniently(data, now)
    content = result.stand_in
    previous = read_previous_figures(
        s, content.event_uuid, content.village_code, content.report_uuid
    )
    rule_issues = [
        issue
        for issue in validate(content, validation_context(s, content, now, previous))
        if issue.field not in result.patched  # no rule noise about a stand-in value
    ]
    return result.content, [*result.problems, *rule_issues]


def _named(s: Session, content: ReportContent) -> ReportContent:
    """Return ``content`` with an event name: the event's, or the national default."""
    if content.event_name.strip():
        return content
    event = s.get(EventRow, content.event_uuid)
    known = event.name if event is not None else cached_event_name(s, content.event_uuid)
    if known is not None:
        return replace(content, event_name=known)
    taken = open_event_names(s)  # another open event of the area: never the same name
    name = draft_content.default_event_name(content, table_of(s), taken)
    return replace(content, event_name=name)


def apply_states(
    s: Session, changes: Sequence[tuple[str, ReportState, str | None]], now: datetime
) -> int:
    """Record send states of frozen versions in the caller's transaction; see ``set_state``.

    Returns how many versions changed (drafts and unknown ids are skipped).  A list that
    names each version once (a push batch) is written with one multi-row statement per kind
    of change; a list naming a version twice takes the statement-per-change path, in order.
    """
    who = signer(s)
    checked = [
        (version_uuid, ReportState(state), message) for version_uuid, state, message in changes
    ]
    if any(state is ReportState.DRAFT for _, state, _ in checked):
        raise ValueError("a submitted version cannot become a draft")
    if len({version_uuid for version_uuid, _, _ in checked}) != len(checked):
        return sum(_apply_state(s, *change, now, who) for change in checked)
    frozen: set[str] = set()
    ids = [version_uuid for version_uuid, _, _ in checked]
    for start in range(0, len(ids), 500):
        frozen.update(
            s.scalars(
                select(ReportVersionRow.version_uuid).where(
                    ReportVersionRow.version_uuid.in_(ids[start : start + 500]),
                    ReportVersionRow.state != DRAFT,
                )
            )
        )
    todo = [change for change in checked if change[0] in frozen]
    if not todo:
        return 0
    versions = cast(Table, ReportVersionRow.__table__)
    outbox = cast(Table, OutboxRow.__table__)
    kept = [
        (v, state, message if state in (ReportState.ERROR, ReportState.CONFLICT) else None)
        for v, state, message in todo
    ]
    s.execute(
        update(versions)
        .where(versions.c.version_uuid == bindparam("b_version"), versions.c.state != DRAFT)
        .values(state=bindparam("b_state"), error_message=bindparam("b_message"), updated_at=now),
        [
            {"b_version": v, "b_state": state.value, "b_message": message}
            for v, state, message in kept
        ],
    )
    settled = [{"b_version": v} for v, state, _ in todo if state in SETTLED_STATES]
    if settled:
        s.execute(delete(outbox).where(outbox.c.version_uuid == bindparam("b_version")), settled)
    queued = [
        {"version_uuid": v, "created_at": now, "attempts": 0}
        for v, state, _ in todo
        if state is ReportState.QUEUED
    ]
    if queued:
        s.execute(
            sqlite_insert(outbox).on_conflict_do_nothing(index_elements=["version_uuid"]), queued
        )
    sending = [{"b_version": v} for v, state, _ in todo if state is ReportState.SENDING]
    if sending:
        s.execute(
            update(outbox)
            .where(outbox.c.version_uuid == bindparam("b_version"))
            .values(attempts=outbox.c.attempts + 1),
            sending,
        )
    failed = [
        {"b_version": v, "b_error": message}
        for v, state, message in todo
        if state is ReportState.ERROR
    ]
    if failed:
        s.execute(
            update(outbox)
            .where(outbox.c.version_uuid == bindparam("b_version"))
            .values(last_error=bindparam("b_error")),
            failed,
        )
    s.execute(
        insert(cast(Table, StateChangeRow.__table__)),
        [
            {
                "version_uuid": v,
                "state": state.value,
                "message": message,
                "changed_at": now,
                "informant_name": who[0],
                "role": who[1],
            }
            for v, state, message in kept
        ],
    )
    return len(todo)


def _apply_state(
    s: Session,
    version_uuid: str,
    state: ReportState,
    message: str | None,
    now: datetime,
    who: tuple[str | None, str | None],
) -> int:
    """Record one send state (the statement-per-change path of ``apply_states``)."""
    keeps_message = state in (ReportState.ERROR, ReportState.CONFLICT)
    kept = message if keeps_message else None
    result = s.execute(
        update(ReportVersionRow)
        .where(ReportVersionRow.version_uuid == version_uuid, ReportVersionRow.state != DRAFT)
        .values(state=state.value, error_message=kept, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return 0
    if state in SETTLED_STATES:
        s.execute(delete(OutboxRow).where(OutboxRow.version_uuid == version_uuid))
    elif state is ReportState.QUEUED:
        s.execute(
            sqlite_insert(OutboxRow)
            .values(
                version_uuid=version_uuid,
                created_at=now,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["version_uuid"])
        )
    elif state is ReportState.SENDING:
        s.execute(
            update(OutboxRow)
            .where(OutboxRow.version_uuid == version_uuid)
            .values(attempts=OutboxRow.attempts + 1)
        )
    elif state is ReportState.ERROR:
        s.execute(
            update(OutboxRow)
            .where(OutboxRow.version_uuid == version_uuid)
            .values(last_error=message)
        )
    log_state(s, version_uuid, state, kept, now, who)
    return 1


def _open_conflict() -> ColumnElement[bool]:
    """Whether a (latest) version shows as "conflict": submitted, its report in conflict.

    An indexed lookup per row (``ix_sync_conflicts_report``); drafts keep their state.
    """
    return and_(
        ReportVersionRow.state != DRAFT,
        exists().where(
            ConflictRow.report_uuid == ReportVersionRow.report_uuid,
            ConflictRow.resolved_at.is_(None),
        ),
    )


def _state_is(state: ReportState) -> ColumnElement[bool]:
    """Whether a latest version is in ``state`` as the list shows it (open conflicts first)."""
    if state is ReportState.DRAFT:
        return ReportVersionRow.state == DRAFT
    if state is ReportState.CONFLICT:
        return or_(ReportVersionRow.state == state.value, _open_conflict())
    return and_(ReportVersionRow.state == state.value, ~_open_conflict())


def _list_filter(filt: ReportFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [ReportVersionRow.is_latest.is_(True)]
    if filt.event_uuid is not None:
        conditions.append(ReportVersionRow.event_uuid == filt.event_uuid)
    if filt.stage is not None:
        conditions.append(ReportVersionRow.stage == ReportStage(filt.stage).value)
    if filt.state is not None:
        conditions.append(_state_is(ReportState(filt.state)))
    if filt.review_status is not None:
        review = aliased(VersionReviewRow)  # the page query joins the table itself
        conditions.append(
            exists().where(
                review.version_uuid == ReportVersionRow.version_uuid,
                review.status == filt.review_status,
            )
        )
    return conditions


def _figure(figures: Mapping[str, Any], name: str) -> Decimal | None:
    value = figures.get(name)
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _report_row(
    row: ReportVersionRow,
    review_status: str | None = None,
    review_reason: str | None = None,
    conflicted: bool = False,
    server_filing: tuple[str | None, str | None] = (None, None),
) -> ReportRow:
    content = json.loads(row.content)
    said = parse_filing_role(server_filing[0])
    filing = said or parse_filing_role(row.filing_role)
    acting_for = server_filing[1] if said is not None else row.acting_for_name
    figures = content.get("figures") if isinstance(content.get("figures"), dict) else {}
    photos = content.get("photos") if isinstance(content.get("photos"), list) else []
    return ReportRow(
        report_uuid=row.report_uuid,
        version_uuid=row.version_uuid,
        version_no=row.version_no,
        event_uuid=row.event_uuid,
        event_name=str(content.get("event_name") or ""),
        stage=ReportStage(row.stage),
        disaster_type=str(content.get("disaster_type") or ""),
        village_code=row.village_code,
        state=ReportState.CONFLICT if conflicted else ReportState(row.state),
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        affected_pop=_figure(figures, "affected_pop"),
        deaths=_figure(figures, "deaths"),
        direct_loss=_figure(figures, "direct_loss"),
        photo_count=len(photos),
        error_message=row.error_message,
        review_status=review_status,
        review_reason=review_reason,
        filing_role=filing,
        acting_for_name=acting_for,
    )
