"""The A/B duty requests of the city server's API (docs/duty.md), mixed into ``SyncClient``.

Each answer is checked like every other one: only our server's JSON of the expected shape
counts, so a captive portal's HTML page or another JSON object never passes for success.
Client-made ids (``absence_uuid``, ``event_uuid``) come from the caller, so a request repeated
after a lost answer is recognised by the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

API = "/api/v1"

Check = Callable[[Mapping[str, Any]], None]


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{key} missing or of the wrong type")
    return value


def _objects(data: Mapping[str, Any], key: str, *, optional: bool = False) -> list[Any]:
    """Return the list ``data[key]`` whose every item is an object."""
    if optional and data.get(key) is None:
        return []
    items = _need(data, key, list)
    if not all(isinstance(item, dict) for item in items):
        raise ValueError(f"an item of {key} is not an object")
    return list(items)


def _time(value: object) -> None:
    if not isinstance(value, str):
        raise ValueError("a time is not text")
    if datetime.fromisoformat(value).tzinfo is None:
        raise ValueError("a time has no zone")


def _record(keys: Sequence[str], id_key: str, id_kind: type = str) -> Check:
    """Return a check of an answer naming one record: ``{key: {id_key…}}`` or the record itself."""

    def check(data: Mapping[str, Any]) -> None:
        inner = next((data[k] for k in keys if isinstance(data.get(k), dict)), None)
        _need(inner if inner is not None else data, id_key, id_kind)

    return check


def check_roster(data: Mapping[str, Any]) -> None:
    """``GET /roster``: posts, each with a code and its holders."""
    for post in _objects(data, "posts"):
        if not isinstance(post.get("post_code", post.get("division_code")), str):
            raise ValueError("a post without a code")
        for holder in _objects(post, "holders"):
            _need(holder, "username", str)
            _need(holder, "post_role", str)
        for absence in _objects(post, "absences", optional=True):
            _need(absence, "absence_uuid", str)
        if "manageable" in post:
            _need(post, "manageable", bool)


def check_roster_history(data: Mapping[str, Any]) -> None:
    """``GET /roster/history``: assignments, absences and handovers of one post."""
    for item in _objects(data, "assignments"):
        _need(item, "assignment_id", int)
    for item in _objects(data, "absences"):
        _need(item, "absence_uuid", str)
    for item in _objects(data, "handovers"):
        _need(item, "handover_uuid", str)


def check_users(data: Mapping[str, Any]) -> None:
    """``GET /users``: accounts, each with a user name and a role."""
    for user in _objects(data, "users"):
        _need(user, "username", str)
        _need(user, "role", str)


def check_assign(data: Mapping[str, Any]) -> None:
    """``POST /roster/assignments``: ``{assignment, ended, handover}``."""
    _need(_need(data, "assignment", dict), "assignment_id", int)
    for key in ("ended", "handover"):
        if data.get(key) is not None and not isinstance(data[key], dict | list):
            raise ValueError(f"{key} is neither an object nor a list")


def check_duty(data: Mapping[str, Any]) -> None:
    """``GET /duty``: the server's clock, the deadline settings, the open events, the alerts."""
    _time(data.get("server_time"))
    if data.get("deadlines") is not None:
        _need(data, "deadlines", dict)
    for event in _objects(data, "events"):
        _need(event, "event_uuid", str)
        for village in _objects(event, "villages"):
            _need(village, "village_code", str)
    _objects(data, "alerts", optional=True)


check_end_assignment = _record(("assignment",), "assignment_id", int)
check_absence = _record(("absence",), "absence_uuid")
check_handover = _record(("handover",), "handover_uuid")
check_opening = _record(("opening", "event"), "event_uuid")


