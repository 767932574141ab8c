"""Request dependencies: settings, database sessions, the clock, and the signed-in caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from sync.server.db import Database
from sync.server.errors import NOT_AUTHENTICATED, ApiError
from sync.server.jurisdiction import Caller
from sync.server.security import Passwords
from sync.server.services.auth import authenticate_request
from sync.server.services.photos import PhotoStore
from sync.server.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/v1/auth/login.")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_passwords(request: Request) -> Passwords:
    passwords: Passwords = request.app.state.passwords
    return passwords


def get_photos(request: Request) -> PhotoStore:
    photos: PhotoStore = request.app.state.photos
    return photos


def get_clock(request: Request) -> Callable[[], datetime]:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


def get_now(clock: Annotated[Callable[[], datetime], Depends(get_clock)]) -> datetime:
    """Return the current UTC time by the app's clock (movable in tests)."""
    return clock()


def read_session(db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    """Yield a read-only session for the request."""
    with db.read_session() as session:
        yield session


def current_caller(
    db: Annotated[Database, Depends(get_db)],
    settings: Annotated[Settings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    clock: Annotated[Callable[[], datetime], Depends(get_clock)],
) -> Caller:
    """Return the caller of a request with ``Authorization: Bearer <token>``; 401 otherwise.

    The token's expiry and idle time (``token_idle_days``) are judged by the app's clock
    (movable in tests), like every deadline; its ``last_used_at`` is written at most every
    few minutes.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(NOT_AUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})
    return authenticate_request(db, settings, credentials.credentials, clock())


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[Session, Depends(read_session)]
CallerDep = Annotated[Caller, Depends(current_caller)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
PhotosDep = Annotated[PhotoStore, Depends(get_photos)]
NowDep = Annotated[datetime, Depends(get_now)]
