"""Every error the API answers, as JSON with a stable code and messages in Chinese and English.

Shape: ``{"error": {"code": "not_found", "zh": "…", "en": "…", …extra}}``.  Handlers installed by
``install_error_handlers`` turn FastAPI's and Starlette's own errors (404, 405, 413, 422) into
the same shape, so a client never has to parse an HTML page or a bare ``detail``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

if TYPE_CHECKING:  # FastAPI itself is imported by the app, not by the command line's errors
    from fastapi import FastAPI, Request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ErrorKind:
    """One kind of error: its HTTP status, machine code and messages."""

    status: int
    code: str
    zh: str
    en: str


class ApiError(StarletteHTTPException):
    """An error answered as JSON; ``extra`` keys join the error object.

    A Starlette ``HTTPException`` so that FastAPI passes it through unchanged even when it is
    raised while the request body is read (the body-size limit does that).
    """

    def __init__(
        self,
        kind: ErrorKind,
        *,
        headers: dict[str, str] | None = None,
        zh: str | None = None,
        en: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(status_code=kind.status, detail=kind.en, headers=headers)
        self.kind = kind
        self.zh = zh or kind.zh
        self.en = en or kind.en
        self.headers = headers
        self.extra = extra

    def response(self) -> JSONResponse:
        """Return the JSON response of this error."""
        return error_response(
            self.kind.status, self.kind.code, self.zh, self.en, headers=self.headers, **self.extra
        )


def error_response(
    status: int,
    code: str,
    zh: str,
    en: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Return ``{"error": {...}}`` with ``status``."""
    body = {"error": {"code": code, "zh": zh, "en": en, **extra}}
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


# --- the catalogue --------------------------------------------------------------------------

