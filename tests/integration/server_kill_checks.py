"""What "no half-written item" means on the city server, checked on its database and photo folder.

A pushed batch writes, in one transaction: ``report_versions`` rows, the ``reports`` row of a
first version (or a moved ``current_version_uuid``), ``version_photos`` rows (one per photo the
content lists) and one ``change_log`` row per version.  A photo chunk appends to
``<sha>.part`` (fsynced) in a transaction that holds the ``photos`` row; the last chunk is
verified and renamed to ``<sha>``.  ``violations`` returns every broken rule (empty when the
store is whole); the SQL is plain enough for SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from informant_app.core.store.report_store import ReportStore
from sync.server.settings import normalize_database_url
from tests.integration.helpers import report_record

#: name -> a query returning the offending rows (none when the rule holds).
RULES: dict[str, str] = {
    "version without exactly one change-feed row": """
        SELECT v.version_uuid FROM report_versions v
        WHERE (SELECT COUNT(*) FROM change_log c
               WHERE c.kind = 'report_version' AND c.ref = v.version_uuid) <> 1""",
    "change-feed row without its version": """
        SELECT c.seq FROM change_log c
        LEFT JOIN report_versions v ON v.version_uuid = c.ref
        WHERE c.kind = 'report_version' AND v.version_uuid IS NULL""",
    "change-feed row of another village than its version": """
        SELECT c.seq FROM change_log c JOIN report_versions v ON v.version_uuid = c.ref
        WHERE c.kind = 'report_version' AND c.division_code <> v.village_code""",
    "version without its report": """
        SELECT v.version_uuid FROM report_versions v
        LEFT JOIN reports r ON r.report_uuid = v.report_uuid
        WHERE r.report_uuid IS NULL""",
    "report whose current version is missing": """
        SELECT r.report_uuid FROM reports r
        LEFT JOIN report_versions v
          ON v.version_uuid = r.current_version_uuid AND v.report_uuid = r.report_uuid
        WHERE v.version_uuid IS NULL""",
    "report whose first version is missing": """
        SELECT r.report_uuid FROM reports r
        LEFT JOIN report_versions v
          ON v.version_uuid = r.first_version_uuid AND v.report_uuid = r.report_uuid
        WHERE v.version_uuid IS NULL""",
    "photo link without its version": """
        SELECT p.version_uuid FROM version_photos p
        LEFT JOIN report_versions v ON v.version_uuid = p.version_uuid
        WHERE v.version_uuid IS NULL""",
    "version stored as a conflict (each report here has one version)": """
        SELECT version_uuid FROM report_versions WHERE status <> 'accepted'""",
    "change-feed sequence number used twice": """
        SELECT seq FROM change_log GROUP BY seq HAVING COUNT(*) > 1""",
}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ServerStore:
    """The city server's database and photo folder, read directly (the server may be dead)."""

    def __init__(self, db_url: str, photos: Path) -> None:
        self.engine = create_engine(normalize_database_url(db_url))
        self.photos = photos

    def close(self) -> None:
        self.engine.dispose()

    def rows(self, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params).all()]

    def version_uuids(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT version_uuid FROM report_versions")]

    def violations(self, originals: dict[str, bytes]) -> list[str]:
        """Return every broken rule; ``originals`` are the devices' photo bytes by SHA-256."""
        found = []
        for name, sql in RULES.items():
            bad = self.rows(sql)
            if bad:
                found.append(f"{name}: {len(bad)}, e.g. {bad[:3]}")
        links: dict[str, set[str]] = {}
        for version, sha in self.rows("SELECT version_uuid, sha256 FROM version_photos"):
            links.setdefault(version, set()).add(sha)
        for version, village, content_json, digest in self.rows(
            "SELECT version_uuid, village_code, content_json, content_hash FROM report_versions"
        ):
            if hashlib.sha256(content_json.encode()).hexdigest() != digest:
                found.append(f"version {version}: content does not match its hash")
                continue
            content = json.loads(content_json)
            if content.get("village_code") != village:
                found.append(f"version {version}: village differs from its content")
            listed = {p["sha256"] for p in content.get("photos") or []}
            if listed != links.get(version, set()):
                found.append(f"version {version}: photo links {links.get(version)} != {listed}")
        found += self._photo_violations(originals)
        return found

    def _photo_violations(self, originals: dict[str, bytes]) -> list[str]:
        found = []
        rows = {
            sha: (size, bool(complete))
            for sha, size, complete in self.rows("SELECT sha256, size, complete FROM photos")
        }
        for sha, (size, complete) in rows.items():
            final = self.photos / sha
            if complete and not final.exists():
                found.append(f"photo {sha[:12]}: complete without its file")
            if sha in originals and size != len(originals[sha]):
                found.append(f"photo {sha[:12]}: declared size {size} is wrong")
        files = sorted(self.photos.iterdir()) if self.photos.exists() else []
        for path in files:
            # A photo is ``<sha>``; an unfinished upload ``<sha>.<device>.part`` (one per device).
            sha = path.name.split(".", 1)[0]
            if path.suffix == ".part":
                data = path.read_bytes()
                if sha not in originals or not originals[sha].startswith(data):
                    found.append(f"photo part {sha[:12]}: {len(data)} bytes not the photo's start")
            elif sha256_file(path) != sha or path.stat().st_size != len(originals.get(sha, b"")):
                found.append(f"photo {sha[:12]}: the stored file is not the photo")
        return found


def photo_bytes(seed: int, size: int) -> bytes:
    """Return an image's bytes (PNG signature, random body) of ``size`` bytes."""
    return b"\x89PNG\r\n\x1a\n" + random.Random(seed).randbytes(size - 8)


def file_with_photos(
    store: ReportStore,
    folder: Path,
    n: int,
    photos: int,
    seed: int,
    village: str = "530502208201",
    sizes: tuple[int, int] = (20_000, 80_000),
) -> list[str]:
    """Submit ``n`` reports with ``photos`` new photos each; return their version ids."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        draft = store.new_draft()
        record = report_record(village, rng)
        record["report_uuid"] = draft.report_uuid
        store.save_draft(draft.version_uuid, record)
        for k in range(photos):
            path = folder / f"photo-{seed}-{i}-{k}.png"
            path.write_bytes(photo_bytes(seed * 1000 + i * 10 + k, rng.randint(*sizes)))
            store.add_photo(draft.version_uuid, path)
        result = store.submit(draft.version_uuid)
        assert result.ok, result.issues
        out.append(draft.version_uuid)
    return out
