"""Server settings, read from the environment (prefix ``CITY_``) by pydantic-settings.

``DATABASE_URL`` is accepted beside ``CITY_DATABASE_URL``.  Without either, the server uses a
SQLite file in the per-user data folder (``platformdirs.user_data_dir("city-server")``), so a
trial needs no set-up.  Photos live in a folder beside the database unless ``CITY_PHOTO_DIR``
says otherwise.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Any

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sync.contract.deadlines import LevelDeadlineSettings
from sync.contract.duty import DeadlineSettings

MIB = 1024 * 1024


def default_data_dir() -> Path:
    """Return the per-user folder of the embedded database and its photos."""
    return Path(user_data_dir("city-server", appauthor=False))


def normalize_database_url(url: str) -> str:
    """Return ``url`` with the SQLAlchemy driver spelled out (psycopg 3 for PostgreSQL).

    ``postgres://`` and ``postgresql://`` become ``postgresql+psycopg://``; a bare file path
    becomes a SQLite URL.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


class Settings(BaseSettings):
    """Everything the server can be told; defaults suit a trial on one machine."""

    model_config = SettingsConfigDict(env_prefix="CITY_", populate_by_name=True, extra="ignore")

    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("database_url", "CITY_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; default: a SQLite file in the data folder.",
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    photo_dir: Path | None = Field(
        default=None, description="Photo folder; default: 'photos' beside the SQLite file."
    )
    token_ttl_days: float = 30.0
    token_idle_days: float = Field(
        default=21.0,
        gt=0,
        description="A token not used for this long stops working (401 token_expired); "
        "a device that syncs weekly never reaches it.",
    )
    login_slowdown_after: int = 3
    login_slowdown_max_seconds: float = 2.0
    login_hash_workers: int = Field(
        default=1, ge=1, description="Threads that check sign-in passwords (Argon2) at once."
    )
    login_hash_queue: int = Field(
        default=4,
        ge=0,
        description="Sign-ins that may wait for a hashing thread; beyond it 429 at once.",
    )
    login_window_minutes: float = Field(
        default=15.0, gt=0, description="The window in which failed sign-ins count."
    )
    login_free_failures_per_name: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins for one user name (known or not) in the window before "
        "further tries are slowed (429 too_many_attempts), except from the account's known "
        "devices.",
    )
    login_free_failures_per_address: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one client address in the window before further "
        "tries from it are slowed, except from known devices.",
    )
    login_wait_max_seconds: float = Field(
        default=120.0,
        gt=0,
        description="The longest wait a slowed sign-in is told (it doubles from 5 s).",
    )
    login_refusal_pause_seconds: float = Field(
        default=0.5,
        ge=0,
        description="A sign-in answered 429 (slowed or busy) is answered after this pause, "
        "which holds no thread: a client that repeats at once gets fewer answers a second.",
    )
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    photo_max_bytes: int = 10 * MIB
    photo_partial_max_uploads: int = Field(
        default=20,
        ge=1,
        description="Unfinished photo uploads one account may have open at once (429 above).",
    )
    photo_partial_max_bytes: int = Field(
        default=100 * MIB,
        ge=1,
        description="Bytes (declared sizes) of one account's unfinished photo uploads (429 above).",
    )
    photo_partial_ttl_hours: float = Field(
        default=24.0,
        gt=0,
        description="An unfinished photo upload idle this long is removed with its bytes.",
    )
    batch_max_bytes: int = 5 * MIB
    request_max_bytes: int = 1 * MIB
    batch_max_items: int = 1000
    quota_version_bytes: int = Field(
        default=20 * MIB,
        ge=0,
        description="Bytes of report versions (canonical JSON) one account may have accepted "
        "in any 24 hours; beyond it a pushed version is answered 'quota' and stays queued on "
        "the device.",
    )
    quota_versions: int = Field(
        default=2000,
        ge=0,
        description="Report versions one account may have accepted in any 24 hours (see "
        "quota_version_bytes).",
    )
    page_max: int = 1000
    db_pool_size: int = Field(
        default=8,
        ge=1,
        description=(
            "PostgreSQL connections kept per server process; workers × (pool + overflow) must "
            "stay below the database's max_connections."
        ),
    )
    db_max_overflow: int = Field(
        default=4, ge=0, description="Extra connections per process under load."
    )
    db_pool_timeout: float = Field(
        default=8.0,
        gt=0,
        description=(
            "Seconds a request waits for a free PostgreSQL connection before it is answered "
            "503 with Retry-After; below the app's 15 s read timeout, so a device under a "
            "returning herd backs off on the server's word instead of timing out."
        ),
    )
    max_in_flight: int = Field(
        default=24,
        ge=1,
        description=(
            "Requests one server process serves at once; beyond, it answers 503 busy at once "
            "with a Retry-After (sign-ins and /health are not counted).  Twice the pool "
            "(pool + overflow): enough to keep every connection working, few enough that a "
            "returning herd never queues past the app's 15 s read timeout."
        ),
    )
    busy_retry_min_s: int = Field(
        default=5, ge=1, description="Least Retry-After seconds of a busy answer."
    )
    busy_retry_max_s: int = Field(
        default=30,
        ge=1,
        description="Most Retry-After seconds of a busy answer (drawn uniformly in between).",
    )
    migrate_on_start: bool = True
    debug_worker_pid: bool = False
    api_docs: bool = Field(
        default=False,
        description="Serve FastAPI's /docs and /redoc pages (they load scripts from a CDN); "
        "/openapi.json is always served.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For "
        "header names the real client (serve --trusted-proxy); default: none, the header is "
        "ignored.",
    )
    provision_ttl_hours: float = Field(
        default=168.0,
        gt=0,
        description="A set-up code works this long after it is issued (default 7 days).",
    )
    public_url: str | None = Field(
        default=None,
        description="The server's address as devices reach it (CITY_PUBLIC_URL, e.g. "
        "https://zaiqing.example.cn), written into set-up texts; default: the scheme and "
        "Host of the request that issued the code, used only when the Host is a plain "
        "host[:port] (else the text has no server line).",
    )
    provision_failures_max: int = Field(
        default=10,
        gt=0,
        description="Failed set-up code tries from one device (client address and "
        "device_id) within the window before it is refused for a while (429).",
    )
    provision_failures_per_address_max: int = Field(
        default=100,
        gt=0,
        description="Failed set-up code tries from one client address, all devices together, "
        "within the window before it is refused for a while (429); larger than "
        "provision_failures_max, which counts per address and device.",
    )
    provision_failures_minutes: float = Field(
        default=15.0, gt=0, description="The window in which failed set-up code tries count."
    )
    deadline_initial_minutes: int = Field(
        default=60,
        gt=0,
        description="An opened village's initial report is due this long after the opening.",
    )
    deadline_continuing_due: time = Field(
        default=time(8, 0),
        description="A continuing report is due every day by this time (China time, HH:MM).",
    )
    deadline_escalate_fraction: float = Field(
        default=0.5,
        gt=0.0,
        le=1.0,
        description="A window not filed by this fraction of "
        "its span is escalated (B alerted, the township sees it flagged).",
    )
    deadline_levels: dict[str, Any] = Field(
        default_factory=dict,
        description="Deadlines of the township, county and city reports, counted from the "
        "event's occurrence (JSON, `LevelDeadlineSettings.to_wire` form; what is left out "
        "keeps its default: township 60 min, county and city 120 min; continuing due 08:00, "
        "09:00, 10:00; drought every 10 days; verified 2, 2, 3 days after it is stable).",
    )
    tls_certfile: Path | None = Field(
        default=None,
        description="`serve` speaks https with this PEM certificate (chain); "
        "needs tls_keyfile. Devices trust it through the system or the city's CA file.",
    )
    tls_keyfile: Path | None = Field(
        default=None, description="The private key of tls_certfile (PEM)."
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        """Read ``CITY_TRUSTED_PROXIES`` as a comma-separated list of addresses or CIDRs."""
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def deadlines(self) -> DeadlineSettings:
        """Return the deadline settings (sent to devices with every event opening)."""
        return DeadlineSettings(
            self.deadline_initial_minutes,
            self.deadline_continuing_due,
            self.deadline_escalate_fraction,
        )

    @property
    def level_deadlines(self) -> LevelDeadlineSettings:
        """Return the deadlines of every level (the village's from the settings above)."""
        default = LevelDeadlineSettings().to_wire()
        given = dict(self.deadline_levels)
        levels = dict(default["levels"])
        levels["village"] = {
            **levels["village"],
            "initial_minutes": self.deadline_initial_minutes,
            "continuing_due": self.deadline_continuing_due.strftime("%H:%M"),
        }
        for name, values in dict(given.pop("levels", None) or {}).items():
            if name in levels and isinstance(values, dict):
                levels[name] = {**levels[name], **values}
        return LevelDeadlineSettings.from_wire(
            {
                **default,
                "escalate_fraction": self.deadline_escalate_fraction,
                **given,
                "levels": levels,
            }
        )

    @property
    def url(self) -> str:
        """Return the normalized database URL."""
        if self.database_url:
            return normalize_database_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'city-server.db'}"

    @property
    def photos_path(self) -> Path:
        """Return the photo folder: the setting, or ``photos`` beside a SQLite file."""
        if self.photo_dir is not None:
            return self.photo_dir
        url = self.url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            return Path(url.removeprefix("sqlite:///")).parent / "photos"
        return self.data_dir / "photos"
