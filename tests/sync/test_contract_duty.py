"""Who is on duty, the filing role and the deadline windows (``sync.contract.duty``).

Examples pin the rules; Hypothesis checks them over random rosters, absences and moments
against a brute-force statement of the rules, so a change of the rules cannot pass quietly.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.contract.duty import (
    CHINA_TZ,
    OPENING_GRACE_MINUTES,
    Absence,
    AbsenceKind,
    DeadlineSettings,
    FilingRole,
    Holding,
    WindowStatus,
    filing_role,
    on_duty_at,
    village_deadlines,
    village_initial_window,
    windows,
    worst,
)

T0 = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)  # 10:00 China time


def h(hours: float) -> datetime:
    """Return ``hours`` after T0."""
    return T0 + timedelta(hours=hours)


ROSTER = [Holding("zhang", "A", h(0)), Holding("li", "B", h(0))]
LEAVE = Absence("ab-1", "zhang", h(2), h(6), AbsenceKind.LEAVE, "探亲")


def test_a_is_on_duty_without_an_absence() -> None:
    duty = on_duty_at(ROSTER, [LEAVE], h(1))
    assert (duty.username, duty.post_role, duty.acting_for) == ("zhang", "A", None)


def test_b_acts_for_a_during_the_absence_and_not_after() -> None:
    during = on_duty_at(ROSTER, [LEAVE], h(3))
    assert (during.username, during.post_role, during.acting_for) == ("li", "B", "zhang")
    assert during.absence == LEAVE
    assert on_duty_at(ROSTER, [LEAVE], h(6)).username == "zhang"  # the end is exclusive


def test_an_absence_ended_early_gives_the_post_back_to_a() -> None:
    back = Absence("ab-1", "zhang", h(2), h(6), ended_at=h(3))
    assert on_duty_at(ROSTER, [back], h(2.5)).username == "li"
    assert on_duty_at(ROSTER, [back], h(3)).username == "zhang"
    # Ended before it began: it never covered anything.
    never = Absence("ab-2", "zhang", h(2), h(6), ended_at=h(1))
    assert on_duty_at(ROSTER, [never], h(2.5)).username == "zhang"


def test_without_b_an_absent_a_leaves_the_post_uncovered() -> None:
    duty = on_duty_at([Holding("zhang", "A", h(0))], [LEAVE], h(3))
    assert duty.username is None and duty.acting_for == "zhang"


def test_without_a_the_b_is_on_duty_alone() -> None:
    duty = on_duty_at([Holding("li", "B", h(0))], [], h(1))
    assert (duty.username, duty.acting_for) == ("li", None)


def test_filing_roles() -> None:
    assert filing_role(ROSTER, [LEAVE], "zhang", h(3)) is FilingRole.A  # A files even away
    assert filing_role(ROSTER, [LEAVE], "li", h(3)) is FilingRole.B_ACTING
    assert filing_role(ROSTER, [LEAVE], "li", h(1)) is FilingRole.B_WHILE_A_ON_DUTY
    assert filing_role(ROSTER, [LEAVE], "wang", h(1)) is None
    ended = [Holding("zhang", "A", h(0), h(5)), Holding("li", "B", h(0))]
    assert filing_role(ended, [], "li", h(5)) is FilingRole.B_ACTING  # no A any more
    assert filing_role(ended, [], "zhang", h(5)) is None


def test_labels_in_both_languages() -> None:
    assert FilingRole.B_ACTING.zh == "B 代 A 报送"
    assert FilingRole.B_WHILE_A_ON_DUTY.en == "filed by B while A was on duty"
    assert AbsenceKind.UNREACHABLE.zh == "联系不上"
    assert WindowStatus.OVERDUE.late and not WindowStatus.FILED_LATE.late


# --- deadlines ----------------------------------------------------------------------------------

SETTINGS = DeadlineSettings()


def test_initial_window_waits_escalates_and_overdues() -> None:
    def status(minutes: float, filings: list[tuple[str, datetime]] | None = None) -> WindowStatus:
        states = village_deadlines(
            T0, None, filings or [], T0 + timedelta(minutes=minutes), SETTINGS
        )
        return states[0].status

    assert status(10) is WindowStatus.WAITING
    assert status(29.9) is WindowStatus.WAITING
    assert status(30) is WindowStatus.ESCALATED
    assert status(60) is WindowStatus.OVERDUE
    assert status(45, [("initial", T0 + timedelta(minutes=40))]) is WindowStatus.FILED
    assert status(90, [("initial", T0 + timedelta(minutes=70))]) is WindowStatus.FILED_LATE
    # An initial report filed before the township opened the event counts.
    assert status(90, [("initial", T0 - timedelta(hours=1))]) is WindowStatus.FILED
    # A continuing report does not meet the initial deadline.
    assert status(45, [("continuing", T0 + timedelta(minutes=5))]) is WindowStatus.ESCALATED


def test_continuing_window_after_china_midnight() -> None:
    midnight = datetime.combine(
        (T0.astimezone(CHINA_TZ) + timedelta(days=1)).date(), time(0), CHINA_TZ
    )
    before = windows(T0, None, midnight - timedelta(minutes=1), SETTINGS)
    assert [w.stage for w in before] == ["initial"]
    after = windows(T0, None, midnight + timedelta(hours=5), SETTINGS)
    assert [w.stage for w in after] == ["initial", "continuing"]
    cont = after[1]
    assert cont.starts_at == midnight
    assert cont.due_at == midnight + timedelta(hours=8)  # 08:00 China time
    assert cont.escalate_at == midnight + timedelta(hours=4)
    # A continuing report of the day before does not count for today.
    filings = [("initial", h(0.2)), ("continuing", midnight - timedelta(hours=2))]
    now = midnight + timedelta(hours=5)
    states = village_deadlines(T0, None, filings, now, SETTINGS)
    assert [s.status for s in states] == [WindowStatus.FILED, WindowStatus.ESCALATED]
    assert worst(states) == states[1]
    # Closed before that midnight: no continuing report due.
    assert [w.stage for w in windows(T0, midnight - timedelta(hours=1), now, SETTINGS)] == [
        "initial"
    ]


def test_initial_window_counts_from_the_occurrence() -> None:
    # Occurred 50 minutes before the opening: escalated at once, overdue 10 minutes later.
    occurred = T0 - timedelta(minutes=50)
    [w] = windows(T0, None, T0, SETTINGS, occurred)
    assert (w.starts_at, w.escalate_at, w.due_at) == (
        occurred,
        occurred + timedelta(minutes=30),
        T0 + timedelta(minutes=10),
    )

    def status(minutes: float) -> WindowStatus:
        return village_deadlines(T0, None, [], h(minutes / 60), SETTINGS, occurred)[0].status

    assert status(0) is WindowStatus.ESCALATED
    assert status(9) is WindowStatus.ESCALATED
    assert status(10) is WindowStatus.OVERDUE
    # An initial report filed before the opening, within the hour of the occurrence, is on time.
    filed = [("initial", T0 - timedelta(minutes=5))]
    early = village_deadlines(T0, None, filed, h(2), SETTINGS, occurred)
    assert early[0].status is WindowStatus.FILED


def test_an_opening_after_the_deadline_leaves_the_grace() -> None:
    w = village_initial_window(T0, T0 - timedelta(hours=5), SETTINGS)
    assert w.starts_at == T0 - timedelta(hours=5)
    assert w.due_at == T0 + timedelta(minutes=OPENING_GRACE_MINUTES)


def test_without_occurrence_the_opening_counts() -> None:
    assert village_initial_window(T0, None, SETTINGS) == windows(T0, None, T0, SETTINGS)[0]
    w = village_initial_window(T0, None, SETTINGS)
    assert (w.starts_at, w.escalate_at, w.due_at) == (T0, h(0.5), h(1))
    # An occurrence after the opening (a forecast event) counts from the occurrence.
    later = village_initial_window(T0, h(2), SETTINGS)
    assert (later.starts_at, later.due_at) == (h(2), h(3))


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.integers(-48 * 60, 12 * 60)),
    st.integers(1, 24 * 60),
    st.floats(0.05, 1.0),
)
def test_initial_due_is_the_later_of_occurrence_and_grace(
    occurred_minutes: int | None, initial: int, fraction: float
) -> None:
    rules = DeadlineSettings(initial, time(8, 0), fraction)
    occurred = None if occurred_minutes is None else T0 + timedelta(minutes=occurred_minutes)
    w = village_initial_window(T0, occurred, rules)
    start = T0 if occurred is None else occurred
    by_occurrence = start + timedelta(minutes=initial)
    grace = T0 + timedelta(minutes=OPENING_GRACE_MINUTES)
    expected = by_occurrence if occurred is None else max(by_occurrence, grace)
    assert (w.starts_at, w.due_at) == (start, expected)
    assert w.starts_at <= w.escalate_at <= w.due_at
    assert abs((w.escalate_at - start) - (w.due_at - start) * fraction) < timedelta(seconds=1)


def test_deadline_settings_travel_and_refuse_nonsense() -> None:
    custom = DeadlineSettings(90, time(9, 30), 0.25)
    assert DeadlineSettings.from_wire(custom.to_wire()) == custom
    assert DeadlineSettings.from_wire({"initial_minutes": -5}) == DeadlineSettings()
    assert DeadlineSettings.from_wire({"continuing_due": "eight"}) == DeadlineSettings()
    assert DeadlineSettings.from_wire(None) == DeadlineSettings()


# --- properties ---------------------------------------------------------------------------------

hours = st.integers(min_value=0, max_value=96)


@st.composite
def rosters(draw: st.DrawFn) -> tuple[list[Holding], list[Absence]]:
    """A post's history: successive A and B holders (never overlapping per role), absences."""
    holdings: list[Holding] = []
    for role, people in (("A", ["a1", "a2", "a3"]), ("B", ["b1", "b2"])):
        cuts = sorted(draw(st.sets(hours, max_size=4)))
        bounds = [0, *cuts, None]
        for i, start in enumerate([0, *cuts]):  # bounds[:-1], all given
            if draw(st.booleans()):
                end = bounds[i + 1]
                holdings.append(
                    Holding(
                        draw(st.sampled_from(people)),
                        role,
                        h(start),
                        None if end is None else h(end),
                    )
                )
    absences = []
    for n in range(draw(st.integers(0, 4))):
        start = draw(hours)
        length = draw(st.integers(1, 24))
        ended = draw(st.one_of(st.none(), st.integers(0, length + 2)))
        absences.append(
            Absence(
                f"ab-{n}",
                draw(st.sampled_from(["a1", "a2", "a3"])),
                h(start),
                h(start + length),
                ended_at=None if ended is None else h(start + ended),
            )
        )
    return holdings, absences