def wire_time(value: datetime) -> str:
    """Return a time as the wire's ISO-8601 UTC text (``…Z``)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _part(value: str | int) -> str:
    return quote(str(value), safe="")


class DutyRequests:
    """The duty requests; ``SyncClient`` provides ``_call`` (the one place that talks HTTP)."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        check: Check,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        raise NotImplementedError

    def roster(self, under: str | None = None) -> dict[str, Any]:
        """``GET /roster``: the posts inside ``under`` (default: the caller's reach)."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/roster", check=check_roster, params=params)

    def roster_history(self, post_code: str) -> dict[str, Any]:
        """``GET /roster/history?post=``: every assignment, absence and handover of a post."""
        return self._call(
            "GET", f"{API}/roster/history", check=check_roster_history, params={"post": post_code}
        )

    def users(self, under: str | None = None) -> dict[str, Any]:
        """``GET /users``: the accounts a manager may assign (inside ``under``)."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/users", check=check_users, params=params)

    def assign(
        self, post_code: str, username: str, post_role: str, reason: str, replace: bool = False
    ) -> dict[str, Any]:
        """``POST /roster/assignments``: assign A or B (``replace`` ends the current holder)."""
        body = {
            "post_code": post_code,
            "username": username,
            "post_role": post_role,
            "reason": reason,
            "replace": replace,
        }
        return self._call("POST", f"{API}/roster/assignments", check=check_assign, json_body=body)

    def end_assignment(self, assignment_id: int, reason: str) -> dict[str, Any]:
        """``POST /roster/assignments/{id}/end``: end an assignment."""
        return self._call(
            "POST",
            f"{API}/roster/assignments/{_part(assignment_id)}/end",
            check=check_end_assignment,
            json_body={"reason": reason},
        )

    def mark_absent(
        self,
        absence_uuid: str,
        post_code: str,
        starts_at: datetime,
        ends_at: datetime,
        kind: str,
        reason: str,
        open_items: Mapping[str, Any],
    ) -> dict[str, Any]:
        """``POST /absences``: A off duty for a period (idempotent by ``absence_uuid``)."""
        body = {
            "absence_uuid": absence_uuid,
            "post_code": post_code,
            "starts_at": wire_time(starts_at),
            "ends_at": wire_time(ends_at),
            "kind": kind,
            "reason": reason,
            "open_items": dict(open_items),
        }
        return self._call("POST", f"{API}/absences", check=check_absence, json_body=body)

    def end_absence(self, absence_uuid: str) -> dict[str, Any]:
        """``POST /absences/{uuid}/end``: A is back now."""
        return self._call(
            "POST", f"{API}/absences/{_part(absence_uuid)}/end", check=check_absence, json_body={}
        )

    def sign_off_handover(self, handover_uuid: str, note: str = "") -> dict[str, Any]:
        """``POST /handovers/{uuid}/sign-off``: the township signs a handover off."""
        return self._call(
            "POST",
            f"{API}/handovers/{_part(handover_uuid)}/sign-off",
            check=check_handover,
            json_body={"note": note},
        )

    def open_event(
        self,
        event_uuid: str,
        event_name: str,
        disaster_type: str,
        occurred_at: datetime,
        township_code: str,
        village_codes: Sequence[str] = (),
    ) -> dict[str, Any]:
        """``POST /events/open``: open an event for villages (none named: every village)."""
        body = {
            "event_uuid": event_uuid,
            "event_name": event_name,
            "disaster_type": disaster_type,
            "occurred_at": wire_time(occurred_at),
            "township_code": township_code,
            "village_codes": list(village_codes),
        }
        return self._call("POST", f"{API}/events/open", check=check_opening, json_body=body)

    def close_event(self, event_uuid: str, township_code: str) -> dict[str, Any]:
        """``POST /events/{uuid}/close``: no more continuing reports due."""
        return self._call(
            "POST",
            f"{API}/events/{_part(event_uuid)}/close",
            check=check_opening,
            json_body={"township_code": township_code},
        )

    def duty(self, under: str | None = None) -> dict[str, Any]:
        """``GET /duty``: deadlines, open events and alerts as the server sees them now."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/duty", check=check_duty, params=params)
