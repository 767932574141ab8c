"""Sign-in and the signed-in account."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel


class LoginIn(InModel):
    """A sign-in from one device."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(
        min_length=1, max_length=100, description="A stable id the app makes once per installation."
    )
    device_name: str = Field(default="", max_length=200)


class PostOut(BaseModel):
    """A post the account holds now."""

    division_code: str
    division_name: str
    level: str
    post_role: str = Field(description="A (primary) or B (backup)")


class UserOut(BaseModel):
    """The account a token speaks for."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    jurisdiction_name: str
    posts: list[PostOut]


class LoginOut(BaseModel):
    """A token (shown once; send it as ``Authorization: Bearer …``) and who it is for."""

    token: str
    token_type: str = "bearer"
    expires_at: datetime
    device_id: str
    user: UserOut
    server_time: datetime


class MeOut(BaseModel):
    """The signed-in account, its active posts, the server's clock, the table revision.

    ``divisions_revision`` is ``max(revision)`` of the division table.
    """

    user: UserOut
    device_id: str
    server_time: datetime
    divisions_revision: int
    events_revision: str


class LogoutOut(BaseModel):
    """The token was revoked."""

    revoked: bool = True