def _covered(absences: list[Absence], who: str, at: datetime) -> bool:
    for a in absences:
        end = a.ends_at if a.ended_at is None else max(a.starts_at, min(a.ends_at, a.ended_at))
        if a.username == who and a.starts_at <= at < end:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(rosters(), st.floats(min_value=0, max_value=100, allow_nan=False))
def test_on_duty_over_time_follows_the_rules(
    post: tuple[list[Holding], list[Absence]], at_hours: float
) -> None:
    holdings, absences = post
    at = T0 + timedelta(hours=at_hours)
    a = next(
        (
            x.username
            for x in holdings
            if x.post_role == "A" and x.valid_from <= at and (x.valid_to is None or at < x.valid_to)
        ),
        None,
    )
    b = next(
        (
            x.username
            for x in holdings
            if x.post_role == "B" and x.valid_from <= at and (x.valid_to is None or at < x.valid_to)
        ),
        None,
    )
    duty = on_duty_at(holdings, absences, at)
    # Exactly one rule applies at any moment.
    if a is not None and not _covered(absences, a, at):
        assert (duty.username, duty.post_role) == (a, "A")
    elif b is not None:
        assert (duty.username, duty.post_role, duty.acting_for) == (b, "B", a)
    else:
        assert duty.username is None
    # Whoever is on duty holds the post at that moment; an A on duty is never absent.
    if duty.username is not None:
        assert duty.username in {a, b}
    if duty.post_role == "A":
        assert not _covered(absences, duty.username or "", at)
    # Filing roles agree with duty: the person on duty never files "while A was on duty".
    if b is not None and b != a:
        role = filing_role(holdings, absences, b, at)
        assert role is (FilingRole.B_ACTING if duty.username == b else FilingRole.B_WHILE_A_ON_DUTY)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 60 * 72),
    st.lists(
        st.tuples(
            st.sampled_from(["initial", "continuing", "verified"]), st.integers(-120, 60 * 72)
        ),
        max_size=5,
    ),
)
def test_window_status_is_consistent(now_minutes: int, raw: list[tuple[str, int]]) -> None:
    now = T0 + timedelta(minutes=now_minutes)
    filings = [(stage, T0 + timedelta(minutes=m)) for stage, m in raw if m <= now_minutes]
    for state in village_deadlines(T0, None, filings, now, SETTINGS):
        w = state.window
        assert w.starts_at <= w.escalate_at <= w.due_at and w.starts_at <= now
        if state.filed_at is None:
            expected = (
                WindowStatus.OVERDUE
                if now >= w.due_at
                else WindowStatus.ESCALATED
                if now >= w.escalate_at
                else WindowStatus.WAITING
            )
            assert state.status is expected
        else:
            assert state.status is (
                WindowStatus.FILED if state.filed_at <= w.due_at else WindowStatus.FILED_LATE
            )
