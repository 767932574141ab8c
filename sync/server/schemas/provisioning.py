"""One-time set-up codes: issuing one for an account, and redeeming it on a new device."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from sync.server.schemas.common import InModel


class SetupCodeIn(InModel):
    """Ask for a set-up code for an account you manage."""

    username: str = Field(min_length=1, max_length=64)


class SetupCodeOut(BaseModel):
    """A set-up code, shown once: hand ``text`` (or the code) to the person."""

    username: str
    display_name: str
    code: str = Field(description="XXXX-XXXX-XXXX; works once, until expires_at.")
    expires_at: datetime
    server_url: str | None = Field(description="The server's address as written in text.")
    text: str = Field(description="The set-up text: server, code, user and expiry.")
    devices_signed_out: int = Field(
        default=0,
        description="How many devices of the account are signed in now: each is signed out "
        "(and told so on its next request) when the code is redeemed.",
    )
    server_time: datetime


class ProvisionIn(InModel):
    """Redeem a set-up code from one device (instead of a password)."""

    code: str = Field(
        min_length=1, max_length=64, description="As typed: case, spaces and dashes do not matter."
    )
    device_id: str = Field(
        min_length=1, max_length=100, description="A stable id the app makes once per installation."
    )
    device_name: str = Field(default="", max_length=200)
