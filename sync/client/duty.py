"""The A/B duty requests of the city server's API (docs/duty.md), mixed into ``SyncClient``.

Each answer is decoded into its type of ``sync.contract.wire.duty`` like every other one: only
our server's JSON of that shape counts, so a captive portal's HTML page or another JSON object
never passes for success.  Client-made ids (``absence_uuid``, ``event_uuid``) come from the
caller, so a request repeated after a lost answer is recognised by the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from sync.contract.wire.base import Wire, as_object
from sync.contract.wire.duty import (
    AbsenceRequest,
    AbsenceResult,
    AssignRequest,
    AssignResult,
    CloseEventRequest,
    Duty,
    EndAssignmentRequest,
    EndAssignmentResult,
    OpenEventRequest,
    OpeningResult,
    PostHistory,
    Roster,
    SignOffRequest,
    SignOffResult,
    Users,
)

API = "/api/v1"

T = TypeVar("T", bound=Wire)


def _part(value: str | int) -> str:
    return quote(str(value), safe="")


class DutyRequests:
    """The duty requests; ``SyncClient`` provides ``_call`` (the one place that talks HTTP)."""

    def _call(
        self,
        method: str,
        path: str,
        *,
        answer: type[T],
        check: Callable[[T], None] | None = None,
        auth: bool = True,
        json_body: Any = None,
        raw_body: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        raise NotImplementedError

    def roster(self, under: str | None = None) -> Roster:
        """``GET /roster``: the posts inside ``under`` (default: the caller's reach)."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/roster", answer=Roster, params=params)

    def roster_history(self, post_code: str) -> PostHistory:
        """``GET /roster/history?post=``: every assignment, absence and handover of a post."""
        return self._call(
            "GET", f"{API}/roster/history", answer=PostHistory, params={"post": post_code}
        )

    def users(self, under: str | None = None) -> Users:
        """``GET /users``: the accounts a manager may assign (inside ``under``)."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/users", answer=Users, params=params)

    def assign(
        self, post_code: str, username: str, post_role: str, reason: str, replace: bool = False
    ) -> AssignResult:
        """``POST /roster/assignments``: assign A or B (``replace`` ends the current holder)."""
        body = AssignRequest(
            post_code=post_code,
            username=username,
            post_role=post_role,
            reason=reason,
            replace=replace,
        )
        return self._call(
            "POST", f"{API}/roster/assignments", answer=AssignResult, json_body=as_object(body)
        )

    def end_assignment(self, assignment_id: int, reason: str) -> EndAssignmentResult:
        """``POST /roster/assignments/{id}/end``: end an assignment."""
        return self._call(
            "POST",
            f"{API}/roster/assignments/{_part(assignment_id)}/end",
            answer=EndAssignmentResult,
            json_body=as_object(EndAssignmentRequest(reason=reason)),
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
    ) -> AbsenceResult:
        """``POST /absences``: A off duty for a period (idempotent by ``absence_uuid``)."""
        body = AbsenceRequest(
            absence_uuid=absence_uuid,
            post_code=post_code,
            starts_at=starts_at.astimezone(UTC),
            ends_at=ends_at.astimezone(UTC),
            kind=kind,
            reason=reason,
            open_items=dict(open_items),
        )
        return self._call(
            "POST", f"{API}/absences", answer=AbsenceResult, json_body=as_object(body)
        )

    def end_absence(self, absence_uuid: str) -> AbsenceResult:
        """``POST /absences/{uuid}/end``: A is back now."""
        return self._call(
            "POST", f"{API}/absences/{_part(absence_uuid)}/end", answer=AbsenceResult, json_body={}
        )

    def sign_off_handover(self, handover_uuid: str, note: str = "") -> SignOffResult:
        """``POST /handovers/{uuid}/sign-off``: the township signs a handover off."""
        return self._call(
            "POST",
            f"{API}/handovers/{_part(handover_uuid)}/sign-off",
            answer=SignOffResult,
            json_body=as_object(SignOffRequest(note=note)),
        )

    def open_event(
        self,
        event_uuid: str,
        event_name: str,
        disaster_type: str,
        occurred_at: datetime,
        township_code: str,
        village_codes: Sequence[str] = (),
    ) -> OpeningResult:
        """``POST /events/open``: open an event for villages (none named: every village)."""
        body = OpenEventRequest(
            event_uuid=event_uuid,
            event_name=event_name,
            disaster_type=disaster_type,
            occurred_at=occurred_at.astimezone(UTC),
            township_code=township_code,
            village_codes=list(village_codes),
        )
        return self._call(
            "POST", f"{API}/events/open", answer=OpeningResult, json_body=as_object(body)
        )

    def close_event(self, event_uuid: str, township_code: str) -> OpeningResult:
        """``POST /events/{uuid}/close``: no more continuing reports due."""
        return self._call(
            "POST",
            f"{API}/events/{_part(event_uuid)}/close",
            answer=OpeningResult,
            json_body=as_object(CloseEventRequest(township_code=township_code)),
        )

    def duty(self, under: str | None = None) -> Duty:
        """``GET /duty``: deadlines, open events and alerts as the server sees them now."""
        params = {"under": under} if under else None
        return self._call("GET", f"{API}/duty", answer=Duty, params=params)
