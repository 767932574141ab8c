"""Sign-in, set-up codes and the server's liveness: the account messages of the API."""

from __future__ import annotations

from sync.contract.wire.base import Time, Wire

__all__ = [
    "Health",
    "Login",
    "LoginRequest",
    "Logout",
    "Me",
    "Post",
    "ProvisionRequest",
    "SetupCode",
    "SetupCodeRequest",
    "User",
]


class Health(Wire, frozen=True, kw_only=True):
    """``GET /health``: the server answers and can reach its database.

    Only ``status`` and ``protocol_version`` are needed to know the server is ours: the
    set-up page's connection test must also recognise an older or a stand-in server.
    """

    status: str
    db: str = ""
    dialect: str = ""
    schema_revision: str | None = None
    protocol_version: int
    server_version: str = ""
    server_time: Time | None = None


class Post(Wire, frozen=True, kw_only=True):
    """A post the account holds now."""

    division_code: str
    division_name: str
    level: str
    post_role: str


class User(Wire, frozen=True, kw_only=True):
    """The account a token speaks for."""

    username: str
    display_name: str
    role: str
    jurisdiction_code: str
    jurisdiction_name: str
    posts: list[Post]


class Login(Wire, frozen=True, kw_only=True):
    """``POST /auth/login`` and ``/auth/provision``: a token and who it is for."""

    token: str
    token_type: str = "bearer"
    expires_at: Time
    device_id: str
    user: User
    server_time: Time


class Me(Wire, frozen=True, kw_only=True):
    """``GET /me``: the signed-in account, its active posts and the server's clock."""

    user: User
    device_id: str
    server_time: Time
    divisions_revision: int = 0
    events_revision: str = ""


class Logout(Wire, frozen=True, kw_only=True):
    """``POST /auth/logout``: the token was revoked."""

    revoked: bool = True


class SetupCode(Wire, frozen=True, kw_only=True):
    """``POST /provisioning``: a one-time set-up code, shown once."""

    username: str
    display_name: str
    code: str
    expires_at: Time
    server_url: str | None
    text: str
    server_time: Time
    devices_signed_out: int = 0


class LoginRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /auth/login``."""

    username: str
    password: str
    device_id: str
    device_name: str = ""


class ProvisionRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /auth/provision``."""

    code: str
    device_id: str
    device_name: str = ""


class SetupCodeRequest(Wire, frozen=True, kw_only=True):
    """The body of ``POST /provisioning``."""

    username: str