BAD_REQUEST = ErrorKind(400, "bad_request", "请求格式不正确", "the request is malformed")
BAD_CURSOR = ErrorKind(
    400,
    "bad_cursor",
    "同步游标无效，请从头重新同步",
    "the cursor is not valid; start again without a cursor",
)
PROTOCOL_MISMATCH = ErrorKind(
    400,
    "protocol_mismatch",
    "协议版本不受支持，请更新软件",
    "unsupported protocol version; please update the app",
)
DEVICE_MISMATCH = ErrorKind(
    400,
    "device_mismatch",
    "设备编号与登录设备不一致",
    "device_id does not match the signed-in device",
)
INVALID_CREDENTIALS = ErrorKind(
    401, "invalid_credentials", "用户名或密码错误", "wrong username or password"
)
SETUP_CODE_INVALID = ErrorKind(
    401,
    "setup_code_invalid",
    "设置码无效、已经用过或已过期。请向乡镇索取新的设置码。",
    "the set-up code is not valid, already used or expired; ask the township for a new one",
)
NOT_AUTHENTICATED = ErrorKind(401, "not_authenticated", "请先登录", "please sign in")
TOKEN_INVALID = ErrorKind(
    401,
    "token_invalid",
    "登录凭证无效，请重新登录",
    "the sign-in token is not valid; please sign in again",
)
TOKEN_EXPIRED = ErrorKind(
    401, "token_expired", "登录已过期，请重新登录", "the sign-in has expired; please sign in again"
)
TOKEN_REVOKED = ErrorKind(
    401,
    "token_revoked",
    "此设备的登录已被撤销，请重新登录",
    "this device's sign-in was revoked; please sign in again",
)
ACCOUNT_DISABLED = ErrorKind(
    401,
    "account_disabled",
    "账号已停用，请联系管理员",
    "the account is disabled; contact your administrator",
)
FORBIDDEN = ErrorKind(403, "forbidden", "您的角色不能执行此操作", "your role may not do this")
NOT_FOUND = ErrorKind(
    404, "not_found", "未找到（或不在您的辖区内）", "not found (or outside your jurisdiction)"
)
METHOD_NOT_ALLOWED = ErrorKind(405, "method_not_allowed", "不支持此请求方法", "method not allowed")
OFFSET_MISMATCH = ErrorKind(
    409,
    "offset_mismatch",
    "上传位置不符，请从服务器已收到的位置继续",
    "wrong offset; resume from the offset the server has received",
)
PHOTO_SIZE_MISMATCH = ErrorKind(
    409,
    "photo_size_mismatch",
    "照片大小与正在上传的不一致",
    "the photo size differs from the upload in progress",
)
TOWNSHIP_TOTAL_MISMATCH = ErrorKind(
    409,
    "township_total_mismatch",
    "乡镇合计与已审核村级报告之和加调整数不符（规则 12），请刷新后按服务器合计重新提交",
    "the township figures differ from the approved village reports plus adjustments "
    "(rule 12); refresh and submit the server's total",
)
UNIT_TOTAL_MISMATCH = ErrorKind(
    409,
    "unit_total_mismatch",
    "合计与已通过的下级报表之和加调整数不符，请刷新后按服务器合计重新提交",
    "the figures differ from the passed reports below plus adjustments; "
    "refresh and submit the server's total",
)
VERIFIED_INCOMPLETE = ErrorKind(
    409,
    "verified_incomplete",
    "下级尚未全部报送核报（核定）报表，不能报送核报",
    "not every unit below has filed its verified report yet",
)
UNKNOWN_EVENT = ErrorKind(
    409,
    "unknown_event",
    "辖区内没有该灾害过程的任何报告，不能报送",
    "nobody in this area has filed a report of this event",
)
ALREADY_DECIDED = ErrorKind(
    409, "already_decided", "该报表已经审核过", "this report has already been decided"
)
SUBMISSION_SUPERSEDED = ErrorKind(
    409,
    "submission_superseded",
    "该单位已报送更新的报表，请审核最新的一份",
    "the unit has submitted a newer report: decide on the newest one",
)
ID_REUSED = ErrorKind(
    409,
    "id_reused",
    "此编号已用于不同的内容，请用新的编号提交",
    "this id is already stored with different content; use a new id",
)
ROLE_TAKEN = ErrorKind(
    409,
    "role_taken",
    "该岗位的这个角色已有人在岗；如需替换，请选择“替换”",
    "someone already holds this role of the post; choose replace to hand it over",
)
HOLDS_OTHER_ROLE = ErrorKind(
    409,
    "holds_other_role",
    "此人已是该岗位的另一角色，同一人不能同时担任 A角和 B角",
    "this person holds the other role of the post; one person cannot be both A and B",
)
NO_A_ON_POST = ErrorKind(
    409,
    "no_a_on_post",
    "该岗位目前没有 A角，无法登记 A角离岗",
    "the post has no A now, so no absence of A can be recorded",
)
ABSENCE_OVERLAPS = ErrorKind(
    409,
    "absence_overlaps",
    "与此人已登记的另一段离岗时间重叠",
    "this overlaps another absence of the same person",
)
BODY_TOO_LARGE = ErrorKind(413, "body_too_large", "请求内容过大", "the request body is too large")
PHOTO_TOO_LARGE = ErrorKind(413, "photo_too_large", "照片过大", "the photo is too large")
BATCH_TOO_LARGE = ErrorKind(
    413,
    "batch_too_large",
    "一次提交的报告过多，请分批提交",
    "too many reports in one batch; send smaller batches",
)
VALIDATION_FAILED = ErrorKind(
    422, "invalid_request", "请求内容不符合要求", "the request does not match the API"
)
UNSTORABLE_TEXT = ErrorKind(
    422,
    "unstorable_text",
    "文字中含有无法保存的字符（空字符 NUL 或不成对的代理码位），请删除后重试",
    "the text holds a character that cannot be stored (NUL or an unpaired surrogate); "
    "remove it and try again",
)
VALUE_OUT_OF_RANGE = ErrorKind(
    422,
    "value_out_of_range",
    "数值或文字超出可保存的范围",
    "a value is out of the range that can be stored",
)
REASON_REQUIRED = ErrorKind(422, "reason_required", "必须说明原因", "a reason is required")
ASSIGNEE_NOT_ELIGIBLE = ErrorKind(
    422,
    "assignee_not_eligible",
    "不能把此账号安排到该岗位",
    "this account cannot be given the post",
)
BAD_PERIOD = ErrorKind(422, "bad_period", "离岗时间段不正确", "the period is not valid")
NOT_A_VILLAGE_OF_TOWNSHIP = ErrorKind(
    422,
    "not_a_village_of_township",
    "所列村（社区）不属于该乡镇",
    "a village listed is not in the township",
)
UNKNOWN_FIELD = ErrorKind(422, "unknown_field", "未知指标", "unknown indicator")
BAD_FIGURE = ErrorKind(422, "bad_figure", "数值不正确", "the figure is not valid")
PHOTO_HASH_MISMATCH = ErrorKind(
    422,
    "photo_hash_mismatch",
    "照片校验失败（SHA-256 不符），已丢弃，请重新上传",
    "the photo's SHA-256 does not match; it was discarded, upload it again",
)
CHUNK_CORRUPT = ErrorKind(
    422,
    "chunk_corrupt",
    "这段照片数据在传输中损坏（SHA-256 不符），请重发这一段",
    "this photo chunk was damaged on the way (its SHA-256 does not match); send it again",
)
USER_DISABLED = ErrorKind(
    422,
    "user_disabled",
    "该账号已停用，不能发放设置码",
    "the account is disabled; no set-up code can be issued for it",
)
OWN_PROVISIONED_DEVICE = ErrorKind(
    403,
    "own_provisioned_device",
    "此报告是在您发放的设置码登录的设备上提交的，您不能审核通过；请由其他审核人员或上级处理",
    "this report was submitted from a device signed in with a set-up code you issued; you "
    "cannot approve it: another reviewer or the level above must",
)
TOO_MANY_ATTEMPTS = ErrorKind(
    429,
    "too_many_attempts",
    "尝试次数过多，请稍后再试",
    "too many tries; wait a while and try again",
)
PHOTO_UPLOADS_LIMIT = ErrorKind(
    429,
    "photo_uploads_limit",
    "未完成的照片上传过多，请先完成已开始的上传或稍后再试",
    "too many unfinished photo uploads; finish those begun or try again later",
)
INTERNAL = ErrorKind(500, "internal_error", "服务器内部错误", "internal server error")
UNAVAILABLE = ErrorKind(
    503, "unavailable", "服务暂不可用，请稍后再试", "the service is unavailable; try again later"
)


