"""Photo uploads in the local store: which photos the server may still miss, and how far each got.

A photo is identified by its SHA-256; ``photo_uploads`` keeps how many bytes the server
holds, whether it is complete, and why it was refused.  Only photos of versions the server
has (received or conflict) are to be sent: figures go first.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from informant_app.core.store.models import (
    PhotoRow,
    PhotoUploadRow,
    ReportVersionRow,
    VersionPhotoRow,
)
from informant_app.core.store.report_store import ReportStore
from informant_app.core.store.sync_state import now_utc
from informant_app.core.store.types import ReportState
from informant_app.core.sync.types import PhotoProgress

ON_SERVER = (ReportState.RECEIVED.value, ReportState.CONFLICT.value)
NOT_SENT_STATES = (
    ReportState.QUEUED.value,
    ReportState.SENDING.value,
    ReportState.RECEIVED.value,
    ReportState.CONFLICT.value,
)


def photos_to_send(store: ReportStore) -> list[tuple[str, int]]:
    """Return ``(sha256, size)`` of photos the server may not hold yet, oldest report first."""
    first_use = func.min(ReportVersionRow.created_at)
    with Session(store.engine) as s:
        rows = s.execute(
            select(VersionPhotoRow.sha256, PhotoRow.size)
            .join(ReportVersionRow, ReportVersionRow.version_uuid == VersionPhotoRow.version_uuid)
            .join(PhotoRow, PhotoRow.sha256 == VersionPhotoRow.sha256)
            .outerjoin(PhotoUploadRow, PhotoUploadRow.sha256 == VersionPhotoRow.sha256)
            .where(
                ReportVersionRow.state.in_(ON_SERVER),
                func.coalesce(PhotoUploadRow.complete, False).is_(False),
                PhotoUploadRow.error_message.is_(None),
            )
            .group_by(VersionPhotoRow.sha256, PhotoRow.size)
            .order_by(first_use, VersionPhotoRow.sha256)
        ).all()
    return [(sha, int(size)) for sha, size in rows]


def pending_count(s: Session) -> int:
    """Return how many photos of submitted versions the server does not hold in full."""
    query = (
        select(func.count(func.distinct(VersionPhotoRow.sha256)))
        .join(ReportVersionRow, ReportVersionRow.version_uuid == VersionPhotoRow.version_uuid)
        .outerjoin(PhotoUploadRow, PhotoUploadRow.sha256 == VersionPhotoRow.sha256)
        .where(
            ReportVersionRow.state.in_(NOT_SENT_STATES),
            func.coalesce(PhotoUploadRow.complete, False).is_(False),
        )
    )
    return int(s.scalar(query) or 0)


def progress(store: ReportStore, version_uuid: str) -> PhotoProgress:
    """Return how many of the version's photos the server holds in full.

    Raises:
        KeyError: no such version.
    """
    with Session(store.engine) as s:
        content = s.scalar(
            select(ReportVersionRow.content).where(ReportVersionRow.version_uuid == version_uuid)
        )
        if content is None:
            raise KeyError(version_uuid)
        photos = json.loads(content).get("photos") or []
        hashes = {str(p.get("sha256", "")).lower() for p in photos if isinstance(p, dict)}
        if not hashes:
            return PhotoProgress(0, 0)
        done = (
            s.scalar(
                select(func.count())
                .select_from(PhotoUploadRow)
                .where(PhotoUploadRow.sha256.in_(hashes), PhotoUploadRow.complete.is_(True))
            )
            or 0
        )
        return PhotoProgress(int(done), len(hashes))


def record_upload(
    store: ReportStore, sha: str, size: int, received: int, complete: bool, error: str | None = None
) -> None:
    """Keep how far a photo's upload got (and why the server refused it, if it did)."""
    values = {
        "size": size,
        "received": received,
        "complete": complete,
        "error_message": error,
        "updated_at": now_utc(),
    }
    with store.write_session() as s, s.begin():
        s.execute(
            sqlite_insert(PhotoUploadRow)
            .values(sha256=sha, **values)
            .on_conflict_do_update(index_elements=["sha256"], set_=values)
        )