def spread_retry_after(low: int, high: int) -> int:
    """Return whole seconds drawn uniformly from ``low``–``high``: a busy answer's Retry-After.

    Spread, so that the devices refused in the same second come back apart.
    """
    return random.randint(low, max(low, high))


BUSY = ErrorKind(
    503, "busy", "服务器繁忙，稍后自动重试", "the server is busy; the app will try again shortly"
)

_BY_STATUS = {
    k.status: k
    for k in (
        BAD_REQUEST,
        NOT_AUTHENTICATED,
        FORBIDDEN,
        NOT_FOUND,
        METHOD_NOT_ALLOWED,
        BODY_TOO_LARGE,
        VALIDATION_FAILED,
        INTERNAL,
        UNAVAILABLE,
    )
}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` as JSON in the shape above."""
    from fastapi.exceptions import RequestValidationError  # the app imports FastAPI anyway

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _BY_STATUS.get(exc.status_code)
        if kind is None:
            kind = ErrorKind(
                exc.status_code, f"http_{exc.status_code}", str(exc.detail), str(exc.detail)
            )
        return error_response(
            kind.status, kind.code, kind.zh, kind.en, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "loc": [_printable(p) for p in e.get("loc", ())],
                "msg": _printable(e.get("msg", "")),
                "type": _printable(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        unstorable = any(d["type"] == "unstorable_text" for d in details)
        k = UNSTORABLE_TEXT if unstorable else VALIDATION_FAILED
        return error_response(k.status, k.code, k.zh, k.en, details=details)

    @app.exception_handler(DataError)
    async def _data_error(_request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the request carried (a number beyond BIGINT, text it
        # cannot hold): the request is at fault, and nothing was written.  The routes check
        # such values first; this is the backstop, so a hostile value never answers 500.
        log.warning("database refused a value of the request: %s", exc.orig)
        k = VALUE_OUT_OF_RANGE
        return error_response(k.status, k.code, k.zh, k.en)

    @app.exception_handler(SQLAlchemyTimeoutError)
    async def _pool_exhausted(request: Request, exc: SQLAlchemyTimeoutError) -> JSONResponse:
        # Every database connection of this worker is busy: the server is overloaded, not
        # broken.  503 with a Retry-After spread like the busy answer's (admission.py), so
        # the devices refused together come back apart.
        log.warning("database connection pool exhausted: %s", exc)
        settings = request.app.state.settings
        seconds = spread_retry_after(settings.busy_retry_min_s, settings.busy_retry_max_s)
        k = UNAVAILABLE
        return error_response(
            k.status, k.code, k.zh, k.en, headers={"Retry-After": str(seconds)}, retry_after=seconds
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, OverflowError) or isinstance(getattr(exc, "orig", None), OverflowError):
            # A date or number outside what Python or the database can hold (a time in the
            # year 9999 moved to UTC): the request is at fault, as for DataError.
            log.warning("a value of the request is out of range: %s", exc)
            k = VALUE_OUT_OF_RANGE
            return error_response(k.status, k.code, k.zh, k.en)
        log.exception("unhandled error", exc_info=exc)
        return error_response(INTERNAL.status, INTERNAL.code, INTERNAL.zh, INTERNAL.en)


def _printable(value: object) -> str:
    """Return ``value`` as text that encodes to UTF-8 (an unpaired surrogate becomes ``?``)."""
    return str(value).encode("utf-8", "replace").decode("utf-8")
